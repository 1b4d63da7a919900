package jobs_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestSeriesInvitations: planning, replanning and extending a series each
// send every member and the mentor exactly one mail, holding one
// invitation with the whole series as one recurring event (one UID, so
// clients that read only the first event or the first calendar part get it
// all) and every date in the text; moving and cancelling one meeting send
// that instance only (the series' UID with RECURRENCE-ID). After each
// step, every person's calendar as rebuilt from all the mails they got
// equals their feed, expanded the same way (SQLite, or PostgreSQL with
// TEST_DATABASE_URL).
func TestSeriesInvitations(t *testing.T) {
	b := newNoticeBench(t)
	ctx := context.Background()
	zuid := b.group("Groep Zuid")
	pieter := models.Viewer{PersonID: b.person("pieter.hendriks@demo.test"), Mentor: true}
	var want []string
	b.db.Table("memberships m").Select("p.email").Joins("JOIN people p ON p.id = m.person_id").
		Where("m.group_id = ? AND m.status = ?", zuid, models.StatusActive).Scan(&want)
	want = sorted(append(want, "pieter.hendriks@demo.test")...)
	if len(want) < 4 {
		t.Fatalf("Groep Zuid has too few people for the test: %v", want)
	}
	loc := ams(t)
	first := time.Now().In(loc).AddDate(0, 0, 14)
	for first.Weekday() != time.Tuesday {
		first = first.AddDate(0, 0, 1)
	}
	in := models.SeriesInput{FirstOn: first.Format("2006-01-02"), Until: first.AddDate(0, 6, 0).Format("2006-01-02"),
		Weekday: "2", StartTime: "14:00", DurationMin: 120, CadenceWeeks: 3, Location: "Zaal 2", WorkVisits: "3", Policy: "workday"}
	calendars := mailCalendar{}
	seriesUID := ""
	meetings := func() []models.Meeting {
		var ms []models.Meeting
		if err := b.db.Where("group_id = ? AND kind <> ?", zuid, models.KindFirstMeeting).Order("starts_at").Find(&ms).Error; err != nil {
			t.Fatal(err)
		}
		return ms
	}
	// check takes the mails of a step: one per person, each with one
	// invitation of method, holding events of one UID.
	check := func(step, method string, whole bool) []apptest.Received {
		t.Helper()
		_, mailed, msgs := b.since()
		if !slices.Equal(mailed, want) {
			t.Fatalf("%s: mails to %v, want one each to %v", step, mailed, want)
		}
		for _, m := range msgs {
			cals := invitations(t, m.Data)
			if len(cals) != 1 {
				t.Fatalf("%s: the mail to %v has %d calendar parts, want 1", step, m.To, len(cals))
			}
			cal := cals[0]
			if got := cal.Props.Get(ical.PropMethod).Value; got != method {
				t.Errorf("%s: METHOD %s, want %s", step, got, method)
			}
			uids := map[string]bool{}
			for _, ev := range cal.Events() {
				uids[ev.Props.Get(ical.PropUID).Value] = true
				if a := ev.Props.Values(ical.PropAttendee); len(a) != 1 || a[0].Value != "mailto:"+m.To[0] {
					t.Errorf("%s: attendees %v in the mail to %v", step, a, m.To)
				}
				if o := ev.Props.Get(ical.PropOrganizer); o == nil || o.Value != "mailto:pieter.hendriks@demo.test" {
					t.Errorf("%s: organiser %v", step, o)
				}
				if !whole && ev.Props.Get(ical.PropRecurrenceID) == nil {
					t.Errorf("%s: a change of one meeting without RECURRENCE-ID", step)
				}
			}
			if len(uids) != 1 {
				t.Errorf("%s: %d UIDs in one invitation, want 1", step, len(uids))
			}
			for uid := range uids {
				if seriesUID == "" {
					seriesUID = uid
				} else if uid != seriesUID {
					t.Errorf("%s: UID %s, the series has %s", step, uid, seriesUID)
				}
			}
			if whole {
				master := cal.Events()[0]
				if master.Props.Get(ical.PropRecurrenceRule) == nil || master.Props.Get(ical.PropRecurrenceID) != nil {
					t.Errorf("%s: the first event is not the series' master", step)
				}
				// Every date of the series in the text.
				body := decoded(m.Data)
				for _, mt := range meetings() {
					if mt.Status == models.MeetingCancelled {
						continue
					}
					day := mt.StartsAt.In(loc)
					if !strings.Contains(body, day.Format("15:04")) || !strings.Contains(body, " "+strconv.Itoa(day.Day())+" ") {
						t.Errorf("%s: the text lacks the meeting of %s", step, day.Format("2006-01-02 15:04"))
					}
				}
			}
			calendars.apply(t, m.To[0], cal)
		}
		for _, p := range want {
			if calendars[p][seriesUID] == nil {
				t.Errorf("%s: %s has no series in the calendar", step, p)
			}
		}
		compareWithFeeds(t, b.db, calendars)
		return msgs
	}

	if _, err := models.SaveSeries(ctx, b.db, pieter, zuid, in, time.Now()); err != nil {
		t.Fatal(err)
	}
	planned := meetings()
	if len(planned) < 6 {
		t.Fatalf("%d meetings planned", len(planned))
	}
	check("planned", "REQUEST", true)

	in.StartTime, in.CadenceWeeks = "15:00", 4
	if _, err := models.SaveSeries(ctx, b.db, pieter, zuid, in, time.Now()); err != nil {
		t.Fatal(err)
	}
	check("replanned", "REQUEST", true)

	ms := meetings()
	moved := ms[1]
	if _, err := models.UpdateMeeting(ctx, b.db, pieter, moved.ID, models.MeetingInput{Date: moved.StartsAt.In(loc).AddDate(0, 0, 1).Format("2006-01-02"),
		StartTime: "10:00", DurationMin: 90, Kind: string(moved.Kind), Method: moved.MethodKey, Location: "Zaal 5"}); err != nil {
		t.Fatal(err)
	}
	check("one moved", "REQUEST", false)

	if _, err := models.SetMeetingStatus(ctx, b.db, pieter, ms[3].ID, models.StatusChange{Status: "cancelled", Reason: "Geheime reden"}); err != nil {
		t.Fatal(err)
	}
	check("one cancelled", "CANCEL", false)

	if _, err := models.SetMeetingStatus(ctx, b.db, pieter, ms[3].ID, models.StatusChange{Status: "planned"}); err != nil {
		t.Fatal(err)
	}
	for _, m := range check("planned again", "REQUEST", false) {
		if body := decoded(m.Data); !strings.Contains(body, "toch door") && !strings.Contains(body, "after all") {
			t.Errorf("the mail to %v does not say the meeting takes place after all", m.To)
		}
	}

	if _, err := models.SetMeetingStatus(ctx, b.db, pieter, ms[4].ID, models.StatusChange{Status: "cancelled", Reason: "Geheime reden"}); err != nil {
		t.Fatal(err)
	}
	check("another cancelled", "CANCEL", false)

	if _, err := models.ExtendSeries(ctx, b.db, pieter, zuid, 2); err != nil {
		t.Fatal(err)
	}
	check("extended", "REQUEST", true)

	// After all that, the moved and the cancelled meeting are still as they were left.
	if occ := occurrences(t, calendars["pieter.hendriks@demo.test"][seriesUID]); len(occ) != len(meetings())-1 {
		t.Errorf("%d occurrences in the calendar, %d meetings of which one cancelled", len(occ), len(meetings()))
	}

	// A new mentor: the former one gets one mail, a CANCEL of every coming
	// instance of the series (one UID), after which nothing of the group is
	// left in their calendar.
	var g models.MentorGroup
	b.db.Take(&g, zuid)
	admin := models.Viewer{PersonID: b.person("admin@demo.test"), Admin: true}
	if _, err := models.UpdateGroup(ctx, b.db, admin, zuid, models.GroupInput{Name: g.Name, MentorID: b.person("iris.vanleeuwen@demo.test"),
		Discipline: g.Discipline, Status: string(g.Status)}); err != nil {
		t.Fatal(err)
	}
	_, _, msgs := b.since()
	var withdrawn int
	handedOver := mailCalendar{}
	for _, m := range msgs {
		if m.To[0] != "pieter.hendriks@demo.test" {
			calendars.apply(t, m.To[0], handedOver.takeSeries(t, m, seriesUID, "iris.vanleeuwen@demo.test"))
			continue
		}
		withdrawn++
		cals := invitations(t, m.Data)
		if len(cals) != 1 || cals[0].Props.Get(ical.PropMethod).Value != "CANCEL" {
			t.Fatalf("the former mentor's mail holds %d calendars, want one CANCEL", len(cals))
		}
		for _, ev := range cals[0].Events() {
			if ev.Props.Get(ical.PropUID).Value != seriesUID || ev.Props.Get(ical.PropRecurrenceID) == nil {
				t.Errorf("the former mentor's CANCEL names %v without an instance of the series", ev.Props.Get(ical.PropUID))
			}
		}
		calendars.apply(t, m.To[0], cals[0])
	}
	if withdrawn != 1 {
		t.Fatalf("the former mentor got %d mails, want 1", withdrawn)
	}
	if left := occurrences(t, calendars["pieter.hendriks@demo.test"][seriesUID]); len(left) != 0 {
		t.Errorf("the former mentor's calendar still holds %v", left)
	}
	// The members and the new mentor each get the series once more, now
	// organised by the new mentor; the new mentor's calendar holds it and
	// every calendar still equals its feed.
	wantNew := sorted(append(slices.DeleteFunc(slices.Clone(want), func(e string) bool { return e == "pieter.hendriks@demo.test" }),
		"iris.vanleeuwen@demo.test")...)
	var got []string
	for email := range handedOver {
		got = append(got, email)
	}
	if got = sorted(got...); !slices.Equal(got, wantNew) {
		t.Fatalf("the series after the change of mentor went to %v, want %v", got, wantNew)
	}
	delete(calendars, "pieter.hendriks@demo.test") // the former mentor's feed no longer has the group
	compareWithFeeds(t, b.db, calendars)
}

// takeSeries reads the one mail a person got after a change of mentor: one
// REQUEST of the whole series (uid), organised by organiser, noted in mc
// (a second mail to the same person fails); it returns the invitation.
func (mc mailCalendar) takeSeries(t *testing.T, m apptest.Received, uid, organiser string) *ical.Calendar {
	t.Helper()
	to := m.To[0]
	if mc[to] != nil {
		t.Fatalf("%s got more than one mail after the change of mentor", to)
	}
	cals := invitations(t, m.Data)
	if len(cals) != 1 || cals[0].Props.Get(ical.PropMethod).Value != "REQUEST" {
		t.Fatalf("the mail to %s after the change of mentor holds %d calendars, want one REQUEST", to, len(cals))
	}
	for _, ev := range cals[0].Events() {
		if ev.Props.Get(ical.PropUID).Value != uid {
			t.Errorf("the mail to %s names %v, not the series", to, ev.Props.Get(ical.PropUID))
		}
		if o := ev.Props.Get(ical.PropOrganizer); o == nil || o.Value != "mailto:"+organiser {
			t.Errorf("the mail to %s has organiser %v, want %s", to, o, organiser)
		}
	}
	mc.apply(t, to, cals[0])
	return cals[0]
}
