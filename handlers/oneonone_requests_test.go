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

// dayAhead is a date n days ahead in the organisation's zone.
func dayAhead(n int) string {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	return time.Now().In(loc).AddDate(0, 0, n).Format("2006-01-02")
}

// TestRequestRoutes: each route of one-on-one requests through the pages:
// ask (with refused times in the user's language), read, accept, counter
// and accept, decline, withdraw; other people's requests are 404; a post
// without the CSRF token is refused.
func TestRequestRoutes(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	sanne, marieke := as(t, srv, "mentee@demo.test"), as(t, srv, "mentor@demo.test")
	ahmed, noor, pieter := as(t, srv, "ahmed.elamrani@demo.test"), as(t, srv, "noor.dekker@demo.test"), as(t, srv, "pieter.hendriks@demo.test")
	askPath := fmt.Sprintf("/groups/%d/one-on-one-requests", noord)

	if r := sanne.Get("/one-on-ones"); r.Status != http.StatusOK || !contains(r.Body, askPath) {
		t.Fatalf("one-on-ones page: %d, no request form", r.Status)
	}
	before := count(t, db, &models.OneOnOneRequest{})
	r := sanne.PostForm(askPath, url.Values{"date1": {dayAhead(-1)}, "time1": {"10:00"}})
	if r.Status != http.StatusUnprocessableEntity || !contains(r.Body, "Dit moment is al voorbij") {
		t.Errorf("a past time: %d, want 422 with the Dutch message", r.Status)
	}
	r = sanne.PostForm(askPath+"?lang=en", url.Values{"date1": {dayAhead(3)}, "time1": {"23:30"}})
	if r.Status != http.StatusUnprocessableEntity || !contains(r.Body, "Choose a time between 07:00 and 20:00") {
		t.Errorf("a time at night: %d, want 422 with the English message", r.Status)
	}
	if r := sanne.PostRawForm(askPath, url.Values{"asap": {"true"}}); r.Status != http.StatusForbidden && r.Status != http.StatusBadRequest {
		t.Errorf("without the CSRF token: %d", r.Status)
	}
	if r := noor.PostForm(askPath, url.Values{"asap": {"true"}}); r.Status != http.StatusNotFound {
		t.Errorf("a mentee of another group asked in Noord: %d", r.Status)
	}
	if r := marieke.PostForm(askPath, url.Values{"asap": {"true"}}); r.Status != http.StatusNotFound {
		t.Errorf("the mentor asked herself: %d", r.Status)
	}
	if n := count(t, db, &models.OneOnOneRequest{}); n != before {
		t.Fatalf("refused requests stored: %d → %d", before, n)
	}

	ask := func(form url.Values) string {
		t.Helper()
		r := sanne.PostForm(askPath, form)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/one-on-one-requests/") {
			t.Fatalf("ask: %d %s", r.Status, r.Location)
		}
		return r.Location
	}
	// Accepted: the mentor picks the second time and lands on the one-on-one.
	req1 := ask(url.Values{"date1": {dayAhead(3)}, "time1": {"10:00"}, "date2": {dayAhead(4)}, "time2": {"14:00"},
		"theme": {"Hoe zeg ik nee tegen mijn teamleider"}})
	if r := marieke.Get(req1); r.Status != http.StatusOK || !contains(r.Body, "Hoe zeg ik nee tegen mijn teamleider") {
		t.Errorf("the mentor's view of the request: %d", r.Status)
	}
	for name, cl := range map[string]*apptest.Client{"Ahmed": ahmed, "Noor": noor, "Pieter": pieter} {
		if r := cl.Get(req1); r.Status != http.StatusNotFound {
			t.Errorf("%s read Sanne's request: %d", name, r.Status)
		}
		if r := cl.PostForm(req1, url.Values{"action": {"accept"}, "option": {"1"}}); r.Status != http.StatusNotFound {
			t.Errorf("%s accepted Sanne's request: %d", name, r.Status)
		}
	}
	if r := marieke.PostForm(req1, url.Values{"action": {"withdraw"}}); r.Status != http.StatusNotFound {
		t.Errorf("the mentor withdrew the request: %d", r.Status)
	}
	r = marieke.PostForm(req1, url.Values{"action": {"accept"}, "option": {"2"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/one-on-ones/") {
		t.Fatalf("accept: %d %s", r.Status, r.Location)
	}
	if r := sanne.Get(r.Location); r.Status != http.StatusOK {
		t.Errorf("the agreed one-on-one: %d", r.Status)
	}
	if r := marieke.PostForm(req1, url.Values{"action": {"decline"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("declining an agreed request: %d, want 422", r.Status)
	}

	// Countered and accepted by the mentee.
	req2 := ask(url.Values{"asap": {"true"}})
	if r := marieke.Get("/"); !contains(r.Body, "urgent-requests") || !contains(r.Body, req2) {
		t.Error("the urgent request is not on the mentor's home page")
	}
	if r := marieke.PostForm(req2, url.Values{"action": {"counter"}, "date": {dayAhead(500)}, "time": {"10:00"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a counter-proposal too far ahead: %d", r.Status)
	}
	if r := marieke.PostForm(req2, url.Values{"action": {"counter"}, "date": {dayAhead(2)}, "time": {"16:00"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("counter: %d", r.Status)
	}
	if r := sanne.PostForm(req2, url.Values{"action": {"accept_counter"}}); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/one-on-ones/") {
		t.Fatalf("accept the counter-proposal: %d %s", r.Status, r.Location)
	}

	// Declined, the message for Sanne only.
	req3 := ask(url.Values{"date1": {dayAhead(5)}, "time1": {"09:30"}})
	if r := marieke.PostForm(req3, url.Values{"action": {"decline"}, "message": {"Beter in de groep bespreken"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("decline: %d", r.Status)
	}
	if r := sanne.Get(req3); !contains(r.Body, "Beter in de groep bespreken") {
		t.Error("Sanne does not see the mentor's message")
	}
	if r := marieke.Get(req3); contains(r.Body, "Beter in de groep bespreken") {
		t.Error("the message is shown back to the mentor")
	}

	// Withdrawn by Sanne.
	req4 := ask(url.Values{"date1": {dayAhead(6)}, "time1": {"09:30"}})
	if r := sanne.PostForm(req4, url.Values{"action": {"withdraw"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", r.Status)
	}
	var statuses []string
	db.Model(&models.OneOnOneRequest{}).Where("mentee_id = ? AND created_at > ?", personID(t, db, "mentee@demo.test"), time.Now().Add(-time.Hour)).
		Order("id").Pluck("status", &statuses)
	if got := strings.Join(statuses, ","); !strings.HasSuffix(got, "agreed,agreed,declined,withdrawn") {
		t.Errorf("statuses %s", got)
	}
}
