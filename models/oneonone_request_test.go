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

// TestRequestTransitions: every step in every state by both parties,
// against the flow written out here: asked → agreed | countered | declined
// | withdrawn; countered → agreed | declined | withdrawn; the ends allow
// nothing.
func TestRequestTransitions(t *testing.T) {
	type step struct {
		from  models.RequestStatus
		act   models.RequestAction
		party models.RequestParty
	}
	allowed := map[step]models.RequestStatus{
		{models.RequestAsked, models.RequestAccept, models.ByMentor}:            models.RequestAgreed,
		{models.RequestAsked, models.RequestCounter, models.ByMentor}:           models.RequestCountered,
		{models.RequestAsked, models.RequestDecline, models.ByMentor}:           models.RequestDeclined,
		{models.RequestAsked, models.RequestWithdraw, models.ByMentee}:          models.RequestWithdrawn,
		{models.RequestCountered, models.RequestAcceptCounter, models.ByMentee}: models.RequestAgreed,
		{models.RequestCountered, models.RequestRefuseCounter, models.ByMentee}: models.RequestDeclined,
		{models.RequestCountered, models.RequestWithdraw, models.ByMentee}:      models.RequestWithdrawn,
	}
	states := []models.RequestStatus{models.RequestAsked, models.RequestCountered, models.RequestAgreed, models.RequestDeclined, models.RequestWithdrawn}
	acts := []models.RequestAction{models.RequestAccept, models.RequestCounter, models.RequestDecline, models.RequestAcceptCounter,
		models.RequestRefuseCounter, models.RequestWithdraw, "delete"}
	parties := []models.RequestParty{models.ByMentor, models.ByMentee, "admin"}
	refused := 0
	for _, from := range states {
		for _, act := range acts {
			for _, party := range parties {
				name := fmt.Sprintf("%s/%s/%s", from, act, party)
				want, ok := allowed[step{from, act, party}]
				got, err := models.NextRequestStatus(from, act, party)
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
					refused++
				}
			}
		}
	}
	if total := len(states) * len(acts) * len(parties); refused != total-len(allowed) {
		t.Errorf("refused %d of %d steps, want %d", refused, total, total-len(allowed))
	}
	for _, s := range []models.RequestStatus{models.RequestAgreed, models.RequestDeclined, models.RequestWithdrawn} {
		if s.Open() || len(s.Steps(models.ByMentor))+len(s.Steps(models.ByMentee)) != 0 {
			t.Errorf("%s is not an end", s)
		}
	}
}

// countRows counts a table's rows.
func countRows(t *testing.T, db *gorm.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := db.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// localDay is a date n days ahead in the organisation's zone.
func localDay(n int) string {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	return time.Now().In(loc).AddDate(0, 0, n).Format("2006-01-02")
}

// TestRequestFlow: on the database, a request accepted, one countered and
// accepted, one declined and one withdrawn; who may see and do what; what
// is sealed; who is told; bad times refused with field errors.
func TestRequestFlow(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	sanne := models.Viewer{PersonID: demoPerson(t, db, "mentee@demo.test"), Mentee: true}
	marieke := models.Viewer{PersonID: demoPerson(t, db, "mentor@demo.test"), Mentor: true}
	pieter := models.Viewer{PersonID: demoPerson(t, db, "pieter.hendriks@demo.test"), Mentor: true}
	admin := models.Viewer{PersonID: demoPerson(t, db, "admin@demo.test"), Admin: true}
	var noord models.MentorGroup
	if err := db.Where("name = ?", "Groep Noord").First(&noord).Error; err != nil {
		t.Fatal(err)
	}
	var other models.Membership
	if err := db.Where("group_id <> ? AND status = ?", noord.ID, "active").First(&other).Error; err != nil {
		t.Fatal(err)
	}
	otherMentee := models.Viewer{PersonID: other.PersonID, Mentee: true}
	// The demo's own request and its notice would count below: start without them.
	if err := db.Exec("DELETE FROM one_on_one_requests").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Where("subject_type = ?", "talk_request").Delete(&models.Notice{}).Error; err != nil {
		t.Fatal(err)
	}

	// Bad times change nothing and name the field.
	before := countRows(t, db, "one_on_one_requests")
	for name, c := range map[string]struct {
		in    models.RequestInput
		field string
	}{
		"no time":   {models.RequestInput{}, "date1"},
		"past":      {models.RequestInput{Date1: localDay(-1), Time1: "10:00"}, "date1"},
		"too far":   {models.RequestInput{Date1: localDay(400), Time1: "10:00"}, "date1"},
		"at night":  {models.RequestInput{Date1: localDay(3), Time1: "23:00"}, "time1"},
		"bad clock": {models.RequestInput{Date2: localDay(3), Time2: "25:99"}, "time2"},
		"early":     {models.RequestInput{Date1: localDay(3), Time1: "10:00", Date3: localDay(3), Time3: "05:30"}, "time3"},
		"too long":  {models.RequestInput{ASAP: true, DurationMin: 600}, "duration_min"},
	} {
		_, err := models.AskOneOnOne(ctx, db, sanne, noord.ID, c.in)
		var ve *models.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) == 0 || ve.Fields[0].Field != c.field {
			t.Errorf("%s: %v, want a field error on %s", name, err, c.field)
		}
	}
	if _, err := models.AskOneOnOne(ctx, db, otherMentee, noord.ID, models.RequestInput{ASAP: true}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a mentee of another group asked: %v", err)
	}
	if _, err := models.AskOneOnOne(ctx, db, marieke, noord.ID, models.RequestInput{ASAP: true}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the mentor asked herself: %v", err)
	}
	if n := countRows(t, db, "one_on_one_requests"); n != before {
		t.Fatalf("bad requests stored: %d → %d", before, n)
	}

	ask := func(in models.RequestInput) models.OneOnOneRequest {
		t.Helper()
		r, err := models.AskOneOnOne(ctx, db, sanne, noord.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// notices counts the recipient's notices that say says in the app (all
	// stored under the one neutral kind).
	notices := func(says string, to models.Viewer) int64 {
		rows, err := models.ListNotices(ctx, db, to, 100)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, r := range rows {
			if r.Says == says && r.Kind == models.NoticeOneOnOneRequest {
				n++
			}
		}
		return n
	}
	answer := func(who models.Viewer, id uint, in models.AnswerInput) (models.OneOnOneRequest, error) {
		return models.AnswerRequest(ctx, db, who, id, in)
	}

	// 1. Three times; the mentor takes the second: a planned one-on-one, invited to both.
	r1 := ask(models.RequestInput{Date1: localDay(3), Time1: "10:00", Date2: localDay(4), Time2: "14:30", Date3: localDay(5), Time3: "09:00",
		Theme: "Grenzen stellen bij mijn leidinggevende"})
	var raw struct{ Theme, Flags string }
	db.Raw("SELECT theme, flags FROM one_on_one_requests WHERE id = ?", r1.ID).Scan(&raw)
	if raw.Theme == "" || raw.Theme == "Grenzen stellen bij mijn leidinggevende" || raw.Flags == "normal" {
		t.Errorf("theme and flags at rest: %q %q, want sealed", raw.Theme, raw.Flags)
	}
	if notices(models.SaysOneOnOneAsked, marieke) != 1 {
		t.Error("the mentor was not told of the request")
	}
	for name, who := range map[string]models.Viewer{"another mentor": pieter, "admin": admin, "another mentee": otherMentee} {
		if _, err := models.GetRequest(ctx, db, who, r1.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s read the request: %v", name, err)
		}
		if _, err := answer(who, r1.ID, models.AnswerInput{Action: "accept", Option: 1}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s accepted the request: %v", name, err)
		}
	}
	if _, err := answer(sanne, r1.ID, models.AnswerInput{Action: "accept", Option: 1}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the mentee accepted her own request: %v", err)
	}
	if _, err := answer(marieke, r1.ID, models.AnswerInput{Action: "accept", Option: 4}); err == nil {
		t.Error("a fourth option was accepted")
	}
	got, err := answer(marieke, r1.ID, models.AnswerInput{Action: "accept", Option: 2})
	if err != nil || got.Status != models.RequestAgreed || got.OneOnOneID == nil {
		t.Fatalf("accept: %+v, %v", got, err)
	}
	o, err := models.GetOneOnOne(ctx, db, sanne, *got.OneOnOneID)
	if err != nil || !o.StartsAt.Equal(*r1.Option2) || o.Status != "planned" || o.EndsAt.Sub(o.StartsAt) != time.Hour {
		t.Errorf("one-on-one: %+v, %v", o, err)
	}
	var invites int64
	db.Model(&models.MailDelivery{}).Where("kind = ? AND subject_type = ? AND subject_id = ?", models.NoticeOneOnOneAgreed, "one_on_one", o.ID).Count(&invites)
	if invites != 2 {
		t.Errorf("%d invitations, want 2", invites)
	}
	if _, err := answer(marieke, r1.ID, models.AnswerInput{Action: "decline"}); err == nil {
		t.Error("an agreed request was declined")
	}

	// 2. As soon as possible: urgent, at the top; the mentor counters, the mentee accepts.
	r2 := ask(models.RequestInput{ASAP: true})
	if notices(models.SaysOneOnOneUrgent, marieke) != 1 {
		t.Error("the mentor was not told of the urgent request")
	}
	if urgent, err := models.UrgentRequests(ctx, db, marieke); err != nil || len(urgent) != 1 || urgent[0].ID != r2.ID {
		t.Errorf("urgent: %+v, %v", urgent, err)
	}
	if list, _ := models.ListRequests(ctx, db, marieke); len(list) == 0 || list[0].ID != r2.ID {
		t.Errorf("the urgent request is not first: %+v", list)
	}
	if _, err := answer(marieke, r2.ID, models.AnswerInput{Action: "counter", Date: localDay(-2), Time: "10:00"}); err == nil {
		t.Error("a past counter-proposal was taken")
	}
	if _, err := answer(marieke, r2.ID, models.AnswerInput{Action: "counter", Date: localDay(2), Time: "16:00"}); err != nil {
		t.Fatal(err)
	}
	if notices(models.SaysOneOnOneCountered, sanne) != 1 {
		t.Error("the mentee was not told of the counter-proposal")
	}
	if _, err := answer(marieke, r2.ID, models.AnswerInput{Action: "accept_counter"}); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the mentor accepted her own proposal: %v", err)
	}
	if got, err := answer(sanne, r2.ID, models.AnswerInput{Action: "accept_counter"}); err != nil || got.Status != models.RequestAgreed {
		t.Fatalf("accept counter: %+v, %v", got, err)
	}
	if urgent, _ := models.UrgentRequests(ctx, db, marieke); len(urgent) != 0 {
		t.Errorf("an agreed request is still urgent: %+v", urgent)
	}

	// 3. Declined with a message for the mentee alone.
	r3 := ask(models.RequestInput{Date1: localDay(6), Time1: "11:00"})
	if _, err := answer(marieke, r3.ID, models.AnswerInput{Action: "decline", Message: "Laten we dit in de groep bespreken"}); err != nil {
		t.Fatal(err)
	}
	if got, err := models.GetRequest(ctx, db, sanne, r3.ID); err != nil || got.Message != "Laten we dit in de groep bespreken" || got.Status != models.RequestDeclined {
		t.Errorf("the mentee sees %+v, %v", got.OneOnOneRequest, err)
	}
	if got, _ := models.GetRequest(ctx, db, marieke, r3.ID); got.Message != "" {
		t.Errorf("the mentor sees the message %q", got.Message)
	}
	if notices(models.SaysOneOnOneDeclined, sanne) != 1 {
		t.Error("the mentee was not told of the refusal")
	}

	// 4. Withdrawn before an answer; then nothing more.
	r4 := ask(models.RequestInput{Date1: localDay(7), Time1: "11:00"})
	if _, err := answer(sanne, r4.ID, models.AnswerInput{Action: "withdraw"}); err != nil {
		t.Fatal(err)
	}
	if _, err := answer(marieke, r4.ID, models.AnswerInput{Action: "accept", Option: 1}); err == nil {
		t.Error("a withdrawn request was accepted")
	}
}
