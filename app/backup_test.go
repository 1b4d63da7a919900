package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/vault"
	"crossmentor/models"
)

// TestBackupRestore: a backup of the embedded database and its key file,
// restored into a fresh data folder, is served by the app with its
// confidential text readable.
func TestBackupRestore(t *testing.T) {
	if apptest.Postgres() {
		t.Skip("the embedded database's backup; PostgreSQL is backed up with pg_dump")
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	env := func(dir string) func(string) (string, bool) {
		return func(k string) (string, bool) {
			if k == "CROSSMENTOR_DATA_DIR" {
				return dir, true
			}
			return "", false
		}
	}
	live := t.TempDir()
	cfg, _ := app.LoadConfig(env(live))
	db, err := app.OpenDatabase(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := app.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "backup")
	if err := app.Backup(ctx, cfg, db, backup); err != nil {
		t.Fatal(err)
	}
	if err := app.Backup(ctx, cfg, db, backup); err == nil {
		t.Fatal("a second backup overwrote the first")
	}
	for _, f := range []string{"crossmentor.db", "keys"} {
		info, err := os.Stat(filepath.Join(backup, f))
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, info, err)
		}
	}
	// Restore: the backup folder becomes the data folder of a new app.
	rcfg, _ := app.LoadConfig(env(backup))
	rcfg.Jobs = false
	rdb, err := app.OpenDatabase(rcfg, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.PrepareSchema(ctx, rcfg, rdb); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(rcfg, log, rdb, "test")
	if err != nil {
		t.Fatal(err)
	}
	srv := apptest.Serve(t, a)
	c := apptest.NewClient(t, srv)
	c.SignIn("mentee@demo.test", app.DemoPassword)
	if r := c.Get("/goals"); r.Status != http.StatusOK || !strings.Contains(r.Body, "drukke weken") {
		t.Fatalf("restored goals page: %d", r.Status)
	}
	var sanne models.Person
	rdb.Where("email = ?", "mentee@demo.test").First(&sanne)
	if sanne.ID == 0 {
		t.Fatal("restored database lacks the demo")
	}
}

// TestPostgresDumpRestore: a pg_dump of the app's database, restored with
// pg_restore into a new database, is served by the app with the same key
// ring and its confidential text readable (the README's procedure).
func TestPostgresDumpRestore(t *testing.T) {
	if !apptest.Postgres() {
		t.Skip("needs PostgreSQL (TEST_DATABASE_URL); CI runs it there")
	}
	ctx := context.Background()
	spec, _ := vault.NewKeySpec("k1")
	keys, _ := vault.ParseKeyRing(spec)
	db := apptest.EmptyWith(t, keys)
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := app.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	var schema string
	db.Raw("SELECT current_schema()").Scan(&schema)
	base := os.Getenv("TEST_DATABASE_URL")
	dump := filepath.Join(t.TempDir(), "crossmentor.dump")
	if out, err := exec.Command("pg_dump", "--format=custom", "--schema="+schema, "--file="+dump, base).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	name := "restore_" + strings.TrimPrefix(schema, "t_")
	if err := db.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(base)
	u.Path = "/" + name
	t.Cleanup(func() {
		_ = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error
	})
	if out, err := exec.Command("pg_restore", "--no-owner", "--dbname="+u.String(), dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	cfg, _ := app.LoadConfig(func(k string) (string, bool) {
		switch k {
		case "CROSSMENTOR_DATABASE_URL":
			return u.String(), true
		case "CROSSMENTOR_DATA_KEYS":
			return spec, true
		case "CROSSMENTOR_JOBS":
			return "false", true
		}
		return "", false
	})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	restored, err := app.OpenDatabase(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := restored.DB(); err == nil {
			_ = s.Close()
		}
	})
	if err := app.PrepareSchema(ctx, cfg, restored); err != nil {
		t.Fatalf("restored schema: %v", err)
	}
	a, err := app.New(cfg, log, restored, "test")
	if err != nil {
		t.Fatal(err)
	}
	c := apptest.NewClient(t, apptest.Serve(t, a))
	c.SignIn("mentee@demo.test", app.DemoPassword)
	if r := c.Get("/goals"); r.Status != http.StatusOK || !strings.Contains(r.Body, "drukke weken") {
		t.Fatalf("restored goals page: %d", r.Status)
	}
}
