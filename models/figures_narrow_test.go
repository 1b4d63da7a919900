package models_test

import (
	"context"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestReportReadsOnlyItsPeriod: once every period is decided, the report
// and the dashboard read only the cells they show; each figure they show
// equals the one published over all periods (SQLite, or PostgreSQL with
// TEST_DATABASE_URL).
func TestReportReadsOnlyItsPeriod(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	var admin models.Person
	if err := db.Where("email = ?", "admin@demo.test").First(&admin).Error; err != nil {
		t.Fatal(err)
	}
	v := models.Viewer{PersonID: admin.ID, Admin: true}
	today := models.DateOf(time.Now())
	all, err := models.PublishedFigures(ctx, db, today) // counts and decides every period
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Periods) == 0 {
		t.Fatal("no published period in the demo")
	}
	cols := func(r models.ReportRow) map[string]models.Cell {
		return map[string]models.Cell{models.FigParticipants: r.Participants, models.FigGroups: r.Groups,
			models.FigMeetingsHeld: r.MeetingsHeld, models.FigAttendance: r.AttendanceRate, models.FigOneOnOnes: r.OneOnOnesHeld}
	}
	shown := 0
	for _, p := range all.Periods {
		for _, by := range []string{models.ByProgramme, models.ByDepartment} {
			r, err := models.Participation(ctx, db, v, models.ReportFilter{By: by, Period: p.String()}, today)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range append(r.Rows, r.Total) {
				rowBy := by
				if row.Total {
					rowBy = ""
				}
				for col, c := range cols(row) {
					want := all.Cell(col, rowBy, row.Name, p)
					if c.Value != want.Value || c.Suppressed != want.Suppressed || c.Band != want.Band || models.CellPeople(c) != models.CellPeople(want) {
						t.Errorf("%s by %s, %q %s: %+v, over all periods %+v", p, by, row.Name, col, c, want)
					}
					if !c.Suppressed {
						shown++
					}
				}
			}
		}
	}
	if shown == 0 {
		t.Fatal("every figure of the demo is hidden: nothing compared")
	}
	d, err := models.BuildDashboard(ctx, db, v, models.DashboardFilter{}, today)
	if err != nil {
		t.Fatal(err)
	}
	// A manager may choose the programmes that had enough participants in
	// one period, and only those.
	var manager models.Person
	if err := db.Where("email = ?", "manager@demo.test").First(&manager).Error; err != nil {
		t.Fatal(err)
	}
	md, err := models.BuildDashboard(ctx, db, models.Viewer{PersonID: manager.ID, Manager: true}, models.DashboardFilter{}, today)
	if err != nil {
		t.Fatal(err)
	}
	chosen := map[string]bool{}
	for _, p := range md.Programmes {
		chosen[p.Name] = true
	}
	for _, p := range d.Programmes {
		large := false
		for _, period := range all.Periods {
			large = large || models.CellPeople(all.Cell(models.FigParticipants, models.ByProgramme, p.Name, period)) >= models.MinAggregatePeople
		}
		if chosen[p.Name] != large {
			t.Errorf("programme %q: the manager may choose it %v, had enough participants %v", p.Name, chosen[p.Name], large)
		}
	}
	for _, ch := range d.Charts {
		for _, s := range ch.Series {
			for i, pt := range s.Points {
				col := map[string]string{"participants": models.FigParticipants, "rate": models.FigAttendance,
					"planned": models.FigMeetingsPlanned, "held": models.FigMeetingsHeld}[s.Key]
				if ch.Key == "one_on_ones" {
					col = models.FigOneOnOnes
				}
				m := d.Months[i]
				want := all.Cell(col, "", "", models.MonthPeriod(m.Year(), m.Month()))
				if pt.Value != want.Value || pt.Suppressed != want.Suppressed {
					t.Errorf("dashboard %s/%s %s: %+v, over all periods %+v", ch.Key, s.Key, m, pt, want)
				}
			}
		}
	}
}

// TestLifecyclePublishesClosedMonths: the hourly lifecycle pass counts and
// decides every period that has closed, so no page view has to; a second
// pass changes nothing.
func TestLifecyclePublishesClosedMonths(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	decided := func() int64 {
		var n int64
		if err := db.Model(&models.FigureCell{}).Where("decided").Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := decided(); n != 0 {
		t.Fatalf("%d figures decided before any view or pass", n)
	}
	now := time.Now()
	if _, err := models.RunLifecycle(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	first := decided()
	if first == 0 {
		t.Fatal("the lifecycle pass published nothing")
	}
	all, err := models.PublishedFigures(ctx, db, models.DateOf(now))
	if err != nil {
		t.Fatal(err)
	}
	var periods []string
	if err := db.Model(&models.FigureCell{}).Distinct("period").Where("decided").Pluck("period", &periods).Error; err != nil {
		t.Fatal(err)
	}
	if len(periods) != len(all.Periods) {
		t.Errorf("%d periods decided by the pass, %d published", len(periods), len(all.Periods))
	}
	if _, err := models.RunLifecycle(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	if n := decided(); n != first {
		t.Errorf("a second pass changed the decided figures: %d, then %d", first, n)
	}
}
