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
		if rid := e.Props.Get(goical.PropRecurrenceID); rid != nil {
			uid += "/" + rid.Value // an override of one instance of a series
		}
		out[uid] = e
	}
	return out
}

// instances are the starts of a recurring event's instances.
func instances(t *testing.T, e goical.Event) map[int64]bool {
	t.Helper()
	set, err := e.RecurrenceSet(nil)
	if err != nil || set == nil {
		t.Fatalf("not a recurring event: %v", err)
	}
	out := map[int64]bool{}
	for _, at := range set.All() {
		out[at.Unix()] = true
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
	// Noord's series is one recurring event with the series' own UID.
	series := fmt.Sprintf("series-%d@localhost", noord)
	master, ok := events[series]
	if !ok {
		t.Fatalf("the series %s is missing from the feed", series)
	}
	if start, err := master.DateTimeStart(nil); err != nil || start.Location().String() != "Europe/Amsterdam" || start.In(ams).Hour() != 14 {
		t.Fatalf("the series starts %s (%v), want 14:00 Amsterdam", start, err)
	}
	for _, m := range []models.Meeting{winter, summer} {
		if !instances(t, master)[m.StartsAt.Unix()] || m.StartsAt.In(ams).Hour() != 14 {
			t.Fatalf("meeting %d (%s) is not an instance of the series", m.ID, m.StartsAt.In(ams))
		}
	}
	for _, secret := range []string{"dashboard dat niemand", "Lastige leverancier", "liep vast", "leveranciers"} {
		if _, body := anon(u.Path); strings.Contains(body, secret) {
			t.Errorf("feed holds %q", secret)
		}
	}
	// Move one meeting and cancel another: the moved one is an override of
	// its instance with a higher SEQUENCE, the cancelled one's instance is
	// left out of the series.
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
	moved, ok := after[series+"/"+summer.StartsAt.In(ams).Format("20060102T150405")]
	if !ok {
		t.Fatal("the moved meeting is not an override of its instance")
	}
	if seq(moved) <= seq(master) {
		t.Fatal("moving a meeting did not raise the SEQUENCE")
	}
	if start, _ := moved.DateTimeStart(nil); start.In(ams).Hour() != 15 || start.In(ams).Day() != summer.StartsAt.In(ams).AddDate(0, 0, 1).Day() {
		t.Fatalf("moved meeting at %s", start.In(ams))
	}
	if inst := instances(t, after[series]); inst[winter.StartsAt.Unix()] {
		t.Fatal("the cancelled meeting is still an instance of the series")
	}
	if _, ok := after[series+"/"+winter.StartsAt.In(ams).Format("20060102T150405")]; ok {
		t.Fatal("the cancelled meeting has an override")
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
