package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crossmentor/models"
)

// TestBadPersonInput: every kind of bad input to the person form gets a
// 422 with the message at its field, in Dutch, and writes nothing.
func TestBadPersonInput(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	good := url.Values{"name": {"Nieuwe Collega"}, "email": {"nieuw@demo.test"}, "discipline": {"ICT"}, "language": {"nl"}}
	cases := []struct {
		name, field, message string
		spoil                func(url.Values)
	}{
		{"missing name", "name", "Vul dit veld in", func(v url.Values) { v.Del("name") }},
		{"blank name", "name", "Vul dit veld in", func(v url.Values) { v.Set("name", "   ") }},
		{"long name", "name", "200", func(v url.Values) { v.Set("name", strings.Repeat("a", 201)) }},
		{"malformed email", "email", "e-mailadres", func(v url.Values) { v.Set("email", "nieuw@") }},
		{"email taken in other case", "email", "", func(v url.Values) { v.Set("email", "MENTOR@demo.test") }},
		{"unknown team", "team_id", "", func(v url.Values) { v.Set("team_id", "99999") }},
		{"team not a number", "team_id", "", func(v url.Values) { v.Set("team_id", "drie") }},
		{"unknown manager", "manager_id", "", func(v url.Values) { v.Set("manager_id", "99999") }},
		{"unknown language", "language", "", func(v url.Values) { v.Set("language", "fr") }},
		{"long discipline", "discipline", "100", func(v url.Values) { v.Set("discipline", strings.Repeat("d", 101)) }},
	}
	before := count(t, db, &models.Person{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range good {
				form[k] = append([]string(nil), v...)
			}
			tc.spoil(form)
			r := admin.PostForm("/people", form)
			if r.Status >= 500 || r.Status < 400 {
				t.Fatalf("status %d, want 4xx", r.Status)
			}
			if r.Status == http.StatusUnprocessableEntity && !contains(r.Body, `id="err-`+tc.field+`"`) {
				t.Fatalf("no message at field %s", tc.field)
			}
			if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
				t.Fatalf("status %d, want 422 or 400", r.Status)
			}
			if tc.message != "" && !contains(r.Body, tc.message) {
				t.Fatalf("message %q missing", tc.message)
			}
			if n := count(t, db, &models.Person{}); n != before {
				t.Fatalf("people %d -> %d", before, n)
			}
		})
	}
	// HTML in a name is stored as text and shown escaped.
	form := url.Values{"name": {`<script>alert(1)</script> Jan`}, "email": {"jan@demo.test"}}
	r := admin.PostForm("/people", form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create with HTML in name: %d", r.Status)
	}
	page := admin.Get(r.Location)
	if contains(page.Body, "<script>alert(1)") || !contains(page.Body, "&lt;script&gt;alert(1)&lt;/script&gt; Jan") {
		t.Fatal("name not escaped on the person page")
	}
}

func TestBadProgrammeInput(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	cases := map[string]struct {
		form  url.Values
		field string
	}{
		"no name":         {url.Values{"starts_on": {"2027-01-01"}}, "name"},
		"bad date":        {url.Values{"name": {"P"}, "starts_on": {"1-1-2027"}}, "starts_on"},
		"impossible date": {url.Values{"name": {"P"}, "starts_on": {"2027-02-30"}}, "starts_on"},
		"end before start": {url.Values{"name": {"P"}, "starts_on": {"2027-01-01"}, "ends_on": {"2026-12-31"}},
			"ends_on"},
		"cadence zero weeks": {url.Values{"name": {"P"}, "starts_on": {"2027-01-01"}, "cadence_weeks": {"-1"}}, "cadence_weeks"},
		"cadence huge":       {url.Values{"name": {"P"}, "starts_on": {"2027-01-01"}, "cadence_weeks": {"99"}}, "cadence_weeks"},
		"unknown status":     {url.Values{"name": {"P"}, "starts_on": {"2027-01-01"}, "status": {"paused"}}, "status"},
	}
	before := count(t, db, &models.Programme{})
	for name, tc := range cases {
		r := admin.PostForm("/programmes", tc.form)
		if r.Status != http.StatusUnprocessableEntity || !contains(r.Body, `href="#`+tc.field+`"`) {
			t.Errorf("%s: %d, want 422 with a message at %s", name, r.Status, tc.field)
		}
	}
	if n := count(t, db, &models.Programme{}); n != before {
		t.Fatalf("programmes %d -> %d", before, n)
	}
	// Defaults: end is start + 12 months, cadence 6 weeks.
	r := admin.PostForm("/programmes", url.Values{"name": {"Cohort 2027"}, "starts_on": {"2027-01-15"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create programme: %d", r.Status)
	}
	var p models.Programme
	db.Where("name = ?", "Cohort 2027").First(&p)
	if p.EndsOn.String() != "2028-01-15" || p.CadenceWeeks != 6 {
		t.Fatalf("defaults: ends %s, cadence %d", p.EndsOn, p.CadenceWeeks)
	}
}

func TestBadGroupInput(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	noord := groupID(t, db, "Groep Noord")
	prog := fmt.Sprintf("/programmes/%d/groups", 1)
	before := count(t, db, &models.MentorGroup{})
	for name, form := range map[string]url.Values{
		"no mentor":      {"name": {"Groep Oost"}},
		"unknown mentor": {"name": {"Groep Oost"}, "mentor_id": {"99999"}},
		"no name":        {"mentor_id": {fmt.Sprint(personID(t, db, "bram.meijer@demo.test"))}},
	} {
		if r := admin.PostForm(prog, form); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("new group, %s: %d, want 422", name, r.Status)
		}
	}
	if r := admin.PostForm("/programmes/99999/groups", url.Values{"name": {"X"}, "mentor_id": {"1"}}); r.Status != http.StatusNotFound {
		t.Errorf("group in unknown programme: %d, want 404", r.Status)
	}
	if n := count(t, db, &models.MentorGroup{}); n != before {
		t.Fatalf("groups %d -> %d", before, n)
	}
	ms := memberships(t, db)
	for name, form := range map[string]url.Values{
		"unknown person": {"person_id": {"99999"}},
		"mentor in own":  {"person_id": {fmt.Sprint(personID(t, db, "mentor@demo.test"))}},
		"already member": {"person_id": {fmt.Sprint(personID(t, db, "sem.jacobs@demo.test"))}},
		"bad status":     {"person_id": {fmt.Sprint(personID(t, db, "bram.meijer@demo.test"))}, "status": {"boss"}},
		"long reason": {"person_id": {fmt.Sprint(personID(t, db, "bram.meijer@demo.test"))},
			"discipline_exception": {strings.Repeat("r", 501)}},
	} {
		if r := admin.PostForm(fmt.Sprintf("/groups/%d/members", noord), form); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("add member, %s: %d, want 422", name, r.Status)
		}
	}
	sameMemberships(t, ms, memberships(t, db))
	// A group of three cannot be made active.
	west := groupID(t, db, "Groep West")
	r := admin.PostForm(fmt.Sprintf("/groups/%d", west), url.Values{"name": {"Groep West"},
		"mentor_id": {fmt.Sprint(personID(t, db, "iris.vanleeuwen@demo.test"))}, "status": {"active"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("activate a group of three: %d, want 422", r.Status)
	}
}
