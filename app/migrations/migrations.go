// Package migrations holds the versioned schema steps, one file per step.
// A step uses frozen copies of the structs as they were when it was written,
// so later changes to models never change what an old step does.
package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// All returns every step in order.
func All() []*gormigrate.Migration {
	return []*gormigrate.Migration{
		foundation(),
		meetings(),
		confidentiality(),
		calendar(),
		mail(),
		programmeTooling(),
		indexes(),
		reminderSettings(),
		tenures(),
		accounts(),
		reliability(),
		sealed(),
		publishedFigures(),
		inputRequests(),
		meetingRuns(),
		notices(),
		installation(),
		lifecycle(),
		calendars(),
		seriesInvitations(),
		oneOnOneRequests(),
		apologies(),
		intakeAppointments(),
		firstMeetingRecord(),
		neutralNoticeKinds(),
		participationRollups(),
		noticeSubjectIndex(),
		meetingRollupPerStatement(),
	}
}

// New returns a migrator for db.
func New(db *gorm.DB) *gormigrate.Gormigrate {
	return gormigrate.New(db, &gormigrate.Options{TableName: "schema_migrations", IDColumnName: "id",
		IDColumnSize: 64, UseTransaction: false}, All())
}

// Pending returns the ids of steps not yet applied.
func Pending(db *gorm.DB) ([]string, error) {
	applied := map[string]bool{}
	if db.Migrator().HasTable("schema_migrations") {
		var ids []string
		if err := db.Table("schema_migrations").Pluck("id", &ids).Error; err != nil {
			return nil, err
		}
		for _, id := range ids {
			applied[id] = true
		}
	}
	var pending []string
	for _, m := range All() {
		if !applied[m.ID] {
			pending = append(pending, m.ID)
		}
	}
	return pending, nil
}
