package models_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// demoPerson looks up a person of the demo organisation by email.
func demoPerson(t *testing.T, db *gorm.DB, email string) uint {
	t.Helper()
	var p models.Person
	if err := db.Where("email = ?", email).First(&p).Error; err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// TestMentorTodo: the mentor's to-do list names what is open in their own
// running groups only, and each item goes away once it is done.
func TestMentorTodo(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, ams)
	viewer := func(email string) models.Viewer {
		return models.Viewer{PersonID: demoPerson(t, db, email), Mentor: true}
	}
	group := func(name string) models.MentorGroup {
		var g models.MentorGroup
		if err := db.Where("name = ?", name).First(&g).Error; err != nil {
			t.Fatal(err)
		}
		return g
	}
	kinds := func(items []models.TodoItem) map[models.TodoKind][]models.TodoItem {
		out := map[models.TodoKind][]models.TodoItem{}
		for _, it := range items {
			out[it.Kind] = append(out[it.Kind], it)
		}
		return out
	}
	marieke, noord, oost := viewer("mentor@demo.test"), group("Groep Noord"), group("Groep Oost")

	items, err := models.MentorTodo(ctx, db, marieke, now)
	if err != nil {
		t.Fatal(err)
	}
	got := kinds(items)
	for _, it := range items {
		if it.GroupID == oost.ID {
			t.Errorf("a closed group is on the list: %+v", it)
		}
		if it.GroupID != noord.ID {
			t.Errorf("another mentor's group is on the list: %+v", it)
		}
	}
	if c := got[models.TodoCases]; len(c) != 1 || c[0].Count < 1 || c[0].Link == "" {
		t.Errorf("waiting cases: %+v", c)
	}
	if c := got[models.TodoIntake]; len(c) != 1 || c[0].Count != 1 {
		t.Errorf("Sem waits for his intake: %+v", c)
	}
	if len(got[models.TodoPlan]) != 0 {
		t.Errorf("Noord has meetings ahead, yet: %+v", got[models.TodoPlan])
	}

	// A meeting that has passed without attendance asks for it, until one
	// attendance row is recorded.
	past := models.Meeting{GroupID: noord.ID, Kind: models.KindIntervision, Status: models.MeetingPlanned,
		StartsAt: now.Add(-50 * time.Hour), EndsAt: now.Add(-48 * time.Hour)}
	if err := db.Create(&past).Error; err != nil {
		t.Fatal(err)
	}
	items, _ = models.MentorTodo(ctx, db, marieke, now)
	if a := kinds(items)[models.TodoAttendance]; len(a) != 1 || a[0].MeetingID != past.ID {
		t.Fatalf("attendance to record: %+v", a)
	}
	var member models.Membership
	db.Where("group_id = ? AND status = 'active'", noord.ID).First(&member)
	db.Create(&models.Attendance{MeetingID: past.ID, PersonID: member.PersonID, Status: models.Present})
	items, _ = models.MentorTodo(ctx, db, marieke, now)
	if a := kinds(items)[models.TodoAttendance]; len(a) != 0 {
		t.Fatalf("attendance recorded, still listed: %+v", a)
	}

	// An open action item of the mentor due within a week is listed; done,
	// it is not.
	action := models.ActionItem{GroupID: noord.ID, HolderID: marieke.PersonID, Text: "Gastspreker bellen",
		DueOn: models.NewDate(2026, 12, 3)}
	db.Create(&action)
	items, _ = models.MentorTodo(ctx, db, marieke, now)
	found := false
	for _, it := range kinds(items)[models.TodoAction] {
		found = found || it.Text == "Gastspreker bellen"
	}
	if !found {
		t.Fatalf("action due in four days not listed: %+v", items)
	}
	db.Model(&action).Update("done_at", now)
	items, _ = models.MentorTodo(ctx, db, marieke, now)
	for _, it := range kinds(items)[models.TodoAction] {
		if it.Text == "Gastspreker bellen" {
			t.Fatal("a done action item is still listed")
		}
	}

	// A running group with nothing ahead and no open poll asks for a plan.
	db.Model(&models.Meeting{}).Where("group_id = ? AND starts_at > ?", noord.ID, now).Update("status", models.MeetingCancelled)
	items, _ = models.MentorTodo(ctx, db, marieke, now)
	if p := kinds(items)[models.TodoPlan]; len(p) != 1 || p[0].GroupID != noord.ID {
		t.Fatalf("plan: %+v", p)
	}

	// Someone who mentors nothing has nothing to do here.
	if items, err := models.MentorTodo(ctx, db, viewer("mentee@demo.test"), now); err != nil || len(items) != 0 {
		t.Fatalf("a mentee's list: %+v %v", items, err)
	}
}

// TestMenteeTodo: a mentee is asked to answer an open date poll until they
// have, and sees their own action items due soon, not someone else's.
func TestMenteeTodo(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, ams)
	person := func(email string) uint { return demoPerson(t, db, email) }
	var noord models.MentorGroup
	db.Where("name = ?", "Groep Noord").First(&noord)
	sanne := models.Viewer{PersonID: person("mentee@demo.test"), Mentee: true}
	ahmed := models.Viewer{PersonID: person("ahmed.elamrani@demo.test"), Mentee: true}
	marieke := models.Viewer{PersonID: person("mentor@demo.test"), Mentor: true}
	count := func(v models.Viewer, kind models.TodoKind) int {
		items, err := models.MenteeTodo(ctx, db, v, now)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, it := range items {
			if it.GroupID != noord.ID {
				t.Errorf("an item of another group: %+v", it)
			}
			if it.Kind == kind {
				n++
			}
		}
		return n
	}
	if n := count(sanne, models.TodoAnswerPoll); n != 0 {
		t.Fatalf("no open poll, yet %d to answer", n)
	}
	// The group has its first meeting, so no poll can be started: a poll
	// row stands in for one (the to-do list is what is tested here).
	_ = marieke
	poll := models.DatePoll{GroupID: noord.ID, DurationMin: 120, Status: "open"}
	if err := db.Create(&poll).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&[]models.PollOption{{PollID: poll.ID, StartsAt: time.Date(2027, 5, 1, 8, 0, 0, 0, time.UTC)},
		{PollID: poll.ID, StartsAt: time.Date(2027, 5, 2, 8, 0, 0, 0, time.UTC)}}).Error; err != nil {
		t.Fatal(err)
	}
	if count(sanne, models.TodoAnswerPoll) != 1 || count(ahmed, models.TodoAnswerPoll) != 1 {
		t.Fatal("an open poll is not on the members' lists")
	}
	var option models.PollOption
	db.Where("poll_id = ?", poll.ID).First(&option)
	db.Create(&models.PollAnswer{OptionID: option.ID, PersonID: sanne.PersonID, Answer: "yes"})
	if count(sanne, models.TodoAnswerPoll) != 0 || count(ahmed, models.TodoAnswerPoll) != 1 {
		t.Fatal("answering took the poll off the wrong list")
	}

	db.Create(&models.ActionItem{GroupID: noord.ID, HolderID: ahmed.PersonID, Text: "Presentatie voorbereiden", DueOn: models.NewDate(2026, 12, 1)})
	db.Create(&models.ActionItem{GroupID: noord.ID, HolderID: ahmed.PersonID, Text: "Later", DueOn: models.NewDate(2027, 3, 1)})
	if count(ahmed, models.TodoAction) != 1 {
		t.Fatal("Ahmed's action due in two days is not listed once (the one due in March is not due yet)")
	}
	before := count(sanne, models.TodoAction)
	db.Create(&models.ActionItem{GroupID: noord.ID, HolderID: ahmed.PersonID, Text: "Nog een", DueOn: models.NewDate(2026, 11, 30)})
	if count(sanne, models.TodoAction) != before {
		t.Fatal("Ahmed's action item is on Sanne's list")
	}
}
