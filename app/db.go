package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"

	"crossmentor/app/migrations"
	"crossmentor/app/vault"
	"crossmentor/jobs"
	"crossmentor/models"
)

// OpenDatabase opens PostgreSQL when a URL is configured, else the embedded
// SQLite database under the data folder (created if missing), with the
// vault that seals confidential text under the configured key ring.
func OpenDatabase(cfg Config, log *slog.Logger) (*gorm.DB, error) {
	db, err := openDatabase(cfg, log)
	if err != nil {
		return nil, err
	}
	keys, err := LoadKeys(context.Background(), cfg, db)
	if err != nil {
		return nil, err
	}
	return db, UseVault(db, keys)
}

// UseVault makes db seal and open the confidential fields with keys.
func UseVault(db *gorm.DB, keys *vault.KeyRing) error {
	return db.Use(vault.Plugin{Keys: keys})
}

func openDatabase(cfg Config, log *slog.Logger) (*gorm.DB, error) {
	gcfg := &gorm.Config{
		TranslateError: true,
		Logger:         newSQLLogger(log, 500*time.Millisecond),
		NowFunc:        func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	if cfg.Postgres() {
		db, err := gorm.Open(postgres.Open(cfg.DatabaseURL), gcfg)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL: %w", err)
		}
		if err := PoolPostgres(db); err != nil {
			return nil, err
		}
		return db, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	return OpenSQLite(filepath.Join(cfg.DataDir, "crossmentor.db"), gcfg)
}

// OpenSQLite opens the embedded database file in WAL mode with foreign keys
// as one *gorm.DB over two pools, so that many writers at once queue in the
// application instead of failing with "database is locked":
//
//   - one writer connection (SQLite runs one write at a time anyway):
//     every transaction (BEGIN IMMEDIATE), insert, update, delete and Exec,
//     and River's SQLite driver, which gets this pool from db.DB();
//   - a pool of read-only connections (query_only) for reads outside a
//     transaction; in WAL mode they never wait for the writer.
//
// gorm's dbresolver routes each statement; code keeps passing the one
// *gorm.DB around. A read inside a transaction stays on the transaction's
// (writer) connection, so it sees its own writes.
//
// The database and its -wal and -shm files are readable by the app's user
// alone (0600), and SQLite's temporary files (large sorts, VACUUM) go to
// the folder tmp beside the database, not to /tmp, which may be read-only
// or shared.
func OpenSQLite(path string, gcfg *gorm.Config) (*gorm.DB, error) {
	return OpenSQLiteReaders(path, gcfg, SQLiteReaders)
}

// OpenSQLiteReaders is OpenSQLite with a reader pool of the given size
// (at least one), for benchmarks that compare sizes.
func OpenSQLiteReaders(path string, gcfg *gorm.Config, readerConns int) (*gorm.DB, error) {
	readerConns = max(1, readerConns)
	tmp, err := privateFiles(path)
	if err != nil {
		return nil, err
	}
	base := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)" +
		"&_pragma=" + url.QueryEscape("temp_store_directory('"+strings.ReplaceAll(tmp, "'", "''")+"')")
	dsn := base + "&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate" +
		"&_pragma=cache_size(" + strconv.Itoa(-sqliteWriterCacheKiB) + ")"
	writer, err := sql.Open(sqlite.DriverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("open SQLite: %w", err)
	}
	writer.SetMaxOpenConns(SQLiteWriters)
	writer.SetMaxIdleConns(SQLiteWriters)
	db, err := gorm.Open(&sqlite.Dialector{DriverName: sqlite.DriverName, DSN: dsn, Conn: newWriterGate(writer)}, gcfg)
	if err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("open SQLite: %w", err)
	}
	readers, err := sql.Open(sqlite.DriverName, base+"&_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("open SQLite readers: %w", err)
	}
	readers.SetMaxOpenConns(readerConns)
	readers.SetMaxIdleConns(readerConns)
	readers.SetConnMaxIdleTime(5 * time.Minute)
	resolver := dbresolver.Register(dbresolver.Config{Replicas: []gorm.Dialector{&sqlite.Dialector{Conn: readers}}})
	if err := db.Use(resolver); err != nil {
		_ = readers.Close()
		_ = writer.Close()
		return nil, fmt.Errorf("SQLite readers: %w", err)
	}
	if err := db.Use(readerPool{readers}); err != nil {
		return nil, err
	}
	return db, nil
}

// privateFiles makes the database file (creating it when missing) and its
// -wal and -shm files 0600, SQLite giving new -wal and -shm files the mode
// of the database, and returns the folder for SQLite's temporary files.
func privateFiles(path string) (string, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600) // #nosec G304 -- the configured data folder
	if err != nil {
		return "", fmt.Errorf("open SQLite: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("open SQLite: %w", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("make %s private: %w", filepath.Base(p), err)
		}
	}
	tmp := filepath.Join(filepath.Dir(path), "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return "", fmt.Errorf("create SQLite's temporary folder: %w", err)
	}
	abs, err := filepath.Abs(tmp)
	if err != nil {
		return "", err
	}
	return abs, nil
}

// SQLiteWriters is the size of the embedded database's writer pool: one,
// SQLite's own limit, so writers wait in the writer gate's queue (first come,
// first served) instead of in SQLite's busy handler.
const SQLiteWriters = 1

// sqliteWriterCacheKiB is the page cache of the writer connection (SQLite's
// default is 2 MiB): the indexes of the large organisation's tables (a few
// hundred MiB) are written all over; loading it took 64 s of CPU with this
// cache against 73 s with the default. Pages are allocated as they are
// used, so a small database stays small in memory. The readers keep the
// default: what a larger cache would gain them is not measured.
const sqliteWriterCacheKiB = 64 << 10

// SQLiteReaders is the size of the embedded database's reader pool.
const SQLiteReaders = 4

// readerPool keeps the embedded database's reader pool with the *gorm.DB,
// so that CloseDatabase can close it.
type readerPool struct{ db *sql.DB }

func (readerPool) Name() string              { return "crossmentor:readers" }
func (readerPool) Initialize(*gorm.DB) error { return nil }

// CloseDatabase closes db's connections: the pool of db.DB() and, on the
// embedded database, its reader pool.
func CloseDatabase(db *gorm.DB) error {
	var errs []error
	if r, ok := db.Config.Plugins["crossmentor:readers"].(readerPool); ok {
		errs = append(errs, r.db.Close())
	}
	if sqlDB, err := db.DB(); err == nil {
		errs = append(errs, sqlDB.Close())
	}
	return errors.Join(errs...)
}

// ErrPendingMigrations is returned at start on PostgreSQL when the schema is
// behind and automatic migration is off.
var ErrPendingMigrations = errors.New("the database has pending migrations: run `crossmentor migrate` or set CROSSMENTOR_AUTO_MIGRATE=true")

// Migrate applies pending migrations. On PostgreSQL an advisory lock makes
// replicas that start together take turns.
func Migrate(ctx context.Context, db *gorm.DB) error {
	if err := precheckKeys(ctx, db); err != nil {
		return err
	}
	if db.Dialector.Name() != "postgres" {
		if err := migrations.New(db).Migrate(); err != nil {
			return err
		}
		return jobs.MigrateRiver(ctx, db)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	const lockID = 7314159
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockID); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockID) //nolint:errcheck
	if err := migrations.New(db.WithContext(ctx)).Migrate(); err != nil {
		return err
	}
	return jobs.MigrateRiver(ctx, db)
}

// PrepareSchema runs pending migrations where allowed: always on the embedded
// database, on PostgreSQL only with AutoMigrate; else it refuses to go on.
func PrepareSchema(ctx context.Context, cfg Config, db *gorm.DB) error {
	pending, err := migrations.Pending(db)
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		return nil
	}
	if cfg.Postgres() && !cfg.AutoMigrate {
		return ErrPendingMigrations
	}
	return Migrate(ctx, db)
}

// RotateKeys re-encrypts all confidential text under the newest key of
// keys; it can be interrupted and run again.
func RotateKeys(ctx context.Context, db *gorm.DB, keys *vault.KeyRing) (int, error) {
	n, err := vault.Rotate(ctx, db, keys, models.SealedModels()...)
	if err != nil {
		return n, err
	}
	return n, vault.RetireOldKeys(ctx, db, keys)
}

// PoolPostgres sizes the connection pool to PostgreSQL: enough idle
// connections stay open that concurrent work (the mail workers, page
// requests) does not open a new server connection for every statement.
func PoolPostgres(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	sqlDB.SetMaxOpenConns(20)
	sqlDB.SetMaxIdleConns(20) // as many as may be open: a report's parallel queries reuse them
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	return nil
}

// OpenDatabaseWaiting is OpenDatabase for `serve`: while the database
// cannot be reached (a replica starting before PostgreSQL, or during its
// restart) it logs and tries again with a growing pause, up to every
// maxPause, until ctx ends. Configuration errors end it at once.
func OpenDatabaseWaiting(ctx context.Context, cfg Config, log *slog.Logger, maxPause time.Duration) (*gorm.DB, error) {
	pause := time.Second
	for {
		db, err := OpenDatabase(cfg, log)
		if err == nil {
			return db, nil
		}
		if _, kerr := cfg.KeyRing(); kerr != nil || !cfg.Postgres() {
			return nil, err // nothing to wait for
		}
		log.Warn("database not reachable; trying again", "in", pause.String(), "error", err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("stopped while waiting for the database: %w", err)
		case <-time.After(pause):
		}
		pause = min(2*pause, maxPause)
	}
}
