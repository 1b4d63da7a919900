package models_test

import (
	"errors"
	"testing"
	"time"

	"crossmentor/models"
)

// TestRoundsPerPlacedCase: two placed cases give two method rounds, each
// with its author as case presenter (never an extra one), nobody chairs
// their own round, two rounds that do not fit are said so, and a method
// whose fixed minutes exceed the meeting is refused.
func TestRoundsPerPlacedCase(t *testing.T) {
	f := newLifeFixture(t)
	var first models.CaseQuestion
	if err := f.db.Where("group_id = ? AND status = ?", f.noord.ID, models.CasePlanned).First(&first).Error; err != nil || first.MeetingID == nil {
		t.Fatalf("the demo's placed case: %v", err)
	}
	meetingID := *first.MeetingID
	var other models.Membership
	if err := f.db.Where("group_id = ? AND status = ? AND person_id <> ?", f.noord.ID, models.StatusActive, first.AuthorID).First(&other).Error; err != nil {
		t.Fatal(err)
	}
	author := models.Viewer{PersonID: other.PersonID}
	second, err := models.SubmitCase(f.ctx, f.db, author, f.noord.ID, models.CaseInput{Title: "Een tweede casus", Question: "Hoe nu?", Visibility: "group"}, f.now)
	if err != nil {
		t.Fatal(err)
	}
	// The second author is proposed or set as facilitator first.
	page, err := models.GetMeetingPage(f.ctx, f.db, f.mentor, meetingID)
	if err != nil {
		t.Fatal(err)
	}
	if err := models.SaveRoles(f.ctx, f.db, f.mentor, meetingID, models.RolesInput{Facilitator: other.PersonID,
		CaseBringers: page.Presenters}); err != nil {
		t.Fatal(err)
	}
	if _, err := models.PlaceCase(f.ctx, f.db, f.mentor, second.ID, models.PlaceInput{MeetingID: meetingID}); err != nil {
		t.Fatal(err)
	}
	page, err = models.GetMeetingPage(f.ctx, f.db, f.mentor, meetingID)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Presenters) != 2 || page.Presenters[0] != first.AuthorID || page.Presenters[1] != second.AuthorID {
		t.Fatalf("case presenters %v, want the two authors %d, %d", page.Presenters, first.AuthorID, second.AuthorID)
	}
	for _, f := range page.Roles[models.RoleFacilitator] {
		if f == first.AuthorID || f == second.AuthorID {
			t.Fatalf("case presenter %d also facilitates", f)
		}
	}
	if fac := page.Proposed[models.RoleFacilitator]; fac == first.AuthorID || fac == second.AuthorID {
		t.Fatalf("proposed facilitator %d presents a case", fac)
	}
	if got := models.AgendaRounds(page.Agenda); got != 2 || page.RoundsShort != nil {
		t.Fatalf("running order has %d rounds (short %+v), want 2 for %d minutes", got, page.RoundsShort, page.Meeting.DurationMin())
	}
	// The run view follows the stored running order.
	run, err := models.GetRunPage(f.ctx, f.db, f.mentor, meetingID, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if models.AgendaRounds(run.Blocks) != 2 {
		t.Fatalf("run view has %d rounds", models.AgendaRounds(run.Blocks))
	}

	// A meeting too short for two rounds says so and keeps one.
	m := page.Meeting
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	in := models.MeetingInput{Date: m.StartsAt.In(loc).Format("2006-01-02"), StartTime: m.StartsAt.In(loc).Format("15:04"),
		DurationMin: 45, Location: m.Location, Kind: string(m.Kind), Method: "incident"}
	if _, err := models.UpdateMeeting(f.ctx, f.db, f.mentor, meetingID, in); err != nil {
		t.Fatal(err)
	}
	page, err = models.GetMeetingPage(f.ctx, f.db, f.mentor, meetingID)
	if err != nil {
		t.Fatal(err)
	}
	if page.RoundsShort == nil || page.RoundsShort.Want != 2 || page.RoundsShort.Laid != 1 || models.AgendaRounds(page.Agenda) != 1 {
		t.Fatalf("two rounds in 45 minutes: short %+v, %d rounds", page.RoundsShort, models.AgendaRounds(page.Agenda))
	}

	// Fixed minutes above the meeting: refused, the meeting unchanged.
	in.DurationMin = 15
	_, err = models.UpdateMeeting(f.ctx, f.db, f.mentor, meetingID, in)
	var ve *models.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Code != "method_too_long" || ve.Fields[0].Field != "duration_min" {
		t.Fatalf("15 minutes for the incident method: %v", err)
	}
	var after models.Meeting
	f.db.First(&after, meetingID)
	if after.DurationMin() != 45 {
		t.Fatalf("refused change saved: %d minutes", after.DurationMin())
	}
	in.DurationMin, in.Method = 20, "u_procedure"
	if _, err = models.UpdateMeeting(f.ctx, f.db, f.mentor, meetingID, in); !errors.As(err, &ve) || ve.Fields[0].Field != "method" {
		t.Fatalf("the U-procedure in 20 minutes: %v", err)
	}
}

// TestMeetingPageRolesWithPeople: the meeting page reads the roles with its
// people; someone holding two roles is one person on the page and holds
// both, and case presenters keep the order they were set in, not their
// names', for the mentor and for a member alike.
func TestMeetingPageRolesWithPeople(t *testing.T) {
	f := newLifeFixture(t)
	var meeting models.Meeting
	if err := f.db.Where("group_id = ? AND kind = ? AND status = ?", f.noord.ID, models.KindIntervision, models.MeetingPlanned).
		Order("starts_at").First(&meeting).Error; err != nil {
		t.Fatal(err)
	}
	var members []struct {
		ID   uint
		Name string
	}
	if err := f.db.Table("memberships m").Select("p.id, p.name").Joins("JOIN people p ON p.id = m.person_id").
		Where("m.group_id = ? AND m.status = ?", f.noord.ID, models.StatusActive).Order("p.name").Scan(&members).Error; err != nil || len(members) < 3 {
		t.Fatalf("members: %v (%d)", err, len(members))
	}
	both, later, earlier := members[0].ID, members[2].ID, members[1].ID // presenters set against name order
	if err := models.SaveRoles(f.ctx, f.db, f.mentor, meeting.ID, models.RolesInput{Timekeeper: both, NoteTaker: both,
		CaseBringers: []uint{later, earlier}}); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]models.Viewer{"mentor": f.mentor, "member": {PersonID: both, Mentee: true}} {
		page, err := models.GetMeetingPage(f.ctx, f.db, v, meeting.ID)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		seen := map[uint]int{}
		for _, p := range page.People {
			seen[p.ID]++
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s: person %d is %d times on the page", name, id, n)
			}
		}
		if len(seen) != len(page.People) || seen[both] != 1 {
			t.Errorf("%s: people %v", name, page.People)
		}
		if tk, nt := page.Roles[models.RoleTimekeeper], page.Roles[models.RoleNoteTaker]; len(tk) != 1 || tk[0] != both || len(nt) != 1 || nt[0] != both {
			t.Errorf("%s: timekeeper %v, note-taker %v, want %d for both", name, tk, nt, both)
		}
		if p := page.Presenters; len(p) != 2 || p[0] != later || p[1] != earlier {
			t.Errorf("%s: presenters %v, want %d then %d as set", name, p, later, earlier)
		}
	}
}
