package models_test

import (
	"errors"
	"testing"

	"crossmentor/models"
)

// TestFirstMeetingRecord: the mentor records the first meeting's working
// form and agreements (refused for anyone else, on another meeting, or out
// of range, with nothing changed), and a learning goal written in part 3
// becomes the mentee's goal once, editable from then on.
func TestFirstMeetingRecord(t *testing.T) {
	f := newLifeFixture(t)
	var first, other models.Meeting
	f.db.Where("group_id = ? AND kind = ?", f.noord.ID, models.KindFirstMeeting).First(&first)
	f.db.Where("group_id = ? AND kind = ?", f.noord.ID, models.KindIntervision).First(&other)
	sanne := demoPerson(t, f.db, "mentee@demo.test")
	good := models.FirstRecordInput{WorkingForm: "Intervisie met de incidentmethode", CadenceWeeks: 6, DurationMin: 120,
		Visits: "Ja: het datacenter in Zwolle", Agreements: "We beginnen op tijd."}
	cases := []struct {
		name  string
		v     models.Viewer
		id    uint
		in    models.FirstRecordInput
		field string // "" and notFound: ErrNotFound
		ok    bool
	}{
		{"a mentee", models.Viewer{PersonID: sanne, Mentee: true}, first.ID, good, "", false},
		{"L&D", f.admin, first.ID, good, "", false},
		{"another meeting", f.mentor, other.ID, good, "", false},
		{"cadence out of range", f.mentor, first.ID, models.FirstRecordInput{CadenceWeeks: 40}, "agreed_cadence_weeks", false},
		{"duration out of range", f.mentor, first.ID, models.FirstRecordInput{DurationMin: 5}, "agreed_duration_min", false},
		{"the mentor", f.mentor, first.ID, good, "", true},
	}
	for _, c := range cases {
		err := models.SaveFirstRecord(f.ctx, f.db, c.v, c.id, c.in)
		var ve *models.ValidationError
		switch {
		case c.ok && err != nil:
			t.Fatalf("%s: %v", c.name, err)
		case !c.ok && c.field == "" && !errors.Is(err, models.ErrNotFound):
			t.Fatalf("%s: %v, want not found", c.name, err)
		case !c.ok && c.field != "" && (!errors.As(err, &ve) || ve.Fields[0].Field != c.field):
			t.Fatalf("%s: %v, want a field error on %s", c.name, err, c.field)
		}
		if !c.ok {
			var m models.Meeting
			f.db.First(&m, first.ID)
			if m.WorkingForm != "" || m.AgreedCadenceWeeks != 0 {
				t.Fatalf("%s changed the record: %+v", c.name, models.FirstRecordOf(m))
			}
		}
	}
	var m models.Meeting
	f.db.First(&m, first.ID)
	if models.FirstRecordOf(m) != good {
		t.Fatalf("stored %+v, want %+v", models.FirstRecordOf(m), good)
	}

	count := func() int64 {
		var n int64
		f.db.Model(&models.LearningGoal{}).Where("person_id = ? AND group_id = ?", sanne, f.noord.ID).Count(&n)
		return n
	}
	// The demo's entries became goals when it was filled; start this one afresh.
	f.db.Model(&models.FirstMeetingEntry{}).Where("meeting_id = ? AND person_id = ?", first.ID, sanne).Update("goal_id", nil)
	before := count()
	me := models.Viewer{PersonID: sanne, Mentee: true}
	if err := models.SaveEntry(f.ctx, f.db, me, first.ID, sanne, models.EntryInput{Goal: "Beter grenzen stellen", ConductAgreed: true}); err != nil {
		t.Fatal(err)
	}
	if count() != before+1 {
		t.Fatalf("goals %d → %d, want one more", before, count())
	}
	var g models.LearningGoal
	f.db.Where("person_id = ? AND group_id = ?", sanne, f.noord.ID).Order("id DESC").First(&g)
	if g.What != "Beter grenzen stellen" {
		t.Fatalf("the new goal says %q", g.What)
	}
	if err := models.SaveEntry(f.ctx, f.db, f.mentor, first.ID, sanne, models.EntryInput{Goal: "Beter grenzen stellen, ook bij mijn leidinggevende"}); err != nil {
		t.Fatal(err)
	}
	if count() != before+1 {
		t.Fatal("saving the entry again made a second goal")
	}
}
