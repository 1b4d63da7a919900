package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"crossmentor/app/apptest"
	"crossmentor/handlers"
)

// TestSingleSignOn runs the OpenID Connect flow against an in-process
// provider: a known, verified email signs in; an unknown one, a wrong
// state, a wrong nonce and an expired token are refused.
func TestSingleSignOn(t *testing.T) {
	a, _, srv := demo(t)
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	cfg := m.Config()
	a.Handlers.SSO = &handlers.SSO{Issuer: cfg.Issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		RedirectURL: srv.URL + "/signin/oidc/callback"}

	// flow walks the redirects up to our callback; spoil may change its URL.
	flow := func(c *apptest.Client, spoil func(*url.URL)) apptest.Response {
		t.Helper()
		r := c.Get("/signin/oidc")
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, cfg.Issuer) {
			t.Fatalf("start: %d %q", r.Status, r.Location)
		}
		req, _ := http.NewRequest(http.MethodGet, r.Location, nil)
		r = c.Do(req)
		if r.Status != http.StatusFound {
			t.Fatalf("provider: %d %s", r.Status, r.Body)
		}
		back, err := url.Parse(r.Location)
		if err != nil || !strings.HasPrefix(r.Location, srv.URL+"/signin/oidc/callback") {
			t.Fatalf("provider sent us to %q", r.Location)
		}
		if spoil != nil {
			spoil(back)
		}
		req, _ = http.NewRequest(http.MethodGet, back.String(), nil)
		return c.Do(req)
	}
	signedIn := func(c *apptest.Client) bool { return c.Get("/").Status == http.StatusOK }

	m.QueueUser(&mockoidc.MockUser{Subject: "s1", Email: "Mentor@Demo.test", EmailVerified: true})
	c := apptest.NewClient(t, srv)
	if r := flow(c, nil); r.Status != http.StatusSeeOther || !signedIn(c) {
		t.Fatalf("known person: %d", r.Status)
	}
	if !strings.Contains(c.Get("/").Body, "Marieke de Vries") {
		t.Fatal("signed in as someone else")
	}

	cases := map[string]func(*apptest.Client) apptest.Response{
		"unknown person": func(c *apptest.Client) apptest.Response {
			m.QueueUser(&mockoidc.MockUser{Subject: "s2", Email: "stranger@example.com", EmailVerified: true})
			return flow(c, nil)
		},
		"unverified email": func(c *apptest.Client) apptest.Response {
			m.QueueUser(&mockoidc.MockUser{Subject: "s3", Email: "mentor@demo.test", EmailVerified: false})
			return flow(c, nil)
		},
		"state mismatch": func(c *apptest.Client) apptest.Response {
			m.QueueUser(&mockoidc.MockUser{Subject: "s1", Email: "mentor@demo.test", EmailVerified: true})
			return flow(c, func(u *url.URL) { q := u.Query(); q.Set("state", "forged"); u.RawQuery = q.Encode() })
		},
		"nonce mismatch": func(c *apptest.Client) apptest.Response {
			m.QueueUser(&mockoidc.MockUser{Subject: "s1", Email: "mentor@demo.test", EmailVerified: true})
			return flow(c, func(u *url.URL) {
				su, _ := url.Parse(srv.URL + "/signin/oidc")
				for _, ck := range c.HTTP.Jar.Cookies(su) {
					if ck.Name == "cm_sso" {
						state, _, _ := strings.Cut(ck.Value, ".")
						ck.Value = state + ".forged-nonce"
						ck.Path = "/signin/oidc"
						c.HTTP.Jar.SetCookies(su, []*http.Cookie{ck})
					}
				}
			})
		},
		"expired token": func(c *apptest.Client) apptest.Response {
			m.QueueUser(&mockoidc.MockUser{Subject: "s1", Email: "mentor@demo.test", EmailVerified: true})
			a.Handlers.Now = func() time.Time { return time.Now().Add(3 * time.Hour) }
			defer func() { a.Handlers.Now = func() time.Time { return time.Now().UTC() } }()
			return flow(c, nil)
		},
	}
	for name, run := range cases {
		c := apptest.NewClient(t, srv)
		r := run(c)
		if r.Status != http.StatusForbidden || !contains(r.Body, "Aanmelden via je organisatie is niet gelukt") {
			t.Errorf("%s: %d, want 403 with a message", name, r.Status)
		}
		if signedIn(c) {
			t.Errorf("%s: signed in anyway", name)
		}
	}
	// With passwords off, the sign-in page offers single sign-on only.
	a.Handlers.NoPasswords = true
	anon := apptest.NewClient(t, srv)
	page := anon.Get("/signin")
	if !contains(page.Body, "/signin/oidc") || contains(page.Body, `name="password"`) {
		t.Fatal("sign-in page still offers a password")
	}
	if r := anon.PostForm("/signin", url.Values{"email": {"mentor@demo.test"}, "password": {"demo-demo"}}); r.Status != http.StatusNotFound {
		t.Fatalf("password sign-in while off: %d", r.Status)
	}
}
