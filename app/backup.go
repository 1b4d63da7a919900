package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"gorm.io/gorm"
)

// ErrBackupPostgres is returned when a backup is asked of a PostgreSQL
// installation: pg_dump does that job.
var ErrBackupPostgres = errors.New("on PostgreSQL, back up with pg_dump (see the README); the key ring is in CROSSMENTOR_DATA_KEYS")

// Backup writes a consistent copy of the embedded database and its key
// file into dir (created with mode 0700). The copy is made by SQLite itself
// (VACUUM INTO), so the app can keep running.
func Backup(ctx context.Context, cfg Config, db *gorm.DB, dir string) error {
	if cfg.Postgres() {
		return ErrBackupPostgres
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	target := filepath.Join(dir, "crossmentor.db")
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s exists; choose an empty folder", target)
	}
	if err := db.WithContext(ctx).Exec("VACUUM INTO ?", target).Error; err != nil {
		return fmt.Errorf("copy the database: %w", err)
	}
	if err := os.Chmod(target, 0o600); err != nil {
		return err
	}
	if cfg.DataKeys != "" {
		return nil // the key ring lives in the environment, not in a file
	}
	keys, err := os.ReadFile(filepath.Join(cfg.DataDir, "keys"))
	if err != nil {
		return fmt.Errorf("read the key file: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, "keys"), keys, 0o600) // #nosec G703 -- dir is the operator's own -out argument
}
