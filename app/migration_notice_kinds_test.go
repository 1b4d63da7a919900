package app_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/migrations"
	"crossmentor/models"
)

// TestMigrationNeutralNoticeKinds: step 0026 stores the notices, mails and
// choices made under the old request and apology kinds under the neutral
// ones (apologies about their meeting), rolls back and applies again
// (SQLite, or PostgreSQL with TEST_DATABASE_URL).
func TestMigrationNeutralNoticeKinds(t *testing.T) {
	ctx := context.Background()
	db := apptest.Empty(t)
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := app.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	var sanne, mentor models.Person
	if err := db.Where("email = ?", "mentee@demo.test").Take(&sanne).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Where("email = ?", "mentor@demo.test").Take(&mentor).Error; err != nil {
		t.Fatal(err)
	}
	var coming models.Meeting
	if err := db.Where("status = ? AND starts_at > ? AND group_id = (SELECT group_id FROM memberships WHERE person_id = ? LIMIT 1)",
		models.MeetingPlanned, time.Now(), sanne.ID).Order("starts_at").First(&coming).Error; err != nil {
		t.Fatal(err)
	}
	// Only the rows below: none from the demo's story.
	for _, table := range []string{"notices", "mail_deliveries", "notice_settings"} {
		if err := db.Exec("DELETE FROM "+table+" WHERE kind IN ?", []string{models.NoticeOneOnOneRequest, models.NoticeMeetingNote}).Error; err != nil {
			t.Fatal(err)
		}
	}
	db.Where("meeting_id = ? AND person_id = ?", coming.ID, sanne.ID).Delete(&models.Apology{})
	ap := models.Apology{MeetingID: coming.ID, PersonID: sanne.ID}
	if err := db.Create(&ap).Error; err != nil {
		t.Fatal(err)
	}
	occ := coming.StartsAt.UTC()
	stamp := occ.Format("20060102T150405Z")
	old := []models.Notice{
		{Key: "oneonone_urgent:talk_request:1:" + stamp + ":" + itoa(mentor.ID), RecipientID: mentor.ID, Kind: "oneonone_urgent",
			SubjectType: "talk_request", SubjectID: 1, Occurrence: occ},
		{Key: "apology_sent:apology:" + itoa(ap.ID) + ":" + stamp + ":" + itoa(mentor.ID), RecipientID: mentor.ID, Kind: "apology_sent",
			SubjectType: "apology", SubjectID: ap.ID, Occurrence: occ},
		{Key: "apology_sent:apology:999999:" + stamp + ":" + itoa(mentor.ID), RecipientID: mentor.ID, Kind: "apology_sent",
			SubjectType: "apology", SubjectID: 999999, Occurrence: occ},
	}
	if err := db.Create(&old).Error; err != nil {
		t.Fatal(err)
	}
	for _, n := range old[:2] {
		if err := db.Create(&models.MailDelivery{Key: n.Key, Kind: n.Kind, RecipientID: n.RecipientID, SubjectType: n.SubjectType,
			SubjectID: n.SubjectID, Occurrence: occ, Status: models.DeliveryPending, NextAttemptAt: time.Now()}).Error; err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []models.NoticeSetting{{PersonID: mentor.ID, Kind: "oneonone_asked", Mode: models.NoticeByDigest},
		{PersonID: mentor.ID, Kind: "oneonone_declined", Mode: models.NoticeInApp}, {PersonID: mentor.ID, Kind: "apology_sent", Mode: models.NoticeInApp}} {
		if err := db.Create(&s).Error; err != nil {
			t.Fatal(err)
		}
	}
	var step = migrations.All()[0]
	for _, m := range migrations.All() {
		if m.ID == "0026_neutral_notice_kinds" {
			step = m
		}
	}
	if err := step.Migrate(db); err != nil {
		t.Fatal(err)
	}
	oldKinds := []string{"oneonone_asked", "oneonone_urgent", "oneonone_countered", "oneonone_declined", "apology_sent"}
	for _, table := range []string{"notices", "mail_deliveries", "notice_settings"} {
		var n int64
		if err := db.Table(table).Where("kind IN ?", oldKinds).Count(&n).Error; err != nil || n != 0 {
			t.Errorf("%s: %d rows of the old kinds (%v)", table, n, err)
		}
	}
	var notes []models.Notice
	db.Where("kind = ?", models.NoticeMeetingNote).Find(&notes)
	if len(notes) != 1 || notes[0].SubjectType != "meeting" || notes[0].SubjectID != coming.ID ||
		notes[0].Key != "meeting_note:meeting:"+itoa(coming.ID)+":"+stamp+":"+itoa(mentor.ID) {
		t.Errorf("apology notices: %+v", notes)
	}
	var mails []models.MailDelivery
	db.Where("kind IN ?", []string{models.NoticeMeetingNote, models.NoticeOneOnOneRequest}).Find(&mails)
	if len(mails) != 2 {
		t.Errorf("%d mails under the new kinds, want 2", len(mails))
	}
	modes, err := models.NoticeModesOf(ctx, db, models.Viewer{PersonID: mentor.ID})
	if err != nil || modes[models.NoticeOneOnOneRequest] != models.NoticeByDigest || modes[models.NoticeMeetingNote] != models.NoticeInApp {
		t.Errorf("choices: %v, %v", modes, err)
	}

	if err := migrations.New(db).RollbackMigration(step); err != nil {
		t.Fatalf("roll back: %v", err)
	}
	var back int64
	db.Model(&models.Notice{}).Where("kind IN ?", []string{"oneonone_asked", "apology_sent"}).Count(&back)
	if back != 2 {
		t.Errorf("%d notices back under the old kinds, want 2", back)
	}
	db.Model(&models.NoticeSetting{}).Where("kind IN ?", oldKinds).Count(&back)
	if back != 4 {
		t.Errorf("%d choices back under the old kinds, want 4", back)
	}
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	db.Model(&models.Notice{}).Where("kind IN ?", oldKinds).Count(&back)
	if back != 0 {
		t.Errorf("%d notices under the old kinds after migrating again", back)
	}
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }
