package models

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// FuzzPlanSeries: any parameters either get a field-level refusal or a
// plan whose meetings keep the rules: within the period, in order, of the
// asked length, at the asked local time, never more than the limit.
func FuzzPlanSeries(f *testing.F) {
	f.Add(int16(0), uint8(12), uint8(2), "14:00", int16(120), uint8(6), true)
	f.Add(int16(-400), uint8(1), uint8(0), "02:30", int16(15), uint8(1), false)
	f.Add(int16(200), uint8(40), uint8(6), "9:5", int16(-3), uint8(0), true)
	zone, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, fromDays int16, months, weekday uint8, start string, duration int16, cadence uint8, shift bool) {
		from := NewDate(2027, 1, 1).AddDate(0, 0, int(fromDays))
		p := SeriesParams{From: Date{from}, Until: Date{from}.AddMonths(int(months % 60)), Weekday: time.Weekday(weekday % 7),
			StartTime: start, DurationMin: int(duration), CadenceWeeks: int(cadence), Zone: zone, Policy: PolicySkip,
			Blackouts: []Blackout{{StartsOn: NewDate(2027, 7, 17), EndsOn: NewDate(2027, 8, 29)}}}
		if shift {
			p.Policy = PolicyShift
		}
		plan, err := PlanSeries(p)
		if err != nil {
			if _, ok := err.(*ValidationError); !ok {
				t.Fatalf("not a field error: %v", err)
			}
			return
		}
		hh, mm, _ := parseClock(start)
		if len(plan.Meetings) > MaxSeriesSlots {
			t.Fatalf("%d meetings", len(plan.Meetings))
		}
		for i, m := range plan.Meetings {
			local := m.StartsAt.In(zone)
			if m.Date.Before(p.From) || local.Hour() != hh || local.Minute() != mm {
				t.Fatalf("meeting %d at %s for %s from %s", i, local, start, p.From)
			}
			if m.EndsAt.Sub(m.StartsAt) != time.Duration(p.DurationMin)*time.Minute {
				t.Fatalf("meeting %d lasts %s", i, m.EndsAt.Sub(m.StartsAt))
			}
			if i > 0 && !m.StartsAt.After(plan.Meetings[i-1].StartsAt) {
				t.Fatalf("meeting %d is not after %d", i, i-1)
			}
		}
	})
}

// FuzzParseDate: a date that parses writes back as the same text, and no
// text panics.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2027-02-28", "2027-02-29", "0000-01-01", " 2027-1-5", "2027-13-01", "२०२७-०१-०१"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		again, err := ParseDate(d.String())
		if err != nil || !again.Equal(d.Time) {
			t.Fatalf("%q → %s → %v %v", s, d, again, err)
		}
	})
}

// FuzzCleanText: cleaned text is valid UTF-8 without control or bidi
// characters other than newline and tab, has no surrounding white space,
// and cleaning it again changes nothing.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "  Hoe zeg ik nee?  ", "a\r\nb\rc", "<script>alert(1)</script>", "x\x00y\x7f\u0085z",
		"abc\u202Edcba", "\xff\xfe ongeldig", "emoji 👩\u200d💻", "\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := CleanText(s)
		if !utf8.ValidString(out) {
			t.Fatalf("%q → %q: not UTF-8", s, out)
		}
		if out != strings.TrimSpace(out) {
			t.Fatalf("%q → %q: surrounding space", s, out)
		}
		for _, r := range out {
			if (unicode.IsControl(r) && r != '\n' && r != '\t') || isBidiControl(r) {
				t.Fatalf("%q → %q: keeps %U", s, out, r)
			}
		}
		if again := CleanText(out); again != out {
			t.Fatalf("%q → %q → %q: not stable", s, out, again)
		}
	})
}

// FuzzParseLocalTime: a date and clock time either get a field-level
// refusal or a UTC moment that reads back, in the zone, as the same day
// and time.
func FuzzParseLocalTime(f *testing.F) {
	zone, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range [][2]string{{"2027-03-28", "02:30"}, {"2027-10-31", "02:30"}, {"2027-01-05", "14:00"}, {"2027-1-5", "9:00"},
		{"", ""}, {"2027-02-29", "12:00"}, {"2027-06-01", "24:00"}, {" 2027-06-01 ", " 7:05 "}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, date, clock string) {
		got, err := ParseLocalTime(date, clock, zone)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 {
				t.Fatalf("%q %q: not a field error: %v", date, clock, err)
			}
			return
		}
		d, _ := ParseDate(date)
		hh, mm, _ := parseClock(clock)
		local := got.In(zone)
		if got.Location() != time.UTC || DateOf(local) != d || local.Hour() != hh || local.Minute() != mm {
			t.Fatalf("%q %q → %s, reads back as %s", date, clock, got, local)
		}
	})
}
