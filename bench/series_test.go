package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"crossmentor/app"
	"crossmentor/models"
)

// BenchmarkSeriesPlanning3000 plans and saves the series of 3,000 groups
// of one programme in one transaction; the floor is the planner alone.
func BenchmarkSeriesPlanning3000(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	start := app.LargeToday().AddMonths(2)
	prog := models.Programme{Name: "Planning benchmark", StartsOn: start, EndsOn: start.AddMonths(12), CadenceWeeks: 6, Status: models.ProgrammePlanned}
	if err := e.db.Where("name = ?", prog.Name).FirstOrCreate(&prog).Error; err != nil {
		b.Fatal(err)
	}
	var n int64
	e.db.Model(&models.MentorGroup{}).Where("programme_id = ?", prog.ID).Count(&n)
	if n == 0 {
		groups := make([]models.MentorGroup, 3000)
		for i := range groups {
			groups[i] = models.MentorGroup{ProgrammeID: prog.ID, MentorID: uint(100 + i), Name: fmt.Sprintf("Plan %04d", i), Status: models.GroupForming}
		}
		if err := e.db.Omit("Programme", "Mentor").CreateInBatches(groups, 1000).Error; err != nil {
			b.Fatal(err)
		}
	}
	in := models.SeriesInput{FirstOn: start.String(), StartTime: "14:00", DurationMin: 120, CadenceWeeks: 6, Policy: string(models.PolicyShift)}
	zone, _ := time.LoadLocation("Europe/Amsterdam")
	// Each run starts from the same state: without the earlier run's
	// meetings, notices and mails, and (on PostgreSQL) with their dead rows
	// vacuumed, as autovacuum would between two real plannings.
	clear := func() {
		ofGroups := "IN (SELECT id FROM mentor_groups WHERE programme_id = ?)"
		for _, s := range []string{"DELETE FROM meetings WHERE group_id " + ofGroups,
			"DELETE FROM group_series WHERE group_id " + ofGroups,
			"DELETE FROM notices WHERE subject_type = 'group' AND subject_id " + ofGroups,
			"DELETE FROM mail_deliveries WHERE subject_type = 'group' AND subject_id " + ofGroups} {
			if err := e.db.Exec(s, prog.ID).Error; err != nil {
				b.Fatal(err)
			}
		}
		if e.sqliteDir == "" {
			if err := e.db.Exec("VACUUM ANALYZE meetings, group_months, group_series, notices, mail_deliveries").Error; err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		clear()
		b.StartTimer()
		t0 := time.Now()
		res, err := models.PlanProgrammeSeries(ctx, e.db, e.admin, prog.ID, in)
		elapsed := time.Since(t0)
		if err != nil || res.Groups != 3000 {
			b.Fatalf("%+v %v", res, err)
		}
		f0 := time.Now()
		for g := 0; g < 3000; g++ {
			if _, err := models.PlanSeries(models.SeriesParams{From: start, Until: start.AddMonths(12), Weekday: start.Weekday(),
				StartTime: "14:00", DurationMin: 120, CadenceWeeks: 6, Zone: zone, Policy: models.PolicyShift}); err != nil {
				b.Fatal(err)
			}
		}
		target := 1.0
		if e.sqliteDir != "" {
			target = 3 // the embedded database's target
		}
		result(b, "series planning and saving for 3,000 groups", "s", elapsed.Seconds(), time.Since(f0).Seconds(), target, true)
	}
	b.StopTimer()
	clear()
}
