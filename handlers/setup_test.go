package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

func TestSetupOnlyOnEmptyDatabase(t *testing.T) {
	db := apptest.DB(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	c := apptest.NewClient(t, srv)

	for _, path := range []string{"/", "/signin", "/people"} {
		if r := c.Get(path); r.Status != http.StatusSeeOther || r.Location != "/setup" {
			t.Fatalf("GET %s before set-up: %d %q, want redirect to /setup", path, r.Status, r.Location)
		}
	}
	if r := c.JSON(http.MethodGet, "/api/v1/me", "", nil); r.Status != http.StatusServiceUnavailable {
		t.Fatalf("API before set-up: %d, want 503", r.Status)
	}
	if r := c.Get("/setup"); r.Status != http.StatusOK || !strings.Contains(r.Body, `name="organisation"`) {
		t.Fatalf("set-up page: %d", r.Status)
	}

	good := url.Values{"organisation": {"Gemeente Testdorp"}, "name": {"Eerste Beheerder"}, "email": {"Beheer@Testdorp.nl"},
		"password": {"een lang wachtwoord"}, "password_confirm": {"een lang wachtwoord"}}
	bad := map[string]func(url.Values){
		"organisation": func(v url.Values) { v.Del("organisation") },
		"email":        func(v url.Values) { v.Set("email", "geen-adres") },
		"password":     func(v url.Values) { v.Set("password", "kort"); v.Set("password_confirm", "kort") },
		"name":         func(v url.Values) { v.Set("name", strings.Repeat("x", 201)) },
	}
	for field, spoil := range bad {
		form := url.Values{}
		for k, v := range good {
			form[k] = append([]string(nil), v...)
		}
		spoil(form)
		r := c.PostForm("/setup", form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="err-`+field+`"`) {
			t.Errorf("set-up with bad %s: %d, want 422 with a message at the field", field, r.Status)
		}
		if strings.Contains(r.Body, "een lang wachtwoord") || strings.Contains(r.Body, `value="kort"`) {
			t.Errorf("set-up with bad %s echoes the password", field)
		}
		if n := count(t, db, &models.Organisation{}); n != 0 {
			t.Fatalf("bad set-up (%s) wrote an organisation", field)
		}
	}

	r := c.PostForm("/setup", good)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("set-up: %d\n%s", r.Status, r.Body)
	}
	if r := c.Get("/"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Eerste Beheerder") {
		t.Fatalf("home after set-up: %d", r.Status)
	}
	// Now the set-up page is gone, for everyone.
	anon := apptest.NewClient(t, srv)
	if r := anon.Get("/setup"); r.Status != http.StatusNotFound {
		t.Fatalf("set-up page after set-up: %d, want 404", r.Status)
	}
	good.Set("email", "indringer@example.com")
	if r := anon.PostForm("/setup", good); r.Status != http.StatusNotFound {
		t.Fatalf("second set-up: %d, want 404", r.Status)
	}
	if n := count(t, db, &models.Person{}); n != 1 {
		t.Fatalf("%d people after a refused second set-up, want 1", n)
	}
	var admin models.Person
	db.First(&admin)
	if admin.Email != "beheer@testdorp.nl" || !admin.Admin || !strings.HasPrefix(admin.PasswordHash, "$argon2id$") {
		t.Fatalf("admin stored as %q admin=%v hash=%.10s", admin.Email, admin.Admin, admin.PasswordHash)
	}
}
