package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// reminderSettings lets an organisation switch reminder kinds off for
// everyone; each person can still switch off more for themselves.
func reminderSettings() *gormigrate.Migration {
	type organisation struct {
		ID           uint   `gorm:"primaryKey"`
		RemindersOff string `gorm:"size:300;not null;default:''"`
	}
	return &gormigrate.Migration{
		ID: "0008_reminder_settings",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().AddColumn(&organisation{}, "RemindersOff")
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropColumn(&organisation{}, "RemindersOff")
		},
	}
}
