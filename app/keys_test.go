package app_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/vault"
	"crossmentor/models"
)

// readyStatus answers GET /readyz of an app around db.
func readyStatus(t *testing.T, a *app.App) int {
	t.Helper()
	rec := httptest.NewRecorder()
	a.Echo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	return rec.Code
}

// TestKeysCheckedAtStart: a database with sealed text refuses a ring with a
// wrong key of the same id, a ring that lacks the key, and a missing key
// file, each with a message naming the fix; the migrations refuse to seal
// with such a ring, and /readyz fails while the ring does not open.
func TestKeysCheckedAtStart(t *testing.T) {
	ctx := t.Context()
	rightSpec, _ := vault.NewKeySpec("k1")
	right, _ := vault.ParseKeyRing(rightSpec)
	db := apptest.EmptyWith(t, right)
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := app.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	cfg := app.Config{DataKeys: rightSpec, DataDir: t.TempDir()}
	if err := app.CheckKeys(ctx, cfg, db); err != nil {
		t.Fatalf("right key: %v", err)
	}
	var canaries int64
	db.Model(&vault.Canary{}).Count(&canaries)
	if canaries != 1 {
		t.Fatalf("%d canaries after the first check, want 1", canaries)
	}
	if s := readyStatus(t, apptest.New(t, db)); s != http.StatusOK {
		t.Fatalf("/readyz with the right key: %d", s)
	}

	wrongSpec, _ := vault.NewKeySpec("k1")
	otherSpec, _ := vault.NewKeySpec("k2")
	for _, tc := range []struct {
		name, spec string
		problem    vault.KeyProblem
		fix        string
	}{
		{"wrong key under the same id", wrongSpec, vault.KeyWrong, "put the original key back"},
		{"key missing from the ring", otherSpec, vault.KeyMissing, `add key "k1" back to CROSSMENTOR_DATA_KEYS`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ring, _ := vault.ParseKeyRing(tc.spec)
			other := apptest.Reopen(t, db, ring)
			err := app.CheckKeys(ctx, app.Config{DataKeys: tc.spec}, other)
			var ke *vault.KeyError
			if !errors.As(err, &ke) || ke.Problem != tc.problem || ke.KeyID != "k1" {
				t.Fatalf("check: %v, want a %s key k1", err, tc.problem)
			}
			if !strings.Contains(err.Error(), tc.fix) {
				t.Errorf("message %q does not name the fix %q", err, tc.fix)
			}
			if err := app.Migrate(ctx, other); !errors.As(err, &ke) {
				t.Errorf("migrate with a bad ring: %v, want a key error", err)
			}
			if s := readyStatus(t, apptest.New(t, other)); s != http.StatusServiceUnavailable {
				t.Errorf("/readyz with a bad ring: %d, want 503", s)
			}
			var n int64
			db.Model(&vault.Canary{}).Count(&n)
			if n != 1 {
				t.Errorf("a refused ring left %d canaries, want 1", n)
			}
		})
	}

	t.Run("key file missing", func(t *testing.T) {
		dir := t.TempDir()
		_, err := app.LoadKeys(ctx, app.Config{DataDir: dir}, db)
		if !errors.Is(err, app.ErrKeyFileMissing) || !strings.Contains(err.Error(), filepath.Join(dir, "keys")) {
			t.Fatalf("missing key file: %v, want ErrKeyFileMissing naming the file", err)
		}
		if _, err := os.Stat(filepath.Join(dir, "keys")); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("a new key file was made while sealed data exists: %v", err)
		}
		// An empty database gets its first key file.
		empty := apptest.DB(t)
		keys, err := app.LoadKeys(ctx, app.Config{DataDir: dir}, empty)
		if err != nil || keys.Newest() != "k1" {
			t.Fatalf("first start: %v", err)
		}
		if fi, err := os.Stat(filepath.Join(dir, "keys")); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("key file: %v %v", fi, err)
		}
	})

	t.Run("rotation retires the old key", func(t *testing.T) {
		newSpec, _ := vault.NewKeySpec("k3")
		both, _ := vault.ParseKeyRing(rightSpec + "," + newSpec)
		rotating := apptest.Reopen(t, db, both)
		cfg := app.Config{DataKeys: rightSpec + "," + newSpec}
		if err := app.CheckKeys(ctx, cfg, rotating); err != nil {
			t.Fatal(err)
		}
		if n, err := app.RotateKeys(ctx, rotating, both); err != nil || n == 0 {
			t.Fatalf("rotate: %d %v", n, err)
		}
		newOnly, _ := vault.ParseKeyRing(newSpec)
		after := apptest.Reopen(t, db, newOnly)
		if err := app.CheckKeys(ctx, app.Config{DataKeys: newSpec}, after); err != nil {
			t.Fatalf("after rotation the old key may go: %v", err)
		}
		if _, err := models.ListGoals(ctx, after, models.Viewer{PersonID: person(t, after, "mentee@demo.test").ID, Mentee: true}, 0); err != nil {
			t.Fatal(err)
		}
	})
}
