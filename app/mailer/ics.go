package mailer

import (
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"
)

// Person is an organiser or attendee of an invitation.
type Person struct {
	Name  string
	Email string
}

// Event is one meeting or one-on-one in an iCalendar file.
type Event struct {
	UID       string // unique within the installation; the host is added
	Summary   string
	Location  string
	StartsAt  time.Time
	EndsAt    time.Time
	Updated   time.Time
	Sequence  int
	Cancelled bool
	Organizer Person   // for an invitation
	Attendees []Person // for an invitation
	// A recurring event: weekly from StartsAt until RepeatUntil, without
	// ExDates. An override of one instance has RecurrenceID set.
	RepeatUntil  time.Time
	ExDates      []time.Time
	RecurrenceID time.Time
}

// Methods of an iCalendar file (RFC 5546): a feed publishes, a mail
// invites to a meeting or cancels it.
const (
	MethodPublish = "PUBLISH"
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
)

// ICS writes events as an iCalendar file with CRLF line endings, times as
// wall-clock times in zone (so calendars keep them put across DST), with
// the VTIMEZONE that defines the zone. stamp is when the file is made
// (DTSTAMP). A feed has a name; an invitation attached to a mail has none.
func ICS(events []Event, zone *time.Location, host, feedName, method string, stamp time.Time) []byte {
	cal := ics.NewCalendarFor("crossmentor")
	cal.SetMethod(ics.Method(method))
	if feedName != "" {
		cal.SetXWRCalName(feedName)
		cal.SetXWRTimezone(zone.String())
		// Ask subscribers to look again every hour (RFC 7986, and the
		// older name Outlook reads).
		cal.SetRefreshInterval("PT1H", ics.WithValue("DURATION"))
		cal.SetXPublishedTTL("PT1H")
	}
	if len(events) > 0 {
		addTimezone(cal, zone, stamp)
	}
	for _, e := range events {
		ev := cal.AddEvent(e.UID + "@" + host)
		ev.SetDtStampTime(stamp)
		ev.SetModifiedAt(e.Updated)
		ev.SetSequence(e.Sequence)
		ev.SetProperty(ics.ComponentPropertyDtStart, e.StartsAt.In(zone).Format("20060102T150405"), ics.WithTZID(zone.String()))
		ev.SetProperty(ics.ComponentPropertyDtEnd, e.EndsAt.In(zone).Format("20060102T150405"), ics.WithTZID(zone.String()))
		local := func(t time.Time) string { return t.In(zone).Format("20060102T150405") }
		if !e.RecurrenceID.IsZero() {
			ev.SetProperty(ics.ComponentPropertyRecurrenceId, local(e.RecurrenceID), ics.WithTZID(zone.String()))
		}
		if !e.RepeatUntil.IsZero() {
			// UNTIL in UTC, as RFC 5545 asks when DTSTART has a zone.
			ev.AddRrule("FREQ=WEEKLY;UNTIL=" + e.RepeatUntil.UTC().Format("20060102T150405Z"))
			for _, x := range e.ExDates {
				ev.AddExdate(local(x), ics.WithTZID(zone.String()))
			}
		}
		ev.SetSummary(e.Summary)
		if e.Location != "" {
			ev.SetLocation(e.Location)
		}
		if e.Organizer.Email != "" {
			ev.SetOrganizer(e.Organizer.Email, ics.WithCN(e.Organizer.Name))
		}
		for _, a := range e.Attendees {
			ev.AddAttendee(a.Email, ics.WithCN(a.Name), ics.CalendarUserTypeIndividual, ics.ParticipationRoleReqParticipant,
				ics.ParticipationStatusNeedsAction, ics.WithRSVP(false))
		}
		if e.Cancelled {
			ev.SetStatus(ics.ObjectStatusCancelled)
		} else {
			ev.SetStatus(ics.ObjectStatusConfirmed)
		}
	}
	return []byte(cal.Serialize(ics.WithNewLine("\r\n")))
}

// addTimezone defines zone in the calendar (RFC 5545 §3.6.5) from its
// changes of offset in the year of at, as yearly rules: a DAYLIGHT and a
// STANDARD part for a zone with summer time, one STANDARD part otherwise.
func addTimezone(cal *ics.Calendar, zone *time.Location, at time.Time) {
	tz := cal.AddTimezone(zone.String())
	changes := offsetChanges(zone, at.In(zone).Year())
	if len(changes) == 0 {
		name, offset := at.In(zone).Zone()
		st := tz.AddStandard()
		st.SetProperty(ics.ComponentPropertyDtStart, "19700101T000000")
		st.SetProperty(ics.ComponentProperty("TZOFFSETFROM"), utcOffset(offset))
		st.SetProperty(ics.ComponentProperty("TZOFFSETTO"), utcOffset(offset))
		st.SetProperty(ics.ComponentProperty("TZNAME"), name)
		return
	}
	for _, c := range changes {
		part := &ics.ComponentBase{}
		// DTSTART is the wall-clock time of the change under the old offset,
		// in 1970, on the day the yearly rule gives for that year.
		local := c.at.Add(time.Duration(c.from) * time.Second).UTC()
		n, last := weekOfMonth(local)
		day := nthWeekday(1970, local.Month(), local.Weekday(), n, last)
		part.SetProperty(ics.ComponentPropertyDtStart, fmt.Sprintf("1970%02d%02dT%s", local.Month(), day, local.Format("150405")))
		part.SetProperty(ics.ComponentProperty("TZOFFSETFROM"), utcOffset(c.from))
		part.SetProperty(ics.ComponentProperty("TZOFFSETTO"), utcOffset(c.to))
		part.SetProperty(ics.ComponentProperty("TZNAME"), c.name)
		byDay := fmt.Sprintf("%d%s", n, weekdayCodes[local.Weekday()])
		if last {
			byDay = "-1" + weekdayCodes[local.Weekday()]
		}
		part.AddRrule(fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%s", local.Month(), byDay))
		if c.to > c.from {
			tz.Components = append(tz.Components, &ics.Daylight{ComponentBase: *part})
		} else {
			tz.Components = append(tz.Components, &ics.Standard{ComponentBase: *part})
		}
	}
}

var weekdayCodes = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// offsetChange is a change of a zone's offset from UTC (seconds).
type offsetChange struct {
	at       time.Time
	from, to int
	name     string
}

// offsetChanges finds the changes of offset in a year, to the second.
func offsetChanges(zone *time.Location, year int) []offsetChange {
	var out []offsetChange
	t := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	_, prev := t.In(zone).Zone()
	for t.Before(end) {
		next := t.Add(24 * time.Hour)
		if _, off := next.In(zone).Zone(); off != prev {
			lo, hi := t, next // the change lies in (lo, hi]
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, o := mid.In(zone).Zone(); o == prev {
					lo = mid
				} else {
					hi = mid
				}
			}
			name, off := hi.In(zone).Zone()
			out = append(out, offsetChange{at: hi, from: prev, to: off, name: name})
			prev = off
		}
		t = next
	}
	return out
}

// weekOfMonth says which weekday of its month a day is (1 to 5), and
// whether it is the last such weekday.
func weekOfMonth(t time.Time) (int, bool) {
	return (t.Day()-1)/7 + 1, t.AddDate(0, 0, 7).Month() != t.Month()
}

// nthWeekday is the day of the month of the n-th (or last) weekday wd.
func nthWeekday(year int, month time.Month, wd time.Weekday, n int, last bool) int {
	if last {
		d := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC)
		for d.Weekday() != wd {
			d = d.AddDate(0, 0, -1)
		}
		return d.Day()
	}
	d := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, 1)
	}
	return d.Day() + 7*(n-1)
}

// utcOffset writes an offset as +hhmm.
func utcOffset(seconds int) string {
	sign := '+'
	if seconds < 0 {
		sign, seconds = '-', -seconds
	}
	return fmt.Sprintf("%c%02d%02d", sign, seconds/3600, seconds/60%60)
}
