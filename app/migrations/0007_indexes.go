package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// indexes adds what EXPLAIN on the large organisation showed missing: the
// people list in name order, and one-on-ones by date for the reports.
func indexes() *gormigrate.Migration {
	stmts := []string{
		"CREATE INDEX IF NOT EXISTS idx_people_name_id ON people (name, id)",
		"CREATE INDEX IF NOT EXISTS idx_one_on_ones_starts_at ON one_on_ones (starts_at)",
	}
	return &gormigrate.Migration{
		ID: "0007_indexes",
		Migrate: func(tx *gorm.DB) error {
			for _, s := range stmts {
				if err := tx.Exec(s).Error; err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for _, name := range []string{"idx_one_on_ones_starts_at", "idx_people_name_id"} {
				if err := tx.Exec("DROP INDEX IF EXISTS " + name).Error; err != nil {
					return err
				}
			}
			return nil
		},
	}
}
