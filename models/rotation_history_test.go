package models_test

import (
	"testing"

	"crossmentor/models"
)

// TestProposedRolesFollowHistory: the meeting page proposes the facilitator
// after the most recent one in time; a cancelled meeting's roles are not
// counted, and series numbers out of time order change nothing.
func TestProposedRolesFollowHistory(t *testing.T) {
	f := newLifeFixture(t)
	var ms []models.Meeting
	err := f.db.Where("group_id = ? AND kind = ? AND status <> ? AND NOT EXISTS (SELECT 1 FROM case_questions c WHERE c.meeting_id = meetings.id)",
		f.noord.ID, models.KindIntervision, models.MeetingCancelled).Order("starts_at").Limit(3).Find(&ms).Error
	if err != nil || len(ms) < 3 {
		t.Fatalf("three intervision meetings without cases: %d, %v", len(ms), err)
	}
	if err := f.db.Exec("DELETE FROM meeting_roles WHERE meeting_id IN (SELECT id FROM meetings WHERE group_id = ?)", f.noord.ID).Error; err != nil {
		t.Fatal(err)
	}
	facilitator := func(m models.Meeting) uint {
		t.Helper()
		page, err := models.GetMeetingPage(f.ctx, f.db, f.mentor, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		return page.Proposed[models.RoleFacilitator]
	}
	first := facilitator(ms[0])
	if err := models.SaveRoles(f.ctx, f.db, f.mentor, ms[0].ID, models.RolesInput{Facilitator: first}); err != nil {
		t.Fatal(err)
	}
	second := facilitator(ms[1])
	if second == 0 || second == first {
		t.Fatalf("after %d facilitated, %d is proposed for the next meeting", first, second)
	}
	if err := models.SaveRoles(f.ctx, f.db, f.mentor, ms[1].ID, models.RolesInput{Facilitator: second}); err != nil {
		t.Fatal(err)
	}
	third := facilitator(ms[2])
	if third == second || third == 0 {
		t.Fatalf("after %d and %d facilitated, %d is proposed", first, second, third)
	}
	// Series numbers out of time order: the place in time counts.
	if err := f.db.Model(&models.Meeting{}).Where("id = ?", ms[0].ID).Update("seq", 99).Error; err != nil {
		t.Fatal(err)
	}
	if got := facilitator(ms[2]); got != third {
		t.Fatalf("with the first meeting renumbered %d is proposed, want %d", got, third)
	}
	// The second meeting cancelled: its facilitator's turn did not happen.
	if err := f.db.Model(&models.Meeting{}).Where("id = ?", ms[1].ID).Update("status", models.MeetingCancelled).Error; err != nil {
		t.Fatal(err)
	}
	if got := facilitator(ms[2]); got != second {
		t.Fatalf("with the second meeting cancelled %d is proposed, want %d as after the first", got, second)
	}
}
