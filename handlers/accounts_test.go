package handlers_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestReinviteTakeoverFails is the regression test of the finding "L&D
// takes over any account": POST /people/:id/invite for a person who has a
// password showed a fresh link that signed the admin in as them. Now it is
// refused with a clear message, nothing is made, the attempt is audited,
// and the person's session and password keep working.
func TestReinviteTakeoverFails(t *testing.T) {
	a, db, srv := demo(t)
	box := newMailbox(t, a)
	mentee := as(t, srv, "mentee@demo.test")
	admin := as(t, srv, "admin@demo.test")
	id := personID(t, db, "mentee@demo.test")

	r := admin.PostForm(fmt.Sprintf("/people/%d/invite", id), url.Values{})
	if r.Status != http.StatusUnprocessableEntity || !contains(r.Body, "heeft al een wachtwoord") || !contains(r.Body, "Toegang herstellen") {
		t.Fatalf("re-invite: %d, want 422 with a clear message", r.Status)
	}
	if accountLink.MatchString(r.Body) {
		t.Fatal("the refusal shows a link")
	}
	api := admin.JSON(http.MethodPost, fmt.Sprintf("/api/v1/people/%d/invitation", id), "", nil)
	if api.Status != http.StatusUnprocessableEntity {
		t.Fatalf("re-invite over the API: %d, want 422", api.Status)
	}
	if n := count(t, db, &models.Invitation{}); n != 0 {
		t.Fatalf("%d invitations made", n)
	}
	if n := countAudit(t, db, models.AuditInviteRefused, id); n != 2 {
		t.Fatalf("refusals audited %d times, want 2", n)
	}
	if mails := box.to("mentee@demo.test"); len(mails) != 0 {
		t.Fatalf("%d mails to the person", len(mails))
	}
	if r := mentee.Get("/"); r.Status != http.StatusOK {
		t.Fatalf("the person's session ended: %d", r.Status)
	}
	apptest.NewClient(t, srv).SignIn("mentee@demo.test", app.DemoPassword)
}

// TestResetAccess: L&D's reset ends every session of the person and mails
// a single-use link, valid 30 minutes, to the person's own address; the
// admin never sees it; the new password replaces the old one.
func TestResetAccess(t *testing.T) {
	a, db, srv := demo(t)
	box := newMailbox(t, a)
	mentee := as(t, srv, "mentee@demo.test")
	admin := as(t, srv, "admin@demo.test")
	id := personID(t, db, "mentee@demo.test")

	r := admin.PostForm(fmt.Sprintf("/people/%d/reset-access", id), url.Values{})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.Status)
	}
	if page := admin.Get(r.Location); accountLink.MatchString(page.Body) || !contains(page.Body, "sessies van deze persoon zijn beëindigd") {
		t.Fatal("the admin's page shows the link or no confirmation")
	}
	if r := mentee.Get("/"); r.Status != http.StatusSeeOther {
		t.Fatalf("the person's session survived the reset: %d", r.Status)
	}
	if n := countAudit(t, db, models.AuditResetCreated, id); n != 1 {
		t.Fatalf("reset audited %d times", n)
	}
	// The mailbox page shows the mail, not the link.
	var d models.MailDelivery
	db.Where("kind = ? AND recipient_id = ?", models.MailReset, id).First(&d)
	if page := admin.Get(fmt.Sprintf("/mailbox?view=%d", d.ID)); page.Status != http.StatusOK || accountLink.MatchString(page.Body) {
		t.Fatalf("mailbox preview: %d or shows the link", page.Status)
	}
	link := box.linkIn("mentee@demo.test")
	if !strings.HasPrefix(link, "/reset/") {
		t.Fatalf("mailed %q, want a reset link", link)
	}
	mails := box.to("mentee@demo.test")
	if !contains(mails[len(mails)-1], "Kies een nieuw wachtwoord") {
		t.Fatal("the mail does not say what the link is for")
	}

	// After 30 minutes the link no longer works.
	real := a.Handlers.Now
	a.Handlers.Now = func() time.Time { return real().Add(31 * time.Minute) }
	if r := apptest.NewClient(t, srv).Get(link); r.Status != http.StatusNotFound {
		t.Fatalf("link after 31 minutes: %d, want 404", r.Status)
	}
	a.Handlers.Now = real

	browser := apptest.NewClient(t, srv)
	if r := browser.Get(link); r.Status != http.StatusOK || !contains(r.Body, "Kies een nieuw wachtwoord") {
		t.Fatalf("open reset link: %d", r.Status)
	}
	if r := browser.PostForm(link, url.Values{"password": {"welkom123"}, "password_confirm": {"welkom123"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("common password: %d, want 422", r.Status)
	}
	if r := browser.PostForm(link, url.Values{"password": {"zeven blauwe fietsen"}, "password_confirm": {"zeven blauwe fietsen"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("new password: %d", r.Status)
	}
	if r := browser.Get("/"); r.Status != http.StatusOK {
		t.Fatalf("not signed in after reset: %d", r.Status)
	}
	if r := apptest.NewClient(t, srv).PostForm(link, url.Values{"password": {"nog een wachtwoord"}, "password_confirm": {"nog een wachtwoord"}}); r.Status != http.StatusNotFound {
		t.Fatalf("second use: %d, want 404", r.Status)
	}
	if r := apptest.NewClient(t, srv).PostForm("/signin", url.Values{"email": {"mentee@demo.test"}, "password": {app.DemoPassword}}); r.Status != http.StatusUnauthorized {
		t.Fatalf("old password: %d, want 401", r.Status)
	}
	apptest.NewClient(t, srv).SignIn("mentee@demo.test", "zeven blauwe fietsen")
	if n := countAudit(t, db, models.AuditResetUsed, id); n != 1 {
		t.Fatalf("reset use audited %d times", n)
	}
}

// TestForgotPassword: the same answer for a known and an unknown address,
// a mail only for the known one, and at most three mails per address in
// the window (counted in the database).
func TestForgotPassword(t *testing.T) {
	a, db, srv := demo(t)
	box := newMailbox(t, a)
	c := apptest.NewClient(t, srv)
	c.Get("/password/forgot")
	known := c.PostForm("/password/forgot", url.Values{"email": {"Mentor@Demo.test"}})
	unknown := c.PostForm("/password/forgot", url.Values{"email": {"niemand@demo.test"}})
	if known.Status != http.StatusOK || known.Status != unknown.Status || known.Body != unknown.Body {
		t.Fatalf("known %d and unknown %d answer differently", known.Status, unknown.Status)
	}
	if r := c.PostForm("/password/forgot", url.Values{"email": {"geen adres"}}); r.Status != http.StatusUnprocessableEntity || !contains(r.Body, `aria-invalid="true"`) {
		t.Fatalf("bad address: %d, want 422 with a field error", r.Status)
	}
	link := box.linkIn("mentor@demo.test")
	if !strings.HasPrefix(link, "/reset/") {
		t.Fatalf("mailed %q", link)
	}
	if n := countAudit(t, db, models.AuditResetRequested, personID(t, db, "mentor@demo.test")); n != 1 {
		t.Fatalf("request audited %d times", n)
	}
	for i := 0; i < 4; i++ {
		if r := c.PostForm("/password/forgot", url.Values{"email": {"mentor@demo.test"}}); r.Status != http.StatusOK {
			t.Fatalf("request %d: %d", i+2, r.Status)
		}
		box.to("mentor@demo.test") // a newer link replaces an unsent one: send each before the next
	}
	if mails := box.to("mentor@demo.test"); len(mails) != models.DefaultSignInLimits.ForgotPerAccount {
		t.Fatalf("%d mails after 5 requests, want %d", len(mails), models.DefaultSignInLimits.ForgotPerAccount)
	}
	if r := c.JSON(http.MethodPost, "/api/v1/password/forgot", "", map[string]string{"email": "niemand@demo.test"}); r.Status != http.StatusAccepted {
		t.Fatalf("API: %d, want 202", r.Status)
	}
}

// TestChangePassword: the current password is required, bad new ones get a
// field error, and a change ends the person's other sessions only.
func TestChangePassword(t *testing.T) {
	_, db, srv := demo(t)
	here := as(t, srv, "mentee@demo.test")
	elsewhere := as(t, srv, "mentee@demo.test")
	here.Get("/account")
	id := personID(t, db, "mentee@demo.test")
	for name, form := range map[string]url.Values{
		"wrong current": {"current_password": {"geraden"}, "password": {"zeven blauwe fietsen"}, "password_confirm": {"zeven blauwe fietsen"}},
		"common":        {"current_password": {app.DemoPassword}, "password": {"qwertyuiop"}, "password_confirm": {"qwertyuiop"}},
		"own email":     {"current_password": {app.DemoPassword}, "password": {"mentee@demo.test"}, "password_confirm": {"mentee@demo.test"}},
		"mismatch":      {"current_password": {app.DemoPassword}, "password": {"zeven blauwe fietsen"}, "password_confirm": {"acht"}},
	} {
		if r := here.PostForm("/account/password", form); r.Status != http.StatusUnprocessableEntity || !contains(r.Body, `aria-invalid="true"`) {
			t.Errorf("%s: %d, want 422 with a field error", name, r.Status)
		}
	}
	r := here.PostForm("/account/password", url.Values{"current_password": {app.DemoPassword},
		"password": {"zeven blauwe fietsen"}, "password_confirm": {"zeven blauwe fietsen"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("change: %d", r.Status)
	}
	if r := here.Get("/"); r.Status != http.StatusOK {
		t.Fatalf("this session ended: %d", r.Status)
	}
	if r := elsewhere.Get("/"); r.Status != http.StatusSeeOther {
		t.Fatalf("the other session survived: %d", r.Status)
	}
	apptest.NewClient(t, srv).SignIn("mentee@demo.test", "zeven blauwe fietsen")
	if n := countAudit(t, db, models.AuditPasswordChanged, id); n != 1 {
		t.Fatalf("change audited %d times", n)
	}
	api := as(t, srv, "mentor@demo.test")
	if r := api.JSON(http.MethodPut, "/api/v1/me/password", "", map[string]string{"current_password": "fout", "password": "zeven blauwe fietsen", "password_confirm": "zeven blauwe fietsen"}); r.Status != http.StatusUnprocessableEntity || !contains(r.Body, "current_password") {
		t.Fatalf("API wrong current: %d %s", r.Status, r.Body)
	}
}

// TestEmailChangeMailedToOldAddress: L&D changing a person's address is
// audited and mailed to the old address, which the mail alone names.
func TestEmailChangeMailedToOldAddress(t *testing.T) {
	a, db, srv := demo(t)
	box := newMailbox(t, a)
	admin := as(t, srv, "admin@demo.test")
	id := personID(t, db, "mentee@demo.test")
	var p models.Person
	db.First(&p, id)
	form := url.Values{"name": {p.Name}, "email": {"nieuw.adres@demo.test"}, "language": {p.Language}, "discipline": {p.Discipline}}
	if p.TeamID != nil {
		form.Set("team_id", fmt.Sprint(*p.TeamID))
	}
	if p.ManagerID != nil {
		form.Set("manager_id", fmt.Sprint(*p.ManagerID))
	}
	if r := admin.PostForm(fmt.Sprintf("/people/%d", id), form); r.Status != http.StatusSeeOther {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	mails := box.to("mentee@demo.test")
	if len(mails) != 1 || !contains(mails[0], "is gewijzigd") || contains(mails[0], "nieuw.adres") {
		t.Fatalf("%d mails to the old address, or naming the new one", len(mails))
	}
	if len(box.to("nieuw.adres@demo.test")) != 0 {
		t.Fatal("the change notice went to the new address")
	}
	if n := countAudit(t, db, models.AuditEmailChanged, id); n != 1 {
		t.Fatalf("email change audited %d times", n)
	}
	if n := count(t, db, &models.EmailChange{}); n != 0 {
		t.Fatal("the old address is kept after its notice was sent")
	}
}

// TestSignInNextRefusesControlCharacters: only plain local paths survive
// as the target after sign-in.
func TestSignInNextRefusesControlCharacters(t *testing.T) {
	_, _, srv := demo(t)
	for next, want := range map[string]string{
		"/\t/evil.test":         "/",
		"/\n/evil.test":         "/",
		"/\\evil.test":          "/",
		"//evil.test":           "/",
		"/%2F/evil.test":        "/",
		"https://evil.test/":    "/",
		"/ /evil.test":          "/",
		"/\u0085/evil.test":     "/",
		"/groups/1?tab=a":       "/groups/1?tab=a",
		"/one-on-ones":          "/one-on-ones",
		"javascript:alert(1)":   "/",
		"/\x00/evil.test":       "/",
		"/people?q=jan%20de":    "/people?q=jan%20de",
		"/account#calendar":     "/account#calendar",
		"/\u2028/evil.test":     "/",
		"/x/../\t/evil.test":    "/",
		"/x/..//evil.test":      "/x/..//evil.test",
		"/x?next=//evil.test":   "/x?next=//evil.test",
		"/\x7f/evil.test":       "/",
		"/x/\r\nSet-Cookie:a=b": "/",
	} {
		c := apptest.NewClient(t, srv)
		c.Get("/signin")
		r := c.PostForm("/signin", url.Values{"email": {"mentor@demo.test"}, "password": {app.DemoPassword}, "next": {next}})
		if r.Status != http.StatusSeeOther || r.Location != want {
			t.Errorf("next %q: %d to %q, want %q", next, r.Status, r.Location, want)
		}
	}
}

// TestLanguageGetChangesNothing: ?lang= shows the page in that language
// and stores nothing; POST /language stores the choice.
func TestLanguageGetChangesNothing(t *testing.T) {
	_, db, srv := demo(t)
	c := as(t, srv, "mentee@demo.test")
	id := personID(t, db, "mentee@demo.test")
	r := c.Get("/?lang=en")
	if r.Status != http.StatusOK || !contains(r.Body, `lang="en"`) {
		t.Fatalf("?lang=en: %d, not in English", r.Status)
	}
	if ck := r.Header.Values("Set-Cookie"); strings.Contains(strings.Join(ck, ";"), "cm_lang") {
		t.Fatal("a GET set the language cookie")
	}
	var p models.Person
	db.First(&p, id)
	if p.Language != "nl" {
		t.Fatalf("a GET stored the preference %q", p.Language)
	}
	if r := c.Get("/"); !contains(r.Body, `<html lang="nl"`) {
		t.Fatal("the next page is not in the stored language")
	}
	if r := c.PostForm("/language", url.Values{"lang": {"en"}, "back": {"/goals"}}); r.Status != http.StatusSeeOther || r.Location != "/goals" {
		t.Fatalf("POST /language: %d to %q", r.Status, r.Location)
	}
	db.First(&p, id)
	if p.Language != "en" {
		t.Fatalf("POST did not store the preference: %q", p.Language)
	}
	if r := c.PostForm("/language", url.Values{"lang": {"nl"}, "back": {"//evil.test"}}); r.Location != "/" {
		t.Fatalf("back to another site: %q", r.Location)
	}
}

// TestHostPrefixCookies: over https the session and CSRF cookies carry the
// __Host- prefix (Secure, Path=/, no Domain).
func TestHostPrefixCookies(t *testing.T) {
	db := apptest.Demo(t)
	cfg, err := app.LoadConfig(func(k string) (string, bool) {
		if k == app.EnvPrefix+"BASE_URL" {
			return "https://crossmentor.example", true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Jobs = false
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db, "test")
	if err != nil {
		t.Fatal(err)
	}
	secure := apptest.Serve(t, a) // plain HTTP underneath, as behind a TLS proxy
	get, _ := http.NewRequest(http.MethodGet, secure.URL+"/signin", nil)
	resp, err := http.DefaultClient.Do(get)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var csrf *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "__Host-cm_csrf" {
			csrf = ck
		}
	}
	if csrf == nil || !csrf.Secure || csrf.Path != "/" || csrf.Domain != "" {
		t.Fatalf("CSRF cookie: %+v", resp.Header.Values("Set-Cookie"))
	}
	form := url.Values{"email": {"mentor@demo.test"}, "password": {app.DemoPassword}, "_csrf": {csrf.Value}}
	post, _ := http.NewRequest(http.MethodPost, secure.URL+"/signin", strings.NewReader(form.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.AddCookie(&http.Cookie{Name: "__Host-cm_csrf", Value: csrf.Value})
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noRedirect.Do(post)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "__Host-cm_session" {
			session = ck
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil || !session.Secure || session.Path != "/" {
		t.Fatalf("sign-in over https: %d, cookies %v", resp.StatusCode, resp.Header.Values("Set-Cookie"))
	}
	home, _ := http.NewRequest(http.MethodGet, secure.URL+"/", nil)
	home.AddCookie(&http.Cookie{Name: "__Host-cm_session", Value: session.Value})
	resp, err = noRedirect.Do(home)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("home with the __Host- session: %d", resp.StatusCode)
	}
}

// TestSignInBusyAnswersQuickly: with the password checks of this process
// all taken, further attempts get 503 with Retry-After instead of queueing
// without bound.
func TestSignInBusyAnswersQuickly(t *testing.T) {
	a, _, srv := demo(t)
	a.Handlers.PasswordGate = models.NewPasswordGate(1, time.Millisecond)
	a.Handlers.SignInLimits.PerAddress = 1000
	a.Handlers.SignInLimits.PerAccount = 1000
	a.Handlers.SignInLimits.PerAccountAddress = 1000
	type result struct {
		status     int
		retryAfter string
	}
	results := make(chan result, 20)
	for i := 0; i < 20; i++ {
		go func() {
			c := apptest.NewClient(t, srv)
			r := c.JSON(http.MethodPost, "/api/v1/session", "", map[string]string{"email": "mentor@demo.test", "password": "fout"})
			results <- result{r.Status, r.Header.Get("Retry-After")}
		}()
	}
	busy := 0
	for i := 0; i < 20; i++ {
		r := <-results
		switch r.status {
		case http.StatusServiceUnavailable:
			busy++
			if r.retryAfter == "" {
				t.Error("503 without Retry-After")
			}
		case http.StatusUnauthorized:
		default:
			t.Errorf("attempt answered %d", r.status)
		}
	}
	if busy == 0 {
		t.Fatal("20 attempts at once with one slot: none turned away")
	}
}
