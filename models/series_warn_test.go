package models_test

import (
	"testing"

	"crossmentor/models"
)

// TestSeriesPreviewWarnings: the preview counts meetings after the
// programme's end and before now; it writes nothing.
func TestSeriesPreviewWarnings(t *testing.T) {
	f := newLifeFixture(t) // now: 25 November 2026; programme 2026-09-01..2027-09-01
	var zuid models.MentorGroup
	if err := f.db.Where("name = ?", "Groep Zuid").First(&zuid).Error; err != nil {
		t.Fatal(err)
	}
	pieter := models.Viewer{PersonID: demoPerson(t, f.db, "pieter.hendriks@demo.test"), Mentor: true}
	cases := []struct {
		name            string
		first, until    string
		inPast, pastEnd bool
	}{
		{"within the programme", "2026-12-03", "2027-08-31", false, false},
		{"starting in the past", "2026-10-01", "2027-08-31", true, false},
		{"past the programme's end", "2026-12-03", "2027-12-31", false, true},
		{"both", "2026-09-03", "2028-01-31", true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := models.SeriesInput{FirstOn: c.first, Until: c.until, Weekday: "4", StartTime: "14:00", DurationMin: 120, CadenceWeeks: 6, Policy: "shift"}
			pv, err := models.PreviewSeries(f.ctx, f.db, pieter, zuid.ID, in, f.now)
			if err != nil {
				t.Fatal(err)
			}
			if (pv.InPast > 0) != c.inPast || (pv.PastEnd > 0) != c.pastEnd {
				t.Fatalf("in the past %d, after the end %d (end %s)", pv.InPast, pv.PastEnd, pv.ProgrammeEnd)
			}
			for _, m := range pv.Plan.Meetings {
				late := models.DateOf(m.StartsAt).After(pv.ProgrammeEnd)
				if late && !c.pastEnd || m.StartsAt.Before(f.now) && !c.inPast {
					t.Fatalf("meeting on %s not counted", m.StartsAt)
				}
			}
		})
	}
	var n int64
	f.db.Model(&models.Meeting{}).Where("group_id = ?", zuid.ID).Count(&n)
	if n != 0 {
		t.Fatalf("a preview saved %d meetings", n)
	}
}

// TestExtensionPreview: the preview of an extension lists exactly the
// meetings that extending then adds, and writes nothing itself.
func TestExtensionPreview(t *testing.T) {
	f := newLifeFixture(t)
	before := len(f.meetings(t))
	pv, err := models.PreviewExtension(f.ctx, f.db, f.mentor, f.noord.ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(pv.Plan.Meetings) == 0 || !pv.PastEnd || pv.Months != 3 {
		t.Fatalf("preview: %d meetings, past end %v", len(pv.Plan.Meetings), pv.PastEnd)
	}
	if got := len(f.meetings(t)); got != before {
		t.Fatalf("the preview saved meetings: %d → %d", before, got)
	}
	if _, err := models.PreviewExtension(f.ctx, f.db, f.mentor, f.noord.ID, 13); err == nil {
		t.Fatal("13 months accepted")
	}
	if _, err := models.PreviewExtension(f.ctx, f.db, f.admin, f.noord.ID, 3); err == nil {
		t.Fatal("L&D previews a mentor's extension")
	}
	added, err := models.ExtendSeries(f.ctx, f.db, f.mentor, f.noord.ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	ms := f.meetings(t)
	if added != len(pv.Plan.Meetings) || len(ms) != before+added {
		t.Fatalf("previewed %d, added %d, meetings %d → %d", len(pv.Plan.Meetings), added, before, len(ms))
	}
	for i, p := range pv.Plan.Meetings {
		got := ms[len(ms)-len(pv.Plan.Meetings)+i]
		if !got.StartsAt.Equal(p.StartsAt) || got.Seq != p.Seq {
			t.Fatalf("meeting %d: previewed %s #%d, saved %s #%d", i, p.StartsAt, p.Seq, got.StartsAt, got.Seq)
		}
	}
}
