// Package apptest builds a migrated database and a running app for tests:
// an SQLite file in a temporary folder by default, or a fresh PostgreSQL
// schema per test when TEST_DATABASE_URL is set.
package apptest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"crossmentor/app"
	"crossmentor/app/vault"
)

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool { return os.Getenv("TEST_DATABASE_URL") != "" }

// Empty opens an empty database without any table, sealing confidential
// text under a fresh key; it is removed when the test ends.
func Empty(t testing.TB) *gorm.DB {
	t.Helper()
	_, keys, err := newKeys()
	if err != nil {
		t.Fatal(err)
	}
	return EmptyWith(t, keys)
}

// EmptyWith opens an empty database sealing under the given key ring.
func EmptyWith(t testing.TB, keys *vault.KeyRing) *gorm.DB {
	t.Helper()
	db := open(t)
	if err := app.UseVault(db, keys); err != nil {
		t.Fatal(err)
	}
	return db
}

// Reopen returns another handle on the same database that uses another key ring.
func Reopen(t testing.TB, db *gorm.DB, keys *vault.KeyRing) *gorm.DB {
	t.Helper()
	other, err := gorm.Open(db.Dialector, gormConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := app.UseVault(other, keys); err != nil {
		t.Fatal(err)
	}
	return other
}

func gormConfig() *gorm.Config {
	return &gorm.Config{
		TranslateError: true,
		Logger:         logger.Discard,
		NowFunc:        func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
}

func open(t testing.TB) *gorm.DB {
	t.Helper()
	cfg := gormConfig()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		db, err := app.OpenSQLite(filepath.Join(t.TempDir(), "test.db"), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { closeDB(db) })
		return db
	}
	admin, err := gorm.Open(postgres.Open(base), cfg)
	if err != nil {
		t.Fatalf("TEST_DATABASE_URL is set but PostgreSQL cannot be opened: %v", err)
	}
	schema := "t_" + randomHex(8)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema on PostgreSQL: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := gorm.Open(postgres.Open(u.String()), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.PoolPostgres(db); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		closeDB(db)
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		closeDB(admin)
	})
	return db
}

// DB opens a database with every migration applied.
// It is a copy of a template migrated once per test binary.
func DB(t testing.TB) *gorm.DB {
	t.Helper()
	return template{}.copyOf(t)
}

// Demo opens a migrated database holding the demo organisation.
// It is a copy of a template loaded once per test binary.
func Demo(t testing.TB) *gorm.DB {
	t.Helper()
	return template{demo: true}.copyOf(t)
}

// New assembles the app around db with a quiet logger.
func New(t testing.TB, db *gorm.DB) *app.App {
	t.Helper()
	return NewWith(t, db, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// NewWith is New with settings changed by set (when not nil) and log as
// the app's logger.
func NewWith(t testing.TB, db *gorm.DB, set func(*app.Config), log *slog.Logger) *app.App {
	t.Helper()
	cfg, err := app.LoadConfig(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Jobs = false // tests drive the jobs themselves
	if set != nil {
		set(&cfg)
	}
	a, err := app.New(cfg, log, db, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	a.Handlers.Imports = syncImports{run: a.Imports.Run}
	return a
}

// syncImports applies an import run at once, as its job would: tests
// drive the jobs themselves. The run records its own failure.
type syncImports struct {
	run func(context.Context, uint) error
}

func (s syncImports) EnqueueImport(ctx context.Context, runID uint) error {
	_ = s.run(context.WithoutCancel(ctx), runID)
	return nil
}

func closeDB(db *gorm.DB) {
	_ = app.CloseDatabase(db)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
