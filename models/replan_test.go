package models_test

import (
	"testing"
	"time"

	"crossmentor/models"
)

// noOrphans fails when a case points at a meeting that is gone, or is
// "planned" without a meeting, or a role belongs to no meeting.
func (f *lifeFixture) noOrphans(t *testing.T, step string) {
	t.Helper()
	var n int64
	f.db.Model(&models.CaseQuestion{}).Where("group_id = ? AND ((meeting_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.id = case_questions.meeting_id)) OR (status = ? AND meeting_id IS NULL))",
		f.noord.ID, models.CasePlanned).Count(&n)
	if n != 0 {
		t.Errorf("%s: %d cases orphaned", step, n)
	}
	f.db.Model(&models.MeetingRoleAssignment{}).Where("NOT EXISTS (SELECT 1 FROM meetings m WHERE m.id = meeting_roles.meeting_id)").Count(&n)
	if n != 0 {
		t.Errorf("%s: %d roles without a meeting", step, n)
	}
}

// TestReplanMovesSlotContent: replanning the series moves each future
// meeting with its work-visit or guest details, placed cases and roles to
// its slot's new date; a meeting with content that loses its slot is
// listed and needs the mentor's choice; nothing is orphaned.
func TestReplanMovesSlotContent(t *testing.T) {
	f := newLifeFixture(t)
	before := f.held(t)
	var visit, guest models.Meeting
	f.db.Where("group_id = ? AND kind = ?", f.noord.ID, models.KindWorkVisit).First(&visit)
	f.db.Where("group_id = ? AND kind = ?", f.noord.ID, models.KindGuest).First(&guest)
	var placed models.CaseQuestion
	if err := f.db.Where("group_id = ? AND status = ?", f.noord.ID, models.CasePlanned).First(&placed).Error; err != nil || placed.MeetingID == nil {
		t.Fatalf("the demo's placed case: %v", err)
	}
	caseMeeting := *placed.MeetingID
	var roles int64
	f.db.Model(&models.MeetingRoleAssignment{}).Where("meeting_id = ?", caseMeeting).Count(&roles)
	if visit.Host == "" || guest.GuestName == "" || roles == 0 {
		t.Fatalf("fixture: visit %q guest %q roles %d", visit.Host, guest.GuestName, roles)
	}

	// Thursdays from December, same rhythm.
	in := models.SeriesInput{FirstOn: "2026-12-01", Weekday: "4", StartTime: "14:00", DurationMin: 120, CadenceWeeks: 6,
		Location: "Stadskantoor, zaal 3.12", Policy: "shift"}
	pv, err := models.PreviewSeries(f.ctx, f.db, f.mentor, f.noord.ID, in, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if len(pv.Moved) == 0 || len(pv.Lost) != 0 {
		t.Fatalf("preview: %d moved, %d lost", len(pv.Moved), len(pv.Lost))
	}
	if _, err := models.SaveSeries(f.ctx, f.db, f.mentor, f.noord.ID, in, f.now); err != nil {
		t.Fatal(err)
	}
	sameHistory(t, "replan", before, f.held(t))
	f.noOrphans(t, "replan")
	var v2, g2 models.Meeting
	if err := f.db.First(&v2, visit.ID).Error; err != nil {
		t.Fatalf("the work visit is gone: %v", err)
	}
	if err := f.db.First(&g2, guest.ID).Error; err != nil {
		t.Fatalf("the guest meeting is gone: %v", err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	if v2.Kind != models.KindWorkVisit || v2.Host != visit.Host || v2.Purpose != visit.Purpose || v2.Practical != visit.Practical ||
		v2.StartsAt.In(ams).Weekday() != time.Thursday || v2.StartsAt.Equal(visit.StartsAt) || v2.Seq != visit.Seq {
		t.Errorf("work visit after replanning: %+v", v2)
	}
	if g2.Kind != models.KindGuest || g2.GuestName != guest.GuestName || g2.Topic != guest.Topic || g2.StartsAt.In(ams).Weekday() != time.Thursday {
		t.Errorf("guest meeting after replanning: %+v", g2)
	}
	f.db.First(&placed, placed.ID)
	var n int64
	f.db.Model(&models.MeetingRoleAssignment{}).Where("meeting_id = ?", caseMeeting).Count(&n)
	if placed.Status != models.CasePlanned || placed.MeetingID == nil || *placed.MeetingID != caseMeeting || n != roles {
		t.Errorf("the placed case and its roles did not move with their meeting: %+v, %d roles", placed, n)
	}

	// A shorter series: the guest meeting and a meeting with the case lose their slots.
	var later models.Meeting
	f.db.Where("group_id = ? AND starts_at > ? AND kind = ?", f.noord.ID, g2.StartsAt, models.KindIntervision).Order("starts_at").First(&later)
	if _, err := models.PlaceCase(f.ctx, f.db, f.mentor, placed.ID, models.PlaceInput{MeetingID: later.ID}); err != nil {
		t.Fatal(err)
	}
	in.Until = "2027-01-31"
	pv, err = models.PreviewSeries(f.ctx, f.db, f.mentor, f.noord.ID, in, f.now)
	if err != nil {
		t.Fatal(err)
	}
	lost := map[uint]models.LostMeeting{}
	for _, l := range pv.Lost {
		lost[l.Meeting.ID] = l
	}
	if !lost[guest.ID].Details || lost[later.ID].Cases != 1 || lost[later.ID].Roles == 0 {
		t.Fatalf("the preview does not list what loses its meeting: %+v", pv.Lost)
	}
	count := len(f.meetings(t))
	if _, err := models.SaveSeries(f.ctx, f.db, f.mentor, f.noord.ID, in, f.now); fieldCode(err) != "lost_choose" {
		t.Fatalf("saved without a choice for the lost meetings: %v", err)
	}
	if len(f.meetings(t)) != count {
		t.Fatal("a refused save changed the meetings")
	}
	in.Keep, in.ReleaseLost = []uint{guest.ID}, true
	if _, err := models.SaveSeries(f.ctx, f.db, f.mentor, f.noord.ID, in, f.now); err != nil {
		t.Fatal(err)
	}
	sameHistory(t, "second replan", before, f.held(t))
	f.noOrphans(t, "second replan")
	var g3 models.Meeting
	if err := f.db.First(&g3, guest.ID).Error; err != nil || !g3.StartsAt.Equal(g2.StartsAt) || g3.GuestName != guest.GuestName || !g3.EditedByHand {
		t.Errorf("the kept guest meeting: %+v %v", g3, err)
	}
	if err := f.db.First(&models.Meeting{}, later.ID).Error; err == nil {
		t.Error("the released meeting is still there")
	}
	f.db.First(&placed, placed.ID)
	if placed.Status != models.CaseSubmitted || placed.MeetingID != nil {
		t.Errorf("the released case: %+v", placed)
	}
	todo, err := models.MentorTodo(f.ctx, f.db, f.mentor, f.now)
	if err != nil {
		t.Fatal(err)
	}
	onList := false
	for _, it := range todo {
		onList = onList || (it.Kind == models.TodoCases && it.GroupID == f.noord.ID)
	}
	if !onList {
		t.Error("the released case is not on the mentor's to-do list")
	}
}
