package mailer

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"crossmentor/app/i18n"
	"crossmentor/models"
	"crossmentor/templates"
)

// TestTimezoneDefinitions: every calendar file defines its zone, with the
// known yearly rules (checked by another parser).
func TestTimezoneDefinitions(t *testing.T) {
	for _, tc := range []struct {
		zone string
		want []string // component: DTSTART, TZOFFSETFROM, TZOFFSETTO, RRULE
	}{
		{"Europe/Amsterdam", []string{"DAYLIGHT 19700329T020000 +0100 +0200 FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
			"STANDARD 19701025T030000 +0200 +0100 FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"}},
		{"Australia/Sydney", []string{"STANDARD 19700405T030000 +1100 +1000 FREQ=YEARLY;BYMONTH=4;BYDAY=1SU",
			"DAYLIGHT 19701004T020000 +1000 +1100 FREQ=YEARLY;BYMONTH=10;BYDAY=1SU"}},
		{"Asia/Tokyo", []string{"STANDARD 19700101T000000 +0900 +0900 "}},
	} {
		zone, err := time.LoadLocation(tc.zone)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Date(2027, 3, 9, 14, 0, 0, 0, zone)
		data := ICS([]Event{{UID: "meeting-1", Summary: "x", StartsAt: start, EndsAt: start.Add(time.Hour), Updated: start}},
			zone, "example.org", "feed", MethodPublish, start)
		cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.zone, err, data)
		}
		var got []string
		for _, c := range cal.Children {
			if c.Name != ical.CompTimezone {
				continue
			}
			if id := c.Props.Get(ical.PropTimezoneID); id == nil || id.Value != tc.zone {
				t.Fatalf("%s: VTIMEZONE %v", tc.zone, id)
			}
			for _, p := range c.Children {
				rrule := ""
				if r := p.Props.Get(ical.PropRecurrenceRule); r != nil {
					rrule = r.Value
				}
				got = append(got, strings.Join([]string{p.Name, p.Props.Get(ical.PropDateTimeStart).Value,
					p.Props.Get(ical.PropTimezoneOffsetFrom).Value, p.Props.Get(ical.PropTimezoneOffsetTo).Value, rrule}, " "))
			}
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\n%s\nwant\n%s", tc.zone, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
		ev := cal.Events()[0]
		if tzid := ev.Props.Get(ical.PropDateTimeStart).Params.Get(ical.ParamTimezoneID); tzid != tc.zone {
			t.Errorf("%s: DTSTART in %q", tc.zone, tzid)
		}
	}
}

// TestInvitationMail: a meeting mail carries an iTIP REQUEST (a CANCEL
// when cancelled) from the mentor to the addressee, with a stable UID, the
// meeting's SEQUENCE and the meeting's own title, the same as the feed's.
func TestInvitationMail(t *testing.T) {
	cat, err := i18n.Load(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	r, err := NewRenderer(templates.FS(), cat, "https://mentor.example.org", func() *time.Location { return ams })
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2027, 4, 6, 14, 0, 0, 0, ams)
	for _, cancelled := range []bool{false, true} {
		kind, method := models.MailMeetingChanged, "REQUEST"
		if cancelled {
			kind, method = models.MailMeetingCancel, "CANCEL"
		}
		out := models.OutgoingMail{To: "sanne@example.org", Name: "Sanne Bakker", Language: "nl", Kind: kind + ":intervision",
			GroupName: "Groep Noord", StartsAt: start, EndsAt: start.Add(2 * time.Hour), Location: "Zaal 3", UID: "meeting-42",
			Sequence: 3, Cancelled: cancelled, OrganizerName: "Marieke de Vries", OrganizerEmail: "mentor@example.org", Path: "/meetings/42"}
		msg, err := r.Render(out, "k")
		if err != nil {
			t.Fatal(err)
		}
		if msg.Method != method {
			t.Fatalf("method %q, want %q", msg.Method, method)
		}
		cal, err := ical.NewDecoder(bytes.NewReader(msg.ICS)).Decode()
		if err != nil {
			t.Fatalf("%v\n%s", err, msg.ICS)
		}
		if m := cal.Props.Get(ical.PropMethod); m == nil || m.Value != method {
			t.Fatalf("METHOD %v, want %s", m, method)
		}
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("%d events", len(events))
		}
		ev := events[0]
		check := map[string]string{ical.PropUID: "meeting-42@mentor.example.org", ical.PropSequence: "3",
			ical.PropSummary: "Intervisie · Groep Noord", ical.PropOrganizer: "mailto:mentor@example.org",
			ical.PropAttendee: "mailto:sanne@example.org"}
		if cancelled {
			check[ical.PropStatus] = "CANCELLED"
		}
		for prop, want := range check {
			if p := ev.Props.Get(prop); p == nil || p.Value != want {
				t.Errorf("%s %s: %v, want %q", method, prop, p, want)
			}
		}
		if got := Summary(cat, "nl", "intervision", "Groep Noord", ""); got != check[ical.PropSummary] {
			t.Errorf("the feed's title %q differs from the invitation's", got)
		}
		if len(ev.Props.Values(ical.PropAttendee)) != 1 {
			t.Errorf("attendees other than the addressee: %v", ev.Props.Values(ical.PropAttendee))
		}
		at, err := ev.DateTimeStart(nil)
		if err != nil || !at.Equal(start) {
			t.Errorf("start %v, want %v (%v)", at, start, err)
		}
		if strings.Contains(msg.Subject, "Gewijzigd") && strings.Contains(string(msg.ICS), "SUMMARY:Gewijzigd") {
			t.Error("the mail subject leaked into the calendar title")
		}
	}
}

// TestMessageIDs: a delivery's Message-ID keeps its key and carries the
// installation's id, so two installations never share one.
func TestMessageIDs(t *testing.T) {
	a, b := MessageID("meeting_7d:meeting:4:20270406T120000Z:9", "0a1b2c3d4e5f6a7b"), MessageID("meeting_7d:meeting:4:20270406T120000Z:9", "ffeeddccbbaa9988")
	if a == b || a != "meeting_7d.meeting.4.20270406T120000Z.9@0a1b2c3d4e5f6a7b.crossmentor" {
		t.Fatalf("Message-IDs %q and %q", a, b)
	}
}
