package app_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/mailer"
	"crossmentor/models"
)

// accountMails delivers the app's pending mail to an in-process SMTP
// server and finds account links in it.
type accountMails struct {
	t    *testing.T
	a    *app.App
	sink *apptest.SMTPSink
}

var mailedLink = regexp.MustCompile(`/(invite|reset)/[A-Za-z0-9_-]{20,}`)

// linkTo delivers what is due and returns the link of the newest mail to addr.
func (m *accountMails) linkTo(addr, wantText string) string {
	m.t.Helper()
	if _, err := m.a.Mail.Deliver(context.Background()); err != nil {
		m.t.Fatal(err)
	}
	last := ""
	for _, msg := range m.sink.Messages() {
		if len(msg.To) == 1 && strings.EqualFold(msg.To[0], addr) {
			last = strings.NewReplacer("=\r\n", "", "=3D", "=").Replace(msg.Data)
		}
	}
	if !strings.Contains(last, wantText) {
		m.t.Fatalf("the newest mail to %s lacks %q:\n%.900s", addr, wantText, last)
	}
	link := mailedLink.FindString(last)
	if link == "" {
		m.t.Fatalf("no link in the mail to %s", addr)
	}
	return link
}

// TestBrowserAccounts: forgot password, change password and L&D's reset
// of someone's access, end to end in a real browser, in Dutch and in
// English, with the mails caught by an in-process SMTP server; the forms
// show field-level errors and fit a phone.
func TestBrowserAccounts(t *testing.T) {
	db := apptest.Demo(t)
	a := apptest.New(t, db)
	sink := apptest.NewSMTPSink(t)
	smtp, err := mailer.ParseSMTP(sink.URL, "crossmentor <noreply@test>")
	if err != nil {
		t.Fatal(err)
	}
	a.Mail.Sender = smtp
	mails := &accountMails{t: t, a: a, sink: sink}
	srv := apptest.Serve(t, a)
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	type words struct {
		lang, email, forgotSent, forgotMail, common, changed, resetFlash, resetMail, resetTitle string
	}
	for _, w := range []words{
		{"nl", "mentee@demo.test", "Als er een account bij dit adres hoort", "Kies een nieuw wachtwoord", "te bekend",
			"Je wachtwoord is gewijzigd", "Alle sessies van deze persoon zijn beëindigd", "Er is gevraagd om je toegang", "Kies een nieuw wachtwoord"},
		{"en", "mentor@demo.test", "If there is an account for this address", "Choose a new password", "too common",
			"Your password has been changed", "All of this person's sessions have ended", "Someone asked to restore your access", "Choose a new password"},
	} {
		t.Run(w.lang, func(t *testing.T) {
			// The person reads mail in their own language.
			if err := db.Model(&models.Person{}).Where("email = ?", w.email).Update("language", w.lang).Error; err != nil {
				t.Fatal(err)
			}
			must(t, "sign-in page", chromedp.Do(ctx, chromedp.EmulateViewport(390, 844),
				chromedp.Navigate(srv.URL+"/signin"), chromedp.WaitVisible(css("#email"))))
			if w.lang == "en" {
				must(t, "switch to English", chromedp.Do(ctx,
					chromedp.Click(css("form[action='/language'] button[value=en]")),
					chromedp.WaitVisible(css("html[lang=en] #email"))))
			}

			// Forgot password: a field error first, then the mail and a new password.
			must(t, "forgot", chromedp.Do(ctx,
				chromedp.Click(css("a[href='/password/forgot']")),
				chromedp.WaitVisible(css("form[action='/password/forgot']")),
				chromedp.SendKeys(css("#email"), "geen adres"),
				chromedp.Click(css("form[action='/password/forgot'] button[type=submit]")),
				chromedp.WaitVisible(css("#err-email")),
			))
			noOverflow(t, ctx, "forgot form")
			screenshot(t, ctx, "accounts-forgot-error-"+w.lang)
			must(t, "forgot send", chromedp.Do(ctx,
				script(`document.querySelector('#email').value = ''`),
				chromedp.SendKeys(css("#email"), w.email),
				chromedp.Click(css("form[action='/password/forgot'] button[type=submit]")),
				chromedp.WaitVisible(css("main [role=status]")),
			))
			if s := text(t, ctx, "main"); !strings.Contains(s, w.forgotSent) {
				t.Fatalf("forgot answer: %s", s)
			}
			link := mails.linkTo(w.email, w.forgotMail)
			newPassword := "zeven blauwe fietsen " + w.lang
			must(t, "reset page", chromedp.Do(ctx,
				chromedp.Navigate(srv.URL+link),
				chromedp.WaitVisible(css("#password")),
				chromedp.SendKeys(css("#password"), "Welkom2026!"),
				chromedp.SendKeys(css("#password_confirm"), "Welkom2026!"),
				chromedp.Click(css("main form button[type=submit]")),
				chromedp.WaitVisible(css("#err-password")),
			))
			if s := text(t, ctx, "#err-password"); !strings.Contains(s, w.common) {
				t.Fatalf("common password refused with %q", s)
			}
			noOverflow(t, ctx, "reset form")
			screenshot(t, ctx, "accounts-reset-error-"+w.lang)
			must(t, "new password", chromedp.Do(ctx,
				chromedp.SendKeys(css("#password"), newPassword),
				chromedp.SendKeys(css("#password_confirm"), newPassword),
				chromedp.Click(css("main form button[type=submit]")),
				chromedp.WaitVisible(css("form[action='/signout']")),
			))

			// Change password on the account page: a wrong current one first.
			changed := "acht groene kanos " + w.lang
			must(t, "account page", chromedp.Do(ctx,
				chromedp.Navigate(srv.URL+"/account"),
				chromedp.WaitVisible(css("#current_password")),
				chromedp.SendKeys(css("#current_password"), "niet mijn wachtwoord"),
				chromedp.SendKeys(css("form[action='/account/password'] #password"), changed),
				chromedp.SendKeys(css("form[action='/account/password'] #password_confirm"), changed),
				chromedp.Click(css("form[action='/account/password'] button[type=submit]")),
				chromedp.WaitVisible(css("#err-current_password")),
			))
			noOverflow(t, ctx, "account page")
			screenshot(t, ctx, "accounts-change-error-"+w.lang)
			must(t, "change password", chromedp.Do(ctx,
				chromedp.SendKeys(css("#current_password"), newPassword),
				chromedp.SendKeys(css("form[action='/account/password'] #password"), changed),
				chromedp.SendKeys(css("form[action='/account/password'] #password_confirm"), changed),
				chromedp.Click(css("form[action='/account/password'] button[type=submit]")),
				chromedp.WaitVisible(css(".flash")),
			))
			if s := text(t, ctx, ".flash"); !strings.Contains(s, w.changed) {
				t.Fatalf("after the change: %q", s)
			}
			signOut(t, ctx)

			// L&D resets the access: the person gets the link, the admin does not.
			var p models.Person
			db.Where("email = ?", w.email).First(&p)
			must(t, "admin signs in", chromedp.Do(ctx,
				chromedp.SendKeys(css("#email"), "admin@demo.test"),
				chromedp.SendKeys(css("#password"), app.DemoPassword),
				chromedp.Click(css("form[action='/signin'] button[type=submit]")),
				chromedp.WaitVisible(css("form[action='/signout']")),
				chromedp.Navigate(fmt.Sprintf("%s/people/%d", srv.URL, p.ID)),
				chromedp.WaitVisible(css("form[action$='/reset-access']")),
			))
			if w.lang == "en" { // the admin's own preference is Dutch: switch, and come back to the page
				must(t, "admin to English", chromedp.Do(ctx,
					chromedp.Click(css("form[action='/language'] button[value=en]")),
					chromedp.WaitVisible(css("html[lang=en] form[action$='/reset-access']"))))
			}
			must(t, "reset access", chromedp.Do(ctx,
				script(`window.confirm = () => true`),
				chromedp.Click(css("form[action$='/reset-access'] button")),
				chromedp.WaitVisible(css(".flash")),
			))
			if s := text(t, ctx, "main"); !strings.Contains(s, w.resetFlash) || mailedLink.MatchString(s) {
				t.Fatalf("admin after the reset: %s", s)
			}
			noOverflow(t, ctx, "person page")
			screenshot(t, ctx, "accounts-reset-admin-"+w.lang)
			signOut(t, ctx)
			link = mails.linkTo(w.email, w.resetMail)
			final := "negen rode treinen " + w.lang
			must(t, "reset link", chromedp.Do(ctx,
				chromedp.Navigate(srv.URL+link),
				chromedp.WaitVisible(css("#password")),
			))
			if s := text(t, ctx, "h1"); s != w.resetTitle {
				t.Fatalf("reset page title %q", s)
			}
			must(t, "reset password", chromedp.Do(ctx,
				chromedp.SendKeys(css("#password"), final),
				chromedp.SendKeys(css("#password_confirm"), final),
				chromedp.Click(css("main form button[type=submit]")),
				chromedp.WaitVisible(css("form[action='/signout']")),
			))
			signOut(t, ctx)
			must(t, "sign in with the new password", chromedp.Do(ctx,
				chromedp.SendKeys(css("#email"), w.email),
				chromedp.SendKeys(css("#password"), final),
				chromedp.Click(css("form[action='/signin'] button[type=submit]")),
				chromedp.WaitVisible(css("form[action='/signout']")),
			))
			signOut(t, ctx)
			must(t, "desktop again", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
		})
	}
}

// noOverflow fails the test when the page is wider than the screen.
func noOverflow(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	must(t, "measure "+what, err)
	if overflow {
		t.Errorf("%s: wider than the screen", what)
	}
}
