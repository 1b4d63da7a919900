package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period kinds: figures are published for these fixed periods only, never
// for a free date window.
const (
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodYear    = "year" // a programme year, September to August
)

// ProgrammeYearStart is the month a programme year begins.
const ProgrammeYearStart = time.September

// Period is a calendar month, a calendar quarter or a programme year
// (1 September to 31 August). Its text form is "2026-11", "2026-q4" or
// "2026-py" (the programme year starting in September 2026).
type Period struct {
	Kind  string
	Start Date // the first day
	End   Date // the day after the last day
}

// MonthPeriod returns the calendar month starting at first (day 1).
func MonthPeriod(year int, month time.Month) Period {
	s := NewDate(year, month, 1)
	return Period{Kind: PeriodMonth, Start: s, End: s.AddMonths(1)}
}

// QuarterPeriod returns quarter q (1–4) of year.
func QuarterPeriod(year, q int) Period {
	s := NewDate(year, time.Month(3*(q-1)+1), 1)
	return Period{Kind: PeriodQuarter, Start: s, End: s.AddMonths(3)}
}

// YearPeriod returns the programme year starting in September of year.
func YearPeriod(year int) Period {
	s := NewDate(year, ProgrammeYearStart, 1)
	return Period{Kind: PeriodYear, Start: s, End: s.AddMonths(12)}
}

// String is the period's text form, as ParsePeriod reads it.
func (p Period) String() string {
	switch p.Kind {
	case PeriodMonth:
		return p.Start.Format("2006-01")
	case PeriodQuarter:
		return fmt.Sprintf("%d-q%d", p.Start.Year(), (int(p.Start.Month())+2)/3)
	case PeriodYear:
		return fmt.Sprintf("%d-py", p.Start.Year())
	}
	return ""
}

// MarshalText writes the period's text form.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads the period's text form; "" is no period.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Period{}
		return nil
	}
	q, err := ParsePeriod(string(b))
	if err == nil {
		*p = q
	}
	return err
}

// IsZero reports whether p is no period.
func (p Period) IsZero() bool { return p.Kind == "" }

// Contains reports whether month (its first day) lies inside p.
func (p Period) Contains(month Date) bool {
	return !month.Before(p.Start) && month.Before(p.End)
}

// Months lists the first days of the months of p.
func (p Period) Months() []Date {
	var out []Date
	for m := p.Start; m.Before(p.End); m = m.AddMonths(1) {
		out = append(out, m)
	}
	return out
}

// ParsePeriod reads "2026-11", "2026-q4" or "2026-py".
func ParsePeriod(s string) (Period, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	bad := fmt.Errorf("not a period: %q", s)
	year, rest, ok := strings.Cut(s, "-")
	y, err := strconv.Atoi(year)
	if !ok || err != nil || len(year) != 4 || y < 1900 || y > 2999 {
		return Period{}, bad
	}
	switch {
	case rest == "py":
		return YearPeriod(y), nil
	case len(rest) == 2 && rest[0] == 'q' && rest[1] >= '1' && rest[1] <= '4':
		return QuarterPeriod(y, int(rest[1]-'0')), nil
	case len(rest) == 2:
		m, err := strconv.Atoi(rest)
		if err != nil || m < 1 || m > 12 {
			return Period{}, bad
		}
		return MonthPeriod(y, time.Month(m)), nil
	}
	return Period{}, bad
}

// monthStart is the first day of d's month.
func monthStart(d Date) Date { return NewDate(d.Year(), d.Month(), 1) }

// programmeYearOf returns the start of the programme year holding d.
func programmeYearOf(d Date) Date {
	y := d.Year()
	if d.Month() < ProgrammeYearStart {
		y--
	}
	return NewDate(y, ProgrammeYearStart, 1)
}

// periodsIn lists every month, quarter and programme year that lies wholly
// within [first, end), first a programme-year start and end a month start,
// ordered by their last month and then month, quarter, year.
func periodsIn(first, end Date) []Period {
	var out []Period
	for m := first; m.Before(end); m = m.AddMonths(1) {
		out = append(out, MonthPeriod(m.Year(), m.Month()))
		next := m.AddMonths(1)
		if next.Month()%3 == 1 {
			if q := QuarterPeriod(m.Year(), (int(m.Month())+2)/3); !q.Start.Before(first) {
				out = append(out, q)
			}
		}
		if next.Month() == ProgrammeYearStart {
			out = append(out, YearPeriod(next.Year()-1))
		}
	}
	return out
}
