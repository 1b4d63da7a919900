package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// oneOnOneRequests adds a mentee's requests for a one-on-one: up to three
// proposed times, the mentor's counter-proposal, the state, the one-on-one
// it became, and the sealed theme, message and urgency.
func oneOnOneRequests() *gormigrate.Migration {
	type person struct{ ID uint }
	type mentorGroup struct{ ID uint }
	type oneOnOne struct{ ID uint }
	type oneOnOneRequest struct {
		ID          uint        `gorm:"primaryKey"`
		GroupID     uint        `gorm:"not null;index"`
		Group       mentorGroup `gorm:"constraint:OnDelete:CASCADE"`
		MenteeID    uint        `gorm:"not null;index"`
		Mentee      person      `gorm:"constraint:OnDelete:CASCADE"`
		Status      string      `gorm:"size:20;not null"`
		Option1     *time.Time
		Option2     *time.Time
		Option3     *time.Time
		DurationMin int `gorm:"not null;default:60"`
		CounterAt   *time.Time
		Flags       string    `gorm:"type:text;not null;default:''"`
		Theme       string    `gorm:"type:text;not null;default:''"`
		Message     string    `gorm:"type:text;not null;default:''"`
		OneOnOneID  *uint     `gorm:"index"`
		OneOnOne    *oneOnOne `gorm:"constraint:OnDelete:SET NULL"`
		CreatedAt   time.Time
		UpdatedAt   time.Time
	}
	return &gormigrate.Migration{
		ID: "0022_oneonone_requests",
		Migrate: func(tx *gorm.DB) error {
			return tx.AutoMigrate(&oneOnOneRequest{})
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable("one_on_one_requests")
		},
	}
}
