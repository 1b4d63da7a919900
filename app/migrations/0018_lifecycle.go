package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"crossmentor/models"
)

// lifecycle adds the history of memberships and groups: every status a
// membership had (and changes dated ahead, waiting for their day), and
// every status change of a group with what caused it. Existing memberships
// start their history with the status they have.
func lifecycle() *gormigrate.Migration {
	type membership struct{ ID uint }
	type mentorGroup struct{ ID uint }
	type membershipStatusChange struct {
		ID           uint        `gorm:"primaryKey"`
		MembershipID uint        `gorm:"not null;index"`
		Membership   membership  `gorm:"constraint:OnDelete:CASCADE"`
		Status       string      `gorm:"size:20;not null"`
		Since        models.Date `gorm:"not null"`
		Reason       string      `gorm:"type:text;not null;default:''"`
		ByID         uint        `gorm:"not null;default:0"`
		AppliedAt    *time.Time  `gorm:"index"`
		CancelledAt  *time.Time
		CreatedAt    time.Time
	}
	type groupStatusChange struct {
		ID         uint        `gorm:"primaryKey"`
		GroupID    uint        `gorm:"not null;index"`
		Group      mentorGroup `gorm:"constraint:OnDelete:CASCADE"`
		FromStatus string      `gorm:"size:20;not null"`
		ToStatus   string      `gorm:"size:20;not null"`
		Cause      string      `gorm:"size:30;not null"`
		ByID       uint        `gorm:"not null;default:0"`
		At         time.Time   `gorm:"not null"`
	}
	return &gormigrate.Migration{
		ID: "0018_lifecycle",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.AutoMigrate(&membershipStatusChange{}, &groupStatusChange{}); err != nil {
				return err
			}
			return tx.Exec(`INSERT INTO membership_status_changes (membership_id, status, since, reason, by_id, applied_at, created_at)
				SELECT id, status, status_since, '', 0, updated_at, updated_at FROM memberships`).Error
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable("group_status_changes", "membership_status_changes")
		},
	}
}
