package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestRequestPageConfirmsDestructiveSteps: declining a one-on-one request
// (mentor) and withdrawing it (mentee) ask for confirmation first, in the
// reader's language.
func TestRequestPageConfirmsDestructiveSteps(t *testing.T) {
	_, db, srv := demo(t)
	var req models.OneOnOneRequest
	if err := db.Order("id").First(&req).Error; err != nil {
		t.Fatalf("the demo's request: %v", err)
	}
	path := fmt.Sprintf("/one-on-one-requests/%d", req.ID)
	mentor, mentee := as(t, srv, "mentor@demo.test"), as(t, srv, "mentee@demo.test")
	cases := []struct {
		name string
		cl   *apptest.Client
		lang string
		want string
	}{
		{"mentor declines (nl)", mentor, "", `data-confirm="Dit verzoek afwijzen?`},
		{"mentor declines (en)", mentor, "?lang=en", `data-confirm="Decline this request?`},
		{"mentee withdraws (nl)", mentee, "", `data-confirm="Je verzoek intrekken?`},
	}
	for _, tc := range cases {
		if r := tc.cl.Get(path + tc.lang); r.Status != http.StatusOK || !contains(r.Body, tc.want) {
			t.Errorf("%s: %d, want %q on the page", tc.name, r.Status, tc.want)
		}
	}
}

// TestInputPageSpeaksToTheReader: a mentor who is no mentee sees the input
// page as the writer of input, not the mentee's invitation to ask a mentor.
func TestInputPageSpeaksToTheReader(t *testing.T) {
	_, _, srv := demo(t)
	cases := []struct {
		email, want, notWant string
	}{
		{"mentor@demo.test", "<h1>Inbreng voor je mentees</h1>", "Vraag je mentor dan hier om inbreng"},
		{"mentee@demo.test", "<h1>Inbreng van je mentor</h1>", "Inbreng voor je mentees"},
	}
	for _, tc := range cases {
		r := as(t, srv, tc.email).Get("/input")
		if r.Status != http.StatusOK || !contains(r.Body, tc.want) || contains(r.Body, tc.notWant) {
			t.Errorf("%s: %d, want %q and not %q", tc.email, r.Status, tc.want, tc.notWant)
		}
	}
}

// TestEvaluationsIntroForMentors: a mentor's evaluations page does not tell
// the mentor that "your mentor" sees averages.
func TestEvaluationsIntroForMentors(t *testing.T) {
	_, _, srv := demo(t)
	cases := []struct {
		email, want, notWant string
	}{
		{"mentor@demo.test", "ook jou als mentor", "Je mentor en de opleidingsafdeling"},
		{"mentee@demo.test", "Je mentor en de opleidingsafdeling", "ook jou als mentor"},
	}
	for _, tc := range cases {
		r := as(t, srv, tc.email).Get("/evaluations")
		if r.Status != http.StatusOK || !contains(r.Body, tc.want) || contains(r.Body, tc.notWant) {
			t.Errorf("%s: %d, want %q and not %q", tc.email, r.Status, tc.want, tc.notWant)
		}
	}
}

// TestApologyKeepsTheReasonOnError: an apology the page refuses (a reason
// that is too long) comes back with the typed reason still in the field.
func TestApologyKeepsTheReasonOnError(t *testing.T) {
	_, db, srv := demo(t)
	var coming models.Meeting
	if err := db.Where("group_id = ? AND status = ? AND starts_at > ?", groupID(t, db, "Groep Noord"), models.MeetingPlanned, time.Now()).
		Order("starts_at").First(&coming).Error; err != nil {
		t.Fatal(err)
	}
	reason := "Tandarts " + strings.Repeat("x", 2000)
	r := as(t, srv, "mentee@demo.test").PostForm(fmt.Sprintf("/meetings/%d/apologies", coming.ID), url.Values{"reason": {reason}})
	if r.Status != http.StatusUnprocessableEntity || !contains(r.Body, reason+"</textarea>") {
		t.Errorf("a too long reason: %d, want 422 with the reason kept", r.Status)
	}
}

// TestEvaluationKeepsAnswersOnError: an evaluation refused for a missing
// score comes back with the given scores and the open answer still filled in.
func TestEvaluationKeepsAnswersOnError(t *testing.T) {
	a, db, srv := demo(t)
	a.Handlers.Now = func() time.Time { return time.Date(2027, 3, 15, 10, 0, 0, 0, time.UTC) }
	path := fmt.Sprintf("/groups/%d/evaluations/month6", groupID(t, db, "Groep Zuid"))
	r := as(t, srv, "ruben.deboer@demo.test").PostForm(path, url.Values{"score1": {"4"}, "score2": {"2"}, "score3": {"5"},
		"open": {"Meer tijd voor werkbezoeken"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a missing score: %d, want 422", r.Status)
	}
	for _, want := range []string{`name="score1" value="4" required checked`, `name="score2" value="2" required checked`,
		`name="score3" value="5" required checked`, "Meer tijd voor werkbezoeken</textarea>"} {
		if !contains(r.Body, want) {
			t.Errorf("the refused form lost %q", want)
		}
	}
	if contains(r.Body, `name="score4" value="1" required checked`) {
		t.Error("the missing score came back chosen")
	}
}

// TestAddMemberKeepsTheExceptionOnError: adding a member without choosing a
// person is refused, and the typed reason for a discipline exception stays.
func TestAddMemberKeepsTheExceptionOnError(t *testing.T) {
	_, db, srv := demo(t)
	path := fmt.Sprintf("/groups/%d/members", groupID(t, db, "Groep Noord"))
	r := as(t, srv, "admin@demo.test").PostForm(path, url.Values{"status": {"candidate"},
		"discipline_exception": {"Wil juist over de grens van het vakgebied kijken"}})
	if r.Status < 400 || r.Status >= 500 || !contains(r.Body, "Wil juist over de grens van het vakgebied kijken</textarea>") {
		t.Errorf("no person chosen: %d, want a 4xx with the exception kept", r.Status)
	}
}

// TestMenteeRequestListNamesTheMentor: a mentee's list of requests says
// with whom the talk would be, not only the group.
func TestMenteeRequestListNamesTheMentor(t *testing.T) {
	_, _, srv := demo(t)
	r := as(t, srv, "mentee@demo.test").Get("/one-on-ones")
	if r.Status != http.StatusOK || !contains(r.Body, "Marieke de Vries · Groep Noord</td>") {
		t.Errorf("the mentee's request list: %d, want the mentor's name beside the group", r.Status)
	}
}

// TestIntakeCancelAsksFirst: once an intake is planned, calling it off asks
// for confirmation.
func TestIntakeCancelAsksFirst(t *testing.T) {
	_, db, srv := demo(t)
	var m models.Membership
	if err := db.Joins("JOIN people p ON p.id = memberships.person_id").Where("p.email = ? AND memberships.group_id = ?",
		"ahmed.elamrani@demo.test", groupID(t, db, "Groep Noord")).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	mentor := as(t, srv, "mentor@demo.test")
	page := fmt.Sprintf("/memberships/%d/intake", m.ID)
	r := mentor.PostForm(page+"/schedule", url.Values{"date": {dayAhead(7)}, "start_time": {"10:00"}, "duration_min": {"45"}, "location": {"Kamer 2"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("plan the intake: %d", r.Status)
	}
	if r := mentor.Get(page); r.Status != http.StatusOK || !contains(r.Body, `data-confirm="Het intakegesprek afzeggen?`) {
		t.Errorf("the planned intake's page: %d, want a confirmation on calling it off", r.Status)
	}
}
