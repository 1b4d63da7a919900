package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// meetingRuns adds the live state of a meeting being run: the block of the
// agenda that is on, the timestamps its clock is computed from, and the
// meeting's real start and end.
func meetingRuns() *gormigrate.Migration {
	type meeting struct{ ID uint }
	type meetingRun struct {
		MeetingID uint    `gorm:"primaryKey;autoIncrement:false"`
		Meeting   meeting `gorm:"constraint:OnDelete:CASCADE"` // a run goes when its meeting goes
		Phase     int     `gorm:"not null;default:0"`
		StartedAt *time.Time
		ResumedAt *time.Time
		Elapsed   int `gorm:"not null;default:0"`
		Extra     int `gorm:"not null;default:0"`
		EndedAt   *time.Time
		Version   int `gorm:"not null;default:0"`
		UpdatedAt time.Time
	}
	return &gormigrate.Migration{
		ID: "0015_meeting_runs",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().CreateTable(&meetingRun{})
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable(&meetingRun{})
		},
	}
}
