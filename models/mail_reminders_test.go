package models_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// dueOf returns the next attempt time of the deliveries of a kind about a subject.
func dueOf(t *testing.T, db *gorm.DB, kind, subjectType string, id uint) []time.Time {
	t.Helper()
	var ds []models.MailDelivery
	if err := db.Where("kind = ? AND subject_type = ? AND subject_id = ?", kind, subjectType, id).Find(&ds).Error; err != nil {
		t.Fatal(err)
	}
	seen := map[time.Time]bool{}
	var out []time.Time
	for _, d := range ds {
		if !seen[d.NextAttemptAt.UTC()] {
			seen[d.NextAttemptAt.UTC()] = true
			out = append(out, d.NextAttemptAt.UTC())
		}
	}
	return out
}

// TestRemindersKeepLocalTime: through both changes of daylight-saving time
// in 2027, in Europe/Amsterdam and America/New_York, "in a week" and
// "tomorrow" are due at the meeting's own clock time seven days and one
// day before, and "due today" arrives on the organisation's date, also
// when the runs of that day were missed.
func TestRemindersKeepLocalTime(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	var g models.MentorGroup
	if err := db.Where("name = ?", "Groep Noord").First(&g).Error; err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		zone    string
		changes []string // the days the clocks change in 2027
	}{
		{"Europe/Amsterdam", []string{"2027-03-28", "2027-10-31"}},
		{"America/New_York", []string{"2027-03-14", "2027-11-07"}},
	} {
		loc, err := time.LoadLocation(tc.zone)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Model(&models.Organisation{}).Where("id = ?", models.OrganisationID).Update("time_zone", tc.zone).Error; err != nil {
			t.Fatal(err)
		}
		for _, change := range tc.changes {
			day, _ := time.ParseInLocation("2006-01-02", change, loc)
			// A meeting at 14:00 the day after the change (the day reminder
			// crosses it) and one five days after (the week reminder does).
			for _, offset := range []int{1, 5} {
				starts := time.Date(day.Year(), day.Month(), day.Day()+offset, 14, 0, 0, 0, loc)
				m := models.Meeting{GroupID: g.ID, Kind: models.KindWorkVisit, StartsAt: starts.UTC(), EndsAt: starts.Add(2 * time.Hour).UTC(),
					Status: models.MeetingPlanned}
				if err := db.Create(&m).Error; err != nil {
					t.Fatal(err)
				}
				// Runs every three hours from nine days before until the meeting.
				for now := starts.AddDate(0, 0, -9); now.Before(starts); now = now.Add(3 * time.Hour) {
					if err := models.ScheduleReminders(ctx, db, now.UTC()); err != nil {
						t.Fatal(err)
					}
				}
				week, dayBefore := dueOf(t, db, models.MailMeeting7d, "meeting", m.ID), dueOf(t, db, models.MailMeeting1d, "meeting", m.ID)
				if len(week) != 1 || !week[0].Equal(starts.AddDate(0, 0, -7)) || week[0].In(loc).Hour() != 14 {
					t.Errorf("%s, meeting %s: week reminder due %v, want 14:00 local seven days before", tc.zone, starts, week)
				}
				if len(dayBefore) != 1 || !dayBefore[0].Equal(starts.AddDate(0, 0, -1)) || dayBefore[0].In(loc).Hour() != 14 {
					t.Errorf("%s, meeting %s: day reminder due %v, want 14:00 local the day before", tc.zone, starts, dayBefore)
				}
			}
			// An action due on the day of the change: nothing the evening
			// before (already that date in UTC in New York), due at 07:00
			// local on the day, and still made when that day's runs were
			// missed.
			a := models.ActionItem{GroupID: g.ID, HolderID: g.MentorID, Text: "Agenda rondsturen", DueOn: models.DateOf(day)}
			if err := db.Create(&a).Error; err != nil {
				t.Fatal(err)
			}
			eve := time.Date(day.Year(), day.Month(), day.Day()-1, 21, 0, 0, 0, loc)
			if err := models.ScheduleReminders(ctx, db, eve.UTC()); err != nil {
				t.Fatal(err)
			}
			if got := dueOf(t, db, models.MailActionDue, "action", a.ID); len(got) != 0 {
				t.Errorf("%s: 'due today' made the evening before: %v", tc.zone, got)
			}
			next := time.Date(day.Year(), day.Month(), day.Day()+1, 9, 0, 0, 0, loc) // the due day's runs were missed
			if err := models.ScheduleReminders(ctx, db, next.UTC()); err != nil {
				t.Fatal(err)
			}
			got := dueOf(t, db, models.MailActionDue, "action", a.ID)
			want := time.Date(day.Year(), day.Month(), day.Day(), models.ActionReminderHour, 0, 0, 0, loc)
			if len(got) != 1 || !got[0].Equal(want) {
				t.Errorf("%s: 'due today' for %s: %v, want one at %s", tc.zone, change, got, want)
			}
		}
	}
}
