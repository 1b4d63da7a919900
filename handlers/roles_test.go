package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// TestAdminPagesHiddenFromOtherRoles: every admin page and action is a 404
// for a mentee, a mentor and a manager (never a 500, never the page).
func TestAdminPagesHiddenFromOtherRoles(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	zuid := groupID(t, db, "Groep Zuid")
	gets := []string{"/settings", "/people", "/people/new", "/people/1", "/teams", "/projects", "/programmes",
		"/programmes/new", "/programmes/1", "/programmes/1/edit"}
	posts := []string{"/settings", "/people", "/people/1", "/people/1/invite", "/people/1/assignments",
		"/people/1/assignments/1/delete", "/teams", "/projects", "/programmes", "/programmes/1", "/programmes/1/groups",
		fmt.Sprintf("/groups/%d", noord), fmt.Sprintf("/groups/%d/members", noord),
		fmt.Sprintf("/groups/%d/members/1/delete", noord)}
	for _, email := range []string{"mentee@demo.test", "mentor@demo.test", "manager@demo.test"} {
		c := as(t, srv, email)
		for _, p := range gets {
			if r := c.Get(p); r.Status != http.StatusNotFound {
				t.Errorf("%s GET %s: %d, want 404", email, p, r.Status)
			}
		}
		for _, p := range posts {
			if r := c.PostForm(p, url.Values{"name": {"x"}}); r.Status != http.StatusNotFound {
				t.Errorf("%s POST %s: %d, want 404", email, p, r.Status)
			}
		}
		// Another group than one's own is a 404 too.
		if r := c.Get(fmt.Sprintf("/groups/%d", zuid)); r.Status != http.StatusNotFound {
			t.Errorf("%s GET another group: %d, want 404", email, r.Status)
		}
	}
	admin := as(t, srv, "admin@demo.test")
	for _, p := range gets {
		if r := admin.Get(p); r.Status != http.StatusOK {
			t.Errorf("admin GET %s: %d, want 200", p, r.Status)
		}
	}
	for _, p := range []string{"/people/99999", "/programmes/99999", "/groups/99999", "/people/abc", "/memberships/99999/intake"} {
		if r := admin.Get(p); r.Status != http.StatusNotFound {
			t.Errorf("admin GET unknown %s: %d, want 404", p, r.Status)
		}
	}
}

// TestIntakeForMentorOnly: the intake form and its notes are the mentor's;
// the admin, the mentee and other mentors get a 404.
func TestIntakeForMentorOnly(t *testing.T) {
	_, db, srv := demo(t)
	m := membershipOf(t, db, "mentee@demo.test")
	path := fmt.Sprintf("/memberships/%d/intake", m.ID)
	if r := as(t, srv, "mentor@demo.test").Get(path); r.Status != http.StatusOK || !contains(r.Body, "leveranciers") {
		t.Fatalf("mentor opens the intake: %d", r.Status)
	}
	for _, email := range []string{"admin@demo.test", "mentee@demo.test", "manager@demo.test", "pieter.hendriks@demo.test"} {
		c := as(t, srv, email)
		if r := c.Get(path); r.Status != http.StatusNotFound || contains(r.Body, "leveranciers") {
			t.Errorf("%s opens the intake: %d, want 404", email, r.Status)
		}
		if r := c.PostForm(path, url.Values{"held_on": {"2026-09-10"}, "outcome": {"stop"}}); r.Status != http.StatusNotFound {
			t.Errorf("%s saves the intake: %d, want 404", email, r.Status)
		}
	}
	// The group page shows the admin the roster but not the intake notes.
	r := as(t, srv, "admin@demo.test").Get(fmt.Sprintf("/groups/%d", m.GroupID))
	if r.Status != http.StatusOK || contains(r.Body, "leveranciers") || !contains(r.Body, "Sanne Bakker") {
		t.Fatalf("admin group page: %d, roster or notes wrong", r.Status)
	}
}
