package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/mailer"
	"crossmentor/models"
)

// mailbox sends the app's pending mail to an in-process SMTP server.
type mailbox struct {
	t    *testing.T
	a    *app.App
	sink *apptest.SMTPSink
}

func newMailbox(t *testing.T, a *app.App) *mailbox {
	t.Helper()
	sink := apptest.NewSMTPSink(t)
	smtp, err := mailer.ParseSMTP(sink.URL, "crossmentor <noreply@test>")
	if err != nil {
		t.Fatal(err)
	}
	a.Mail.Sender = smtp
	return &mailbox{t: t, a: a, sink: sink}
}

// to delivers what is due and returns the mails to one address, decoded.
func (m *mailbox) to(addr string) []string {
	m.t.Helper()
	if _, err := m.a.Mail.Deliver(context.Background()); err != nil {
		m.t.Fatal(err)
	}
	var out []string
	for _, msg := range m.sink.Messages() {
		for _, to := range msg.To {
			if strings.EqualFold(to, addr) {
				out = append(out, strings.NewReplacer("=\r\n", "", "=3D", "=").Replace(msg.Data))
			}
		}
	}
	return out
}

var accountLink = regexp.MustCompile(`/(invite|reset)/[A-Za-z0-9_-]{20,}`)

// linkIn returns the account link path in the newest mail to addr.
func (m *mailbox) linkIn(addr string) string {
	m.t.Helper()
	mails := m.to(addr)
	if len(mails) == 0 {
		m.t.Fatalf("no mail to %s", addr)
	}
	link := accountLink.FindString(mails[len(mails)-1])
	if link == "" {
		m.t.Fatalf("no link in the mail to %s:\n%.800s", addr, mails[len(mails)-1])
	}
	return link
}

// TestInvitation: the admin mails an invitation (and sees no link), the
// person chooses a password through the mailed link and is signed in; the
// link works once only and is kept nowhere after it was mailed.
func TestInvitation(t *testing.T) {
	a, db, srv := demo(t)
	box := newMailbox(t, a)
	admin := as(t, srv, "admin@demo.test")
	koen := personID(t, db, "koen.brouwer@demo.test")
	// Every demo account has a password; Koen is entered but never signed in.
	if err := db.Model(&models.Person{}).Where("id = ?", koen).Update("password_hash", "").Error; err != nil {
		t.Fatal(err)
	}
	r := admin.PostForm(fmt.Sprintf("/people/%d/invite", koen), url.Values{})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("invite: %d", r.Status)
	}
	page := admin.Get(r.Location)
	if accountLink.MatchString(page.Body) || !contains(page.Body, "gemaild") {
		t.Fatalf("the admin's page shows a link or no confirmation")
	}
	var raw []struct{ TokenHash, Link string }
	db.Table("invitations").Select("token_hash, link").Scan(&raw) // the columns as stored, not opened
	link := box.linkIn("koen.brouwer@demo.test")
	token := link[strings.LastIndex(link, "/")+1:]
	for _, s := range raw {
		if s.TokenHash == token || strings.Contains(s.Link, token) {
			t.Fatal("the invitation token is stored as it is")
		}
	}
	var sealed []string
	db.Table("invitations").Where("link <> ''").Pluck("link", &sealed)
	if len(sealed) != 0 {
		t.Fatalf("the link is still kept after its mail was sent")
	}
	if n := countAudit(t, db, models.AuditInviteCreated, koen); n != 1 {
		t.Fatalf("invitation_created audited %d times", n)
	}

	koenBrowser := apptest.NewClient(t, srv)
	if r := koenBrowser.Get(link); r.Status != http.StatusOK || !contains(r.Body, "Koen Brouwer") {
		t.Fatalf("open invitation: %d", r.Status)
	}
	for name, pw := range map[string][2]string{
		"short":    {"kort", "kort"},
		"mismatch": {"lang genoeg wachtwoord", "iets anders"},
		"common":   {"Wachtwoord2024!", "Wachtwoord2024!"},
		"own name": {"brouwer-koen-99", "brouwer-koen-99"},
	} {
		if r := koenBrowser.PostForm(link, url.Values{"password": {pw[0]}, "password_confirm": {pw[1]}}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("%s password: %d, want 422", name, r.Status)
		}
	}
	if r := koenBrowser.PostForm(link, url.Values{"password": {"lang genoeg wachtwoord"}, "password_confirm": {"lang genoeg wachtwoord"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d", r.Status)
	}
	if r := koenBrowser.Get("/"); r.Status != http.StatusOK || !contains(r.Body, "Koen Brouwer") {
		t.Fatalf("home after accepting: %d", r.Status)
	}
	if n := countAudit(t, db, models.AuditInviteUsed, koen); n != 1 {
		t.Fatalf("invitation_used audited %d times", n)
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

// countAudit counts the audit rows of an action about a person.
func countAudit(t *testing.T, db *gorm.DB, action string, subject uint) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.AuditEvent{}).Where("action = ? AND subject_id = ?", action, subject).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
