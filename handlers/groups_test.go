package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"gorm.io/gorm"

	"crossmentor/models"
)

// memberships returns every membership row, to compare before and after.
func memberships(t *testing.T, db *gorm.DB) []models.Membership {
	t.Helper()
	var ms []models.Membership
	if err := db.Order("id").Find(&ms).Error; err != nil {
		t.Fatal(err)
	}
	return ms
}

func sameMemberships(t *testing.T, before, after []models.Membership) {
	t.Helper()
	if len(before) != len(after) {
		t.Fatalf("memberships: %d rows before, %d after", len(before), len(after))
	}
	for i := range before {
		if before[i].ID != after[i].ID || before[i].Status != after[i].Status || before[i].GroupID != after[i].GroupID {
			t.Fatalf("membership %d changed: %+v -> %+v", before[i].ID, before[i], after[i])
		}
	}
}

// TestRuleRefusals: a change that breaks a composition rule is refused in
// the page and in the API, names the rule and the people, and writes nothing.
func TestRuleRefusals(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	noord := groupID(t, db, "Groep Noord")
	sem := membershipOf(t, db, "sem.jacobs@demo.test")
	cases := []struct {
		name      string
		path      string
		form      url.Values
		wantNL    []string
		apiMethod string
		apiPath   string
		apiBody   map[string]any
	}{
		{
			name:      "same team",
			path:      fmt.Sprintf("/memberships/%d/status", sem.ID),
			form:      url.Values{"status": {"active"}},
			wantNL:    []string{"Sem Jacobs", "Yara Mulder", "Software B"},
			apiMethod: http.MethodPut, apiPath: fmt.Sprintf("/api/v1/memberships/%d/status", sem.ID),
			apiBody: map[string]any{"status": "active"},
		},
		{
			name:      "already active in another group of the programme",
			path:      fmt.Sprintf("/groups/%d/members", noord),
			form:      url.Values{"person_id": {fmt.Sprint(personID(t, db, "emma.bos@demo.test"))}, "status": {"active"}},
			wantNL:    []string{"Emma Bos", "Groep Zuid"},
			apiMethod: http.MethodPost, apiPath: fmt.Sprintf("/api/v1/groups/%d/members", noord),
			apiBody: map[string]any{"person_id": personID(t, db, "emma.bos@demo.test"), "status": "active"},
		},
		{
			name:      "a second mentee from Klantcontact",
			path:      fmt.Sprintf("/groups/%d/members", noord),
			form:      url.Values{"person_id": {fmt.Sprint(personID(t, db, "manager@demo.test"))}, "status": {"active"}},
			wantNL:    []string{"Karin Jansen", "Sanne Bakker", "Klantcontact"},
			apiMethod: http.MethodPost, apiPath: fmt.Sprintf("/api/v1/groups/%d/members", noord),
			apiBody: map[string]any{"person_id": personID(t, db, "manager@demo.test"), "status": "active"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := memberships(t, db)
			r := admin.PostForm(tc.path, tc.form)
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("page: status %d, want 422", r.Status)
			}
			for _, w := range tc.wantNL {
				if !contains(r.Body, w) {
					t.Errorf("page refusal does not name %q", w)
				}
			}
			sameMemberships(t, before, memberships(t, db))

			resp := admin.JSON(tc.apiMethod, tc.apiPath, "", tc.apiBody)
			if resp.Status != http.StatusUnprocessableEntity || resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("API: %d %s, want 422 problem+json", resp.Status, resp.Header.Get("Content-Type"))
			}
			var p struct {
				Status int
				Rules  []struct {
					Rule     string
					Findings []string
				}
			}
			resp.Decode(t, &p)
			if p.Status != 422 || len(p.Rules) == 0 || len(p.Rules[0].Findings) == 0 {
				t.Fatalf("API problem without rules: %s", resp.Body)
			}
			sameMemberships(t, before, memberships(t, db))
		})
	}
}

// TestGroupSizeLimit fills a group to six and refuses the seventh.
func TestGroupSizeLimit(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	noord := groupID(t, db, "Groep Noord") // five active mentees
	add := func(email string) (int, string) {
		r := admin.PostForm(fmt.Sprintf("/groups/%d/members", noord), url.Values{"person_id": {fmt.Sprint(personID(t, db, email))},
			"status": {"active"}, "discipline_exception": {"Bewuste keuze"}})
		return r.Status, r.Body
	}
	if status, _ := add("koen.brouwer@demo.test"); status != http.StatusSeeOther {
		t.Fatalf("sixth mentee: %d, want accepted", status)
	}
	before := memberships(t, db)
	status, body := add("admin@demo.test")
	if status != http.StatusUnprocessableEntity || !contains(body, "7") || !contains(body, "6") {
		t.Fatalf("seventh mentee: %d, want 422 naming 7 of at most 6", status)
	}
	sameMemberships(t, before, memberships(t, db))
}

// TestEnglishRefusal: the same refusal in English for an English session.
func TestEnglishRefusal(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	admin.PostForm("/language", url.Values{"lang": {"en"}, "back": {"/"}})
	sem := membershipOf(t, db, "sem.jacobs@demo.test")
	r := admin.PostForm(fmt.Sprintf("/memberships/%d/status", sem.ID), url.Values{"status": {"active"}})
	if r.Status != http.StatusUnprocessableEntity || !contains(r.Body, "are in the same team") {
		t.Fatalf("English refusal: %d", r.Status)
	}
}
