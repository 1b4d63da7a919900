package app_test

import (
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"crossmentor/app"
)

// TestSQLiteFilesArePrivate: the embedded database and its -wal and -shm
// files are 0600 whatever the umask, an existing 0644 database is made
// private at open, and SQLite's temporary files go to the data folder.
func TestSQLiteFilesArePrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "crossmentor.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := app.OpenSQLite(path, &gorm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	defer sqlDB.Close()
	if err := db.Exec("CREATE TABLE t (x TEXT)").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("INSERT INTO t VALUES ('a')").Error; err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Raw("SELECT count(*) FROM t").Scan(&n).Error; err != nil || n != 1 {
		t.Fatal(n, err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v", filepath.Base(f), info.Mode().Perm())
		}
	}
	want := filepath.Join(dir, "tmp")
	if info, err := os.Stat(want); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("temporary folder: %v %v", info, err)
	}
	// On the writer (a transaction) and on a reader connection.
	var onWriter, onReader string
	if err := db.Transaction(func(tx *gorm.DB) error {
		return tx.Raw("PRAGMA temp_store_directory").Scan(&onWriter).Error
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Raw("PRAGMA temp_store_directory").Scan(&onReader).Error; err != nil {
		t.Fatal(err)
	}
	if onWriter != want || onReader != want {
		t.Errorf("temporary files go to %q and %q, want %q", onWriter, onReader, want)
	}
}
