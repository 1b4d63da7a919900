package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// firstMeetingRecord lets the first meeting record what the group agreed:
// its preferred working form (part 3) and the working agreements of part 5
// (frequency, duration, work visits and other agreements), and links a
// learning goal written there to the goal it became.
func firstMeetingRecord() *gormigrate.Migration {
	type meeting struct {
		WorkingForm        string `gorm:"type:text;not null;default:''"`
		AgreedCadenceWeeks int    `gorm:"not null;default:0"`
		AgreedDurationMin  int    `gorm:"not null;default:0"`
		AgreedVisits       string `gorm:"type:text;not null;default:''"`
		Agreements         string `gorm:"type:text;not null;default:''"`
	}
	type firstMeetingEntry struct {
		GoalID *uint
	}
	cols := []string{"WorkingForm", "AgreedCadenceWeeks", "AgreedDurationMin", "AgreedVisits", "Agreements"}
	return &gormigrate.Migration{
		ID: "0025_first_meeting_record",
		Migrate: func(tx *gorm.DB) error {
			for _, c := range cols {
				if err := tx.Migrator().AddColumn(&meeting{}, c); err != nil {
					return err
				}
			}
			return tx.Migrator().AddColumn(&firstMeetingEntry{}, "GoalID")
		},
		Rollback: func(tx *gorm.DB) error {
			for _, c := range cols {
				if err := tx.Migrator().DropColumn(&meeting{}, c); err != nil {
					return err
				}
			}
			return tx.Migrator().DropColumn(&firstMeetingEntry{}, "GoalID")
		},
	}
}
