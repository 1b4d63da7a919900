package models_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestRequestSentTwentyTimes: the same request sent twenty times at once
// (a double click, a retrying client) is one request and one notice; a
// different request from the same mentee is still filed.
func TestRequestSentTwentyTimes(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	sanne := models.Viewer{PersonID: demoPerson(t, db, "mentee@demo.test"), Mentee: true}
	var noord models.MentorGroup
	if err := db.Where("name = ?", "Groep Noord").First(&noord).Error; err != nil {
		t.Fatal(err)
	}
	requests := func() int64 { return countRows(t, db, "one_on_one_requests") }
	notices := func() int64 {
		var n int64
		if err := db.Model(&models.Notice{}).Where("kind = ?", models.NoticeOneOnOneRequest).
			Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	beforeR, beforeN := requests(), notices()
	for name, in := range map[string]models.RequestInput{
		"times": {Date1: localDay(3), Time1: "10:00", Date2: localDay(4), Time2: "11:00", Theme: "Grenzen stellen"},
		"asap":  {ASAP: true, Theme: "Vastgelopen"},
	} {
		var wg sync.WaitGroup
		ids := make([]uint, 20)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := models.AskOneOnOne(ctx, db, sanne, noord.ID, in)
				if err != nil {
					t.Errorf("%s: %v", name, err)
				}
				ids[i] = r.ID
			}()
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Errorf("%s: answered with requests %v, want one", name, ids)
				break
			}
		}
		beforeR++
		beforeN++
		if got := requests(); got != beforeR {
			t.Errorf("%s: %d requests stored, want %d", name, got, beforeR)
		}
		if got := notices(); got != beforeN {
			t.Errorf("%s: %d notices, want %d", name, got, beforeN)
		}
	}
	// Another theme is another request.
	if _, err := models.AskOneOnOne(ctx, db, sanne, noord.ID, models.RequestInput{ASAP: true, Theme: "Iets anders"}); err != nil {
		t.Fatal(err)
	}
	if got := requests(); got != beforeR+1 {
		t.Errorf("a different request was not filed: %d, want %d", got, beforeR+1)
	}
}

// TestMentorReadsAreAudited: the mentor reading a request's theme or a
// member's reason for apologies is a read of confidential text by someone
// other than its author, so it is in the audit log (without the text); the
// mentee reading her own is not.
func TestMentorReadsAreAudited(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	sanne := models.Viewer{PersonID: demoPerson(t, db, "mentee@demo.test"), Mentee: true}
	marieke := models.Viewer{PersonID: demoPerson(t, db, "mentor@demo.test"), Mentor: true}
	var noord models.MentorGroup
	if err := db.Where("name = ?", "Groep Noord").First(&noord).Error; err != nil {
		t.Fatal(err)
	}
	var coming models.Meeting
	if err := db.Where("group_id = ? AND status = ? AND starts_at > ?", noord.ID, models.MeetingPlanned, time.Now()).
		Order("starts_at").First(&coming).Error; err != nil {
		t.Fatal(err)
	}
	reads := func(who uint, subject string, id uint) int64 {
		var n int64
		if err := db.Model(&models.AuditEvent{}).Where("actor_id = ? AND action = ? AND subject = ? AND subject_id = ?",
			who, models.AuditRead, subject, id).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	r, err := models.AskOneOnOne(ctx, db, sanne, noord.ID, models.RequestInput{ASAP: true, Theme: "Mijn leidinggevende"})
	if err != nil {
		t.Fatal(err)
	}
	ap, err := models.SendApology(ctx, db, sanne, coming.ID, models.ApologyInput{Reason: "Ziek"})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []models.Viewer{sanne, marieke} {
		if _, err := models.GetRequest(ctx, db, v, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := models.GetMeetingPage(ctx, db, v, coming.ID); err != nil {
			t.Fatal(err)
		}
	}
	if reads(marieke.PersonID, "talk_request", r.ID) != 1 {
		t.Error("the mentor's read of the theme is not audited")
	}
	if reads(marieke.PersonID, "apology", ap.ID) != 1 {
		t.Error("the mentor's read of the reason is not audited")
	}
	if reads(sanne.PersonID, "talk_request", r.ID)+reads(sanne.PersonID, "apology", ap.ID) != 0 {
		t.Error("the mentee's read of her own text is audited")
	}
}

// TestNewMentorReadsOnlyOpenEarlierRequests: after a mentor change the new
// mentor does not read the requests answered before their term (theme and
// all), only those still waiting for an answer, which are now theirs.
func TestNewMentorReadsOnlyOpenEarlierRequests(t *testing.T) {
	f := newTenureFixture(t)
	answered, err := models.AskOneOnOne(f.ctx, f.db, f.sanne, f.noord.ID, models.RequestInput{ASAP: true, Theme: "Mijn leidinggevende"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.AnswerRequest(f.ctx, f.db, f.mentor, answered.ID, models.AnswerInput{Action: "decline"}); err != nil {
		t.Fatal(err)
	}
	open, err := models.AskOneOnOne(f.ctx, f.db, f.sanne, f.noord.ID, models.RequestInput{ASAP: true, Theme: "Werkdruk"})
	if err != nil {
		t.Fatal(err)
	}
	f.replaceMentor(t, f.newMentor.PersonID)
	if _, err := models.GetRequest(f.ctx, f.db, f.newMentor, answered.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the new mentor read a request answered before their term: %v", err)
	}
	if got, err := models.GetRequest(f.ctx, f.db, f.newMentor, open.ID); err != nil || got.Theme != "Werkdruk" {
		t.Errorf("the new mentor cannot read the open request: %+v, %v", got.OneOnOneRequest, err)
	}
	list, err := models.ListRequests(f.ctx, f.db, f.newMentor)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		if r.ID == answered.ID {
			t.Error("the new mentor's list holds a request answered before their term")
		}
	}
	if _, err := models.GetRequest(f.ctx, f.db, f.sanne, answered.ID); err != nil {
		t.Errorf("Sanne lost her own request: %v", err)
	}
}

// TestNewMentorDoesNotReadEarlierApologyReasons: the reason a member gave
// the former mentor for apologies is not read by the new mentor (that the
// member sent apologies still shows, for attendance).
func TestNewMentorDoesNotReadEarlierApologyReasons(t *testing.T) {
	f := newTenureFixture(t)
	var coming models.Meeting
	if err := f.db.Where("group_id = ? AND status = ? AND starts_at > ?", f.noord.ID, models.MeetingPlanned, time.Now()).
		Order("starts_at").First(&coming).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := models.SendApology(f.ctx, f.db, f.sanne, coming.ID, models.ApologyInput{Reason: "Gesprek met de bedrijfsarts"}); err != nil {
		t.Fatal(err)
	}
	f.replaceMentor(t, f.newMentor.PersonID)
	page, err := models.GetMeetingPage(f.ctx, f.db, f.newMentor, coming.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !page.Apologies.Sent[f.sanne.PersonID] {
		t.Error("the new mentor does not see that Sanne sent apologies")
	}
	if r := page.Apologies.Reasons[f.sanne.PersonID]; r != "" {
		t.Errorf("the new mentor reads the reason %q given before their term", r)
	}
}
