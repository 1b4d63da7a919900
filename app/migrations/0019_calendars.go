package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// calendars lets a blackout period recur every year and an organisation
// have Liberation Day off every five years (a lustrum) besides every year
// or never.
func calendars() *gormigrate.Migration {
	type blackout struct {
		Yearly bool `gorm:"not null;default:false"`
	}
	type organisation struct {
		LiberationLustrum bool `gorm:"not null;default:false"`
	}
	return &gormigrate.Migration{
		ID: "0019_calendars",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().AddColumn(&blackout{}, "Yearly"); err != nil {
				return err
			}
			return tx.Migrator().AddColumn(&organisation{}, "LiberationLustrum")
		},
		Rollback: func(tx *gorm.DB) error {
			if err := tx.Migrator().DropColumn(&blackout{}, "Yearly"); err != nil {
				return err
			}
			return tx.Migrator().DropColumn(&organisation{}, "LiberationLustrum")
		},
	}
}
