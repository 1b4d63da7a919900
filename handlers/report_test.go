package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"crossmentor/models"
)

// TestParticipationReport: managers and L&D get totals only for closed,
// fixed periods; no name, email or text of a mentee ever reaches them;
// small figures are hidden; attendance comes as a band.
func TestParticipationReport(t *testing.T) {
	_, db, srv := demo(t)
	var people []models.Person
	db.Find(&people)
	for _, email := range []string{"manager@demo.test", "admin@demo.test"} {
		c := as(t, srv, email)
		for _, by := range []string{"programme", "department"} {
			r := c.JSON(http.MethodGet, "/api/v1/reports/participation?by="+by, "", nil)
			if r.Status != http.StatusOK {
				t.Fatalf("%s by %s: %d %s", email, by, r.Status, r.Body)
			}
			var rep models.ParticipationReport
			r.Decode(t, &rep)
			if rep.Period.IsZero() || len(rep.Periods) == 0 {
				t.Fatalf("%s by %s: no period: %s", email, by, r.Body)
			}
			for _, p := range rep.Periods {
				page := c.Get("/reports/participation?by=" + by + "&period=" + p.String())
				if page.Status != http.StatusOK {
					t.Fatalf("%s %s: %d", by, p, page.Status)
				}
				for _, person := range people {
					if strings.Contains(page.Body, person.Email) || (person.Email != "admin@demo.test" && person.Email != "manager@demo.test" && strings.Contains(page.Body, person.Name)) {
						t.Errorf("%s by %s: report shows %s", email, by, person.Name)
					}
				}
				for _, secret := range []string{"leveranciers", "dashboard dat niemand", "drukke weken", "Groep Noord"} {
					if strings.Contains(page.Body, secret) {
						t.Errorf("%s by %s: report shows %q", email, by, secret)
					}
				}
				// Attack (c): 100% attendance of a small set is never shown.
				if strings.Contains(page.Body, ">100%<") || strings.Contains(page.Body, ">0%<") {
					t.Errorf("%s %s: an exact all-or-none rate is shown", by, p)
				}
			}
			for _, row := range append(rep.Rows, rep.Total) {
				if !row.Participants.Suppressed && row.Participants.Value < 5 {
					t.Errorf("%s by %s: %s shows %v participants", email, by, row.Name, row.Participants.Value)
				}
				if a := row.AttendanceRate; !a.Suppressed && (a.Band == "" || a.Value == 1 || a.Value == 0) {
					t.Errorf("attendance not as a band: %+v", a)
				}
			}
		}
		if r := c.JSON(http.MethodGet, "/api/v1/reports/participation?by=group", "", nil); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("by group: %d, want 422", r.Status)
		}
		// Attack (b): free date windows are refused with a field message.
		for _, q := range []string{"from=2026-11-10&to=2026-11-16", "to=2026-11-15", "period=2026-11-16", "period=2099-q1", "period=2026-12"} {
			r := c.JSON(http.MethodGet, "/api/v1/reports/participation?by=department&"+q, "", nil)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "errors") {
				t.Errorf("%s: %d %s, want 422 with a field error", q, r.Status, r.Body)
			}
		}
		page := c.Get("/reports/participation?by=department&from=2026-11-10&to=2026-11-16")
		if page.Status != http.StatusUnprocessableEntity || !strings.Contains(page.Body, "geen vrije datums") {
			t.Errorf("the page with a date window: %d", page.Status)
		}
	}
	for _, email := range []string{"mentee@demo.test", "mentor@demo.test"} {
		if r := as(t, srv, email).Get("/reports/participation"); r.Status != http.StatusNotFound {
			t.Errorf("%s opens the report: %d", email, r.Status)
		}
	}
}

// TestReportFrozenAfterClose is attack (b) over time: a figure published
// for November does not move when a one-on-one dated in November is
// recorded afterwards, so comparing before and after pins no one.
func TestReportFrozenAfterClose(t *testing.T) {
	a, db, srv := demo(t)
	a.Handlers.Now = func() time.Time { return time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) }
	c := as(t, srv, "admin@demo.test")
	get := func() string {
		r := c.JSON(http.MethodGet, "/api/v1/reports/participation?by=programme&period=2026-11", "", nil)
		if r.Status != http.StatusOK {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		return r.Body
	}
	before := get()
	var g models.MentorGroup
	if err := db.Where("name = ?", "Groep Noord").First(&g).Error; err != nil {
		t.Fatal(err)
	}
	var m models.Membership
	if err := db.Where("group_id = ? AND status = 'active'", g.ID).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 6; i++ {
		if err := db.Create(&models.OneOnOne{GroupID: g.ID, MentorID: g.MentorID, MenteeID: m.PersonID, StartsAt: at,
			EndsAt: at.Add(time.Hour), Theme: "other", Status: "held"}).Error; err != nil {
			t.Fatal(err)
		}
	}
	if after := get(); after != before {
		t.Errorf("November's figures changed after the month closed:\n%s\n%s", before, after)
	}
}
