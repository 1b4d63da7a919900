package models_test

import (
	"context"
	"testing"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// BenchmarkPlanProgrammeSeries3000 plans one series for the 3,000 groups
// of a programme in one transaction, the size of the large organisation's
// cohort; on the embedded database by default (TEST_DATABASE_URL for
// PostgreSQL), where a statement's parameters are bound in time quadratic
// in their number.
func BenchmarkPlanProgrammeSeries3000(b *testing.B) {
	db := apptest.DB(b)
	groups := benchGroups(b, db, 3000)
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
