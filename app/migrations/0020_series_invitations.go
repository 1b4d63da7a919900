package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// seriesInvitations lets a group's series reach calendars as one recurring
// event: the series has its own calendar UID and SEQUENCE, and each of its
// meetings names the series and the weekly instance of the rule it stands
// in for (RECURRENCE-ID). Series planned before this step keep an empty
// UID: their meetings are already in calendars under their own UIDs and
// stay there.
func seriesInvitations() *gormigrate.Migration {
	type groupSeries struct {
		UID      string `gorm:"column:uid;size:80;not null;default:''"`
		Sequence int    `gorm:"not null;default:0"`
	}
	type meeting struct {
		SeriesUID    string `gorm:"column:series_uid;size:80;not null;default:''"`
		RecurrenceAt *time.Time
	}
	gs := func(tx *gorm.DB) gorm.Migrator { return tx.Table("group_series").Migrator() }
	ms := func(tx *gorm.DB) gorm.Migrator { return tx.Table("meetings").Migrator() }
	return &gormigrate.Migration{
		ID: "0020_series_invitations",
		Migrate: func(tx *gorm.DB) error {
			for _, c := range []string{"UID", "Sequence"} {
				if err := gs(tx).AddColumn(&groupSeries{}, c); err != nil {
					return err
				}
			}
			for _, c := range []string{"SeriesUID", "RecurrenceAt"} {
				if err := ms(tx).AddColumn(&meeting{}, c); err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			for _, c := range []string{"UID", "Sequence"} {
				if err := gs(tx).DropColumn(&groupSeries{}, c); err != nil {
					return err
				}
			}
			for _, c := range []string{"SeriesUID", "RecurrenceAt"} {
				if err := ms(tx).DropColumn(&meeting{}, c); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
