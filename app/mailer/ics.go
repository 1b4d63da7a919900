package mailer

import (
	"time"

	ics "github.com/arran4/golang-ical"
)

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
}

// ICS writes events as an iCalendar file with CRLF line endings, times as
// wall-clock times in zone (so calendars keep them put across DST).
// A feed has a name; an invitation attached to a mail has none.
func ICS(events []Event, zone *time.Location, host, feedName string) []byte {
	cal := ics.NewCalendarFor("crossmentor")
	cal.SetMethod(ics.MethodPublish)
	if feedName != "" {
		cal.SetXWRCalName(feedName)
		cal.SetXWRTimezone(zone.String())
	}
	for _, e := range events {
		ev := cal.AddEvent(e.UID + "@" + host)
		ev.SetDtStampTime(e.Updated)
		ev.SetModifiedAt(e.Updated)
		ev.SetSequence(e.Sequence)
		ev.SetProperty(ics.ComponentPropertyDtStart, e.StartsAt.In(zone).Format("20060102T150405"), ics.WithTZID(zone.String()))
		ev.SetProperty(ics.ComponentPropertyDtEnd, e.EndsAt.In(zone).Format("20060102T150405"), ics.WithTZID(zone.String()))
		ev.SetSummary(e.Summary)
		if e.Location != "" {
			ev.SetLocation(e.Location)
		}
		if e.Cancelled {
			ev.SetStatus(ics.ObjectStatusCancelled)
		} else {
			ev.SetStatus(ics.ObjectStatusConfirmed)
		}
	}
	return []byte(cal.Serialize(ics.WithNewLine("\r\n")))
}
