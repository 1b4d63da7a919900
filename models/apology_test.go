package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestApologies: a member sends apologies for a coming meeting (reason
// sealed, for the mentor alone), the mentor is told, attendance starts as
// excused for the mentor; the member takes them back; none for a held or
// cancelled meeting, and none by anyone outside the group.
func TestApologies(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	sanne := models.Viewer{PersonID: demoPerson(t, db, "mentee@demo.test"), Mentee: true}
	marieke := models.Viewer{PersonID: demoPerson(t, db, "mentor@demo.test"), Mentor: true}
	pieter := models.Viewer{PersonID: demoPerson(t, db, "pieter.hendriks@demo.test"), Mentor: true}
	var noord models.MentorGroup
	if err := db.Where("name = ?", "Groep Noord").First(&noord).Error; err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var coming, held models.Meeting
	if err := db.Where("group_id = ? AND status = ? AND starts_at > ?", noord.ID, models.MeetingPlanned, now).Order("starts_at").First(&coming).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Where("group_id = ? AND starts_at < ?", noord.ID, now).Order("starts_at DESC").First(&held).Error; err != nil {
		t.Fatal(err)
	}
	var other models.Membership
	if err := db.Where("group_id <> ? AND status = ?", noord.ID, "active").First(&other).Error; err != nil {
		t.Fatal(err)
	}
	for name, who := range map[string]models.Viewer{"the mentor": marieke, "another mentor": pieter, "another group's mentee": {PersonID: other.PersonID, Mentee: true}} {
		if _, err := models.SendApology(ctx, db, who, coming.ID, models.ApologyInput{}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s sent apologies: %v", name, err)
		}
	}
	var ve *models.ValidationError
	if _, err := models.SendApology(ctx, db, sanne, held.ID, models.ApologyInput{}); !errors.As(err, &ve) {
		t.Errorf("apologies for a past meeting: %v", err)
	}

	ap, err := models.SendApology(ctx, db, sanne, coming.ID, models.ApologyInput{Reason: "Mijn zoon is ziek"})
	if err != nil {
		t.Fatal(err)
	}
	var raw struct{ Reason string }
	db.Raw("SELECT reason FROM apologies WHERE id = ?", ap.ID).Scan(&raw)
	if raw.Reason == "" || raw.Reason == "Mijn zoon is ziek" {
		t.Errorf("reason at rest: %q, want sealed", raw.Reason)
	}
	var told int64
	db.Model(&models.Notice{}).Where("kind = ? AND recipient_id = ? AND subject_type = ? AND subject_id = ? AND other_id = ?",
		models.NoticeMeetingNote, marieke.PersonID, "meeting", coming.ID, sanne.PersonID).Count(&told)
	if told != 1 {
		t.Errorf("the mentor was told %d times", told)
	}
	if rows, err := models.ListNotices(ctx, db, marieke, 10); err != nil || len(rows) == 0 || rows[0].Says != models.SaysApologySent {
		t.Errorf("the mentor's notices: %+v, %v", rows, err)
	}
	page, err := models.GetMeetingPage(ctx, db, marieke, coming.ID)
	if err != nil {
		t.Fatal(err)
	}
	if page.Attendance[sanne.PersonID] != models.Excused || page.Apologies.Reasons[sanne.PersonID] != "Mijn zoon is ziek" {
		t.Errorf("mentor's page: attendance %v, apologies %+v", page.Attendance, page.Apologies)
	}
	mine, err := models.GetMeetingPage(ctx, db, sanne, coming.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !mine.Apologies.Mine || mine.Apologies.Reasons[sanne.PersonID] != "" {
		t.Errorf("member's page: %+v", mine.Apologies)
	}

	if err := models.WithdrawApology(ctx, db, sanne, coming.ID); err != nil {
		t.Fatal(err)
	}
	if err := models.WithdrawApology(ctx, db, sanne, coming.ID); !errors.As(err, &ve) {
		t.Errorf("taken back twice: %v", err)
	}
	page, _ = models.GetMeetingPage(ctx, db, marieke, coming.ID)
	if _, ok := page.Attendance[sanne.PersonID]; ok {
		t.Errorf("still excused after taking it back: %v", page.Attendance)
	}

	// A cancelled meeting takes no apologies.
	if err := db.Model(&coming).Update("status", models.MeetingCancelled).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := models.SendApology(ctx, db, sanne, coming.ID, models.ApologyInput{}); !errors.As(err, &ve) {
		t.Errorf("apologies for a cancelled meeting: %v", err)
	}
}
