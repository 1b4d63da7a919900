package models_test

import (
	"testing"
	"time"

	"crossmentor/models"
)

// TestMentorTimeMonths: a mentor's own hours per month match the month
// sums, months outside the window count nothing, L&D's months × mentors
// table holds the same figures, and only mentors (resp. L&D) see them.
func TestMentorTimeMonths(t *testing.T) {
	f := newLifeFixture(t)
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	from := time.Date(2026, 9, 1, 0, 0, 0, 0, ams)
	mine, err := models.MyMentorTime(f.ctx, f.db, f.mentor, from, 4)
	if err != nil {
		t.Fatal(err)
	}
	wantMonths := []string{"2026-09", "2026-10", "2026-11", "2026-12"}
	if len(mine) != len(wantMonths) {
		t.Fatalf("%d months, want %d", len(mine), len(wantMonths))
	}
	for i, h := range mine {
		if h.Month != wantMonths[i] {
			t.Fatalf("month %d is %s, want %s", i, h.Month, wantMonths[i])
		}
		one, err := models.PlannedMentorHours(f.ctx, f.db, f.mentor, h.MonthStart.AddDate(0, 0, 14))
		if err != nil {
			t.Fatal(err)
		}
		if one.Total != h.Total || one.Actual != h.Actual || one.Intakes != h.Intakes {
			t.Fatalf("%s: table %+v, month %+v", h.Month, h, one)
		}
		if h.Total != h.Meetings+h.Preparing+h.OneOnOnes+h.Intakes {
			t.Fatalf("%s: total %v is not the sum of its parts", h.Month, h.Total)
		}
	}
	if mine[0].Intakes == 0 || mine[0].Meetings == 0 {
		t.Fatalf("September holds the intake and the first meeting: %+v", mine[0])
	}
	// A one-on-one in January 2027 is outside the window.
	sanne := demoPerson(t, f.db, "mentee@demo.test")
	f.db.Create(&models.OneOnOne{GroupID: f.noord.ID, MentorID: f.mentor.PersonID, MenteeID: sanne, Status: "planned", Theme: "x",
		StartsAt: time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC), EndsAt: time.Date(2027, 1, 5, 10, 0, 0, 0, time.UTC)})
	again, _ := models.MyMentorTime(f.ctx, f.db, f.mentor, from, 4)
	for i := range again {
		if again[i].Total != mine[i].Total {
			t.Fatalf("%s changed by a meeting outside it", again[i].Month)
		}
	}
	if next, _ := models.MyMentorTime(f.ctx, f.db, f.mentor, time.Date(2027, 1, 1, 0, 0, 0, 0, ams), 1); next[0].OneOnOnes < 1 {
		t.Fatalf("January 2027: %+v", next[0])
	}

	rows, heads, err := models.MentorLoadMonths(f.ctx, f.db, f.admin, from, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(heads) != 4 {
		t.Fatalf("%d month heads", len(heads))
	}
	found := false
	for _, r := range rows {
		if len(r.Months) != 4 {
			t.Fatalf("%s has %d months", r.Name, len(r.Months))
		}
		if r.MentorID == f.mentor.PersonID {
			found = true
			for i, m := range r.Months {
				if m.Planned != mine[i].Total || m.Actual != mine[i].Actual {
					t.Fatalf("L&D sees %+v for %s, the mentor %+v", m, mine[i].Month, mine[i])
				}
			}
		}
	}
	if !found {
		t.Fatal("the mentor is missing from L&D's table")
	}
	for _, v := range []models.Viewer{f.mentor, {PersonID: sanne, Mentee: true}} {
		if _, _, err := models.MentorLoadMonths(f.ctx, f.db, v, from, 4); err != models.ErrNotFound {
			t.Errorf("viewer %d sees mentors' time: %v", v.PersonID, err)
		}
	}
	if _, err := models.MyMentorTime(f.ctx, f.db, models.Viewer{PersonID: sanne, Mentee: true}, from, 4); err != models.ErrNotFound {
		t.Errorf("a mentee has a mentor time page: %v", err)
	}
}
