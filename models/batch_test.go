package models_test

import (
	"context"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestBatchRows: on SQLite a batch binds at most about a thousand
// parameters; on PostgreSQL it is the size asked for.
func TestBatchRows(t *testing.T) {
	db := apptest.DB(t)
	got := models.BatchRows(db, &models.Meeting{}, 1000)
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(&models.Meeting{}); err != nil {
		t.Fatal(err)
	}
	cols := len(stmt.Schema.DBNames)
	if apptest.Postgres() {
		if got != 1000 {
			t.Fatalf("PostgreSQL: %d rows a batch, want 1000", got)
		}
		return
	}
	if got < 1 || got*cols > 1000 || (got+1)*cols <= 1000 {
		t.Fatalf("SQLite: %d rows of %d columns a batch, want the most that fit in 1,000 parameters", got, cols)
	}
	if n := models.BatchRows(db, &[]models.Attendance{}, 5); n != 5 {
		t.Fatalf("a batch smaller than the limit: %d rows, want 5", n)
	}
}

// TestPlanProgrammeSeriesOverAThousandMeetings plans a programme of 120
// groups in one transaction: over a thousand meetings, more parameters
// than SQLite takes in one statement when they are inserted at once.
func TestPlanProgrammeSeriesOverAThousandMeetings(t *testing.T) {
	db := apptest.DB(t)
	org := models.Organisation{ID: models.OrganisationID, Name: "Batch", TimeZone: "Europe/Amsterdam", DefaultLanguage: "nl"}
	prog := models.Programme{Name: "Cohort", StartsOn: models.NewDate(2027, 1, 4), EndsOn: models.NewDate(2028, 1, 4),
		CadenceWeeks: 6, Status: models.ProgrammeRunning}
	if err := db.Create(&org).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&prog).Error; err != nil {
		t.Fatal(err)
	}
	const n = 120
	people := make([]models.Person, n)
	for i := range people {
		people[i] = models.Person{Name: fmt.Sprintf("Mentor %d", i), Email: fmt.Sprintf("m%d@batch.test", i), Language: "nl"}
	}
	if err := db.CreateInBatches(people, models.BatchRows(db, &people, 500)).Error; err != nil {
		t.Fatal(err)
	}
	groups := make([]models.MentorGroup, n)
	for i := range groups {
		groups[i] = models.MentorGroup{ProgrammeID: prog.ID, MentorID: people[i].ID, Name: fmt.Sprintf("Groep %d", i), Status: models.GroupActive}
	}
	if err := db.CreateInBatches(groups, models.BatchRows(db, &groups, 500)).Error; err != nil {
		t.Fatal(err)
	}
	in := models.SeriesInput{FirstOn: "2027-01-11", StartTime: "14:00", CadenceWeeks: 6, DurationMin: 120, Policy: "shift", WorkVisits: "3"}
	res, err := models.PlanProgrammeSeries(context.Background(), db, models.Viewer{PersonID: people[0].ID, Admin: true}, prog.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	var stored int64
	if err := db.Model(&models.Meeting{}).Count(&stored).Error; err != nil {
		t.Fatal(err)
	}
	if res.Groups != n || res.Meetings <= 1000 || stored != int64(res.Meetings) {
		t.Fatalf("planned %+v, stored %d meetings; want %d groups and over 1,000 meetings, all stored", res, stored, n)
	}
}
