package migrations

import (
	"errors"
	"fmt"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"crossmentor/app/vault"
)

// sealedColumns are the columns this step starts sealing, with their table.
var sealedColumns = []struct{ table, column string }{
	{"action_items", "text"},
	{"memberships", "status_reason"},
	{"memberships", "discipline_exception"},
	{"meetings", "status_reason"},
	{"meetings", "agenda"},
	{"meetings", "purpose"},
	{"meetings", "preparation"},
	{"meetings", "practical"},
	{"meetings", "topic"},
	{"consents", "wording"},
	{"intakes", "kind"},
	{"intakes", "outcome"},
	{"intakes", "assessment"},
	{"one_on_ones", "theme"},
	{"one_on_ones", "flags"},
	{"applications", "themes"},
	{"import_runs", "content"},
}

// sealed seals the confidential values that were still stored as plain
// text (action items, status and cancel reasons, agendas, consent wording,
// intake assessments, one-on-one themes and urgency, application themes,
// uploaded files), adds the key canaries' table and an import run's
// progress, and drops uploaded files older than a day. Yes/no answers move into one sealed text column each.
func sealed() *gormigrate.Migration {
	type vaultCanary struct {
		KeyID     string `gorm:"primaryKey;size:64"`
		Sealed    string `gorm:"type:text;not null"`
		RetiredAt *time.Time
		CreatedAt time.Time
	}
	type intake struct {
		Assessment string `gorm:"type:text;not null;default:''"`
	}
	type oneOnOne struct {
		Flags string `gorm:"type:text;not null;default:''"`
	}
	type importRun struct {
		Done int `gorm:"not null;default:0"`
	}
	return &gormigrate.Migration{
		ID: "0012_sealed",
		Migrate: func(tx *gorm.DB) error {
			keys, ok := vault.KeysOf(tx)
			if !ok {
				return errors.New("0012_sealed seals existing text and needs the key ring")
			}
			if err := tx.Table("vault_canaries").AutoMigrate(&vaultCanary{}); err != nil {
				return err
			}
			if err := tx.Table("intakes").Migrator().AddColumn(&intake{}, "Assessment"); err != nil {
				return err
			}
			if err := tx.Table("one_on_ones").Migrator().AddColumn(&oneOnOne{}, "Flags"); err != nil {
				return err
			}
			if err := tx.Table("import_runs").Migrator().AddColumn(&importRun{}, "Done"); err != nil {
				return err
			}
			if tx.Dialector.Name() == "postgres" {
				for _, c := range sealedColumns {
					// #nosec G201 -- names from sealedColumns
					if err := tx.Exec(fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE text", c.table, c.column)).Error; err != nil {
						return err
					}
				}
			}
			packed := []string{
				`UPDATE intakes SET assessment = COALESCE(NULLIF(RTRIM(
					(CASE WHEN click THEN 'click,' ELSE '' END) || (CASE WHEN learnable THEN 'learnable,' ELSE '' END) ||
					(CASE WHEN has_goal THEN 'has_goal,' ELSE '' END) || (CASE WHEN can_reflect THEN 'can_reflect' ELSE '' END), ','), ''), 'none')`,
				`UPDATE one_on_ones SET flags = CASE WHEN urgent THEN 'urgent' ELSE 'normal' END`,
				`UPDATE import_runs SET content = '' WHERE created_at < ` + dayAgo(tx),
			}
			for _, q := range packed {
				if err := tx.Exec(q).Error; err != nil {
					return fmt.Errorf("0012 pack: %w", err)
				}
			}
			for _, col := range []string{"click", "learnable", "has_goal", "can_reflect"} {
				if err := tx.Exec("ALTER TABLE intakes DROP COLUMN " + col).Error; err != nil {
					return fmt.Errorf("0012 drop %s: %w", col, err)
				}
			}
			if err := tx.Exec("ALTER TABLE one_on_ones DROP COLUMN urgent").Error; err != nil {
				return err
			}
			for _, c := range sealedColumns {
				if err := sealColumn(tx, keys, c.table, c.column); err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(*gorm.DB) error {
			return errors.New("0012_sealed cannot be undone: the values it sealed stay sealed")
		},
	}
}

// dayAgo is SQL for "24 hours ago" in the database's own dialect.
func dayAgo(tx *gorm.DB) string {
	if tx.Dialector.Name() == "postgres" {
		return "now() - interval '24 hours'"
	}
	return "datetime('now', '-1 day')"
}

// sealColumn seals every plain value of one column, a batch at a time.
func sealColumn(tx *gorm.DB, keys *vault.KeyRing, table, column string) error {
	last := uint(0)
	for {
		var batch []struct {
			ID    uint
			Value string
		}
		err := tx.Table(table).Select("id, "+column+" AS value").
			Where("id > ? AND "+column+" <> ''", last).Order("id").Limit(1000).Scan(&batch).Error
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, row := range batch {
			last = row.ID
			if vault.IsSealed(row.Value) {
				continue
			}
			value, err := keys.SealFor(table, column, row.ID, row.Value)
			if err != nil {
				return err
			}
			// #nosec G201 -- table and column come from sealedColumns, not from input
			if err := tx.Exec(fmt.Sprintf("UPDATE %s SET %s = ? WHERE id = ?", table, column), value, row.ID).Error; err != nil {
				return fmt.Errorf("seal %s.%s: %w", table, column, err)
			}
		}
	}
}
