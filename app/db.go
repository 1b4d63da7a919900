package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"crossmentor/app/migrations"
)

// OpenDatabase opens PostgreSQL when a URL is configured, else the embedded
// SQLite database under the data folder (created if missing).
func OpenDatabase(cfg Config, log *slog.Logger) (*gorm.DB, error) {
	gcfg := &gorm.Config{
		TranslateError: true,
		Logger: logger.NewSlogLogger(log, logger.Config{
			SlowThreshold:             500 * time.Millisecond,
			LogLevel:                  logger.Warn,
			IgnoreRecordNotFoundError: true,
			ParameterizedQueries:      true, // never put values (names, notes) in logs
		}),
		NowFunc: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	if cfg.Postgres() {
		db, err := gorm.Open(postgres.Open(cfg.DatabaseURL), gcfg)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL: %w", err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return db, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	return OpenSQLite(filepath.Join(cfg.DataDir, "crossmentor.db"), gcfg)
}

// OpenSQLite opens the embedded database file with foreign keys, WAL and
// immediate write transactions.
func OpenSQLite(path string, gcfg *gorm.Config) (*gorm.DB, error) {
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := gorm.Open(sqlite.Open(dsn), gcfg)
	if err != nil {
		return nil, fmt.Errorf("open SQLite: %w", err)
	}
	return db, nil
}

// ErrPendingMigrations is returned at start on PostgreSQL when the schema is
// behind and automatic migration is off.
var ErrPendingMigrations = errors.New("the database has pending migrations: run `crossmentor migrate` or set CROSSMENTOR_AUTO_MIGRATE=true")

// Migrate applies pending migrations. On PostgreSQL an advisory lock makes
// replicas that start together take turns.
func Migrate(ctx context.Context, db *gorm.DB) error {
	if db.Dialector.Name() != "postgres" {
		return migrations.New(db).Migrate()
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
	return migrations.New(db.WithContext(ctx)).Migrate()
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
