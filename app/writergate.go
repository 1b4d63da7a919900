package app

import (
	"context"
	"database/sql"

	"gorm.io/gorm"
)

// writerGate is the embedded database's single writer connection with a
// first-come, first-served queue in front of it. database/sql hands a freed
// connection to a random waiter, so with fifty writers a few waited many
// seconds; a buffered channel wakes its waiting senders in order, so every
// writer waits about as long as the queue ahead of it. A transaction holds
// the gate from BEGIN to COMMIT or ROLLBACK; a statement outside one holds
// it for that statement.
type writerGate struct {
	db   *sql.DB
	turn chan struct{}
}

func newWriterGate(db *sql.DB) *writerGate {
	return &writerGate{db: db, turn: make(chan struct{}, 1)}
}

// enter waits for the writer's turn, or for ctx to end.
func (g *writerGate) enter(ctx context.Context) error {
	select {
	case g.turn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *writerGate) leave() { <-g.turn }

// GetDBConn gives gorm (and River, through db.DB()) the pool itself.
func (g *writerGate) GetDBConn() (*sql.DB, error) { return g.db, nil }

// PrepareContext prepares on the pool; the statement's use holds no turn.
func (g *writerGate) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return g.db.PrepareContext(ctx, query)
}

// ExecContext runs one statement in its turn.
func (g *writerGate) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := g.enter(ctx); err != nil {
		return nil, err
	}
	defer g.leave()
	return g.db.ExecContext(ctx, query, args...)
}

// QueryContext runs one query in its turn; the turn ends when its rows are
// read, which database/sql does before the connection is free again.
func (g *writerGate) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := g.enter(ctx); err != nil {
		return nil, err
	}
	defer g.leave()
	return g.db.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a one-row query in its turn.
func (g *writerGate) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if err := g.enter(ctx); err != nil {
		return g.db.QueryRowContext(ctx, query, args...) // ctx has ended: the row carries its error
	}
	defer g.leave()
	return g.db.QueryRowContext(ctx, query, args...)
}

// BeginTx starts a transaction in its turn; the turn lasts until it ends.
func (g *writerGate) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	if err := g.enter(ctx); err != nil {
		return nil, err
	}
	tx, err := g.db.BeginTx(ctx, opts)
	if err != nil {
		g.leave()
		return nil, err
	}
	return &gatedTx{Tx: tx, gate: g}, nil
}

// gatedTx is a transaction that gives the writer's turn back when it ends.
type gatedTx struct {
	*sql.Tx
	gate *writerGate
	done bool
}

// Commit ends the transaction and the turn.
func (t *gatedTx) Commit() error {
	err := t.Tx.Commit()
	t.end()
	return err
}

// Rollback ends the transaction and the turn.
func (t *gatedTx) Rollback() error {
	err := t.Tx.Rollback()
	t.end()
	return err
}

func (t *gatedTx) end() {
	if !t.done {
		t.done = true
		t.gate.leave()
	}
}
