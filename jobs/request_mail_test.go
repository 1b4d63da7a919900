package jobs_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"crossmentor/models"
)

// TestRequestAndApologyMails: through the mail job and the SMTP sink, a
// request tells the mentor, an urgent one too (at once, even with a daily
// digest chosen for requests), a counter-proposal and a refusal tell the
// mentee, an agreed one-on-one reaches both as an iTIP REQUEST, and an
// apology tells the mentor. No theme, message or reason reaches a mail.
func TestRequestAndApologyMails(t *testing.T) {
	b := newNoticeBench(t)
	ctx := context.Background()
	mentor := models.Viewer{PersonID: b.person("mentor@demo.test"), Mentor: true}
	sanne := models.Viewer{PersonID: b.person("mentee@demo.test"), Mentee: true}
	nrd := b.group("Groep Noord")
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	day := func(n int) string { return time.Now().In(ams).AddDate(0, 0, n).Format("2006-01-02") }
	if err := models.SetNoticeModes(ctx, b.db, mentor, map[string]string{models.NoticeOneOnOneRequest: models.NoticeByDigest}); err != nil {
		t.Fatal(err)
	}
	private := []string{"Mijn privé-onderwerp", "Liever niet nu", "Begrafenis van een oom"}
	var agreed models.OneOnOneRequest
	var coming models.Meeting
	b.db.Where("group_id = ? AND status = ? AND starts_at > ?", nrd, models.MeetingPlanned, time.Now()).Order("starts_at").First(&coming)

	steps := []struct {
		name   string
		do     func() error
		kind   string
		mailed []string
	}{
		{"asked (the mentor chose a digest: notice only)", func() error {
			_, err := models.AskOneOnOne(ctx, b.db, sanne, nrd, models.RequestInput{Date1: day(3), Time1: "10:00", Theme: private[0]})
			return err
		}, models.NoticeOneOnOneRequest, nil},
		{"asked urgently (mailed at once)", func() error {
			var err error
			agreed, err = models.AskOneOnOne(ctx, b.db, sanne, nrd, models.RequestInput{ASAP: true, Theme: private[0]})
			return err
		}, models.NoticeOneOnOneRequest, []string{"mentor@demo.test"}},
		{"countered", func() error {
			_, err := models.AnswerRequest(ctx, b.db, mentor, agreed.ID, models.AnswerInput{Action: "counter", Date: day(2), Time: "15:00"})
			return err
		}, models.NoticeOneOnOneRequest, []string{"mentee@demo.test"}},
		{"agreed", func() error {
			var err error
			agreed, err = models.AnswerRequest(ctx, b.db, sanne, agreed.ID, models.AnswerInput{Action: "accept_counter"})
			return err
		}, models.NoticeOneOnOneAgreed, sorted("mentor@demo.test", "mentee@demo.test")},
		{"declined", func() error {
			r, err := models.AskOneOnOne(ctx, b.db, sanne, nrd, models.RequestInput{Date1: day(4), Time1: "11:00"})
			if err != nil {
				return err
			}
			_, err = models.AnswerRequest(ctx, b.db, mentor, r.ID, models.AnswerInput{Action: "decline", Message: private[1]})
			return err
		}, models.NoticeOneOnOneRequest, []string{"mentee@demo.test"}},
		{"apology", func() error {
			_, err := models.SendApology(ctx, b.db, sanne, coming.ID, models.ApologyInput{Reason: private[2]})
			return err
		}, models.NoticeMeetingNote, []string{"mentor@demo.test"}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		notices, mailed, msgs := b.since()
		if len(notices[s.kind]) == 0 {
			t.Errorf("%s: no %s notice (%v)", s.name, s.kind, notices)
		}
		if !slices.Equal(mailed, s.mailed) {
			t.Errorf("%s: mailed %v, want %v", s.name, mailed, s.mailed)
		}
		for _, m := range msgs {
			for _, p := range private {
				if strings.Contains(m.Data, p) {
					t.Errorf("%s: a mail holds %q", s.name, p)
				}
			}
			cals := invitations(t, m.Data)
			if s.kind != models.NoticeOneOnOneAgreed {
				if len(cals) != 0 {
					t.Errorf("%s: a calendar attachment", s.name)
				}
				continue
			}
			if len(cals) != 1 {
				t.Fatalf("%s: %d invitations to %v", s.name, len(cals), m.To)
			}
			cal := cals[0]
			if m := cal.Props.Get(ical.PropMethod); m == nil || m.Value != "REQUEST" {
				t.Errorf("METHOD %v, want REQUEST", m)
			}
			events := cal.Events()
			if len(events) != 1 {
				t.Fatalf("%d events", len(events))
			}
			e := events[0]
			uid, _ := e.Props.Text(ical.PropUID)
			if !strings.HasPrefix(uid, fmt.Sprintf("one-on-one-%d", *agreed.OneOnOneID)) {
				t.Errorf("UID %q", uid)
			}
			start, err := e.DateTimeStart(ams)
			if err != nil || !start.Equal(*agreed.CounterAt) {
				t.Errorf("DTSTART %v (%v), want %v", start, err, agreed.CounterAt)
			}
			if e.Props.Get(ical.PropOrganizer) == nil || e.Props.Get(ical.PropAttendee) == nil {
				t.Error("no ORGANIZER or ATTENDEE")
			}
		}
	}
}
