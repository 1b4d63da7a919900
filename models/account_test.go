package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestCheckNewPassword: the rules for a chosen password, one row each.
func TestCheckNewPassword(t *testing.T) {
	p := models.Person{Name: "Sanne de Boer", Email: "s.deboer@gemeente.test"}
	for _, tc := range []struct {
		password, confirm, field, code string
	}{
		{"zeven blauwe fietsen", "zeven blauwe fietsen", "", ""},
		{"kort", "kort", "password", "password_short"},
		{"password123", "password123", "password", "password_common"},
		{"Welkom2026!", "Welkom2026!", "password", "password_common"},
		{"qwertyuiop", "qwertyuiop", "password", "password_common"},
		{"1234567890", "1234567890", "password", "password_common"},
		{"WACHTWOORD", "WACHTWOORD", "password", "password_common"},
		{"s.deboer@gemeente.test", "s.deboer@gemeente.test", "password", "password_personal"},
		{"mijn s.deboer wachtwoord", "mijn s.deboer wachtwoord", "password", "password_personal"},
		{"sannedeboer!!", "sannedeboer!!", "password", "password_personal"},
		{"Sanne de Boer 1", "Sanne de Boer 1", "password", "password_personal"},
		{"ik ben sanne hier", "ik ben sanne hier", "password", "password_personal"},
		{"zeven blauwe fietsen", "acht blauwe fietsen", "password_confirm", "password_mismatch"},
	} {
		err := models.CheckNewPassword(p, tc.password, tc.confirm)
		var ve *models.ValidationError
		switch {
		case tc.code == "" && err != nil:
			t.Errorf("%q refused: %v", tc.password, err)
		case tc.code != "" && (!errors.As(err, &ve) || ve.Fields[0].Field != tc.field || ve.Fields[0].Code != tc.code):
			t.Errorf("%q: %v, want %s on %s", tc.password, err, tc.code, tc.field)
		}
	}
}

// TestInviteAndReset: an invitation only for an account without a
// password (a refusal is audited); a reset ends the person's sessions.
func TestInviteAndReset(t *testing.T) {
	db := signInFixture(t, "heeft@org.test")
	ctx := context.Background()
	now := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	admin := models.Person{Name: "Beheer", Email: "beheer@org.test", Admin: true}
	fresh := models.Person{Name: "Nieuw", Email: "nieuw@org.test"}
	db.Create(&admin)
	db.Create(&fresh)
	var has models.Person
	db.Where("email = ?", "heeft@org.test").First(&has)
	v := models.Viewer{PersonID: admin.ID, Admin: true}

	if err := models.Invite(ctx, db, models.Viewer{PersonID: has.ID}, fresh.ID, now); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("invite by a non-admin: %v", err)
	}
	var ve *models.ValidationError
	if err := models.Invite(ctx, db, v, has.ID, now); !errors.As(err, &ve) || ve.Fields[0].Code != "invite_has_password" {
		t.Fatalf("invite of an account with a password: %v", err)
	}
	var refused int64
	db.Model(&models.AuditEvent{}).Where("action = ? AND subject_id = ?", models.AuditInviteRefused, has.ID).Count(&refused)
	if refused != 1 {
		t.Fatalf("refusal audited %d times", refused)
	}
	if err := models.Invite(ctx, db, v, fresh.ID, now); err != nil {
		t.Fatalf("invite of a fresh account: %v", err)
	}
	var links, mails int64
	db.Model(&models.Invitation{}).Count(&links)
	db.Model(&models.MailDelivery{}).Where("kind = ?", models.MailInvitation).Count(&mails)
	if links != 1 || mails != 1 {
		t.Fatalf("%d links and %d mails, want 1 and 1", links, mails)
	}

	if _, err := models.StartSession(ctx, db, has.ID, models.SessionPolicy{Idle: time.Hour, Absolute: time.Hour}, now); err != nil {
		t.Fatal(err)
	}
	if err := models.ResetAccess(ctx, db, v, has.ID, now); err != nil {
		t.Fatal(err)
	}
	var sessions int64
	db.Model(&models.Session{}).Where("person_id = ?", has.ID).Count(&sessions)
	var reset models.Invitation
	db.Where("person_id = ?", has.ID).First(&reset)
	if sessions != 0 || reset.Purpose != models.LinkReset || !reset.ExpiresAt.Equal(now.Add(30*time.Minute)) {
		t.Fatalf("after reset: %d sessions, link %s until %s", sessions, reset.Purpose, reset.ExpiresAt)
	}
}

// TestSSOSubjectLinking: the first sign-in links a person to the
// provider's subject; later ones match on it, whatever the address says;
// another subject with the same address is refused and audited.
func TestSSOSubjectLinking(t *testing.T) {
	db := signInFixture(t, "sanne@org.test", "karin@org.test")
	ctx := context.Background()
	iss := "https://login.example/tenant"
	p, err := models.SSOSignIn(ctx, db, models.SSOIdentity{Issuer: iss, Subject: "sub-1", Email: "Sanne@org.test"})
	if err != nil || p.Email != "sanne@org.test" {
		t.Fatalf("first sign-in: %v %s", err, p.Email)
	}
	for _, tc := range []struct {
		name  string
		id    models.SSOIdentity
		email string // "" means refused
	}{
		{"same subject, other address", models.SSOIdentity{Issuer: iss, Subject: "sub-1", Email: "karin@org.test"}, "sanne@org.test"},
		{"other subject, linked address", models.SSOIdentity{Issuer: iss, Subject: "sub-2", Email: "sanne@org.test"}, ""},
		{"same subject, other issuer", models.SSOIdentity{Issuer: "https://evil.example", Subject: "sub-1", Email: "sanne@org.test"}, ""},
		{"unknown address", models.SSOIdentity{Issuer: iss, Subject: "sub-3", Email: "niemand@org.test"}, ""},
		{"no subject", models.SSOIdentity{Issuer: iss, Email: "karin@org.test"}, ""},
		{"second person links", models.SSOIdentity{Issuer: iss, Subject: "sub-4", Email: "karin@org.test"}, "karin@org.test"},
	} {
		p, err := models.SSOSignIn(ctx, db, tc.id)
		switch {
		case tc.email == "" && !errors.Is(err, models.ErrSSORefused):
			t.Errorf("%s: %v (%s), want refused", tc.name, err, p.Email)
		case tc.email != "" && (err != nil || p.Email != tc.email):
			t.Errorf("%s: %v %s, want %s", tc.name, err, p.Email, tc.email)
		}
	}
	var refused int64
	db.Model(&models.AuditEvent{}).Where("action = ?", models.AuditSSORefused).Count(&refused)
	if refused != 4 {
		t.Fatalf("%d refusals audited, want 4", refused)
	}
}

// TestAuditLogAppendOnly: the database refuses to change, delete or (on
// PostgreSQL) truncate audit rows.
func TestAuditLogAppendOnly(t *testing.T) {
	db := apptest.DB(t)
	if err := models.Audit(context.Background(), db, 0, models.AuditSignIn, "person", 1); err != nil {
		t.Fatal(err)
	}
	stmts := []string{"UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"}
	if apptest.Postgres() {
		stmts = append(stmts, "TRUNCATE audit_events", "TRUNCATE audit_events CASCADE")
	}
	for _, stmt := range stmts {
		if err := db.Exec(stmt).Error; err == nil {
			t.Errorf("%s succeeded", stmt)
		}
	}
	var n int64
	db.Model(&models.AuditEvent{}).Count(&n)
	if n != 1 {
		t.Fatalf("%d audit rows left, want 1", n)
	}
}
