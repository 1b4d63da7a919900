package models_test

import (
	"errors"
	"testing"
	"time"

	"crossmentor/models"
)

// TestSaveMeetingPage: the meeting page's parts are saved together or not
// at all, each under its own permission.
func TestSaveMeetingPage(t *testing.T) {
	f := newTenureFixture(t)
	var m models.Meeting
	if err := f.db.Where("group_id = ? AND status = ? AND kind = ?", f.noord.ID, models.MeetingPlanned, models.KindIntervision).
		Order("starts_at DESC").First(&m).Error; err != nil {
		t.Fatal(err)
	}
	outsider := demoPerson(t, f.db, "noor.dekker@demo.test")
	notes := func(s string) *models.NotesInput { return &models.NotesInput{Notes: s} }
	rows := []struct {
		name      string
		viewer    models.Viewer
		in        models.MeetingPageInput
		wantNotes string // the notes after the save
		wantErr   string // "", "field" or "notfound"
	}{
		{"notes and roles together", f.mentor, models.MeetingPageInput{Notes: notes("Eerste versie"),
			Roles: &models.RolesInput{Facilitator: f.sanne.PersonID}}, "Eerste versie", ""},
		{"a refused role keeps the notes as they were", f.mentor, models.MeetingPageInput{Notes: notes("Tweede versie"),
			Roles: &models.RolesInput{Facilitator: outsider}}, "Eerste versie", "field"},
		{"a refused action keeps the notes as they were", f.mentor, models.MeetingPageInput{Notes: notes("Derde versie"),
			Action: &models.ActionInput{Text: "x", HolderID: outsider}}, "Eerste versie", "field"},
		{"a member may not set roles", f.sanne, models.MeetingPageInput{Roles: &models.RolesInput{Facilitator: f.sanne.PersonID}}, "Eerste versie", "notfound"},
		{"a member may not write the notes", f.sanne, models.MeetingPageInput{Notes: notes("Van Sanne")}, "Eerste versie", "notfound"},
		{"a member adds an action", f.sanne, models.MeetingPageInput{Action: &models.ActionInput{Text: "Boek lezen", HolderID: f.sanne.PersonID}}, "Eerste versie", ""},
		{"nothing to save", f.mentor, models.MeetingPageInput{}, "Eerste versie", ""},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			err := models.SaveMeetingPage(f.ctx, f.db, r.viewer, m.ID, r.in, time.Now())
			var ve *models.ValidationError
			switch r.wantErr {
			case "":
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
			case "field":
				if !errors.As(err, &ve) {
					t.Fatalf("got %v, want a field error", err)
				}
			case "notfound":
				if !errors.Is(err, models.ErrNotFound) {
					t.Fatalf("got %v, want not found", err)
				}
			}
			var got models.Meeting
			if err := f.db.First(&got, m.ID).Error; err != nil || got.Notes != r.wantNotes {
				t.Fatalf("notes %q (%v), want %q", got.Notes, err, r.wantNotes)
			}
		})
	}
	var facilitator models.MeetingRoleAssignment
	if err := f.db.Where("meeting_id = ? AND role = ?", m.ID, models.RoleFacilitator).First(&facilitator).Error; err != nil || facilitator.PersonID != f.sanne.PersonID {
		t.Fatalf("facilitator after the refusals: %+v %v", facilitator, err)
	}
}
