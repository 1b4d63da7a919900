package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

func TestSignInAndOut(t *testing.T) {
	_, db, srv := demo(t)
	c := apptest.NewClient(t, srv)

	if r := c.Get("/"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/signin") {
		t.Fatalf("home without session: %d %q, want redirect to sign-in", r.Status, r.Location)
	}
	r := c.PostForm("/signin", url.Values{"email": {"mentor@demo.test"}, "password": {"wrong password"}})
	if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "wachtwoord") {
		t.Fatalf("wrong password: %d, want 401 with a message", r.Status)
	}
	if n := count(t, db, &models.Session{}); n != 0 {
		t.Fatalf("%d sessions after a failed sign-in", n)
	}
	r = c.PostForm("/signin", url.Values{"email": {"MENTOR@demo.test "}, "password": {app.DemoPassword}})
	if r.Status != http.StatusSeeOther || r.Location != "/" {
		t.Fatalf("sign in: %d %q", r.Status, r.Location)
	}
	cookie := sessionCookie(t, r)
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie flags: %+v", cookie)
	}
	if r := c.Get("/"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Marieke de Vries") {
		t.Fatalf("home after sign-in: %d", r.Status)
	}

	// Signing in again gives a new session id and ends the old one.
	old := c.Cookie("cm_session")
	c.SignIn("mentor@demo.test", app.DemoPassword)
	if c.Cookie("cm_session") == old {
		t.Fatal("session id not renewed at sign-in")
	}
	stale := apptest.NewClient(t, srv)
	stale.HTTP.Jar.SetCookies(srvURL(t, srv.URL), []*http.Cookie{{Name: "cm_session", Value: old}})
	if r := stale.Get("/"); r.Status != http.StatusSeeOther {
		t.Fatalf("old session id still works: %d", r.Status)
	}

	// Sign-out ends the session on the server: the stolen cookie is useless.
	current := c.Cookie("cm_session")
	if r := c.PostForm("/signout", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", r.Status)
	}
	thief := apptest.NewClient(t, srv)
	thief.HTTP.Jar.SetCookies(srvURL(t, srv.URL), []*http.Cookie{{Name: "cm_session", Value: current}})
	if r := thief.Get("/"); r.Status != http.StatusSeeOther {
		t.Fatalf("session after sign-out: %d, want redirect", r.Status)
	}
}

func TestSessionExpiry(t *testing.T) {
	a, _, srv := demo(t)
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	a.Handlers.Now = func() time.Time { return now }
	c := as(t, srv, "mentor@demo.test")

	// Active use keeps the session alive past the idle limit...
	for i := 0; i < 4; i++ {
		now = now.Add(a.Handlers.Sessions.Idle - time.Minute)
		if r := c.Get("/"); r.Status != http.StatusOK {
			t.Fatalf("step %d within idle limit: %d", i, r.Status)
		}
	}
	// ...but not past the idle limit without use,
	now = now.Add(a.Handlers.Sessions.Idle + time.Minute)
	if r := c.Get("/"); r.Status != http.StatusSeeOther {
		t.Fatalf("after idle limit: %d, want redirect to sign-in", r.Status)
	}
	// nor past the absolute limit with use.
	c = as(t, srv, "mentor@demo.test")
	end := now.Add(a.Handlers.Sessions.Absolute)
	for now.Before(end) {
		now = now.Add(a.Handlers.Sessions.Idle / 2)
		c.Get("/")
	}
	if r := c.Get("/"); r.Status != http.StatusSeeOther {
		t.Fatalf("after absolute limit: %d, want redirect to sign-in", r.Status)
	}
}

func TestCSRFRefused(t *testing.T) {
	_, db, srv := demo(t)
	c := as(t, srv, "admin@demo.test")
	before := count(t, db, &models.Team{})
	for name, form := range map[string]url.Values{
		"no token":    {"name": {"Nieuw team"}},
		"wrong token": {"name": {"Nieuw team"}, "_csrf": {"forged"}},
	} {
		if r := c.PostRawForm("/teams", form); r.Status != http.StatusForbidden && r.Status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 403/400", name, r.Status)
		}
	}
	if after := count(t, db, &models.Team{}); after != before {
		t.Fatalf("teams changed by refused posts: %d -> %d", before, after)
	}
	if r := c.PostForm("/teams", url.Values{"name": {"Nieuw team"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("with token: %d", r.Status)
	}
	if after := count(t, db, &models.Team{}); after != before+1 {
		t.Fatalf("team not created with a valid token")
	}
}

func TestSignInRateLimit(t *testing.T) {
	a, db, srv := demo(t)
	c := apptest.NewClient(t, srv)
	limit := a.Handlers.SignInLimits.PerAccountAddress
	for i := 0; i < limit; i++ {
		r := c.PostForm("/signin", url.Values{"email": {"mentee@demo.test"}, "password": {"guess " + string(rune('a'+i))}})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, r.Status)
		}
	}
	// The right password is refused now too, for this account only.
	r := c.PostForm("/signin", url.Values{"email": {"mentee@demo.test"}, "password": {app.DemoPassword}})
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("after %d failures: %d, want 429", limit, r.Status)
	}
	if n := count(t, db, &models.Session{}); n != 0 {
		t.Fatalf("a session was started while limited")
	}
	// The limit is kept in the database: a second app on the same database
	// (another replica) refuses too.
	other := apptest.Serve(t, apptest.New(t, db))
	r = apptest.NewClient(t, other).PostForm("/signin", url.Values{"email": {"mentee@demo.test"}, "password": {app.DemoPassword}})
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("other replica: %d, want 429", r.Status)
	}
	as(t, srv, "mentor@demo.test") // another account from the same address still works
}

func TestSignInRateLimitPerAddress(t *testing.T) {
	a, _, srv := demo(t)
	a.Handlers.SignInLimits.PerAddress = 3
	c := apptest.NewClient(t, srv)
	for i, email := range []string{"a@demo.test", "b@demo.test", "c@demo.test"} {
		if r := c.PostForm("/signin", url.Values{"email": {email}, "password": {"x"}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, r.Status)
		}
	}
	r := c.PostForm("/signin", url.Values{"email": {"mentor@demo.test"}, "password": {app.DemoPassword}})
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("after address limit: %d, want 429", r.Status)
	}
}

func sessionCookie(t *testing.T, r apptest.Response) *http.Cookie {
	t.Helper()
	resp := http.Response{Header: r.Header}
	for _, ck := range resp.Cookies() {
		if ck.Name == "cm_session" && ck.Value != "" {
			return ck
		}
	}
	t.Fatal("no session cookie set")
	return nil
}

func srvURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSecurityHeaders(t *testing.T) {
	_, _, srv := demo(t)
	r := as(t, srv, "mentee@demo.test").Get("/goals")
	for name, want := range map[string]string{"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
		"X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") ||
		!strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(r.Body, "<script>") {
		t.Error("inline script on a page")
	}
}
