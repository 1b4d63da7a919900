package models

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/nl"
)

// Holidays tells which days are public holidays, by name.
type Holidays interface {
	Holiday(d Date) (name string, ok bool)
}

// DutchHolidays are the Dutch public holidays. Good Friday and Liberation Day
// are days off only in some organisations, so they are included on request;
// Liberation Day may be off every five years only (lustrum).
type DutchHolidays struct {
	calendar *cal.Calendar
	lustrum  bool
}

// LiberationDay says when Liberation Day (5 May) is a day off.
type LiberationDay string

// When Liberation Day is off.
const (
	LiberationNever   LiberationDay = "never"
	LiberationLustrum LiberationDay = "lustrum" // every five years: 2025, 2030, ...
	LiberationYearly  LiberationDay = "yearly"
)

// NewDutchHolidaysFor returns the Dutch public holidays with Good Friday
// when asked for and Liberation Day by the organisation's choice.
func NewDutchHolidaysFor(goodFriday bool, liberation LiberationDay) DutchHolidays {
	h := NewDutchHolidays(goodFriday, liberation == LiberationYearly)
	h.lustrum = liberation == LiberationLustrum
	return h
}

// NewDutchHolidays returns the Dutch public holidays, with Good Friday and
// Liberation Day (every year, not only each fifth) when asked for.
func NewDutchHolidays(goodFriday, liberationDay bool) DutchHolidays {
	c := &cal.Calendar{}
	c.AddHoliday(nl.Nieuwjaar, nl.TweedePaasdag, nl.Koningsdag, nl.Hemelvaart, nl.TweedePinksterDag,
		nl.EersteKerstdag, nl.TweedeKerstdag)
	if goodFriday {
		c.AddHoliday(nl.GoedeVrijdag)
	}
	if liberationDay {
		c.AddHoliday(nl.BevrijdingsDag)
	}
	return DutchHolidays{calendar: c}
}

// Holiday returns the name of the holiday on d (actual or observed day).
func (h DutchHolidays) Holiday(d Date) (string, bool) {
	if h.lustrum && d.Month() == time.May && d.Day() == 5 && d.Year()%5 == 0 {
		return "Bevrijdingsdag", true
	}
	actual, observed, hol := h.calendar.IsHoliday(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, time.UTC))
	if (actual || observed) && hol != nil {
		return hol.Name, true
	}
	return "", false
}
