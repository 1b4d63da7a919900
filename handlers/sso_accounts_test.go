package handlers_test

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"crossmentor/app/apptest"
	"crossmentor/handlers"
	"crossmentor/models"
)

// endSessionProvider starts a mock provider whose discovery document also
// names an end_session_endpoint.
func endSessionProvider(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	err = m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != mockoidc.DiscoveryEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var doc map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			doc["end_session_endpoint"] = m.Issuer() + "/logout"
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(doc)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return m
}

// ssoFlow walks a client through the provider back to our callback.
func ssoFlow(t *testing.T, c *apptest.Client, issuer string) apptest.Response {
	t.Helper()
	r := c.Get("/signin/oidc")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, issuer) {
		t.Fatalf("start: %d %q", r.Status, r.Location)
	}
	req, _ := http.NewRequest(http.MethodGet, r.Location, nil)
	r = c.Do(req)
	if r.Status != http.StatusFound {
		t.Fatalf("provider: %d %s", r.Status, r.Body)
	}
	req, _ = http.NewRequest(http.MethodGet, r.Location, nil)
	return c.Do(req)
}

// TestSSOLinksSubjectAndEndsProviderSession: the first single sign-on links
// the person to the provider's subject; a later token with that subject
// signs them in whatever address it carries, while another subject with
// their address is refused and audited; signing out sends the browser to
// the provider's end-session endpoint.
func TestSSOLinksSubjectAndEndsProviderSession(t *testing.T) {
	a, db, srv := demo(t)
	m := endSessionProvider(t)
	cfg := m.Config()
	a.Handlers.SSO = &handlers.SSO{Issuer: cfg.Issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		RedirectURL: srv.URL + "/signin/oidc/callback", SignedOutURL: srv.URL + "/signin"}
	mentor := personID(t, db, "mentor@demo.test")

	m.QueueUser(&mockoidc.MockUser{Subject: "entra-1", Email: "mentor@demo.test", EmailVerified: true})
	c := apptest.NewClient(t, srv)
	if r := ssoFlow(t, c, cfg.Issuer); r.Status != http.StatusSeeOther {
		t.Fatalf("first sign-in: %d", r.Status)
	}
	var p models.Person
	db.First(&p, mentor)
	if p.OIDCSubject == nil || *p.OIDCSubject != "entra-1" || p.OIDCIssuer == nil || *p.OIDCIssuer != cfg.Issuer {
		t.Fatalf("not linked: %v %v", p.OIDCIssuer, p.OIDCSubject)
	}
	// Signing out ends the provider's session too.
	r := c.PostForm("/signout", url.Values{})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, cfg.Issuer+"/logout?") ||
		!strings.Contains(r.Location, "post_logout_redirect_uri="+url.QueryEscape(srv.URL+"/signin")) || !strings.Contains(r.Location, "client_id=") {
		t.Fatalf("sign-out: %d to %q", r.Status, r.Location)
	}
	if c.Get("/").Status != http.StatusSeeOther {
		t.Fatal("still signed in after signing out")
	}

	// Same subject, another address: still the mentor.
	m.QueueUser(&mockoidc.MockUser{Subject: "entra-1", Email: "renamed@elsewhere.test", EmailVerified: true})
	c = apptest.NewClient(t, srv)
	if r := ssoFlow(t, c, cfg.Issuer); r.Status != http.StatusSeeOther || !contains(c.Get("/").Body, "Marieke de Vries") {
		t.Fatalf("matched on subject: %d", r.Status)
	}
	// Another subject with the mentor's address: refused, audited.
	m.QueueUser(&mockoidc.MockUser{Subject: "entra-2", Email: "mentor@demo.test", EmailVerified: true})
	c = apptest.NewClient(t, srv)
	if r := ssoFlow(t, c, cfg.Issuer); r.Status != http.StatusForbidden || c.Get("/").Status != http.StatusSeeOther {
		t.Fatalf("other subject: %d, want 403 and not signed in", r.Status)
	}
	if n := countAudit(t, db, models.AuditSSORefused, mentor); n != 1 {
		t.Fatalf("refusal audited %d times", n)
	}
	// A password session signs out locally only.
	pw := as(t, srv, "mentee@demo.test")
	if r := pw.PostForm("/signout", url.Values{}); r.Location != "/signin" {
		t.Fatalf("password sign-out went to %q", r.Location)
	}
}

// TestSSOEmailClaim: with preferred_username as the trusted claim (Entra ID
// work accounts), the first sign-in matches on it even without
// email_verified; with the default claim an unverified email is refused.
func TestSSOEmailClaim(t *testing.T) {
	a, db, srv := demo(t)
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	cfg := m.Config()
	sso := &handlers.SSO{Issuer: cfg.Issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		RedirectURL: srv.URL + "/signin/oidc/callback"}
	a.Handlers.SSO = sso

	m.QueueUser(&mockoidc.MockUser{Subject: "u1", Email: "mentee@demo.test", PreferredUsername: "mentee@demo.test"})
	if r := ssoFlow(t, apptest.NewClient(t, srv), cfg.Issuer); r.Status != http.StatusForbidden {
		t.Fatalf("unverified email with the email claim: %d, want 403", r.Status)
	}
	sso.EmailClaim = "preferred_username"
	m.QueueUser(&mockoidc.MockUser{Subject: "u1", Email: "", PreferredUsername: "Mentee@demo.test"})
	c := apptest.NewClient(t, srv)
	if r := ssoFlow(t, c, cfg.Issuer); r.Status != http.StatusSeeOther || c.Get("/").Status != http.StatusOK {
		t.Fatalf("preferred_username: %d", r.Status)
	}
	if n := countAudit(t, db, models.AuditSSOLinked, personID(t, db, "mentee@demo.test")); n != 1 {
		t.Fatalf("link audited %d times", n)
	}
}

// TestSSOProviderDown: an unreachable provider gives the sign-in page with
// a clear message and 503, not an error page.
func TestSSOProviderDown(t *testing.T) {
	a, _, srv := demo(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here any more
	a.Handlers.SSO = &handlers.SSO{Issuer: "http://" + addr, ClientID: "x", RedirectURL: srv.URL + "/signin/oidc/callback"}
	for _, path := range []string{"/signin/oidc", "/signin/oidc/callback?state=a&code=b"} {
		r := apptest.NewClient(t, srv).Get(path)
		if r.Status != http.StatusServiceUnavailable || !contains(r.Body, "niet bereikbaar") || r.Header.Get("Retry-After") == "" {
			t.Fatalf("%s with the provider down: %d", path, r.Status)
		}
		if !bytes.Contains([]byte(r.Body), []byte(`name="password"`)) {
			t.Fatalf("%s: the page offers no password sign-in instead", path)
		}
	}
}
