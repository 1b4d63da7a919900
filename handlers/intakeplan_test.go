package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	goical "github.com/emersion/go-ical"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestIntakePlanned: the mentor plans an intake on the intake page; a date
// in the past is refused with a Dutch field message and saves nothing; the
// intake is in the mentor's and the candidate's feeds as an event with the
// other's name, and once called off it is cancelled there.
func TestIntakePlanned(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	sanneID := personID(t, db, "mentee@demo.test")
	var ms models.Membership
	if err := db.Where("group_id = ? AND person_id = ?", noord, sanneID).First(&ms).Error; err != nil {
		t.Fatal(err)
	}
	mentor, sanne := as(t, srv, "mentor@demo.test"), as(t, srv, "mentee@demo.test")
	path := fmt.Sprintf("/memberships/%d/intake", ms.ID)
	r := mentor.PostForm(path+"/schedule", url.Values{"date": {"2020-01-14"}, "start_time": {"10:00"}, "duration_min": {"45"}, "location": {"Kamer 2.14"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Kies een moment in de toekomst") || count(t, db, &models.IntakeAppointment{}) != 0 {
		t.Fatalf("a past intake: %d", r.Status)
	}
	r = mentor.PostForm(path+"/schedule", url.Values{"date": {"2027-01-14"}, "start_time": {"10:00"}, "duration_min": {"45"}, "location": {"Kamer 2.14"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("plan: %d", r.Status)
	}
	if page := mentor.Get(path); !strings.Contains(page.Body, `id="intake-when"`) || !strings.Contains(page.Body, "Kamer 2.14") {
		t.Fatal("the intake page does not show the planned intake")
	}
	if r := sanne.PostForm(path+"/schedule", url.Values{"date": {"2027-01-15"}, "start_time": {"10:00"}}); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
		t.Fatalf("the candidate plans their own intake: %d", r.Status)
	}
	var mentorName, sanneName string
	db.Model(&models.Person{}).Where("email = ?", "mentor@demo.test").Pluck("name", &mentorName)
	db.Model(&models.Person{}).Where("id = ?", sanneID).Pluck("name", &sanneName)
	intakeEvent := func(c *apptest.Client) *goical.Event {
		t.Helper()
		c.PostForm("/account/calendar", url.Values{})
		var me struct {
			CalendarURL *string `json:"calendar_url"`
		}
		c.JSON(http.MethodGet, "/api/v1/me", "", nil).Decode(t, &me)
		if me.CalendarURL == nil {
			t.Fatal("no feed")
		}
		u, _ := url.Parse(*me.CalendarURL)
		cal, err := goical.NewDecoder(strings.NewReader(apptest.NewClient(t, srv).Get(u.Path).Body)).Decode()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range cal.Events() {
			if uid, _ := e.Props.Text(goical.PropUID); strings.HasPrefix(uid, "intake-") {
				return &e
			}
		}
		return nil
	}
	for _, c := range []struct {
		client *apptest.Client
		with   string
	}{{mentor, sanneName}, {sanne, mentorName}} {
		e := intakeEvent(c.client)
		if e == nil {
			t.Fatalf("no intake in the feed of the one with %s", c.with)
		}
		summary, _ := e.Props.Text(goical.PropSummary)
		loc, _ := e.Props.Text(goical.PropLocation)
		if summary != "Intakegesprek · "+c.with || loc != "Kamer 2.14" {
			t.Fatalf("event %q at %q", summary, loc)
		}
	}
	if r := mentor.PostForm(path+"/cancel", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", r.Status)
	}
	if e := intakeEvent(sanne); e == nil || e.Props.Get(goical.PropStatus) == nil || e.Props.Get(goical.PropStatus).Value != "CANCELLED" {
		t.Fatal("the called-off intake is not cancelled in the candidate's feed")
	}
}
