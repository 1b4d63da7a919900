package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestFeedCaching: reading who one is makes no feed and revives no revoked
// one; the feed answers HEAD without a redirect and without cookies, tags
// its content (ETag, Last-Modified, 304 when unchanged, a new tag after a
// change), asks for an hourly refresh, defines its zone and stamps the
// time it is made.
func TestFeedCaching(t *testing.T) {
	_, db, srv := demo(t)
	sanne := as(t, srv, "mentee@demo.test")
	var me struct {
		CalendarURL *string `json:"calendar_url"`
	}
	sanne.JSON(http.MethodGet, "/api/v1/me", "", nil).Decode(t, &me)
	if me.CalendarURL != nil || count(t, db, &models.CalendarFeed{}) != 0 {
		t.Fatalf("GET /api/v1/me made a feed: %v", me.CalendarURL)
	}
	sanne.PostForm("/account/calendar", url.Values{})
	sanne.JSON(http.MethodGet, "/api/v1/me", "", nil).Decode(t, &me)
	if me.CalendarURL == nil {
		t.Fatal("no calendar_url once the feed exists")
	}
	u, _ := url.Parse(*me.CalendarURL)
	anon := apptest.NewClient(t, srv)
	req, _ := http.NewRequest(http.MethodHead, srv.URL+u.Path, nil)
	head := anon.Do(req)
	if head.Status != http.StatusOK || head.Location != "" || len(head.Header.Values("Set-Cookie")) != 0 {
		t.Fatalf("HEAD: %d, Location %q, cookies %v", head.Status, head.Location, head.Header.Values("Set-Cookie"))
	}
	first := anon.Get(u.Path)
	etag := first.Header.Get("ETag")
	if first.Status != http.StatusOK || etag == "" || first.Header.Get("Last-Modified") == "" || len(first.Header.Values("Set-Cookie")) != 0 {
		t.Fatalf("GET: %d, ETag %q, Last-Modified %q, cookies %v", first.Status, etag, first.Header.Get("Last-Modified"), first.Header.Values("Set-Cookie"))
	}
	cal, err := goical.NewDecoder(strings.NewReader(first.Body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if p := cal.Props.Get("REFRESH-INTERVAL"); p == nil || p.Value != "PT1H" {
		t.Errorf("REFRESH-INTERVAL %v", p)
	}
	zones := 0
	for _, c := range cal.Children {
		if c.Name == goical.CompTimezone && c.Props.Get(goical.PropTimezoneID).Value == "Europe/Amsterdam" {
			zones++
		}
	}
	if zones != 1 {
		t.Errorf("%d VTIMEZONE for Europe/Amsterdam, want 1", zones)
	}
	stamp, err := cal.Events()[0].Props.DateTime(goical.PropDateTimeStamp, time.UTC)
	if err != nil || time.Since(stamp) > time.Minute {
		t.Errorf("DTSTAMP %v is not the time the file was made (%v)", stamp, err)
	}
	again, _ := http.NewRequest(http.MethodGet, srv.URL+u.Path, nil)
	again.Header.Set("If-None-Match", etag)
	if r := anon.Do(again); r.Status != http.StatusNotModified || r.Body != "" {
		t.Fatalf("unchanged feed with its tag: %d", r.Status)
	}
	// A moved meeting changes the tag.
	var m models.Meeting
	db.Where("group_id = ? AND status = ? AND starts_at > ?", groupID(t, db, "Groep Noord"), models.MeetingPlanned, time.Now()).Order("starts_at").First(&m)
	db.Model(&m).Updates(map[string]any{"starts_at": m.StartsAt.Add(time.Hour), "ends_at": m.EndsAt.Add(time.Hour), "sequence": m.Sequence + 1,
		"updated_at": time.Now()})
	changed, _ := http.NewRequest(http.MethodGet, srv.URL+u.Path, nil)
	changed.Header.Set("If-None-Match", etag)
	if r := anon.Do(changed); r.Status != http.StatusOK || r.Header.Get("ETag") == etag {
		t.Fatalf("changed feed: %d, tag %q", r.Status, r.Header.Get("ETag"))
	}
	// Revoked, and /api/v1/me does not bring it back.
	sanne.PostForm("/account/calendar/revoke", url.Values{})
	sanne.JSON(http.MethodGet, "/api/v1/me", "", nil).Decode(t, &me)
	if me.CalendarURL != nil || anon.Get(u.Path).Status != http.StatusNotFound {
		t.Fatalf("a revoked feed came back: %v", me.CalendarURL)
	}
}
