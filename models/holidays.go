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
// are days off only in some organisations, so they are included on request.
type DutchHolidays struct {
	calendar *cal.Calendar
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
	actual, observed, hol := h.calendar.IsHoliday(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, time.UTC))
	if (actual || observed) && hol != nil {
		return hol.Name, true
	}
	return "", false
}
