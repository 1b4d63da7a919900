package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"crossmentor/models"
)

// TestRetentionPurge: three months after a group closes its confidential
// text is gone, and the aggregate report is unchanged.
func TestRetentionPurge(t *testing.T) {
	_, db, srv := demo(t)
	ctx := context.Background()
	admin := as(t, srv, "admin@demo.test")
	noord := groupID(t, db, "Groep Noord")
	reportBefore := admin.JSON(http.MethodGet, "/api/v1/reports/participation?from=2026-01-01&to=2027-12-31", "", nil).Body
	var g models.MentorGroup
	db.Preload("Mentor").First(&g, noord)
	r := admin.PostForm(fmt.Sprintf("/groups/%d", noord), url.Values{"name": {g.Name}, "mentor_id": {fmt.Sprint(g.MentorID)},
		"discipline": {g.Discipline}, "status": {"closed"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("close group: %d", r.Status)
	}
	db.First(&g, noord)
	if g.ClosedOn == nil {
		t.Fatal("closing date not recorded")
	}
	// Last year's groups of the demo closed earlier; purge them first.
	others, err := models.PurgeClosedGroups(ctx, db, 0, *g.ClosedOn)
	if err != nil {
		t.Fatal(err)
	}
	// Not yet: two months later nothing of Noord is purged.
	res, err := models.PurgeClosedGroups(ctx, db, 3, g.ClosedOn.AddMonths(2))
	if err != nil || res.Groups != others.Groups || res.Texts != 0 {
		t.Fatalf("purged early: %+v %v", res, err)
	}
	res, err = models.PurgeClosedGroups(ctx, db, 3, g.ClosedOn.AddMonths(4))
	if err != nil || res.Groups != others.Groups+1 || res.Texts == 0 {
		t.Fatalf("purge: %+v %v", res, err)
	}
	for _, q := range []struct {
		model any
		where string
	}{
		{&models.LearningGoal{}, "group_id = ?"}, {&models.CaseQuestion{}, "group_id = ?"},
		{&models.Meeting{}, "group_id = ? AND notes <> ''"}, {&models.OneOnOne{}, "group_id = ? AND notes <> ''"},
	} {
		var n int64
		db.Model(q.model).Where(q.where, noord).Count(&n)
		if n != 0 {
			t.Errorf("%T: %d rows with text left", q.model, n)
		}
	}
	var notes []string
	db.Table("intakes").Joins("JOIN memberships m ON m.id = intakes.membership_id").Where("m.group_id = ?", noord).Pluck("intakes.notes", &notes)
	for _, n := range notes {
		if n != "" {
			t.Error("intake notes left")
		}
	}
	if after := admin.JSON(http.MethodGet, "/api/v1/reports/participation?from=2026-01-01&to=2027-12-31", "", nil).Body; after != reportBefore {
		t.Fatalf("report changed by the purge:\n%s\n%s", reportBefore, after)
	}
	if again, err := models.PurgeClosedGroups(ctx, db, 3, g.ClosedOn.AddMonths(4)); err != nil || again.Texts != 0 {
		t.Fatalf("second purge: %+v %v", again, err)
	}
}

// TestExportAndErasure: a mentee downloads their own data (not what others
// wrote), then erases it and remains only as an anonymous count.
func TestExportAndErasure(t *testing.T) {
	_, db, srv := demo(t)
	sanne := as(t, srv, "mentee@demo.test")
	r := sanne.Get("/account/export")
	if r.Status != http.StatusOK || !contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d", r.Status)
	}
	for _, own := range []string{"drukke weken", "Lastige leverancier", "bedenktijd werkt", "mentee@demo.test", `"notices": [`, `"kind": "series_planned"`, `"notice_choices": {`} {
		if !contains(r.Body, own) {
			t.Errorf("export lacks %q", own)
		}
	}
	for _, other := range []string{"Het rapport dat niemand leest", "dashboard dat niemand", "password", "Goed gesprek, duidelijke klik"} {
		if contains(r.Body, other) {
			t.Errorf("export holds %q", other)
		}
	}
	memberships := count(t, db, &models.Membership{})
	sanneID := personID(t, db, "mentee@demo.test")
	var me struct {
		CalendarURL string `json:"calendar_url"`
	}
	sanne.PostForm("/account/calendar", url.Values{})
	sanne.JSON(http.MethodGet, "/api/v1/me", "", nil).Decode(t, &me)
	feed, err := url.Parse(me.CalendarURL)
	if err != nil || sanne.Get(feed.Path).Status != http.StatusOK {
		t.Fatalf("calendar feed before erasure: %q %v", me.CalendarURL, err)
	}
	if r := sanne.PostForm("/account/erase", url.Values{"confirm": {"ja"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("erase without the word: %d", r.Status)
	}
	if r := sanne.PostForm("/account/erase", url.Values{"confirm": {"WISSEN"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("erase: %d", r.Status)
	}
	var p models.Person
	db.First(&p, sanneID)
	if p.Name != "—" || p.PasswordHash != "" || p.Email != fmt.Sprintf("erased-%d@invalid", sanneID) {
		t.Fatalf("person after erasure: %+v", p)
	}
	if n := count(t, db, &models.Membership{}); n != memberships {
		t.Fatal("erasure removed memberships; counts would change")
	}
	var active int64
	db.Model(&models.Membership{}).Where("person_id = ? AND status <> ?", sanneID, models.StatusLeft).Count(&active)
	if active != 0 {
		t.Fatalf("%d memberships not ended as left after erasure", active)
	}
	if s := sanne.Get(feed.Path).Status; s != http.StatusNotFound {
		t.Fatalf("calendar feed after erasure: %d, want 404", s)
	}
	var n int64
	db.Model(&models.LearningGoal{}).Where("person_id = ?", p.ID).Count(&n)
	if n != 0 {
		t.Fatal("goals left after erasure")
	}
	if r := sanne.Get("/"); r.Status != http.StatusSeeOther {
		t.Fatalf("still signed in after erasure: %d", r.Status)
	}
	if r := as(t, srv, "mentor@demo.test").PostForm("/account/erase", url.Values{"confirm": {"WISSEN"}}); r.Status != http.StatusForbidden {
		t.Fatalf("mentor erases self: %d, want 403", r.Status)
	}
}
