package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

func TestAPISessionAndMe(t *testing.T) {
	_, _, srv := demo(t)
	c := apptest.NewClient(t, srv)
	if r := c.JSON(http.MethodGet, "/api/v1/me", "", nil); r.Status != http.StatusUnauthorized ||
		r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("me without session: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	if r := c.JSON(http.MethodPost, "/api/v1/session", "", map[string]string{"email": "mentor@demo.test", "password": "nope"}); r.Status != http.StatusUnauthorized {
		t.Fatalf("bad password: %d", r.Status)
	}
	r := c.JSON(http.MethodPost, "/api/v1/session", "", map[string]string{"email": "mentor@demo.test", "password": app.DemoPassword})
	if r.Status != http.StatusOK {
		t.Fatalf("sign in: %d %s", r.Status, r.Body)
	}
	var me struct {
		Name  string
		Email string
		Roles []string
	}
	r.Decode(t, &me)
	if me.Email != "mentor@demo.test" || strings.Join(me.Roles, ",") != "mentor" {
		t.Fatalf("session answer: %+v", me)
	}
	if r := c.JSON(http.MethodGet, "/api/v1/me", "", nil); r.Status != http.StatusOK || !contains(r.Body, "Marieke") {
		t.Fatalf("me: %d", r.Status)
	}
	if r := c.JSON(http.MethodDelete, "/api/v1/session", "", nil); r.Status != http.StatusNoContent {
		t.Fatalf("sign out: %d", r.Status)
	}
	if r := c.JSON(http.MethodGet, "/api/v1/me", "", nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("me after sign-out: %d", r.Status)
	}
}

func TestAPIToken(t *testing.T) {
	_, db, srv := demo(t)
	ctx := context.Background()
	admin := models.Viewer{PersonID: personID(t, db, "admin@demo.test"), Admin: true}
	tok, plain, err := models.CreateAPIToken(ctx, db, admin, models.APITokenInput{Name: "script"})
	if err != nil {
		t.Fatal(err)
	}
	var stored models.APIToken
	db.First(&stored, tok.ID)
	if stored.TokenHash == plain || strings.Contains(stored.TokenHash, plain[3:]) {
		t.Fatal("token stored in plain text")
	}
	c := apptest.NewClient(t, srv)
	if r := c.JSON(http.MethodGet, "/api/v1/people?q=bakker", plain, nil); r.Status != http.StatusOK || !contains(r.Body, "Sanne Bakker") {
		t.Fatalf("people with token: %d %s", r.Status, r.Body)
	}
	if r := c.JSON(http.MethodGet, "/api/v1/me", plain+"x", nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", r.Status)
	}
	if err := models.RevokeAPIToken(ctx, db, admin, tok.ID); err != nil {
		t.Fatal(err)
	}
	if r := c.JSON(http.MethodGet, "/api/v1/me", plain, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", r.Status)
	}
}

// TestAPIBadInput: wrong JSON types, missing fields, unknown ids, other
// content types and oversized bodies are 4xx problems and change nothing.
func TestAPIBadInput(t *testing.T) {
	_, db, srv := demo(t)
	c := apptest.NewClient(t, srv)
	c.SignIn("admin@demo.test", app.DemoPassword)
	people := count(t, db, &models.Person{})
	cases := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		field  string
	}{
		{"name is a number", http.MethodPost, "/api/v1/people", `{"name": 42, "email": "x@demo.test"}`, 422, "name"},
		{"team id is a string", http.MethodPost, "/api/v1/people", `{"name": "X", "email": "x@demo.test", "team_id": "drie"}`, 422, "team_id"},
		{"negative team id", http.MethodPost, "/api/v1/people", `{"name": "X", "email": "x@demo.test", "team_id": -1}`, 422, "team_id"},
		{"admin is a string", http.MethodPost, "/api/v1/people", `{"name": "X", "email": "x@demo.test", "admin": "yes"}`, 422, "admin"},
		{"missing email", http.MethodPost, "/api/v1/people", `{"name": "X"}`, 422, "email"},
		{"bad email", http.MethodPost, "/api/v1/people", `{"name": "X", "email": "x"}`, 422, "email"},
		{"long name", http.MethodPost, "/api/v1/people", map[string]string{"name": strings.Repeat("n", 201), "email": "x@demo.test"}, 422, "name"},
		{"not JSON", http.MethodPost, "/api/v1/people", `{"name": `, 400, ""},
		{"array body", http.MethodPost, "/api/v1/people", `[1,2]`, 422, ""},
		{"unknown person", http.MethodPut, "/api/v1/people/99999", map[string]string{"name": "X", "email": "x@demo.test"}, 404, ""},
		{"unknown group", http.MethodGet, "/api/v1/groups/99999", nil, 404, ""},
		{"unknown route", http.MethodGet, "/api/v1/nothing", nil, 404, ""},
		{"too large", http.MethodPost, "/api/v1/people", `{"name": "` + strings.Repeat("x", 2<<20) + `"}`, 413, ""},
		{"bad date", http.MethodPost, "/api/v1/programmes", `{"name": "P", "starts_on": "2027-13-01"}`, 422, "starts_on"},
		{"cadence a string", http.MethodPost, "/api/v1/programmes", `{"name": "P", "starts_on": "2027-01-01", "cadence_weeks": "six"}`, 422, "cadence_weeks"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.JSON(tc.method, tc.path, "", tc.body)
			if r.Status != tc.status && !(tc.field == "" && tc.status == 422 && r.Status == 400) {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			if r.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("content type %q", r.Header.Get("Content-Type"))
			}
			var problem struct{ Errors map[string]string }
			r.Decode(t, &problem)
			if tc.field != "" && problem.Errors[tc.field] == "" {
				t.Fatalf("no message for %s: %s", tc.field, r.Body)
			}
		})
	}
	if n := count(t, db, &models.Person{}); n != people {
		t.Fatalf("people %d -> %d", people, n)
	}
	// A POST that is not JSON is refused before it is read.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/people", strings.NewReader("name=X&email=x@demo.test"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := c.Do(req); r.Status != http.StatusUnsupportedMediaType {
		t.Fatalf("form post to API: %d, want 415", r.Status)
	}
}

// TestAPIRoles: a mentee and a manager get 404s for admin resources and
// other groups in the API too, and a mentee sees names only of their group.
func TestAPIRoles(t *testing.T) {
	_, db, srv := demo(t)
	noord, zuid := groupID(t, db, "Groep Noord"), groupID(t, db, "Groep Zuid")
	for _, email := range []string{"mentee@demo.test", "manager@demo.test", "mentor@demo.test"} {
		c := as(t, srv, email)
		for _, p := range []string{"/api/v1/people", "/api/v1/people/1", "/api/v1/programmes", fmt.Sprintf("/api/v1/groups/%d", zuid)} {
			if r := c.JSON(http.MethodGet, p, "", nil); r.Status != http.StatusNotFound && !(p == "/api/v1/programmes" && r.Status == http.StatusOK && r.Body == "[]\n") {
				t.Errorf("%s GET %s: %d %s", email, p, r.Status, r.Body)
			}
		}
		if r := c.JSON(http.MethodPost, "/api/v1/people", "", map[string]string{"name": "X", "email": "x@demo.test"}); r.Status != http.StatusNotFound {
			t.Errorf("%s creates a person: %d", email, r.Status)
		}
	}
	r := as(t, srv, "mentee@demo.test").JSON(http.MethodGet, fmt.Sprintf("/api/v1/groups/%d", noord), "", nil)
	if r.Status != http.StatusOK || !contains(r.Body, "Ahmed El Amrani") || contains(r.Body, "Data \u0026 Analyse") || contains(r.Body, `"members"`) || contains(r.Body, `"rules"`) {
		t.Fatalf("mentee's view of own group: %d %s", r.Status, r.Body)
	}
}
