package jobs_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"crossmentor/models"
)

// TestIntakeInvitations: through the mail job and the SMTP sink, planning
// an intake sends the candidate and the group's mentor one iTIP REQUEST
// each (organised by the mentor, with the feed's UID), a move sends a
// REQUEST with a higher SEQUENCE (two quick moves: one mail each, the
// latest), calling it off a CANCEL; each comes with a notice, and nobody
// else gets mail. A candidate who chose the app only
// gets the notice and no mail.
func TestIntakeInvitations(t *testing.T) {
	b := newNoticeBench(t)
	ctx := context.Background()
	mentor := models.Viewer{PersonID: b.person("mentor@demo.test"), Mentor: true}
	sanne := models.Viewer{PersonID: b.person("mentee@demo.test"), Mentee: true}
	var ms models.Membership
	if err := b.db.Where("group_id = ? AND person_id = ?", b.group("Groep Noord"), sanne.PersonID).Take(&ms).Error; err != nil {
		t.Fatal(err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	day := func(n int) string { return time.Now().In(ams).AddDate(0, 0, n).Format("2006-01-02") }
	both := sorted("mentor@demo.test", "mentee@demo.test")
	var feedUID string
	lastSeq := -1
	steps := []struct {
		name   string
		do     func() error
		kind   string
		method string
		mailed []string
	}{
		{"planned", func() error {
			_, err := models.ScheduleIntake(ctx, b.db, mentor, ms.ID, models.IntakeScheduleInput{Date: day(8), StartTime: "10:00", DurationMin: 45, Location: "Kamer 2.14"})
			return err
		}, models.NoticeIntakePlanned, "REQUEST", both},
		{"moved", func() error {
			_, err := models.ScheduleIntake(ctx, b.db, mentor, ms.ID, models.IntakeScheduleInput{Date: day(9), StartTime: "14:00", DurationMin: 60, Location: "Kamer 3.01"})
			return err
		}, models.NoticeIntakePlanned, "REQUEST", both},
		{"moved twice before the mail went out (one mail each, the latest)", func() error {
			if _, err := models.ScheduleIntake(ctx, b.db, mentor, ms.ID, models.IntakeScheduleInput{Date: day(9), StartTime: "15:00", DurationMin: 60}); err != nil {
				return err
			}
			_, err := models.ScheduleIntake(ctx, b.db, mentor, ms.ID, models.IntakeScheduleInput{Date: day(9), StartTime: "16:00", DurationMin: 60, Location: "Kamer 3.01"})
			return err
		}, models.NoticeIntakePlanned, "REQUEST", both},
		{"called off", func() error {
			return models.CancelIntake(ctx, b.db, mentor, ms.ID)
		}, models.NoticeIntakeCancelled, "CANCEL", both},
		{"planned again, the candidate chose the app only", func() error {
			if err := models.SetNoticeModes(ctx, b.db, sanne, map[string]string{models.NoticeIntakePlanned: models.NoticeInApp}); err != nil {
				return err
			}
			_, err := models.ScheduleIntake(ctx, b.db, mentor, ms.ID, models.IntakeScheduleInput{Date: day(10), StartTime: "09:00", DurationMin: 30})
			return err
		}, models.NoticeIntakePlanned, "REQUEST", []string{"mentor@demo.test"}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		notices, mailed, msgs := b.since()
		if !slices.Equal(slices.Compact(notices[s.kind]), both) || len(notices) != 1 {
			t.Errorf("%s: notices %v, want %s to %v", s.name, notices, s.kind, both)
		}
		if !slices.Equal(mailed, s.mailed) {
			t.Fatalf("%s: mailed %v, want %v", s.name, mailed, s.mailed)
		}
		var a models.IntakeAppointment
		if err := b.db.Where("membership_id = ?", ms.ID).Take(&a).Error; err != nil {
			t.Fatal(err)
		}
		if feedUID == "" {
			token, err := models.CalendarToken(ctx, b.db, sanne, true)
			if err != nil {
				t.Fatal(err)
			}
			events, _, err := models.FeedFor(ctx, b.db, token, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				if e.Kind == "intake" {
					feedUID = e.UID + "@localhost"
				}
			}
			if feedUID == "" {
				t.Fatal("no intake in the candidate's feed")
			}
		}
		seq := -1
		for _, m := range msgs {
			cals := invitations(t, m.Data)
			if len(cals) != 1 {
				t.Fatalf("%s: %d invitations to %v", s.name, len(cals), m.To)
			}
			if got := cals[0].Props.Get(ical.PropMethod); got == nil || got.Value != s.method {
				t.Errorf("%s: METHOD %v, want %s", s.name, got, s.method)
			}
			events := cals[0].Events()
			if len(events) != 1 {
				t.Fatalf("%s: %d events", s.name, len(events))
			}
			e := events[0]
			if uid, _ := e.Props.Text(ical.PropUID); uid != feedUID {
				t.Errorf("%s: UID %q, want the feed's %q", s.name, uid, feedUID)
			}
			if p := e.Props.Get(ical.PropSequence); p == nil {
				t.Errorf("%s: no SEQUENCE", s.name)
			} else if n, err := p.Int(); err != nil || n != a.Sequence {
				t.Errorf("%s: SEQUENCE %v, want %d", s.name, p.Value, a.Sequence)
			} else {
				seq = n
			}
			start, err := e.DateTimeStart(ams)
			if err != nil || !start.Equal(a.StartsAt) {
				t.Errorf("%s: DTSTART %v (%v), want %v", s.name, start, err, a.StartsAt)
			}
			org, att := e.Props.Get(ical.PropOrganizer), e.Props.Get(ical.PropAttendee)
			if org == nil || !strings.EqualFold(org.Value, "mailto:mentor@demo.test") {
				t.Errorf("%s: ORGANIZER %v, want the mentor", s.name, org)
			}
			if att == nil || !strings.EqualFold(att.Value, "mailto:"+m.To[0]) {
				t.Errorf("%s: ATTENDEE %v, want the addressee %v", s.name, att, m.To)
			}
		}
		if seq <= lastSeq {
			t.Errorf("%s: SEQUENCE %d did not rise above %d", s.name, seq, lastSeq)
		}
		lastSeq = seq
	}
}
