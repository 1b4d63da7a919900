package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestInputTransitions: every step in every state by every party, against
// the handbook's flow written out here on its own: requested → drafted →
// changes_requested → drafted → approved → revoked/expired; refused;
// withdrawn before a draft; a mentor's edit after approval needs a new one.
func TestInputTransitions(t *testing.T) {
	type step struct {
		from  models.InputStatus
		act   models.InputAction
		party models.InputParty
	}
	allowed := map[step]models.InputStatus{
		{models.InputRequested, models.StepDraft, models.PartyMentor}:         models.InputDrafted,
		{models.InputRequested, models.StepWithdraw, models.PartyMentee}:      models.InputWithdrawn,
		{models.InputDrafted, models.StepDraft, models.PartyMentor}:           models.InputDrafted,
		{models.InputDrafted, models.StepAskChanges, models.PartyMentee}:      models.InputChangesRequested,
		{models.InputDrafted, models.StepApprove, models.PartyMentee}:         models.InputApproved,
		{models.InputDrafted, models.StepRefuse, models.PartyMentee}:          models.InputRefused,
		{models.InputChangesRequested, models.StepDraft, models.PartyMentor}:  models.InputDrafted,
		{models.InputChangesRequested, models.StepRefuse, models.PartyMentee}: models.InputRefused,
		{models.InputApproved, models.StepDraft, models.PartyMentor}:          models.InputDrafted,
		{models.InputApproved, models.StepRevoke, models.PartyMentee}:         models.InputRevoked,
		{models.InputApproved, models.StepExpire, models.PartyClock}:          models.InputExpired,
	}
	states := []models.InputStatus{models.InputRequested, models.InputDrafted, models.InputChangesRequested, models.InputApproved,
		models.InputRefused, models.InputWithdrawn, models.InputRevoked, models.InputExpired}
	acts := []models.InputAction{models.StepDraft, models.StepAskChanges, models.StepApprove, models.StepRefuse,
		models.StepWithdraw, models.StepRevoke, models.StepExpire}
	parties := []models.InputParty{models.PartyMentee, models.PartyMentor, models.PartyClock, "recipient", "admin"}
	refusedCount := 0
	for _, from := range states {
		for _, act := range acts {
			for _, party := range parties {
				name := fmt.Sprintf("%s/%s/%s", from, act, party)
				want, ok := allowed[step{from, act, party}]
				got, err := models.NextInputStatus(from, act, party)
				switch {
				case ok && (err != nil || got != want):
					t.Errorf("%s: got %s, %v; want %s", name, got, err, want)
				case !ok && err == nil:
					t.Errorf("%s: allowed (to %s), want refused", name, got)
				case !ok:
					var ve *models.ValidationError
					if !errors.As(err, &ve) || got != from {
						t.Errorf("%s: refused with %v and state %s, want a validation error and no change", name, err, got)
					}
					refusedCount++
				}
			}
		}
	}
	if total := len(states) * len(acts) * len(parties); refusedCount != total-len(allowed) {
		t.Errorf("refused %d of %d steps, want %d", refusedCount, total, total-len(allowed))
	}
	// The ended states allow nothing at all, for anyone.
	for _, s := range []models.InputStatus{models.InputRefused, models.InputWithdrawn, models.InputRevoked, models.InputExpired} {
		for _, p := range parties {
			if steps := s.Steps(p); len(steps) != 0 {
				t.Errorf("%s offers %v to %s", s, steps, p)
			}
		}
	}
}

// TestInputRequestFlow: the whole exception on the database, with what
// each person can read at each step, the audit and the mails.
func TestInputRequestFlow(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	today := models.DateOf(time.Now())
	sanne := models.Viewer{PersonID: demoPerson(t, db, "mentee@demo.test"), Mentee: true}
	marieke := models.Viewer{PersonID: demoPerson(t, db, "mentor@demo.test"), Mentor: true}
	karin := models.Viewer{PersonID: demoPerson(t, db, "manager@demo.test"), Manager: true}
	pieter := models.Viewer{PersonID: demoPerson(t, db, "pieter.hendriks@demo.test"), Mentor: true}
	admin := models.Viewer{PersonID: demoPerson(t, db, "admin@demo.test"), Admin: true}
	var noord models.MentorGroup
	if err := db.Where("name = ?", "Groep Noord").First(&noord).Error; err != nil {
		t.Fatal(err)
	}
	shared := func() []models.SharedInput {
		t.Helper()
		rows, err := models.InputSharedWithMe(ctx, db, karin, today, 0)
		if err != nil {
			t.Fatal(err)
		}
		var mine []models.SharedInput
		for _, r := range rows {
			if r.Purpose == "Jaargesprek maart" {
				mine = append(mine, r)
			}
		}
		return mine
	}
	until := today.AddMonths(2).String()

	// Bad requests change nothing.
	for name, in := range map[string]models.InputAskInput{
		"another group": {GroupID: noord.ID + 1000, RecipientID: karin.PersonID, Purpose: "x", Until: until},
		"the mentor":    {GroupID: noord.ID, RecipientID: marieke.PersonID, Purpose: "x", Until: until},
		"herself":       {GroupID: noord.ID, RecipientID: sanne.PersonID, Purpose: "x", Until: until},
		"nobody":        {GroupID: noord.ID, RecipientID: 99999, Purpose: "x", Until: until},
		"no purpose":    {GroupID: noord.ID, RecipientID: karin.PersonID, Purpose: "  ", Until: until},
		"date passed":   {GroupID: noord.ID, RecipientID: karin.PersonID, Purpose: "x", Until: today.AddMonths(-1).String()},
		"too far":       {GroupID: noord.ID, RecipientID: karin.PersonID, Purpose: "x", Until: today.AddMonths(13).String()},
	} {
		var ve *models.ValidationError
		if _, err := models.AskForInput(ctx, db, sanne, in, today); !errors.As(err, &ve) {
			t.Errorf("%s: %v, want a validation error", name, err)
		}
	}
	// A mentor cannot ask input of themself, nor can L&D ask for anyone.
	var ve *models.ValidationError
	if _, err := models.AskForInput(ctx, db, admin, models.InputAskInput{GroupID: noord.ID, RecipientID: karin.PersonID, Purpose: "x", Until: until}, today); !errors.As(err, &ve) {
		t.Errorf("L&D asked in a group: %v", err)
	}

	r, err := models.AskForInput(ctx, db, sanne, models.InputAskInput{GroupID: noord.ID, RecipientID: karin.PersonID,
		Purpose: "Jaargesprek maart", Until: until}, today)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct{ Purpose string }
	db.Raw("SELECT purpose FROM input_requests WHERE id = ?", r.ID).Scan(&raw)
	if raw.Purpose == "" || raw.Purpose == "Jaargesprek maart" {
		t.Errorf("purpose at rest: %q, want sealed", raw.Purpose)
	}
	deliveries := func(kind string, to uint) int64 {
		var n int64
		db.Model(&models.MailDelivery{}).Where("kind = ? AND subject_id = ? AND recipient_id = ?", kind, r.ID, to).Count(&n)
		return n
	}
	if deliveries(models.MailInputAsked, marieke.PersonID) != 1 {
		t.Error("the mentor was not mailed")
	}
	if todo, _ := models.InputTodo(ctx, db, marieke); len(todo) != 1 || todo[0].Kind != models.TodoInputWrite {
		t.Errorf("mentor's to-do: %+v", todo)
	}
	// Nobody but the two reads the request.
	for name, v := range map[string]models.Viewer{"karin": karin, "pieter": pieter, "admin": admin} {
		if _, err := models.GetInputRequest(ctx, db, v, r.ID, today); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s reads the request: %v", name, err)
		}
	}
	// Only the mentor drafts; the mentee cannot approve what was not drafted.
	if err := models.SendInputDraft(ctx, db, sanne, r.ID, models.InputDraftInput{Text: "zelf geschreven"}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("mentee drafted: %v", err)
	}
	if err := models.ReviewInput(ctx, db, sanne, r.ID, models.StepApprove, models.InputReviewInput{Until: until}, today); !errors.As(err, &ve) {
		t.Errorf("approved before a draft: %v", err)
	}
	if err := models.SendInputDraft(ctx, db, marieke, r.ID, models.InputDraftInput{Text: "Eerste versie."}); err != nil {
		t.Fatal(err)
	}
	if deliveries(models.MailInputDraft, sanne.PersonID) != 1 {
		t.Error("the mentee was not mailed the draft")
	}
	if len(shared()) != 0 {
		t.Fatal("a draft reached the recipient")
	}
	// The mentee asks for changes, the mentor sends a second version.
	if err := models.ReviewInput(ctx, db, sanne, r.ID, models.StepAskChanges, models.InputReviewInput{Version: 1}, today); !errors.As(err, &ve) {
		t.Errorf("changes without a comment: %v", err)
	}
	if err := models.ReviewInput(ctx, db, sanne, r.ID, models.StepAskChanges, models.InputReviewInput{Version: 1, Comment: "Graag concreter."}, today); err != nil {
		t.Fatal(err)
	}
	mv, err := models.GetInputRequest(ctx, db, marieke, r.ID, today)
	if err != nil || mv.Comment != "Graag concreter." || mv.Status != models.InputChangesRequested || !mv.Steps[string(models.StepDraft)] {
		t.Fatalf("mentor's view after changes asked: %+v, %v", mv, err)
	}
	if err := models.SendInputDraft(ctx, db, marieke, r.ID, models.InputDraftInput{Text: "Tweede versie.", Version: 0}); !errors.As(err, &ve) {
		t.Errorf("a draft from an old version: %v", err)
	}
	if err := models.SendInputDraft(ctx, db, marieke, r.ID, models.InputDraftInput{Text: "Sanne zegt vaker op tijd nee.", Version: 1}); err != nil {
		t.Fatal(err)
	}
	// Approving a version the mentee did not read is refused.
	if err := models.ReviewInput(ctx, db, sanne, r.ID, models.StepApprove, models.InputReviewInput{Version: 1, Until: until}, today); !errors.As(err, &ve) {
		t.Errorf("approved an old version: %v", err)
	}
	// The mentor cannot approve (share) it himself.
	if err := models.ReviewInput(ctx, db, marieke, r.ID, models.StepApprove, models.InputReviewInput{Version: 2, Until: until}, today); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("mentor approved: %v", err)
	}
	if len(shared()) != 0 {
		t.Fatal("an unapproved text reached the recipient")
	}
	if err := models.ReviewInput(ctx, db, sanne, r.ID, models.StepApprove, models.InputReviewInput{Version: 2, Until: until}, today); err != nil {
		t.Fatal(err)
	}
	if got := shared(); len(got) != 1 || got[0].Text != "Sanne zegt vaker op tijd nee." {
		t.Fatalf("recipient reads %+v, want the approved version", got)
	}
	if deliveries(models.MailInputShared, karin.PersonID) != 1 {
		t.Error("the recipient was not mailed")
	}
	// The mentor edits after approval: the recipient sees nothing until the mentee approves again.
	if err := models.SendInputDraft(ctx, db, marieke, r.ID, models.InputDraftInput{Text: "Derde versie.", Version: 2}); err != nil {
		t.Fatal(err)
	}
	if got := shared(); len(got) != 0 {
		t.Fatalf("an edited, unapproved text reached the recipient: %+v", got)
	}
	if err := models.ReviewInput(ctx, db, sanne, r.ID, models.StepApprove, models.InputReviewInput{Version: 3, Until: until}, today); err != nil {
		t.Fatal(err)
	}
	if got := shared(); len(got) != 1 || got[0].Text != "Derde versie." {
		t.Fatalf("recipient reads %+v after the new approval", got)
	}
	// Revoked: gone, and nothing more can happen.
	if err := models.ReviewInput(ctx, db, sanne, r.ID, models.StepRevoke, models.InputReviewInput{}, today); err != nil {
		t.Fatal(err)
	}
	if got := shared(); len(got) != 0 {
		t.Fatal("a revoked text is still shared")
	}
	if _, err := models.InputSharedWithMe(ctx, db, karin, today, r.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("revoked text by id: %v", err)
	}
	if err := models.SendInputDraft(ctx, db, marieke, r.ID, models.InputDraftInput{Text: "Nog eens.", Version: 3}); !errors.As(err, &ve) {
		t.Errorf("drafted after revocation: %v", err)
	}
	for _, action := range []string{models.AuditInputRequested, models.AuditInputDrafted, models.AuditInputChanges,
		models.AuditInputApproved, models.AuditInputViewed, models.AuditInputRevoked, models.AuditInputDraftRead} {
		var n int64
		db.Model(&models.AuditEvent{}).Where("action = ? AND subject = 'input_request' AND subject_id = ?", action, r.ID).Count(&n)
		if n == 0 && action != models.AuditInputDraftRead {
			t.Errorf("no audit row %s", action)
		}
	}
}

// TestInputFormerMentor: when the group gets a new mentor, the former one
// can no longer read or draft; the new one does not see the request either
// (it was asked of someone else); the mentee can still withdraw it.
func TestInputFormerMentor(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	today := models.DateOf(time.Now())
	sanne := models.Viewer{PersonID: demoPerson(t, db, "mentee@demo.test"), Mentee: true}
	marieke := models.Viewer{PersonID: demoPerson(t, db, "mentor@demo.test"), Mentor: true}
	pieter := models.Viewer{PersonID: demoPerson(t, db, "pieter.hendriks@demo.test"), Mentor: true}
	var noord models.MentorGroup
	db.Where("name = ?", "Groep Noord").First(&noord)
	r, err := models.AskForInput(ctx, db, sanne, models.InputAskInput{GroupID: noord.ID, RecipientID: demoPerson(t, db, "manager@demo.test"),
		Purpose: "Beoordeling", Until: today.AddMonths(1).String()}, today)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Model(&models.MentorGroup{}).Where("id = ?", noord.ID).Update("mentor_id", pieter.PersonID).Error; err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]models.Viewer{"former": marieke, "new": pieter} {
		if err := models.SendInputDraft(ctx, db, v, r.ID, models.InputDraftInput{Text: "x"}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s mentor drafted: %v", name, err)
		}
		if _, err := models.GetInputRequest(ctx, db, v, r.ID, today); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s mentor reads: %v", name, err)
		}
		if todo, _ := models.InputTodo(ctx, db, v); len(todo) != 0 {
			t.Errorf("%s mentor's to-do: %+v", name, todo)
		}
	}
	got, err := models.GetInputRequest(ctx, db, sanne, r.ID, today)
	if err != nil || !got.MentorChanged {
		t.Fatalf("mentee's view: %+v, %v", got, err)
	}
	if err := models.ReviewInput(ctx, db, sanne, r.ID, models.StepWithdraw, models.InputReviewInput{}, today); err != nil {
		t.Fatal(err)
	}
}

// TestInputExpiry: an approved text is gone the day after its date, and
// the sweep records that once.
func TestInputExpiry(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	today := models.DateOf(time.Now())
	sanne := models.Viewer{PersonID: demoPerson(t, db, "mentee@demo.test"), Mentee: true}
	marieke := models.Viewer{PersonID: demoPerson(t, db, "mentor@demo.test"), Mentor: true}
	karin := models.Viewer{PersonID: demoPerson(t, db, "manager@demo.test"), Manager: true}
	var noord models.MentorGroup
	db.Where("name = ?", "Groep Noord").First(&noord)
	r, err := models.AskForInput(ctx, db, sanne, models.InputAskInput{GroupID: noord.ID, RecipientID: karin.PersonID,
		Purpose: "Kort", Until: today.String()}, today)
	if err != nil {
		t.Fatal(err)
	}
	if err := models.SendInputDraft(ctx, db, marieke, r.ID, models.InputDraftInput{Text: "Alleen vandaag."}); err != nil {
		t.Fatal(err)
	}
	if err := models.ReviewInput(ctx, db, sanne, r.ID, models.StepApprove, models.InputReviewInput{Version: 1, Until: today.String()}, today); err != nil {
		t.Fatal(err)
	}
	if _, err := models.InputSharedWithMe(ctx, db, karin, today, r.ID); err != nil {
		t.Fatalf("on its last day: %v", err)
	}
	tomorrow := models.DateOf(today.AddDate(0, 0, 1))
	if _, err := models.InputSharedWithMe(ctx, db, karin, tomorrow, r.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the day after: %v", err)
	}
	n, err := models.ExpireInputRequests(ctx, db, tomorrow)
	if err != nil || n != 1 {
		t.Fatalf("expired %d, %v", n, err)
	}
	if n, _ := models.ExpireInputRequests(ctx, db, tomorrow); n != 0 {
		t.Errorf("expired again: %d", n)
	}
	var after models.InputRequest
	db.First(&after, r.ID)
	if after.Status != models.InputExpired || after.SharedText != "" {
		t.Errorf("after expiry: %s %q", after.Status, after.SharedText)
	}
	if err := models.ReviewInput(ctx, db, sanne, r.ID, models.StepRevoke, models.InputReviewInput{}, tomorrow); err == nil {
		t.Error("revoked an expired text")
	}
}

// BenchmarkInputSharedWithMe: the recipient's read of the texts shared
// with them, audit row included (the demo holds one approved input).
func BenchmarkInputSharedWithMe(b *testing.B) {
	db := apptest.Demo(b)
	ctx := context.Background()
	karin := models.Viewer{PersonID: demoPersonB(b, db, "manager@demo.test"), Manager: true}
	today := models.DateOf(time.Now())
	for b.Loop() {
		rows, err := models.InputSharedWithMe(ctx, db, karin, today, 0)
		if err != nil || len(rows) != 1 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}

func demoPersonB(b *testing.B, db *gorm.DB, email string) uint {
	var p models.Person
	if err := db.Where("email = ?", email).First(&p).Error; err != nil {
		b.Fatal(err)
	}
	return p.ID
}
