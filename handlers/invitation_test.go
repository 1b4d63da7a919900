package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"crossmentor/app/apptest"
)

// TestInvitation: the admin makes a link, the person chooses a password
// through it and is signed in; the link works once only.
func TestInvitation(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	koen := personID(t, db, "koen.brouwer@demo.test")
	r := admin.PostForm(fmt.Sprintf("/people/%d/invite", koen), url.Values{})
	link := regexp.MustCompile(`/invite/[A-Za-z0-9_-]+`).FindString(r.Body)
	if r.Status != http.StatusOK || link == "" {
		t.Fatalf("invite: %d, no link shown", r.Status)
	}
	var stored []string
	db.Table("invitations").Pluck("token_hash", &stored)
	for _, h := range stored {
		if "/invite/"+h == link {
			t.Fatal("the invitation token is stored as it is")
		}
	}

	koenBrowser := apptest.NewClient(t, srv)
	if r := koenBrowser.Get(link); r.Status != http.StatusOK || !contains(r.Body, "Koen Brouwer") {
		t.Fatalf("open invitation: %d", r.Status)
	}
	if r := koenBrowser.PostForm(link, url.Values{"password": {"kort"}, "password_confirm": {"kort"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("short password: %d, want 422", r.Status)
	}
	if r := koenBrowser.PostForm(link, url.Values{"password": {"lang genoeg wachtwoord"}, "password_confirm": {"iets anders"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("mismatch: %d, want 422", r.Status)
	}
	if r := koenBrowser.PostForm(link, url.Values{"password": {"lang genoeg wachtwoord"}, "password_confirm": {"lang genoeg wachtwoord"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d", r.Status)
	}
	if r := koenBrowser.Get("/"); r.Status != http.StatusOK || !contains(r.Body, "Koen Brouwer") {
		t.Fatalf("home after accepting: %d", r.Status)
	}
	// Used once: the link is gone.
	other := apptest.NewClient(t, srv)
	if r := other.Get(link); r.Status != http.StatusNotFound {
		t.Fatalf("second use: %d, want 404", r.Status)
	}
	if r := other.PostForm(link, url.Values{"password": {"overgenomen wachtwoord"}, "password_confirm": {"overgenomen wachtwoord"}}); r.Status != http.StatusNotFound {
		t.Fatalf("second accept: %d, want 404", r.Status)
	}
	apptest.NewClient(t, srv).SignIn("koen.brouwer@demo.test", "lang genoeg wachtwoord")
}
