package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crossmentor/models"
)

// TestAbuse: oversized bodies, deeply nested JSON, path traversal on the
// static files and SQL meta-characters in text fields are answered with a
// 4xx or stored as plain text, never with a 500 or a changed database.
func TestAbuse(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	people := count(t, db, &models.Person{})

	t.Run("oversized bodies", func(t *testing.T) {
		big := strings.Repeat("x", 2<<20)
		if r := admin.PostForm("/people", url.Values{"name": {big}, "email": {"big@demo.test"}}); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("a 2 MB form: %d", r.Status)
		}
		if r := admin.JSON(http.MethodPost, "/api/v1/people", "", `{"name":"`+big+`"}`); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("a 2 MB JSON body: %d", r.Status)
		}
		if r := admin.PostForm("/people", url.Values{"name": {strings.Repeat("y", 201)}, "email": {"long@demo.test"}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a name over the limit: %d", r.Status)
		}
	})

	t.Run("deeply nested JSON", func(t *testing.T) {
		for _, body := range []string{strings.Repeat("[", 100000), `{"name":` + strings.Repeat(`{"a":`, 20000) + `1` + strings.Repeat("}", 20000) + `}`} {
			r := admin.JSON(http.MethodPost, "/api/v1/people", "", body)
			if r.Status != http.StatusBadRequest && r.Status != http.StatusUnprocessableEntity {
				t.Errorf("nested JSON of %d bytes: %d", len(body), r.Status)
			}
		}
	})

	t.Run("path traversal on static files", func(t *testing.T) {
		for _, p := range []string{"/static/..%2f..%2fgo.mod", "/static/%2e%2e%2fapp%2fapp.go", "/static/..%5c..%5cgo.mod",
			"/static/....//....//go.mod", "/static/%252e%252e%252fgo.mod", "/static/app.css%00.png"} {
			r := admin.Get(p)
			refused := r.Status == http.StatusNotFound || (r.Status == http.StatusBadRequest && strings.Contains(p, "%00"))
			if !refused || strings.Contains(r.Body, "module crossmentor") || strings.Contains(r.Body, "package app") {
				t.Errorf("%s: %d", p, r.Status)
			}
		}
	})

	t.Run("SQL meta-characters", func(t *testing.T) {
		texts := []string{`Robert'); DROP TABLE people;--`, `x" OR "1"="1`, `100% _zeker_ \ niet`, `'; DELETE FROM sessions; --`}
		for i, s := range texts {
			email := fmt.Sprintf("meta%d@demo.test", i)
			if r := admin.PostForm("/people", url.Values{"name": {s}, "email": {email}, "discipline": {s}}); r.Status != http.StatusSeeOther {
				t.Fatalf("%q: %d", s, r.Status)
			}
			var p models.Person
			db.Where("email = ?", email).First(&p)
			if p.Name != s || p.Discipline != s {
				t.Errorf("stored %q as %q", s, p.Name)
			}
		}
		if n := count(t, db, &models.Person{}); n != people+int64(len(texts)) {
			t.Fatalf("%d people, want %d", n, people+int64(len(texts)))
		}
		// Search wildcards match only themselves.
		for q, want := range map[string]int{"%": 1, "_": 1, `\`: 1, "' OR '1'='1": 0} {
			r := admin.Get("/people?q=" + url.QueryEscape(q))
			if r.Status != http.StatusOK {
				t.Fatalf("search %q: %d", q, r.Status)
			}
			if got := strings.Count(r.Body, "@demo.test</span></td>"); got != want {
				t.Errorf("search %q finds %d people, want %d", q, got, want)
			}
		}
		if r := admin.Get("/"); r.Status != http.StatusOK {
			t.Error("the session was lost")
		}
	})
}
