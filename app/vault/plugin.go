package vault

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// orgID is the one organisation an installation serves.
const orgID = 1

// Plugin seals and opens the fields tagged `sealed:"<table>"` of every
// model: on create the row is written without them and they are sealed
// with the new row's id right after; on update they are sealed with the
// row's id; after a query they are opened. The caller's structs keep
// plain text throughout.
type Plugin struct {
	Keys *KeyRing
}

// Packer is a model that keeps values that are not text (a yes/no answer)
// in a sealed text field: PackSealed fills that field before a write,
// UnpackSealed reads it back after the field was opened.
type Packer interface {
	PackSealed()
	UnpackSealed()
}

// pack calls PackSealed on a row that implements Packer.
func pack(r reflect.Value) {
	if r.CanAddr() {
		if p, ok := r.Addr().Interface().(Packer); ok {
			p.PackSealed()
		}
	}
}

// unpack calls UnpackSealed on a row that implements Packer.
func unpack(r reflect.Value) {
	if r.CanAddr() {
		if p, ok := r.Addr().Interface().(Packer); ok {
			p.UnpackSealed()
		}
	}
}

// Name implements gorm.Plugin.
func (Plugin) Name() string { return "crossmentor:vault" }

// Initialize registers the callbacks.
func (p Plugin) Initialize(db *gorm.DB) error {
	cb := db.Callback()
	if err := cb.Create().Before("gorm:create").Register("vault:hide", p.hideOnCreate); err != nil {
		return err
	}
	if err := cb.Create().After("gorm:create").Register("vault:seal_new", p.sealCreated); err != nil {
		return err
	}
	if err := cb.Update().Before("gorm:update").Register("vault:seal", p.sealOnUpdate); err != nil {
		return err
	}
	if err := cb.Update().After("gorm:update").Register("vault:restore", p.restore); err != nil {
		return err
	}
	return cb.Query().After("gorm:query").Register("vault:open", p.openAfterQuery)
}

// sealedFields lists a schema's sealed fields.
func sealedFields(s *schema.Schema) []*schema.Field {
	if s == nil {
		return nil
	}
	var out []*schema.Field
	for _, f := range s.Fields {
		if f.Tag.Get("sealed") != "" && f.DBName != "" && f.FieldType.Kind() == reflect.String {
			out = append(out, f)
		}
	}
	return out
}

// text returns the value of a string-kinded field (also of a named string
// type such as an enumeration), or "".
func text(v any) string {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() != reflect.String {
		return ""
	}
	return rv.String()
}

// rows calls fn for each struct value in the statement's reflect value.
func rows(rv reflect.Value, fn func(reflect.Value)) {
	rv = reflect.Indirect(rv)
	switch rv.Kind() {
	case reflect.Struct:
		fn(rv)
	case reflect.Slice, reflect.Array:
		for i := 0; i < rv.Len(); i++ {
			if r := reflect.Indirect(rv.Index(i)); r.Kind() == reflect.Struct {
				fn(r)
			}
		}
	}
}

// pending is plain text held back from an INSERT until the row has an id.
type pending struct {
	row    reflect.Value
	values map[*schema.Field]string
}

const pendingKey = "vault:pending"

func (p Plugin) hideOnCreate(db *gorm.DB) {
	fields := sealedFields(db.Statement.Schema)
	if len(fields) == 0 || db.Error != nil {
		return
	}
	ctx := db.Statement.Context
	var held []pending
	rows(db.Statement.ReflectValue, func(r reflect.Value) {
		pack(r)
		ph := pending{row: r, values: map[*schema.Field]string{}}
		for _, f := range fields {
			v, _ := f.ValueOf(ctx, r)
			if s := text(v); s != "" {
				ph.values[f] = s
				_ = db.AddError(f.Set(ctx, r, ""))
			}
		}
		held = append(held, ph)
	})
	db.Statement.Settings.Store(pendingKey, held)
}

func (p Plugin) sealCreated(db *gorm.DB) {
	v, ok := db.Statement.Settings.LoadAndDelete(pendingKey)
	if !ok {
		return
	}
	ctx := db.Statement.Context
	for _, ph := range v.([]pending) {
		for f, plain := range ph.values { // give the caller its text back
			_ = db.AddError(f.Set(ctx, ph.row, plain))
		}
		if db.Error != nil || len(ph.values) == 0 {
			continue
		}
		id, zero := db.Statement.Schema.PrioritizedPrimaryField.ValueOf(ctx, ph.row)
		if zero {
			_ = db.AddError(errors.New("vault: a new row with sealed text has no id"))
			return
		}
		// One UPDATE per row, setting every sealed column at once.
		sets := make([]string, 0, len(ph.values))
		args := make([]any, 0, len(ph.values)+1)
		for f, plain := range ph.values {
			sealed, err := p.Keys.Seal(plain, AD(orgID, f.Tag.Get("sealed"), f.DBName, id))
			if err != nil {
				_ = db.AddError(err)
				return
			}
			sets = append(sets, db.Statement.Quote(f.DBName)+" = ?")
			args = append(args, sealed)
		}
		pk := db.Statement.Schema.PrioritizedPrimaryField.DBName
		args = append(args, id)
		err := db.Session(&gorm.Session{NewDB: true, SkipHooks: true}).Exec(
			fmt.Sprintf("UPDATE %s SET %s WHERE %s = ?", db.Statement.Quote(db.Statement.Table),
				strings.Join(sets, ", "), db.Statement.Quote(pk)), args...).Error
		_ = db.AddError(err)
	}
}

// restoreKey holds the plain text of a struct sealed for an UPDATE.
const restoreKey = "vault:restore"

func (p Plugin) sealOnUpdate(db *gorm.DB) {
	fields := sealedFields(db.Statement.Schema)
	if len(fields) == 0 || db.Error != nil {
		return
	}
	ctx := db.Statement.Context
	pkField := db.Statement.Schema.PrioritizedPrimaryField
	id, zero := pkField.ValueOf(ctx, reflect.Indirect(db.Statement.ReflectValue))
	switch dest := db.Statement.Dest.(type) {
	case map[string]any:
		for _, f := range fields {
			for _, key := range []string{f.DBName, f.Name} {
				raw, present := dest[key]
				if !present || reflect.ValueOf(raw).Kind() != reflect.String {
					continue
				}
				plain := text(raw)
				if plain == "" {
					continue // clearing needs no key, and may touch many rows at once
				}
				if zero {
					_ = db.AddError(errors.New("vault: sealed columns are updated one row at a time"))
					return
				}
				sealed, err := p.Keys.Seal(plain, AD(orgID, f.Tag.Get("sealed"), f.DBName, id))
				_ = db.AddError(err)
				dest[key] = sealed
			}
		}
	default:
		r := reflect.Indirect(reflect.ValueOf(db.Statement.Dest))
		if r.Kind() != reflect.Struct || r.Type() != db.Statement.Schema.ModelType {
			return
		}
		if rid, rzero := pkField.ValueOf(ctx, r); !rzero {
			id, zero = rid, false
		}
		pack(r)
		plain := map[*schema.Field]string{}
		for _, f := range fields {
			v, _ := f.ValueOf(ctx, r)
			s := text(v)
			if s == "" {
				continue
			}
			if zero {
				_ = db.AddError(errors.New("vault: sealed columns are updated one row at a time"))
				return
			}
			sealed, err := p.Keys.Seal(s, AD(orgID, f.Tag.Get("sealed"), f.DBName, id))
			if err != nil {
				_ = db.AddError(err)
				return
			}
			plain[f] = s
			_ = db.AddError(f.Set(ctx, r, sealed))
		}
		db.Statement.Settings.Store(restoreKey, pending{row: r, values: plain})
	}
}

func (p Plugin) restore(db *gorm.DB) {
	v, ok := db.Statement.Settings.LoadAndDelete(restoreKey)
	if !ok {
		return
	}
	ph := v.(pending)
	for f, plain := range ph.values {
		_ = db.AddError(f.Set(db.Statement.Context, ph.row, plain))
	}
}

// destSchema is the schema of the structs a query filled, which differs
// from the statement's when a model is scanned into a wider row type.
func destSchema(db *gorm.DB) *schema.Schema {
	s := db.Statement.Schema
	t := reflect.Indirect(db.Statement.ReflectValue).Type()
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || (s != nil && s.ModelType == t) {
		return s
	}
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(reflect.New(t).Interface()); err != nil {
		_ = db.AddError(err)
		return nil
	}
	return stmt.Schema
}

func (p Plugin) openAfterQuery(db *gorm.DB) {
	if db.Error != nil || !db.Statement.ReflectValue.IsValid() {
		return
	}
	sch := destSchema(db)
	fields := sealedFields(sch)
	if len(fields) == 0 || sch.PrioritizedPrimaryField == nil {
		return
	}
	ctx := db.Statement.Context
	pkField := sch.PrioritizedPrimaryField
	rows(db.Statement.ReflectValue, func(r reflect.Value) {
		id, _ := pkField.ValueOf(ctx, r)
		for _, f := range fields {
			v, _ := f.ValueOf(ctx, r)
			s := text(v)
			if s == "" {
				continue
			}
			plain, err := p.Keys.Open(s, AD(orgID, f.Tag.Get("sealed"), f.DBName, id))
			if err != nil {
				_ = db.AddError(fmt.Errorf("%s.%s of row %v: %w", f.Tag.Get("sealed"), f.DBName, id, err))
				return
			}
			_ = db.AddError(f.Set(ctx, r, plain))
		}
		unpack(r)
	})
}

// Rotate re-encrypts every sealed value that is not under the newest key,
// in batches, for the given models (pointers to structs). It can be stopped
// and run again: values already under the newest key are left alone.
func Rotate(ctx context.Context, db *gorm.DB, keys *KeyRing, models ...any) (int, error) {
	done := 0
	for _, m := range models {
		stmt := &gorm.Statement{DB: db}
		if err := stmt.Parse(m); err != nil {
			return done, err
		}
		pk := stmt.Schema.PrioritizedPrimaryField.DBName
		for _, f := range sealedFields(stmt.Schema) {
			table := f.Tag.Get("sealed")
			prefix := format + "." + keys.Newest() + ".%"
			for {
				var batch []struct {
					ID    uint
					Value string
				}
				err := db.WithContext(ctx).Table(table).Select(pk+" AS id, "+f.DBName+" AS value").
					Where(f.DBName+" <> '' AND "+f.DBName+" NOT LIKE ?", prefix).Order(pk).Limit(500).Scan(&batch).Error
				if err != nil || len(batch) == 0 {
					if err != nil {
						return done, err
					}
					break
				}
				err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
					for _, row := range batch {
						ad := AD(orgID, table, f.DBName, row.ID)
						plain, err := keys.Open(row.Value, ad)
						if err != nil {
							return fmt.Errorf("%s.%s of row %d: %w", table, f.DBName, row.ID, err)
						}
						sealed, err := keys.Seal(plain, ad)
						if err != nil {
							return err
						}
						if err := tx.Exec(fmt.Sprintf("UPDATE %s SET %s = ? WHERE %s = ?", table, f.DBName, pk), sealed, row.ID).Error; err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					return done, err
				}
				done += len(batch)
			}
		}
	}
	return done, nil
}

// KeysOf returns the key ring of the vault plugin db uses, if any.
func KeysOf(db *gorm.DB) (*KeyRing, bool) {
	p, ok := db.Config.Plugins[Plugin{}.Name()].(Plugin)
	return p.Keys, ok && p.Keys != nil
}

// SealFor seals plain for one column of one row, as the plugin does; for
// code that writes sealed columns by hand (migrations, bulk loads).
func (r *KeyRing) SealFor(table, column string, row any, plain string) (string, error) {
	return r.Seal(plain, AD(orgID, table, column, row))
}

// IsSealed reports whether a stored value is a ciphertext of the vault.
func IsSealed(value string) bool {
	return strings.HasPrefix(value, format+".") && KeyOf(value) != ""
}
