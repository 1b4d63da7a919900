package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crossmentor/models"
)

// TestConsent: a mentee shares a text with one person; that person sees
// exactly that text, nobody else does; after revocation it is a 404; the
// grant, each view and the revocation are in the audit log.
func TestConsent(t *testing.T) {
	a, db, srv := demo(t)
	a.Handlers.Now = func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) }
	sanne := as(t, srv, "mentee@demo.test")
	pieter := personID(t, db, "pieter.hendriks@demo.test")
	const text = "Samenvatting voor Pieter: ik oefen met bedenktijd vragen."
	form := url.Values{"recipient_id": {fmt.Sprint(pieter)}, "purpose": {"Overleg over mijn rol"}, "until": {"2099-01-01"}, "text": {text}}

	// Refusals: no agreement, a date too far ahead, oneself, someone unknown, no text; nothing stored.
	before := count(t, db, &models.Consent{})
	for name, spoil := range map[string]func(url.Values){
		"agreed": func(v url.Values) {},
		"until":  func(v url.Values) { v.Set("agreed", "true") },
		"recipient_id": func(v url.Values) {
			v.Set("agreed", "true")
			v.Set("until", "2026-12-31")
			v.Set("recipient_id", "99999")
		},
		"text":      func(v url.Values) { v.Set("agreed", "true"); v.Set("until", "2026-12-31"); v.Del("text") },
		"from_goal": func(v url.Values) { v.Set("agreed", "true"); v.Set("until", "2026-12-31"); v.Set("from_goal", "99999") },
	} {
		f := url.Values{}
		for k, vals := range form {
			f[k] = append([]string(nil), vals...)
		}
		spoil(f)
		if r := sanne.PostForm("/consents", f); r.Status != http.StatusUnprocessableEntity || !contains(r.Body, `href="#`+name+`"`) {
			t.Errorf("consent with bad %s: %d", name, r.Status)
		}
	}
	if n := count(t, db, &models.Consent{}); n != before {
		t.Fatal("a refused consent was stored")
	}
	form.Set("agreed", "true")
	form.Set("until", "2026-12-31")
	if r := sanne.PostForm("/consents", form); r.Status != http.StatusSeeOther {
		t.Fatalf("grant: %d", r.Status)
	}
	var c models.Consent
	db.Order("id DESC").First(&c)
	if !strings.Contains(c.Wording, "Pieter Hendriks") || !strings.Contains(c.Wording, "Overleg over mijn rol") {
		t.Fatalf("wording stored: %q", c.Wording)
	}
	// Pieter sees this text, and only on his shared page; others do not.
	p := as(t, srv, "pieter.hendriks@demo.test")
	if r := p.Get(fmt.Sprintf("/shared/%d", c.ID)); r.Status != http.StatusOK || !contains(r.Body, text) {
		t.Fatalf("recipient: %d", r.Status)
	}
	if r := p.Get("/shared"); !contains(r.Body, text) || contains(r.Body, "in drukke weken") {
		t.Fatal("shared page wrong")
	}
	for _, email := range []string{"manager@demo.test", "ahmed.elamrani@demo.test", "admin@demo.test", "mentor@demo.test"} {
		if r := as(t, srv, email).Get(fmt.Sprintf("/shared/%d", c.ID)); r.Status != http.StatusNotFound || contains(r.Body, text) {
			t.Errorf("%s opens Pieter's shared text: %d", email, r.Status)
		}
	}
	// Only Sanne can revoke; then Pieter gets a 404.
	if r := p.PostForm(fmt.Sprintf("/consents/%d/revoke", c.ID), url.Values{}); r.Status != http.StatusNotFound {
		t.Fatalf("recipient revokes: %d", r.Status)
	}
	if r := sanne.PostForm(fmt.Sprintf("/consents/%d/revoke", c.ID), url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.Status)
	}
	if r := p.Get(fmt.Sprintf("/shared/%d", c.ID)); r.Status != http.StatusNotFound {
		t.Fatalf("after revocation: %d, want 404", r.Status)
	}
	if r := p.Get("/shared"); contains(r.Body, text) {
		t.Fatal("revoked text still listed")
	}
	for _, action := range []string{models.AuditConsentGrant, models.AuditConsentView, models.AuditConsentRevoke} {
		var n int64
		db.Model(&models.AuditEvent{}).Where("action = ? AND subject_id = ?", action, c.ID).Count(&n)
		if n == 0 {
			t.Errorf("no %s in the audit log", action)
		}
	}
}

// TestConsentRecipientsInALargeOrganisation: past the select limit the
// share form lists only the people close to the mentee (their manager, the
// mentors and members of their groups) and takes anyone else's email
// address; an address that names nobody is a field error, nothing stored.
func TestConsentRecipientsInALargeOrganisation(t *testing.T) {
	a, db, srv := demo(t)
	a.Handlers.SelectLimit = 3
	a.Handlers.Now = func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) }
	sanne := as(t, srv, "mentee@demo.test")
	page := sanne.Get("/consents")
	if page.Status != http.StatusOK || !contains(page.Body, `name="recipient_email"`) {
		t.Fatalf("no email field past the limit: %d", page.Status)
	}
	if contains(page.Body, "Pieter Hendriks") {
		t.Error("someone outside Sanne's groups is listed")
	}
	form := url.Values{"recipient_id": {""}, "recipient_email": {"niemand@demo.test"}, "purpose": {"Overleg"},
		"until": {"2026-12-31"}, "text": {"Kort verslag"}, "agreed": {"true"}}
	before := count(t, db, &models.Consent{})
	if r := sanne.PostForm("/consents", form); r.Status != http.StatusUnprocessableEntity || !contains(r.Body, `href="#recipient_id"`) {
		t.Fatalf("unknown address: %d", r.Status)
	}
	if count(t, db, &models.Consent{}) != before {
		t.Fatal("a refused consent was stored")
	}
	form.Set("recipient_email", "pieter.hendriks@demo.test")
	if r := sanne.PostForm("/consents", form); r.Status != http.StatusSeeOther {
		t.Fatalf("grant by address: %d", r.Status)
	}
	var c models.Consent
	db.Order("id DESC").First(&c)
	if c.RecipientID != personID(t, db, "pieter.hendriks@demo.test") || !strings.Contains(c.Wording, "Pieter Hendriks") {
		t.Fatalf("stored for %d: %q", c.RecipientID, c.Wording)
	}
}
