package models_test

import (
	"context"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestIntakeSuggestsOutcome: the kind of mentee suggests the handbook's
// outcome; left open, it applies; "must but won't" freezes.
func TestIntakeSuggestsOutcome(t *testing.T) {
	for kind, want := range map[models.MenteeKind]models.IntakeOutcome{models.KindShopper: models.OutcomeAdmit,
		models.KindNothingWrong: models.OutcomeStop, models.KindMustButWont: models.OutcomeFreeze, models.KindNeedsReferral: models.OutcomeRefer} {
		if got := models.SuggestedOutcome(kind); got != want {
			t.Errorf("%s suggests %s, want %s", kind, got, want)
		}
	}
	db := apptest.Demo(t)
	var west models.MentorGroup
	db.Where("name = ?", "Groep West").First(&west)
	iris := models.Viewer{PersonID: demoPerson(t, db, "iris.vanleeuwen@demo.test"), Mentor: true}
	var koen models.Membership
	db.Where("group_id = ? AND person_id = ?", west.ID, demoPerson(t, db, "koen.brouwer@demo.test")).First(&koen)
	it, err := models.SaveIntake(context.Background(), db, iris, koen.ID, models.IntakeInput{HeldOn: "2026-11-20",
		Kind: string(models.KindMustButWont)}, models.NewDate(2026, 11, 25))
	if err != nil {
		t.Fatal(err)
	}
	db.First(&koen, koen.ID)
	if it.Outcome != models.OutcomeFreeze || koen.Status != models.StatusFrozen {
		t.Fatalf("must but won't: outcome %s, status %s", it.Outcome, koen.Status)
	}
}

// TestActionsCarriedForward: a later meeting shows the open action items of
// earlier ones; an overdue one is marked on the holder's to-do list.
func TestActionsCarriedForward(t *testing.T) {
	f := newLifeFixture(t)
	var next models.Meeting
	f.db.Where("group_id = ? AND starts_at > ?", f.noord.ID, f.now).Order("starts_at").First(&next)
	page, err := models.GetMeetingPage(f.ctx, f.db, f.mentor, next.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range page.Earlier {
		found = found || a.Text == "Werkbezoek bij het Klant Contact Centrum regelen"
		if a.DoneAt != nil {
			t.Errorf("a done action is carried: %q", a.Text)
		}
	}
	if !found {
		t.Fatalf("the first meeting's open action is not carried forward: %+v", page.Earlier)
	}
	sanne := models.Viewer{PersonID: demoPerson(t, f.db, "mentee@demo.test"), Mentee: true}
	items, err := models.MenteeTodo(f.ctx, f.db, sanne, f.now)
	if err != nil {
		t.Fatal(err)
	}
	overdue := false
	for _, it := range items {
		overdue = overdue || (it.Kind == models.TodoAction && it.Overdue)
	}
	if !overdue {
		t.Errorf("the overdue action is not marked: %+v", items)
	}
}

// TestMentorTime: intakes count, held meetings count by their real length
// when run, and L&D sees hours per mentor with a warning far above the
// guideline, and nobody else does.
func TestMentorTime(t *testing.T) {
	f := newLifeFixture(t)
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	sept := time.Date(2026, 9, 20, 12, 0, 0, 0, ams)
	h, err := models.PlannedMentorHours(f.ctx, f.db, f.mentor, sept)
	if err != nil {
		t.Fatal(err)
	}
	// September: the intake with Sanne (0.75) and the first meeting (2 hours and preparation).
	if h.Intakes != 0.75 || h.Meetings != 2 || h.Actual != 0.75+2+0.5 {
		t.Fatalf("September: %+v", h)
	}
	var first models.Meeting
	f.db.Where("group_id = ? AND kind = ?", f.noord.ID, models.KindFirstMeeting).First(&first)
	started, ended := first.StartsAt.Add(-10*time.Minute), first.StartsAt.Add(150*time.Minute)
	if err := f.db.Create(&models.LiveRun{MeetingID: first.ID, StartedAt: &started, EndedAt: &ended}).Error; err != nil {
		t.Fatal(err)
	}
	if h, _ = models.PlannedMentorHours(f.ctx, f.db, f.mentor, sept); h.Actual != 0.75+160.0/60+0.5 || h.Total != 0.75+2+0.5 {
		t.Errorf("actual hours from the run: %+v", h)
	}
	if _, err := models.MentorLoads(f.ctx, f.db, f.mentor, sept); err != models.ErrNotFound {
		t.Errorf("a mentor sees others' hours: %v", err)
	}
	// Far above: many one-on-ones in November.
	sanne := demoPerson(t, f.db, "mentee@demo.test")
	for day := 2; day <= 12; day++ {
		f.db.Create(&models.OneOnOne{GroupID: f.noord.ID, MentorID: f.mentor.PersonID, MenteeID: sanne, Status: "planned",
			StartsAt: time.Date(2026, 11, day, 9, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 11, day, 10, 0, 0, 0, time.UTC), Theme: "balance"})
	}
	loads, err := models.MentorLoads(f.ctx, f.db, f.admin, time.Date(2026, 11, 15, 12, 0, 0, 0, ams))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range loads {
		if l.MentorID == f.mentor.PersonID {
			found = true
			if !l.FarAbove || l.Planned < 11 {
				t.Errorf("the busy mentor: %+v", l)
			}
		} else if l.FarAbove {
			t.Errorf("%s is marked far above: %+v", l.Name, l)
		}
	}
	if !found {
		t.Fatal("the mentor is not in the list")
	}
}

// TestRoundsThatFit: the agenda never runs over the meeting; nobody chairs
// the case they bring; a placed case's author replaces the case-bringer
// proposed before.
func TestRoundsThatFit(t *testing.T) {
	f := newLifeFixture(t)
	var m models.Meeting
	f.db.Where("group_id = ? AND kind = ? AND starts_at > ?", f.noord.ID, models.KindIntervision, f.now).Order("starts_at DESC").First(&m)
	page, err := models.GetMeetingPage(f.ctx, f.db, f.mentor, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	long := make([]int, len(page.Agenda))
	for i := range long {
		long[i] = 60
	}
	if err := models.SaveAgenda(f.ctx, f.db, f.mentor, m.ID, models.AgendaInput{Minutes: long}); fieldCode(err) != "agenda_too_long" {
		t.Errorf("%d×60 minutes in a %d-minute meeting: %v", len(long), m.DurationMin(), err)
	}
	ahmed := demoPerson(t, f.db, "ahmed.elamrani@demo.test")
	lotte := demoPerson(t, f.db, "lotte.visser@demo.test")
	if err := models.SaveRoles(f.ctx, f.db, f.mentor, m.ID, models.RolesInput{Facilitator: ahmed, CaseBringers: []uint{ahmed}}); fieldCode(err) != "facilitator_brings_case" {
		t.Errorf("facilitator and case-bringer at once: %v", err)
	}
	if err := models.SaveRoles(f.ctx, f.db, f.mentor, m.ID, models.RolesInput{Facilitator: ahmed, CaseBringers: []uint{lotte}}); err != nil {
		t.Fatal(err)
	}
	var c models.CaseQuestion
	f.db.Where("group_id = ? AND author_id = ?", f.noord.ID, ahmed).First(&c)
	if _, err := models.PlaceCase(f.ctx, f.db, f.mentor, c.ID, models.PlaceInput{MeetingID: m.ID}); err != nil {
		t.Fatal(err)
	}
	var roles []models.MeetingRoleAssignment
	f.db.Where("meeting_id = ?", m.ID).Find(&roles)
	bringers := 0
	for _, r := range roles {
		if r.Role == models.RoleCaseBringer {
			bringers++
			if r.PersonID != ahmed {
				t.Errorf("the proposed case-bringer %d stays beside the case's author", r.PersonID)
			}
		}
		if r.Role == models.RoleFacilitator && r.PersonID == ahmed {
			t.Error("the case's author still chairs the meeting")
		}
	}
	if bringers != 1 {
		t.Errorf("%d case-bringers, want the author only", bringers)
	}
}
