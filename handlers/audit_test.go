package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestAuditLog: sign-ins, failures, refusals and reads of others' text are
// logged without content; the log refuses changes; admins read it.
func TestAuditLog(t *testing.T) {
	_, db, srv := demo(t)
	start := time.Now().UTC() // lines written by the demo loader have no request
	c := apptest.NewClient(t, srv)
	c.PostForm("/signin", url.Values{"email": {"mentee@demo.test"}, "password": {"fout"}})
	c.SignIn("mentee@demo.test", app.DemoPassword)
	var talk models.OneOnOne
	db.Where("notes <> ''").First(&talk)
	as(t, srv, "ahmed.elamrani@demo.test").Get(fmt.Sprintf("/one-on-ones/%d", talk.ID)) // refused
	as(t, srv, "mentor@demo.test").Get("/goals")                                        // reads Sanne's goals

	var events []models.AuditEvent
	db.Order("id").Find(&events)
	count := map[string]int{}
	for _, e := range events {
		count[e.Action]++
		if e.Address == "" && e.ActorID != nil && e.At.After(start) {
			t.Errorf("%s without an address", e.Action)
		}
	}
	for _, action := range []string{models.AuditSignIn, models.AuditSignInFailed, models.AuditDenied, models.AuditRead} {
		if count[action] == 0 {
			t.Errorf("no %s in the log: %v", action, count)
		}
	}
	// Append-only, enforced by the database.
	if err := db.Exec("UPDATE audit_events SET action = 'x'").Error; err == nil {
		t.Fatal("the audit log accepted an update")
	}
	if err := db.Exec("DELETE FROM audit_events").Error; err == nil {
		t.Fatal("the audit log accepted a delete")
	}
	// Admins can read and filter it; it holds no content.
	r := as(t, srv, "admin@demo.test").Get("/audit?action=" + models.AuditDenied)
	if r.Status != http.StatusOK || !contains(r.Body, "Ahmed El Amrani") || contains(r.Body, "liep vast") {
		t.Fatalf("audit page: %d", r.Status)
	}
	if r := as(t, srv, "mentor@demo.test").Get("/audit"); r.Status != http.StatusNotFound {
		t.Fatalf("mentor opens the audit log: %d", r.Status)
	}
}
