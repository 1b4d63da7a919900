package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// calendar adds private calendar feeds and the SEQUENCE of meetings and
// one-on-ones, bumped on every change a calendar must follow.
func calendar() *gormigrate.Migration {
	type person struct{ ID uint }
	type meeting struct {
		ID       uint `gorm:"primaryKey"`
		Sequence int  `gorm:"not null;default:0"`
	}
	type oneOnOne struct {
		ID       uint `gorm:"primaryKey"`
		Sequence int  `gorm:"not null;default:0"`
	}
	type calendarFeed struct {
		ID        uint   `gorm:"primaryKey"`
		PersonID  uint   `gorm:"not null;uniqueIndex"`
		Person    person `gorm:"constraint:OnDelete:CASCADE"`
		TokenHash string `gorm:"size:64;not null;uniqueIndex"`
		Token     string `gorm:"type:text;not null"`
		CreatedAt time.Time
	}
	return &gormigrate.Migration{
		ID: "0004_calendar",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().AddColumn(&meeting{}, "Sequence"); err != nil {
				return err
			}
			if err := tx.Migrator().AddColumn(&oneOnOne{}, "Sequence"); err != nil {
				return err
			}
			return tx.AutoMigrate(&calendarFeed{})
		},
		Rollback: func(tx *gorm.DB) error {
			if err := tx.Migrator().DropTable("calendar_feeds"); err != nil {
				return err
			}
			if err := tx.Migrator().DropColumn(&oneOnOne{}, "Sequence"); err != nil {
				return err
			}
			return tx.Migrator().DropColumn(&meeting{}, "Sequence")
		},
	}
}
