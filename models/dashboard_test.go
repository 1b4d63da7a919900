package models

import "testing"

func TestMonthFactsSuppressThinPoints(t *testing.T) {
	months := []Date{NewDate(2027, 1, 1), NewDate(2027, 2, 1)}
	f := newMonthFacts()
	for p := uint(1); p <= 4; p++ {
		f.add(0, p, 1, 1) // four people in January
	}
	for p := uint(1); p <= 5; p++ {
		f.add(1, p, 1, 2) // five in February, present half the time
	}
	count := f.series("n", months, false)
	if !count.Points[0].Suppressed || count.Points[0].Value != 0 {
		t.Errorf("a point of four people is shown: %+v", count.Points[0])
	}
	if count.Points[1].Suppressed || count.Points[1].Value != 5 {
		t.Errorf("a point of five people: %+v", count.Points[1])
	}
	if none := newMonthFacts().series("n", months, false); none.Points[0].Suppressed || none.Points[0].Value != 0 {
		t.Errorf("a month without anyone: %+v", none.Points[0])
	}
	if none := newMonthFacts().series("r", months, true); !none.Points[0].Empty {
		t.Errorf("a rate without anyone: %+v", none.Points[0])
	}
	rate := f.series("r", months, true)
	if rate.Points[1].Value != 0.5 || !rate.Points[0].Suppressed {
		t.Errorf("rates: %+v", rate.Points)
	}
}

func TestMonthIndex(t *testing.T) {
	months := []Date{NewDate(2027, 1, 1), NewDate(2027, 2, 1)}
	for _, c := range []struct {
		day  Date
		want int
	}{{NewDate(2026, 12, 31), -1}, {NewDate(2027, 1, 1), 0}, {NewDate(2027, 2, 28), 1}, {NewDate(2027, 3, 1), -1}} {
		if got := monthIndex(months, c.day.Time); got != c.want {
			t.Errorf("%s: %d, want %d", c.day, got, c.want)
		}
	}
}
