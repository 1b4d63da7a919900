package mailer

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-ical"
)

// FuzzICSRoundTrip: any summary and location written into a calendar file
// read back the same with another parser, and the times stay the local
// wall-clock times they were.
func FuzzICSRoundTrip(f *testing.F) {
	for _, s := range []string{"Intervisie · Groep Noord", "Zaal 3.12; Stadskantoor, ingang B", `back\slash`, "regel 1\nregel 2", strings.Repeat("lang ", 40)} {
		f.Add(s, s)
	}
	zone, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, summary, location string) {
		for _, s := range []string{summary, location} {
			if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) {
				t.Skip("text with control characters never reaches a calendar: forms trim and refuse it")
			}
		}
		start := time.Date(2027, 3, 28, 14, 0, 0, 0, zone) // the day summer time starts
		data := ICS([]Event{{UID: "meeting-1", Summary: summary, Location: location, StartsAt: start,
			EndsAt: start.Add(2 * time.Hour), Updated: start}}, zone, "example.org", "crossmentor", MethodPublish, start)
		cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
		if err != nil {
			t.Fatalf("parse back: %v\n%s", err, data)
		}
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("%d events", len(events))
		}
		got, _ := events[0].Props.Text(ical.PropSummary)
		if got != summary {
			t.Fatalf("summary %q came back as %q", summary, got)
		}
		if location != "" {
			if got, _ := events[0].Props.Text(ical.PropLocation); got != location {
				t.Fatalf("location %q came back as %q", location, got)
			}
		}
		at, err := events[0].DateTimeStart(zone)
		if err != nil || !at.Equal(start) {
			t.Fatalf("start %v came back as %v (%v)", start, at, err)
		}
	})
}
