package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestProgrammeSeriesAsPerGroup: planning a programme at once leaves every
// group as saving its own series would: each meeting in the series at its
// instance (saving one group's series again moves none), the series at
// sequence 1, and one notice per active mentee and the mentor, by mail or
// digest as each chose, a second later than an earlier notice of a plan.
func TestProgrammeSeriesAsPerGroup(t *testing.T) {
	db := apptest.DB(t)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	ctx := models.WithRequest(context.Background(), "", func() time.Time { return now })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.Create(&models.Organisation{ID: models.OrganisationID, Name: "Reeks", TimeZone: "Europe/Amsterdam", DefaultLanguage: "nl"}).Error)
	prog := models.Programme{Name: "Cohort", StartsOn: models.NewDate(2027, 1, 4), EndsOn: models.NewDate(2028, 1, 4), CadenceWeeks: 6, Status: models.ProgrammeRunning}
	must(db.Create(&prog).Error)
	people := make([]models.Person, 9)
	for i := range people {
		people[i] = models.Person{Name: fmt.Sprintf("Persoon %d", i), Email: fmt.Sprintf("p%d@reeks.test", i), Language: "nl"}
	}
	must(db.Create(&people).Error)
	groups := []models.MentorGroup{
		{ProgrammeID: prog.ID, MentorID: people[0].ID, Name: "A", Status: models.GroupActive},
		{ProgrammeID: prog.ID, MentorID: people[1].ID, Name: "B", Status: models.GroupActive},
		{ProgrammeID: prog.ID, MentorID: people[2].ID, Name: "C", Status: models.GroupForming},
	}
	must(db.Create(&groups).Error)
	since := models.NewDate(2026, 11, 1)
	must(db.Create(&[]models.Membership{
		{GroupID: groups[0].ID, PersonID: people[3].ID, Status: models.StatusActive, StatusSince: since},
		{GroupID: groups[0].ID, PersonID: people[4].ID, Status: models.StatusActive, StatusSince: since},
		{GroupID: groups[0].ID, PersonID: people[5].ID, Status: models.StatusStopped, StatusSince: since},
		{GroupID: groups[1].ID, PersonID: people[6].ID, Status: models.StatusActive, StatusSince: since},
		{GroupID: groups[2].ID, PersonID: people[7].ID, Status: models.StatusCandidate, StatusSince: since},
	}).Error)
	must(db.Create(&models.NoticeSetting{PersonID: people[4].ID, Kind: models.NoticeSeriesPlanned, Mode: models.NoticeByDigest}).Error)
	// Group B was told of a plan this very second already.
	must(db.Create(&models.Notice{Key: "earlier", RecipientID: people[1].ID, Kind: models.NoticeSeriesPlanned, SubjectType: "group",
		SubjectID: groups[1].ID, GroupID: groups[1].ID, Occurrence: now, Path: "/", CreatedAt: now}).Error)

	// A place with quotes, a backslash, a comma and braces: PostgreSQL
	// receives the meetings' columns as array literals.
	in := models.SeriesInput{FirstOn: "2027-01-11", StartTime: "14:00", CadenceWeeks: 6, DurationMin: 120, Policy: "shift", WorkVisits: "3",
		Location: `Zaal "Noord", {2} \ boven`}
	res, err := models.PlanProgrammeSeries(ctx, db, models.Viewer{PersonID: people[0].ID, Admin: true}, prog.ID, in)
	must(err)
	if res.Groups != 3 || res.Meetings == 0 {
		t.Fatalf("planned %+v", res)
	}
	snapshot := func(groupID uint) string {
		var ms []models.Meeting
		must(db.Where("group_id = ?", groupID).Order("starts_at, id").Find(&ms).Error)
		out := ""
		for _, m := range ms {
			if m.RecurrenceAt == nil || m.SeriesUID == "" {
				t.Fatalf("group %d: meeting %d is in no series", groupID, m.ID)
			}
			out += fmt.Sprintf("%d %s %s %s\n", m.Seq, m.StartsAt.UTC().Format(time.RFC3339), m.SeriesUID, m.RecurrenceAt.UTC().Format(time.RFC3339))
		}
		return out
	}
	for _, g := range groups {
		before := snapshot(g.ID)
		var s models.GroupSeries
		must(db.Where("group_id = ?", g.ID).Take(&s).Error)
		if s.Sequence != 1 || s.UID == "" {
			t.Errorf("group %s: series %q at sequence %d, want 1", g.Name, s.UID, s.Sequence)
		}
		if _, err := models.RefreshSeries(db.WithContext(ctx), g.ID); err != nil {
			t.Fatal(err)
		}
		if after := snapshot(g.ID); after != before {
			t.Errorf("group %s: saving its series again moved meetings:\n%s\nto\n%s", g.Name, before, after)
		}
	}
	type told struct {
		group, person uint
		digest        bool
	}
	var notices []models.Notice
	must(db.Where("kind = ? AND key <> ?", models.NoticeSeriesPlanned, "earlier").Find(&notices).Error)
	got := map[told]time.Time{}
	for _, n := range notices {
		got[told{n.SubjectID, n.RecipientID, n.Digest}] = n.Occurrence
	}
	want := map[told]time.Time{
		{groups[0].ID, people[0].ID, false}: now, {groups[0].ID, people[3].ID, false}: now, {groups[0].ID, people[4].ID, true}: now,
		{groups[1].ID, people[1].ID, false}: now.Add(time.Second), {groups[1].ID, people[6].ID, false}: now.Add(time.Second),
		{groups[2].ID, people[2].ID, false}: now,
	}
	if len(got) != len(want) {
		t.Errorf("%d notices, want %d: %v", len(got), len(want), got)
	}
	for k, at := range want {
		if g, ok := got[k]; !ok || !g.Equal(at) {
			t.Errorf("notice %+v at %v, want at %v", k, g, at)
		}
	}
	var mails int64
	must(db.Model(&models.MailDelivery{}).Where("kind = ?", models.NoticeSeriesPlanned).Count(&mails).Error)
	if mails != 5 { // all but the digest
		t.Errorf("%d mails queued, want 5", mails)
	}

	// A group whose mentor saves the same series on its own gets the same
	// meetings, column for column: the programme's insert names only the
	// columns a planned meeting sets, and leaves none out.
	late := models.MentorGroup{ProgrammeID: prog.ID, MentorID: people[8].ID, Name: "D", Status: models.GroupActive}
	must(db.Create(&late).Error)
	_, err = models.SaveSeries(ctx, db, models.Viewer{PersonID: people[8].ID, Mentor: true}, late.ID, in, now)
	must(err)
	rows := func(groupID uint) []map[string]any {
		var out []map[string]any
		must(db.Table("meetings").Where("group_id = ?", groupID).Order("starts_at").Find(&out).Error)
		for _, r := range out {
			for _, own := range []string{"id", "group_id", "series_uid", "created_at", "updated_at"} {
				delete(r, own)
			}
		}
		return out
	}
	bulk, alone := rows(groups[0].ID), rows(late.ID)
	if len(bulk) == 0 || len(bulk) != len(alone) {
		t.Fatalf("%d meetings planned with the programme, %d by the group's mentor", len(bulk), len(alone))
	}
	for i := range bulk {
		if fmt.Sprint(bulk[i]) != fmt.Sprint(alone[i]) {
			t.Errorf("meeting %d with the programme:\n%v\nby the group's mentor:\n%v", i, bulk[i], alone[i])
		}
	}
}
