package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSeriesPreviewWarnsAndExtensionPreview: the series preview warns of
// meetings in the past and after the programme's end; extending shows what
// it will add before anything is saved.
func TestSeriesPreviewWarnsAndExtensionPreview(t *testing.T) {
	_, db, srv := demo(t)
	zuid := groupID(t, db, "Groep Zuid")
	pieter := as(t, srv, "pieter.hendriks@demo.test")
	r := pieter.PostForm(fmt.Sprintf("/groups/%d/series/preview", zuid), url.Values{"first_on": {"2026-01-08"}, "until": {"2027-12-31"},
		"weekday": {"4"}, "start_time": {"14:00"}, "duration_min": {"120"}, "cadence_weeks": {"6"}, "policy": {"shift"}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="series-in-past"`) || !strings.Contains(r.Body, `id="series-past-end"`) {
		t.Fatalf("series preview: %d, in the past %v, after the end %v", r.Status,
			strings.Contains(r.Body, `id="series-in-past"`), strings.Contains(r.Body, `id="series-past-end"`))
	}

	noord := groupID(t, db, "Groep Noord")
	mentor := as(t, srv, "mentor@demo.test")
	before := len(meetingIDs(t, db, noord))
	r = mentor.PostForm(fmt.Sprintf("/groups/%d/series/extend/preview", noord), url.Values{"months": {"3"}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="extend-preview"`) || !strings.Contains(r.Body, `action="/groups/`+fmt.Sprint(noord)+`/series/extend"`) {
		t.Fatalf("extension preview: %d", r.Status)
	}
	if got := len(meetingIDs(t, db, noord)); got != before {
		t.Fatalf("the preview added meetings: %d → %d", before, got)
	}
	r = mentor.PostForm(fmt.Sprintf("/groups/%d/series/extend/preview", noord), url.Values{"months": {"40"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("40 months: %d", r.Status)
	}
	if r := mentor.PostForm(fmt.Sprintf("/groups/%d/series/extend", noord), url.Values{"months": {"3"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("extend: %d", r.Status)
	}
	if got := len(meetingIDs(t, db, noord)); got <= before {
		t.Fatal("extending added nothing")
	}
}
