package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"crossmentor/models"
)

// feedEvents fetches a feed and parses it with a second iCalendar parser.
func feedEvents(t *testing.T, feedURL string, get func(string) (int, string)) map[string]goical.Event {
	t.Helper()
	status, body := get(feedURL)
	if status != http.StatusOK {
		t.Fatalf("feed: %d", status)
	}
	if !strings.Contains(body, "\r\n") {
		t.Fatal("feed lines do not end in CRLF")
	}
	cal, err := goical.NewDecoder(strings.NewReader(body)).Decode()
	if err != nil {
		t.Fatalf("parse feed: %v\n%s", err, body)
	}
	out := map[string]goical.Event{}
	for _, e := range cal.Events() {
		uid, _ := e.Props.Text(goical.PropUID)
		out[uid] = e
	}
	return out
}

// TestCalendarFeed: the private feed parses with a second parser; UIDs are
// stable; wall-clock times keep their zone across DST; a moved meeting's
// SEQUENCE goes up; a cancelled one says so; nothing confidential is in it;
// a renewed address ends the old one.
func TestCalendarFeed(t *testing.T) {
	_, db, srv := demo(t)
	sanne := as(t, srv, "mentee@demo.test")
	var me struct {
		CalendarURL string `json:"calendar_url"`
	}
	sanne.PostForm("/account/calendar", url.Values{})
	sanne.JSON(http.MethodGet, "/api/v1/me", "", nil).Decode(t, &me)
	u, err := url.Parse(me.CalendarURL)
	if err != nil || !strings.HasPrefix(u.Path, "/calendar/") || !strings.HasSuffix(u.Path, ".ics") {
		t.Fatalf("calendar_url %q", me.CalendarURL)
	}
	anon := func(path string) (int, string) {
		r := sanne.Get(path) // the feed needs no session; the token is the key
		return r.Status, r.Body
	}
	events := feedEvents(t, u.Path, anon)
	noord := groupID(t, db, "Groep Noord")
	ms := meetingIDs(t, db, noord)
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	var winter, summer models.Meeting
	for _, m := range ms {
		if m.StartsAt.Month() == time.February && winter.ID == 0 {
			winter = m
		}
		if m.StartsAt.Month() >= time.May && m.StartsAt.Month() <= time.June && summer.ID == 0 {
			summer = m
		}
	}
	for _, m := range []models.Meeting{winter, summer} {
		e, ok := events[fmt.Sprintf("meeting-%d@localhost", m.ID)]
		if !ok {
			t.Fatalf("meeting %d missing from the feed", m.ID)
		}
		start, err := e.DateTimeStart(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !start.Equal(m.StartsAt) || start.In(ams).Hour() != 14 || start.Location().String() != "Europe/Amsterdam" {
			t.Fatalf("meeting %d starts %s (%s), want %s at 14:00 Amsterdam", m.ID, start, start.Location(), m.StartsAt)
		}
	}
	for _, secret := range []string{"dashboard dat niemand", "Lastige leverancier", "liep vast", "leveranciers"} {
		if _, body := anon(u.Path); strings.Contains(body, secret) {
			t.Errorf("feed holds %q", secret)
		}
	}
	// Move one meeting and cancel another: SEQUENCE up, STATUS:CANCELLED.
	mentor := as(t, srv, "mentor@demo.test")
	if r := mentor.PostForm(fmt.Sprintf("/meetings/%d", summer.ID), url.Values{"date": {summer.StartsAt.In(ams).AddDate(0, 0, 1).Format("2006-01-02")},
		"start_time": {"15:00"}, "duration_min": {"120"}, "kind": {string(summer.Kind)}, "method": {summer.MethodKey}}); r.Status != http.StatusSeeOther {
		t.Fatalf("move: %d", r.Status)
	}
	if r := mentor.PostForm(fmt.Sprintf("/meetings/%d/status", winter.ID), url.Values{"status": {"cancelled"}, "reason": {"Griep"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", r.Status)
	}
	after := feedEvents(t, u.Path, anon)
	seq := func(e goical.Event) int {
		p := e.Props.Get(goical.PropSequence)
		if p == nil {
			return 0
		}
		n, _ := p.Int()
		return n
	}
	moved := after[fmt.Sprintf("meeting-%d@localhost", summer.ID)]
	if seq(moved) <= seq(events[fmt.Sprintf("meeting-%d@localhost", summer.ID)]) {
		t.Fatal("moving a meeting did not raise its SEQUENCE")
	}
	if start, _ := moved.DateTimeStart(nil); start.In(ams).Hour() != 15 {
		t.Fatalf("moved meeting at %s", start.In(ams))
	}
	cancelled := after[fmt.Sprintf("meeting-%d@localhost", winter.ID)]
	if st, _ := cancelled.Props.Text(goical.PropStatus); st != "CANCELLED" || seq(cancelled) < 1 {
		t.Fatalf("cancelled meeting: status %q sequence %d", st, seq(cancelled))
	}
	// A one-on-one is there, named by the other person only.
	found := false
	for uid, e := range after {
		if strings.HasPrefix(uid, "one-on-one-") {
			found = true
			if s, _ := e.Props.Text(goical.PropSummary); !strings.Contains(s, "Marieke de Vries") {
				t.Errorf("one-on-one summary %q", s)
			}
		}
	}
	if !found {
		t.Fatal("no one-on-one in the feed")
	}
	// A new address ends the old one; a revoked one is gone.
	if r := sanne.PostForm("/account/calendar", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("renew: %d", r.Status)
	}
	if status, _ := anon(u.Path); status != http.StatusNotFound {
		t.Fatalf("old feed address: %d, want 404", status)
	}
}
