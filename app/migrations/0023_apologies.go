package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// apologies adds a member's apologies for a meeting, one per person and
// meeting, with a sealed reason for the mentor.
func apologies() *gormigrate.Migration {
	type person struct{ ID uint }
	type meeting struct{ ID uint }
	type apology struct {
		ID        uint    `gorm:"primaryKey"`
		MeetingID uint    `gorm:"not null;uniqueIndex:apologies_meeting_person"`
		Meeting   meeting `gorm:"constraint:OnDelete:CASCADE"`
		PersonID  uint    `gorm:"not null;uniqueIndex:apologies_meeting_person;index"`
		Person    person  `gorm:"constraint:OnDelete:CASCADE"`
		Reason    string  `gorm:"type:text;not null;default:''"`
		CreatedAt time.Time
	}
	return &gormigrate.Migration{
		ID: "0023_apologies",
		Migrate: func(tx *gorm.DB) error {
			return tx.AutoMigrate(&apology{})
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable("apologies")
		},
	}
}
