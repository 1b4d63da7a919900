package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crossmentor/models"
)

// TestCachedSessionEndedElsewhere: a session ended behind this replica's
// back (on another replica, here straight in the database) is never trusted
// for a write, and a write on this replica empties the cache, so the next
// page asks for a sign-in again.
func TestCachedSessionEndedElsewhere(t *testing.T) {
	_, db, srv := demo(t)
	c := as(t, srv, "mentee@demo.test")
	if r := c.Get("/"); r.Status != http.StatusOK { // fills the cache
		t.Fatalf("home: %d", r.Status)
	}
	if err := db.Where("1 = 1").Delete(&models.Session{}).Error; err != nil {
		t.Fatal(err)
	}
	r := c.PostForm("/notices/read", url.Values{})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/signin") {
		t.Fatalf("write with an ended session: %d %q, want a redirect to sign-in", r.Status, r.Location)
	}
	if r := c.Get("/"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/signin") {
		t.Fatalf("page after a write on this replica: %d %q, want a redirect to sign-in", r.Status, r.Location)
	}
}
