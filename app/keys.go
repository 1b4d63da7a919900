package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/vault"
	"crossmentor/models"
)

// ErrKeyFileMissing refuses to make a new key file while the database
// already holds sealed text: a new key would not open it.
var ErrKeyFileMissing = errors.New("the key file is missing but the database holds confidential text sealed with a key")

// LoadKeys reads the key ring from the configuration. Without a key file
// it makes one only while the database holds nothing sealed.
func LoadKeys(ctx context.Context, cfg Config, db *gorm.DB) (*vault.KeyRing, error) {
	keys, err := cfg.KeyRing()
	if !errors.Is(err, vault.ErrNoKeyFile) {
		if err != nil {
			return nil, fmt.Errorf("CROSSMENTOR_DATA_KEYS or the key file: %w", err)
		}
		return keys, nil
	}
	sealed, err := vault.HasSealedData(ctx, db, models.SealedModels()...)
	if err != nil {
		return nil, err
	}
	if sealed {
		return nil, fmt.Errorf("%w: restore %s from your backup (crossmentor backup copies it beside the database) or set CROSSMENTOR_DATA_KEYS to the key ring; the app does not start without it",
			ErrKeyFileMissing, cfg.KeyFile())
	}
	return vault.CreateKeyFile(cfg.KeyFile())
}

// keysOf returns the key ring the database's vault plugin seals with.
func keysOf(db *gorm.DB) (*vault.KeyRing, error) {
	keys, ok := vault.KeysOf(db)
	if !ok {
		return nil, errors.New("the database has no vault")
	}
	return keys, nil
}

// CheckKeys verifies, after the migrations, that the key ring opens the
// database's sealed text (each key's canary, sealed at its first use, is
// opened) and seals a canary for each new key. A missing or wrong key is an
// error naming the fix; serve, demo, migrate and rotate-keys stop on it.
func CheckKeys(ctx context.Context, cfg Config, db *gorm.DB) error {
	keys, err := keysOf(db)
	if err != nil {
		return err
	}
	return ExplainKeyError(cfg, vault.CheckKeys(ctx, db, keys, models.SealedModels()...))
}

// precheckKeys runs before the migrations, which may seal text: the ring
// must open what is sealed already (the canaries, or on a database from
// before them, one sealed value per column).
func precheckKeys(ctx context.Context, db *gorm.DB) error {
	keys, err := keysOf(db)
	if err != nil {
		return nil // a database opened without a vault seals nothing
	}
	if db.Migrator().HasTable(&vault.Canary{}) {
		return vault.VerifyKeys(ctx, db, keys)
	}
	return vault.ProbeSealed(ctx, db, keys, models.SealedModels()...)
}

// ExplainKeyError adds to a missing or wrong key what to do about it;
// other errors pass unchanged.
func ExplainKeyError(cfg Config, err error) error {
	var ke *vault.KeyError
	if !errors.As(err, &ke) {
		return err
	}
	where := "CROSSMENTOR_DATA_KEYS"
	if cfg.DataKeys == "" {
		where = "the key file " + cfg.KeyFile()
	}
	if ke.Problem == vault.KeyMissing {
		return fmt.Errorf("%w: add key %q back to %s (from your backup or secret store); keys may only leave the ring after `crossmentor rotate-keys` has finished", err, ke.KeyID, where)
	}
	return fmt.Errorf("%w: %s holds another key under the id %q; put the original key back (from your backup or secret store)", err, where, ke.KeyID)
}

// errVaultClosed tells /readyz that the key ring does not open the data.
var errVaultClosed = errors.New("key ring does not open the sealed data")

// vaultReady is the readiness check of the vault: every key's canary opens.
func vaultReady(ctx context.Context, db *gorm.DB) error {
	keys, err := keysOf(db)
	if err != nil {
		return errVaultClosed
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := vault.VerifyKeys(ctx, db.WithContext(ctx), keys); err != nil {
		return errVaultClosed
	}
	return nil
}
