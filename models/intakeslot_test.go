package models_test

import (
	"errors"
	"testing"
	"time"

	"crossmentor/models"
)

// TestScheduleIntake: the group's mentor plans a candidate's intake with a
// date, time and place; bad input is a field error and changes nothing;
// nobody else may plan it; it reaches both calendar feeds (and no one
// else's), moves with a rising sequence, counts in mentor time by its
// length, and once called off shows cancelled and counts no more.
func TestScheduleIntake(t *testing.T) {
	f := newLifeFixture(t)
	sanne := demoPerson(t, f.db, "mentee@demo.test")
	ahmed := demoPerson(t, f.db, "ahmed.elamrani@demo.test")
	var ms models.Membership
	if err := f.db.Where("group_id = ? AND person_id = ?", f.noord.ID, sanne).First(&ms).Error; err != nil {
		t.Fatal(err)
	}
	pieter := models.Viewer{PersonID: demoPerson(t, f.db, "pieter.hendriks@demo.test"), Mentor: true}
	good := models.IntakeScheduleInput{Date: "2026-12-10", StartTime: "10:00", DurationMin: 60, Location: "Kamer 2.14"}
	bad := []struct {
		name  string
		v     models.Viewer
		in    models.IntakeScheduleInput
		field string // "" for not found
	}{
		{"in the past", f.mentor, models.IntakeScheduleInput{Date: "2026-11-20", StartTime: "10:00", DurationMin: 45}, "date"},
		{"too long", f.mentor, models.IntakeScheduleInput{Date: "2026-12-10", StartTime: "10:00", DurationMin: 200}, "duration_min"},
		{"no time", f.mentor, models.IntakeScheduleInput{Date: "2026-12-10", StartTime: "ten", DurationMin: 45}, "start_time"},
		{"another mentor", pieter, good, ""},
		{"the candidate", models.Viewer{PersonID: sanne, Mentee: true}, good, ""},
		{"L&D", f.admin, good, ""},
	}
	for _, c := range bad {
		_, err := models.ScheduleIntake(f.ctx, f.db, c.v, ms.ID, c.in)
		var ve *models.ValidationError
		switch {
		case c.field == "" && !errors.Is(err, models.ErrNotFound):
			t.Errorf("%s: %v, want not found", c.name, err)
		case c.field != "" && (!errors.As(err, &ve) || ve.Fields[0].Field != c.field):
			t.Errorf("%s: %v, want a field error on %s", c.name, err, c.field)
		}
	}
	var n int64
	f.db.Model(&models.IntakeAppointment{}).Count(&n)
	if n != 0 {
		t.Fatalf("refused plans saved %d appointments", n)
	}

	a, err := models.ScheduleIntake(f.ctx, f.db, f.mentor, ms.ID, good)
	if err != nil {
		t.Fatal(err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	if !a.StartsAt.Equal(time.Date(2026, 12, 10, 10, 0, 0, 0, ams)) || a.EndsAt.Sub(a.StartsAt) != time.Hour || a.Location != "Kamer 2.14" {
		t.Fatalf("appointment: %+v", a)
	}
	feed := func(person uint) []models.CalendarEvent {
		t.Helper()
		token, err := models.CalendarToken(f.ctx, f.db, models.Viewer{PersonID: person}, true)
		if err != nil {
			t.Fatal(err)
		}
		events, _, err := models.FeedFor(f.ctx, f.db, token, f.now)
		if err != nil {
			t.Fatal(err)
		}
		var out []models.CalendarEvent
		for _, e := range events {
			if e.Kind == "intake" {
				out = append(out, e)
			}
		}
		return out
	}
	for _, who := range []uint{f.mentor.PersonID, sanne} {
		ev := feed(who)
		if len(ev) != 1 || !ev[0].StartsAt.Equal(a.StartsAt) || ev[0].Location != "Kamer 2.14" || ev[0].Cancelled || ev[0].With == "" {
			t.Fatalf("feed of %d: %+v", who, ev)
		}
	}
	if ev := feed(ahmed); len(ev) != 0 {
		t.Fatalf("another mentee's feed holds the intake: %+v", ev)
	}
	hours := func() models.MentorHours {
		h, err := models.PlannedMentorHours(f.ctx, f.db, f.mentor, time.Date(2026, 12, 15, 12, 0, 0, 0, ams))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	if h := hours(); h.Intakes != 1 {
		t.Fatalf("December intakes: %v hours, want 1", h.Intakes)
	}

	good.StartTime = "11:00"
	if a, err = models.ScheduleIntake(f.ctx, f.db, f.mentor, ms.ID, good); err != nil || a.Sequence != 1 {
		t.Fatalf("moved: %+v %v", a, err)
	}
	if ev := feed(sanne); len(ev) != 1 || ev[0].Sequence != 1 || ev[0].StartsAt.In(ams).Hour() != 11 {
		t.Fatalf("moved in the feed: %+v", ev)
	}
	if err := models.CancelIntake(f.ctx, f.db, f.mentor, ms.ID); err != nil {
		t.Fatal(err)
	}
	if ev := feed(f.mentor.PersonID); len(ev) != 1 || !ev[0].Cancelled || ev[0].Sequence != 2 {
		t.Fatalf("cancelled in the feed: %+v", ev)
	}
	if h := hours(); h.Intakes != 0 {
		t.Fatalf("a cancelled intake counts %v hours", h.Intakes)
	}
	if err := models.CancelIntake(f.ctx, f.db, f.mentor, ms.ID); err == nil {
		t.Fatal("cancelled twice")
	}
}
