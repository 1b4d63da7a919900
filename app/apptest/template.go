package apptest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"crossmentor/app"
	"crossmentor/app/vault"
)

// A template is a database migrated (and, for the demo, loaded) once per
// test process; each test gets a copy of it instead of migrating anew. On
// PostgreSQL the copy is CREATE DATABASE … TEMPLATE, on the embedded
// database a copy of the file. The key ring it was sealed under is kept
// beside it, so every copy opens with the same keys.
type template struct {
	demo bool
}

// processID tells this test process's templates from those of others: a
// template lives as long as its process, as the demo is dated from the
// moment it is loaded.
var processID = randomHex(6)

// name is unique per test process and kind.
func (tm template) name() string {
	kind := "bare"
	if tm.demo {
		kind = "demo"
	}
	return "cmt_" + processID + "_" + kind
}

// staleAfter is the age at which a template of another process is removed.
const staleAfter = 3 * time.Hour

// fill migrates db and loads the demo where asked.
func (tm template) fill(db *gorm.DB) error {
	if err := app.Migrate(context.Background(), db); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if tm.demo {
		if err := app.LoadDemo(context.Background(), db); err != nil {
			return fmt.Errorf("load demo: %w", err)
		}
	}
	return nil
}

// copyOf opens a fresh copy of the template; it is removed when the test ends.
func (tm template) copyOf(t testing.TB) *gorm.DB {
	t.Helper()
	name := tm.name()
	var (
		db  *gorm.DB
		err error
	)
	if base := os.Getenv("TEST_DATABASE_URL"); base != "" {
		db, err = tm.postgresCopy(t, base, name)
	} else {
		db, err = tm.sqliteCopy(t, name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func (tm template) sqliteCopy(t testing.TB, name string) (*gorm.DB, error) {
	root := filepath.Join(os.TempDir(), "crossmentor-test-templates")
	dir := filepath.Join(root, name)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := tm.buildSQLite(root, dir); err != nil {
			return nil, err
		}
	}
	spec, err := os.ReadFile(filepath.Join(dir, "keys")) // #nosec G304 -- a template folder this package made
	if err != nil {
		return nil, err
	}
	keys, err := vault.ParseKeyRing(string(spec))
	if err != nil {
		return nil, err
	}
	copyPath := filepath.Join(t.TempDir(), "test.db")
	if err := copyFile(filepath.Join(dir, "test.db"), copyPath); err != nil {
		return nil, err
	}
	db, err := app.OpenSQLite(copyPath, gormConfig())
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { closeDB(db) })
	return db, app.UseVault(db, keys)
}

// buildSQLite writes the template and its key ring into a folder of its
// own and renames that into place, so nobody sees half a template; when two
// tests build at once, the first rename wins. Templates of processes long
// gone are removed.
func (tm template) buildSQLite(root, dir string) error {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return err
	}
	if entries, err := os.ReadDir(root); err == nil {
		for _, e := range entries {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleAfter {
				_ = os.RemoveAll(filepath.Join(root, e.Name()))
			}
		}
	}
	spec, keys, err := newKeys()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(root, "building-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	db, err := app.OpenSQLite(filepath.Join(tmp, "test.db"), gormConfig())
	if err != nil {
		return err
	}
	err = app.UseVault(db, keys)
	if err == nil {
		err = tm.fill(db)
	}
	if err == nil {
		err = db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
	}
	closeDB(db)
	if err == nil {
		err = os.WriteFile(filepath.Join(tmp, "keys"), []byte(spec), 0o600)
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(dir); statErr == nil {
			return nil // another test built it first
		}
		return err
	}
	return nil
}

// copyFile copies a template file into a test's folder.
func copyFile(from, to string) error {
	data, err := os.ReadFile(from) // #nosec G304 -- a template file this package made
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o600) // #nosec G703 -- a path in the test's own temporary folder
}

// postgresCopy creates a database from the template, building the template
// first under an advisory lock when no test binary has made it yet.
func (tm template) postgresCopy(t testing.TB, base, name string) (*gorm.DB, error) {
	admin, err := gorm.Open(postgres.Open(base), gormConfig())
	if err != nil {
		return nil, fmt.Errorf("TEST_DATABASE_URL is set but PostgreSQL cannot be opened: %w", err)
	}
	defer closeDB(admin)
	spec, err := tm.ensurePostgres(admin, base, name)
	if err != nil {
		return nil, err
	}
	keys, err := vault.ParseKeyRing(spec)
	if err != nil {
		return nil, err
	}
	copyName := "t_" + randomHex(8)
	if err := admin.Exec("CREATE DATABASE " + copyName + " TEMPLATE " + name).Error; err != nil {
		return nil, fmt.Errorf("copy the template: %w", err)
	}
	db, err := openPostgres(base, copyName)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() {
		closeDB(db)
		if admin, err := gorm.Open(postgres.Open(base), gormConfig()); err == nil {
			admin.Exec("DROP DATABASE IF EXISTS " + copyName + " WITH (FORCE)")
			closeDB(admin)
		}
	})
	if err := app.PoolPostgres(db); err != nil {
		return nil, err
	}
	return db, app.UseVault(db, keys)
}

// ensurePostgres returns the key ring of the template called name, making
// the template first if it does not exist. Templates of other processes
// older than staleAfter are dropped on the way.
func (tm template) ensurePostgres(admin *gorm.DB, base, name string) (string, error) {
	ctx := context.Background()
	sqlDB, err := admin.DB()
	if err != nil {
		return "", err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	const lockID = 7314160
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockID); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", lockID) //nolint:errcheck
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS apptest_templates (
		name text PRIMARY KEY, key_spec text NOT NULL, made_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return "", err
	}
	var spec string
	err = conn.QueryRowContext(ctx, "SELECT key_spec FROM apptest_templates WHERE name = $1", name).Scan(&spec)
	if err == nil {
		return spec, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	stale, err := conn.QueryContext(ctx, "SELECT name FROM apptest_templates WHERE made_at < $1", time.Now().Add(-staleAfter))
	if err != nil {
		return "", err
	}
	var old []string
	for stale.Next() {
		var n string
		if err := stale.Scan(&n); err != nil {
			_ = stale.Close()
			return "", err
		}
		old = append(old, n)
	}
	_ = stale.Close()
	for _, n := range append(old, name) {
		if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+n+" WITH (FORCE)"); err != nil {
			return "", err
		}
		if _, err := conn.ExecContext(ctx, "DELETE FROM apptest_templates WHERE name = $1", n); err != nil {
			return "", err
		}
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	spec, keys, err := newKeys()
	if err != nil {
		return "", err
	}
	db, err := openPostgres(base, name)
	if err != nil {
		return "", err
	}
	err = app.UseVault(db, keys)
	if err == nil {
		err = tm.fill(db)
	}
	closeDB(db)
	if err != nil {
		return "", fmt.Errorf("build the test template: %w", err)
	}
	_, err = conn.ExecContext(ctx, "INSERT INTO apptest_templates (name, key_spec) VALUES ($1, $2)", name, spec)
	return spec, err
}

// openPostgres opens the database called name on the server of base.
func openPostgres(base, name string) (*gorm.DB, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	u.Path = "/" + name
	return gorm.Open(postgres.Open(u.String()), gormConfig())
}

// newKeys makes a fresh key ring and its spec.
func newKeys() (string, *vault.KeyRing, error) {
	spec, err := vault.NewKeySpec("t1")
	if err != nil {
		return "", nil, err
	}
	keys, err := vault.ParseKeyRing(spec)
	return spec, keys, err
}
