package app

import (
	"testing"
	"time"

	"crossmentor/models"
)

// TestDueTomorrow: whenever the demo is loaded, including around the
// changes to and from summer time, the one-on-one it plans lies ahead and
// its reminder, due a day before, is already due.
func TestDueTomorrow(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	for _, day := range []string{"2026-11-22", "2027-03-27", "2027-03-28", "2027-10-30", "2027-10-31"} {
		d, _ := time.ParseInLocation("2006-01-02", day, ams)
		for now := d; now.Before(d.Add(24 * time.Hour)); now = now.Add(7 * time.Minute) {
			date, clock := dueTomorrow(now)
			start, err := models.ParseLocalTime(date, clock, ams)
			if err != nil {
				t.Fatalf("%s: %s %s: %v", now, date, clock, err)
			}
			if !start.After(now) || start.Add(-24*time.Hour).After(now) {
				t.Fatalf("%s: one-on-one at %s %s (%s) is not between now and a day ahead", now, date, clock, start)
			}
		}
	}
}
