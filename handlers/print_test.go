package handlers_test

import (
	"fmt"
	"html"
	"strings"
	"testing"

	"crossmentor/models"
)

// TestPrintServesTheMeeting: the print of a coming meeting lists the actions
// still open from earlier ones; the print of a held meeting is its record,
// with its actions and (for the group) its notes.
func TestPrintServesTheMeeting(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	var open models.ActionItem
	if err := db.Where("group_id = ? AND done_at IS NULL AND meeting_id IS NOT NULL", noord).Order("id").First(&open).Error; err != nil {
		t.Fatalf("the demo has no open action: %v", err)
	}
	var held, next models.Meeting
	if err := db.First(&held, *open.MeetingID).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Where("group_id = ? AND status = ? AND starts_at > ?", noord, models.MeetingPlanned, held.StartsAt).
		Order("starts_at").First(&next).Error; err != nil {
		t.Fatal(err)
	}
	mentee := as(t, srv, "mentee@demo.test")
	coming := html.UnescapeString(mentee.Get(fmt.Sprintf("/meetings/%d/print", next.ID)).Body)
	if !strings.Contains(coming, open.Text) {
		t.Fatalf("the print of the next meeting lacks the open action %q", open.Text)
	}
	if held.Status != models.MeetingHeld {
		t.Fatalf("the action's meeting is %s, want held", held.Status)
	}
	record := html.UnescapeString(mentee.Get(fmt.Sprintf("/meetings/%d/print", held.ID)).Body)
	if !strings.Contains(record, open.Text) {
		t.Fatalf("the record of the held meeting lacks its action %q", open.Text)
	}
	if held.Notes != "" && !strings.Contains(record, held.Notes[:20]) {
		t.Fatal("the record of the held meeting lacks the group's notes")
	}
	if strings.Contains(record, "attendance-counts") {
		t.Fatal("a member's print counts the group's attendance")
	}
	var present int64
	if err := db.Model(&models.Attendance{}).Where("meeting_id = ? AND status = ?", held.ID, models.Present).Count(&present).Error; err != nil {
		t.Fatal(err)
	}
	mentor := html.UnescapeString(as(t, srv, "mentor@demo.test").Get(fmt.Sprintf("/meetings/%d/print", held.ID)).Body)
	if want := fmt.Sprintf("%d aanwezig", present); present == 0 || !strings.Contains(mentor, want) {
		t.Fatalf("the mentor's record does not say %q", want)
	}
}
