package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestRemindersTellTheTruth: what a reminder says is decided when it goes
// out. "In a week" only while the meeting is five or more days ahead;
// "tomorrow" only for tomorrow, "today" for today, nothing for another
// day or a meeting that began; no reminder for a meeting whose invitation
// or change reached the person in the last 24 hours; the evaluation mail
// only while its form is open (SQLite, or PostgreSQL with
// TEST_DATABASE_URL).
func TestRemindersTellTheTruth(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	var m models.Meeting
	if err := db.Where("kind = ? AND status = ? AND starts_at > ? AND series_uid <> ''", models.KindIntervision, models.MeetingPlanned,
		time.Now().AddDate(0, 0, 20)).Order("starts_at").First(&m).Error; err != nil {
		t.Fatal(err)
	}
	var mentee models.Membership
	if err := db.Where("group_id = ? AND status = ?", m.GroupID, models.StatusActive).First(&mentee).Error; err != nil {
		t.Fatal(err)
	}
	var g models.MentorGroup
	db.Take(&g, m.GroupID)
	talk := models.OneOnOne{GroupID: m.GroupID, MentorID: g.MentorID, MenteeID: mentee.PersonID,
		StartsAt: m.StartsAt.AddDate(0, 0, 2), EndsAt: m.StartsAt.AddDate(0, 0, 2).Add(time.Hour), Status: "planned"}
	if err := db.Create(&talk).Error; err != nil {
		t.Fatal(err)
	}
	start := m.StartsAt.In(ams)
	if start.Hour() < 10 {
		t.Fatalf("the meeting starts at %s; the test wants it after 10:00", start)
	}
	morning := time.Date(start.Year(), start.Month(), start.Day(), 8, 0, 0, 0, ams)
	const stale = ""
	cases := []struct {
		name    string
		kind    string
		talk    bool          // the one-on-one, else the meeting
		at      time.Time     // when the mail goes out
		invited time.Duration // an invitation this long before, 0 for none
		invKind string
		want    string // the text kind, or stale
	}{
		{"a week ahead", models.MailMeeting7d, false, start.AddDate(0, 0, -7), 0, "", models.MailMeeting7d},
		{"five days ahead, a late run", models.MailMeeting7d, false, start.AddDate(0, 0, -5), 0, "", models.MailMeeting7d},
		{"four days ahead: no week reminder", models.MailMeeting7d, false, start.AddDate(0, 0, -4), 0, "", stale},
		{"the day before", models.MailMeeting1d, false, start.AddDate(0, 0, -1), 0, "", models.MailMeeting1d},
		{"the same morning: today", models.MailMeeting1d, false, morning, 0, "", models.MailMeetingToday},
		{"two days ahead: not tomorrow", models.MailMeeting1d, false, start.AddDate(0, 0, -2), 0, "", stale},
		{"begun", models.MailMeeting1d, false, start.Add(time.Minute), 0, "", stale},
		{"moved 2 hours ago", models.MailMeeting1d, false, start.AddDate(0, 0, -1), 2 * time.Hour, models.MailMeetingChanged, stale},
		{"series planned 23 hours ago", models.MailMeeting7d, false, start.AddDate(0, 0, -7), 23 * time.Hour, models.NoticeSeriesPlanned, stale},
		{"series planned 25 hours ago", models.MailMeeting7d, false, start.AddDate(0, 0, -7), 25 * time.Hour, models.NoticeSeriesPlanned, models.MailMeeting7d},
		{"one-on-one tomorrow", models.MailOneOnOne1d, true, talk.StartsAt.AddDate(0, 0, -1), 0, "", models.MailOneOnOne1d},
		{"one-on-one today", models.MailOneOnOne1d, true, talk.StartsAt.Add(-3 * time.Hour), 0, "", models.MailOneOnOneToday},
		{"one-on-one in two days", models.MailOneOnOne1d, true, talk.StartsAt.AddDate(0, 0, -2), 0, "", stale},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := models.MailDelivery{Kind: c.kind, RecipientID: mentee.PersonID, SubjectType: "meeting", SubjectID: m.ID, Occurrence: m.StartsAt}
			if c.talk {
				d.SubjectType, d.SubjectID, d.Occurrence = "one_on_one", talk.ID, talk.StartsAt
			}
			if c.invited > 0 {
				inv := models.MailDelivery{Key: "test-invitation", Kind: c.invKind, RecipientID: mentee.PersonID, SubjectType: "meeting",
					SubjectID: m.ID, Status: models.DeliverySent, NextAttemptAt: c.at.UTC(), CreatedAt: c.at.Add(-c.invited).UTC()}
				if c.invKind == models.NoticeSeriesPlanned {
					inv.SubjectType, inv.SubjectID = "group", m.GroupID
				}
				if err := db.Create(&inv).Error; err != nil {
					t.Fatal(err)
				}
				defer db.Delete(&inv)
			}
			out, err := models.ComposeDeliveryAt(ctx, db, d, c.at.UTC())

			if c.want == stale {
				if !errors.Is(err, models.ErrStale) {
					t.Fatalf("sent as %q (%v), want no reminder", out.Kind, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := out.Kind; got != c.want && got != c.want+":"+string(m.Kind) {
				t.Fatalf("says %q, want %q", got, c.want)
			}
		})
	}
	// The evaluation invitation says the form is open, and goes no more
	// once the round has closed (a month after it opened).
	opens := models.DateOf(start).AddMonths(1)
	eval := models.MailDelivery{Kind: models.MailEvaluation, RecipientID: mentee.PersonID, SubjectType: "group", SubjectID: m.GroupID, Occurrence: opens.Time}
	if out, err := models.ComposeDeliveryAt(ctx, db, eval, opens.AddDate(0, 0, 3)); err != nil || out.Kind != models.MailEvaluationOpen {
		t.Fatalf("evaluation invitation while the form is open: %q %v", out.Kind, err)
	}
	if _, err := models.ComposeDeliveryAt(ctx, db, eval, opens.AddMonths(1).Add(time.Hour)); !errors.Is(err, models.ErrStale) {
		t.Fatalf("evaluation invitation after the round closed: %v", err)
	}
}
