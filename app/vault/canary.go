package vault

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// Canary is a known text sealed with one key when that key is first used,
// so that a start with a missing or wrong key is refused before anything
// is read or written with it. RetiredAt is set once rotation has moved
// every value off the key, after which the key may leave the ring.
type Canary struct {
	KeyID     string `gorm:"primaryKey;size:64"`
	Sealed    string `gorm:"type:text;not null"`
	RetiredAt *time.Time
	CreatedAt time.Time
}

// TableName names the canaries' table.
func (Canary) TableName() string { return "vault_canaries" }

// canaryText is what every canary holds.
const canaryText = "crossmentor vault canary"

func canaryAD(keyID string) string { return AD(orgID, "vault_canaries", "sealed", keyID) }

// KeyProblem says what is wrong with one key.
type KeyProblem string

// The problems CheckKeys finds.
const (
	KeyMissing KeyProblem = "missing" // data is sealed with a key the ring lacks
	KeyWrong   KeyProblem = "wrong"   // the ring has a key of that id, but another one
)

// KeyError is a key ring that does not fit the database's sealed data.
type KeyError struct {
	KeyID   string
	Problem KeyProblem
}

func (e *KeyError) Error() string {
	if e.Problem == KeyMissing {
		return fmt.Sprintf("vault: key %q sealed data in this database but is not in the key ring", e.KeyID)
	}
	return fmt.Sprintf("vault: key %q of the key ring is not the key that sealed this database's data", e.KeyID)
}

// ErrKeysUnchecked is returned by CheckKeys when the canaries' table does
// not exist yet (migrations pending).
var ErrKeysUnchecked = errors.New("vault: the key canaries' table is missing: apply the migrations first")

// sealWith seals plain with the key of the given id.
func (r *KeyRing) sealWith(id, plain, ad string) (string, error) {
	if _, ok := r.keys[id]; !ok {
		return "", ErrNoKey
	}
	return (&KeyRing{keys: r.keys, newest: id}).Seal(plain, ad)
}

// IDs lists the key ids of the ring, sorted.
func (r *KeyRing) IDs() []string {
	ids := make([]string, 0, len(r.keys))
	for id := range r.keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// VerifyKeys opens the canary of every key in the ring and checks that no
// key that still seals data is missing. It writes nothing.
func VerifyKeys(ctx context.Context, db *gorm.DB, keys *KeyRing) error {
	if !db.Migrator().HasTable(&Canary{}) {
		return ErrKeysUnchecked
	}
	var canaries []Canary
	if err := db.WithContext(ctx).Order("key_id").Find(&canaries).Error; err != nil {
		return err
	}
	for _, c := range canaries {
		if _, ok := keys.keys[c.KeyID]; !ok {
			if c.RetiredAt == nil {
				return &KeyError{KeyID: c.KeyID, Problem: KeyMissing}
			}
			continue
		}
		if plain, err := keys.Open(c.Sealed, canaryAD(c.KeyID)); err != nil || plain != canaryText {
			return &KeyError{KeyID: c.KeyID, Problem: KeyWrong}
		}
	}
	return nil
}

// CheckKeys verifies the ring against the database (VerifyKeys) and seals
// a canary for each key that has none yet. Before the first canary is
// written, existing sealed values of the given models are opened, so a
// database sealed before canaries existed is not blessed with a wrong key.
func CheckKeys(ctx context.Context, db *gorm.DB, keys *KeyRing, models ...any) error {
	if err := VerifyKeys(ctx, db, keys); err != nil {
		return err
	}
	var have []string
	if err := db.WithContext(ctx).Model(&Canary{}).Pluck("key_id", &have).Error; err != nil {
		return err
	}
	if len(have) == 0 {
		if err := ProbeSealed(ctx, db, keys, models...); err != nil {
			return err
		}
	}
	known := map[string]bool{}
	for _, id := range have {
		known[id] = true
	}
	for _, id := range keys.IDs() {
		if known[id] {
			continue
		}
		sealed, err := keys.sealWith(id, canaryText, canaryAD(id))
		if err != nil {
			return err
		}
		// A replica starting at the same time may write the same key's canary: keep the first.
		res := db.WithContext(ctx).Exec("INSERT INTO vault_canaries (key_id, sealed, created_at) VALUES (?, ?, ?) ON CONFLICT (key_id) DO NOTHING",
			id, sealed, time.Now().UTC())
		if res.Error != nil {
			return res.Error
		}
	}
	return VerifyKeys(ctx, db, keys)
}

// ProbeSealed opens one sealed value of every sealed column of the models
// (the first one; plain text a migration has yet to seal is passed over); a value whose key is missing or that does
// not open gives a KeyError.
func ProbeSealed(ctx context.Context, db *gorm.DB, keys *KeyRing, models ...any) error {
	for _, m := range models {
		stmt := &gorm.Statement{DB: db}
		if err := stmt.Parse(m); err != nil {
			return err
		}
		if !db.Migrator().HasTable(stmt.Schema.Table) {
			continue
		}
		pk := stmt.Schema.PrioritizedPrimaryField.DBName
		have := columnsOf(db, stmt.Schema.Table)
		for _, f := range sealedFields(stmt.Schema) {
			if !have[f.DBName] {
				continue // a column a pending migration adds
			}
			var row struct {
				ID    uint
				Value string
			}
			err := db.WithContext(ctx).Table(stmt.Schema.Table).Select(pk+" AS id, "+f.DBName+" AS value").
				Where(f.DBName+" LIKE ?", format+".%").Order(pk).Limit(1).Scan(&row).Error
			if err != nil {
				return err
			}
			if row.Value == "" {
				continue
			}
			if _, err := keys.Open(row.Value, AD(orgID, f.Tag.Get("sealed"), f.DBName, row.ID)); err != nil {
				problem := KeyWrong
				if errors.Is(err, ErrNoKey) {
					problem = KeyMissing
				}
				return &KeyError{KeyID: KeyOf(row.Value), Problem: problem}
			}
		}
	}
	return nil
}

// HasSealedData reports whether the database holds anything sealed: a
// canary, or a sealed value of one of the models.
func HasSealedData(ctx context.Context, db *gorm.DB, models ...any) (bool, error) {
	if db.Migrator().HasTable(&Canary{}) {
		var n int64
		if err := db.WithContext(ctx).Model(&Canary{}).Count(&n).Error; err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	for _, m := range models {
		stmt := &gorm.Statement{DB: db}
		if err := stmt.Parse(m); err != nil {
			return false, err
		}
		if !db.Migrator().HasTable(stmt.Schema.Table) {
			continue
		}
		have := columnsOf(db, stmt.Schema.Table)
		for _, f := range sealedFields(stmt.Schema) {
			if !have[f.DBName] {
				continue
			}
			var found []any
			pk := stmt.Schema.PrioritizedPrimaryField.DBName
			if err := db.WithContext(ctx).Table(stmt.Schema.Table).Where(f.DBName+" <> ''").Limit(1).Pluck(pk, &found).Error; err != nil {
				return false, err
			}
			if len(found) > 0 {
				return true, nil
			}
		}
	}
	return false, nil
}

// RetireOldKeys marks the canaries of every key but the newest as retired,
// once Rotate has moved every value to the newest key: those keys may then
// leave the ring. A key that comes back is simply checked again.
func RetireOldKeys(ctx context.Context, db *gorm.DB, keys *KeyRing) error {
	return db.WithContext(ctx).Model(&Canary{}).Where("key_id <> ? AND retired_at IS NULL", keys.Newest()).
		Update("retired_at", time.Now().UTC()).Error
}

// columnsOf returns the names of a table's columns as the database has them.
func columnsOf(db *gorm.DB, table string) map[string]bool {
	out := map[string]bool{}
	cols, err := db.Migrator().ColumnTypes(table)
	if err != nil {
		return out
	}
	for _, c := range cols {
		out[c.Name()] = true
	}
	return out
}
