package models

import "testing"

func TestParsePeriod(t *testing.T) {
	for _, c := range []struct {
		in, want string
		kind     string
		start    Date
		months   int
	}{
		{"2026-11", "2026-11", PeriodMonth, NewDate(2026, 11, 1), 1},
		{"2026-Q4", "2026-q4", PeriodQuarter, NewDate(2026, 10, 1), 3},
		{"2026-q1", "2026-q1", PeriodQuarter, NewDate(2026, 1, 1), 3},
		{" 2026-py ", "2026-py", PeriodYear, NewDate(2026, 9, 1), 12},
	} {
		p, err := ParsePeriod(c.in)
		if err != nil || p.String() != c.want || p.Kind != c.kind || p.Start != c.start || len(p.Months()) != c.months {
			t.Errorf("%q: %+v %v", c.in, p, err)
		}
	}
	for _, bad := range []string{"", "2026", "2026-13", "2026-00", "2026-q5", "2026-11-16", "26-11", "2026-pj", "0001-01", "abcd-11"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q read as a period", bad)
		}
	}
}

// TestPeriodsIn: every month, quarter and programme year inside the span,
// in the order they end.
func TestPeriodsIn(t *testing.T) {
	got := periodsIn(NewDate(2025, 9, 1), NewDate(2026, 10, 1))
	var names []string
	for _, p := range got {
		names = append(names, p.String())
	}
	want := "2025-09 2025-10 2025-11 2025-12 2025-q4 2026-01 2026-02 2026-03 2026-q1 2026-04 2026-05 2026-06 2026-q2 2026-07 2026-08 2025-py 2026-09 2026-q3"
	if j := join(names); j != want {
		t.Errorf("got  %s\nwant %s", j, want)
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

// TestRateBand: bands never single out all or none: with five records, 4
// of 5 shares the top band with 5 of 5, and 1 of 5 the bottom band with 0.
func TestRateBand(t *testing.T) {
	for _, c := range []struct {
		rate float64
		band string
	}{{0, "0–20%"}, {0.2, "0–20%"}, {0.21, "20–40%"}, {0.5, "40–60%"}, {0.79, "60–80%"}, {0.8, "80–100%"}, {1, "80–100%"}} {
		if _, b := RateBand(c.rate); b != c.band {
			t.Errorf("%v: %s, want %s", c.rate, b, c.band)
		}
	}
	for n := MinAggregatePeople; n <= 40; n++ {
		_, all := RateBand(1)
		_, allButOne := RateBand(float64(n-1) / float64(n))
		_, none := RateBand(0)
		_, one := RateBand(1 / float64(n))
		if all != allButOne || none != one {
			t.Errorf("%d records: all %s vs all but one %s, none %s vs one %s", n, all, allButOne, none, one)
		}
	}
}

func TestAnswerBand(t *testing.T) {
	for n, want := range map[int]string{0: "<5", 4: "<5", 5: "5–9", 6: "5–9", 9: "5–9", 10: "10–19", 49: "20–49", 50: "50+"} {
		if got := AnswerBand(n); got != want {
			t.Errorf("%d: %s, want %s", n, got, want)
		}
	}
}
