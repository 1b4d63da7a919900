package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// benchGroups fills a database with n groups, each with its own mentor,
// in one programme.
func benchGroups(b *testing.B, db *gorm.DB, n int) []models.MentorGroup {
	b.Helper()
	org := models.Organisation{ID: models.OrganisationID, Name: "Bench", TimeZone: "Europe/Amsterdam", DefaultLanguage: "nl"}
	prog := models.Programme{Name: "Cohort", StartsOn: models.NewDate(2027, 1, 4), EndsOn: models.NewDate(2028, 1, 4),
		CadenceWeeks: 6, Status: models.ProgrammeRunning}
	people := make([]models.Person, n)
	for i := range people {
		people[i] = models.Person{Name: fmt.Sprintf("Mentor %d", i), Email: fmt.Sprintf("m%d@bench.test", i), Language: "nl"}
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&org).Error; err != nil {
			return err
		}
		if err := tx.Create(&prog).Error; err != nil {
			return err
		}
		return tx.CreateInBatches(people, 500).Error
	})
	if err != nil {
		b.Fatal(err)
	}
	groups := make([]models.MentorGroup, n)
	for i := range groups {
		groups[i] = models.MentorGroup{ProgrammeID: prog.ID, MentorID: people[i].ID, Name: fmt.Sprintf("Groep %d", i), Status: models.GroupActive}
	}
	if err := db.CreateInBatches(groups, 500).Error; err != nil {
		b.Fatal(err)
	}
	return groups
}

// BenchmarkSaveSeries2000 plans and saves the year's series of 2,000
// groups, each through the mentor's own SaveSeries (one transaction each).
// Run on PostgreSQL with TEST_DATABASE_URL.
func BenchmarkSaveSeries2000(b *testing.B) {
	db := apptest.DB(b)
	groups := benchGroups(b, db, 2000)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	in := models.SeriesInput{FirstOn: "2027-01-11", StartTime: "14:00", CadenceWeeks: 6, DurationMin: 120, Policy: "shift", WorkVisits: "3"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if err := db.Exec("DELETE FROM meetings").Error; err != nil {
			b.Fatal(err)
		}
		if err := db.Exec("DELETE FROM group_series").Error; err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, g := range groups {
			if _, err := models.SaveSeries(ctx, db, models.Viewer{PersonID: g.MentorID, Mentor: true}, g.ID, in, now); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	var n int64
	db.Model(&models.Meeting{}).Count(&n)
	if n < int64(len(groups))*8 {
		b.Fatalf("only %d meetings saved", n)
	}
	b.ReportMetric(float64(n)/float64(len(groups)), "meetings/group")
}

// BenchmarkPlanProgrammeSeries2000 plans one series for all 2,000 groups
// of a programme in one transaction, as L&D does when starting a cohort.
func BenchmarkPlanProgrammeSeries2000(b *testing.B) { benchPlanProgramme(b, 2000) }

// benchPlanProgramme plans one series for the n groups of a programme in
// one transaction, each iteration on an empty calendar.
func benchPlanProgramme(b *testing.B, n int) {
	db := apptest.DB(b)
	groups := benchGroups(b, db, n)
	ctx := context.Background()
	in := models.SeriesInput{FirstOn: "2027-01-11", StartTime: "14:00", CadenceWeeks: 6, DurationMin: 120, Policy: "shift", WorkVisits: "3"}
	admin := models.Viewer{PersonID: groups[0].MentorID, Admin: true}
	var res models.ProgrammeSeriesResult
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for _, table := range []string{"meetings", "group_series", "notices", "mail_deliveries"} {
			if err := db.Exec("DELETE FROM " + table).Error; err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		var err error
		if res, err = models.PlanProgrammeSeries(ctx, db, admin, groups[0].ProgrammeID, in); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if res.Groups != len(groups) || res.Meetings < len(groups)*8 {
		b.Fatalf("planned %+v", res)
	}
	b.ReportMetric(float64(res.Meetings), "meetings")
}
