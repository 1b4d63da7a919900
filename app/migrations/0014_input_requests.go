package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"crossmentor/models"
)

// inputRequests adds the mentee's requests for input from their mentor
// (the handbook's one exception): who asked whom for whom, the state, and
// the sealed purpose, draft, comment and approved copy.
func inputRequests() *gormigrate.Migration {
	type person struct{ ID uint }
	type mentorGroup struct{ ID uint }
	type inputRequest struct {
		ID              uint        `gorm:"primaryKey"`
		GroupID         uint        `gorm:"not null;index"`
		Group           mentorGroup `gorm:"constraint:OnDelete:CASCADE"`
		MenteeID        uint        `gorm:"not null;index"`
		Mentee          person      `gorm:"constraint:OnDelete:CASCADE"`
		MentorID        uint        `gorm:"not null;index"`
		Mentor          person      `gorm:"constraint:OnDelete:CASCADE"`
		RecipientID     uint        `gorm:"not null;index"`
		Recipient       person      `gorm:"constraint:OnDelete:CASCADE"`
		Purpose         string      `gorm:"type:text;not null"`
		Until           models.Date `gorm:"not null"`
		Status          string      `gorm:"size:20;not null;index"`
		Draft           string      `gorm:"type:text;not null;default:''"`
		Version         int         `gorm:"not null;default:0"`
		Comment         string      `gorm:"type:text;not null;default:''"`
		SharedText      string      `gorm:"type:text;not null;default:''"`
		ApprovedVersion int         `gorm:"not null;default:0"`
		ApprovedAt      *time.Time
		EndedAt         *time.Time
		CreatedAt       time.Time
		UpdatedAt       time.Time
	}
	return &gormigrate.Migration{
		ID: "0014_input_requests",
		Migrate: func(tx *gorm.DB) error {
			return tx.AutoMigrate(&inputRequest{})
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable("input_requests")
		},
	}
}
