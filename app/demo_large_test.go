package app_test

import (
	"context"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestLoadLargeDemoSmall loads a small organisation of the large one's
// shape: every table gets all its rows, in several batches on SQLite.
func TestLoadLargeDemoSmall(t *testing.T) {
	db := apptest.DB(t)
	size := app.LargeSize{People: 400, Teams: 10, Programmes: 2, GroupsPerProgramme: 20, MenteesPerGroup: 5,
		MeetingsPerGroup: 12, OneOnOnesPerGroup: 4, CasesPerGroup: 3, SentMails: 150, AuditRows: 150}
	if err := app.LoadLargeDemo(context.Background(), db, size, 1); err != nil {
		t.Fatal(err)
	}
	groups := size.Programmes * size.GroupsPerProgramme
	for _, c := range []struct {
		model any
		want  int
	}{
		{&models.Person{}, size.People},
		{&models.MentorGroup{}, groups},
		{&models.Membership{}, groups * size.MenteesPerGroup},
		{&models.Meeting{}, groups * size.MeetingsPerGroup},
		{&models.OneOnOne{}, groups * size.OneOnOnesPerGroup},
		{&models.CaseQuestion{}, groups * size.CasesPerGroup},
		{&models.MailDelivery{}, size.SentMails},
		{&models.AuditEvent{}, size.AuditRows},
	} {
		var n int64
		if err := db.Model(c.model).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if int(n) != c.want {
			t.Errorf("%T: %d rows, want %d", c.model, n, c.want)
		}
	}
	// The memberships point at the groups' generated ids.
	var orphans int64
	if err := db.Model(&models.Membership{}).Where("group_id NOT IN (SELECT id FROM mentor_groups)").Count(&orphans).Error; err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Fatalf("%d memberships of no group", orphans)
	}
}
