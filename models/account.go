package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Link purposes: an invitation for an account that never had a password,
// and a reset of the access of one that had.
const (
	LinkInvite = "invite"
	LinkReset  = "reset"
)

// Invitation is a single-use account link: an invitation (choose a first
// password) or a reset (choose a new one). Only the token's hash is kept
// to find it; the link itself is kept sealed only until its mail is sent
// and then wiped, so nobody but the addressee ever sees it.
type Invitation struct {
	ID          uint   `gorm:"primaryKey"`
	PersonID    uint   `gorm:"not null;index"`
	Purpose     string `gorm:"size:10;not null;default:'invite'"`
	TokenHash   string `gorm:"size:64;not null;uniqueIndex"`
	Link        string `gorm:"type:text;not null;default:''" sealed:"invitations"`
	CreatedByID *uint
	ExpiresAt   time.Time
	UsedAt      *time.Time
	CreatedAt   time.Time
}

// Lifetimes of account links.
const (
	InvitationLifetime = 14 * 24 * time.Hour
	ResetLifetime      = 30 * time.Minute
)

// Mail kinds of account links and account changes. They are not reminders:
// nobody can switch them off.
const (
	MailInvitation   = "account_invite"
	MailReset        = "account_reset"
	MailEmailChanged = "account_email_changed"
)

// Audit actions of accounts.
const (
	AuditInviteCreated   = "invitation_created"
	AuditInviteRefused   = "invitation_refused"
	AuditInviteUsed      = "invitation_used"
	AuditResetCreated    = "reset_created"
	AuditResetRequested  = "reset_requested"
	AuditResetUsed       = "reset_used"
	AuditEmailChanged    = "email_changed"
	AuditPasswordChanged = "password_changed"
	AuditSSORefused      = "sso_refused"
	AuditSSOLinked       = "sso_linked"
)

// PasswordInput chooses a password.
type PasswordInput struct {
	Password        string `form:"password" json:"password" validate:"required,max=200"`
	PasswordConfirm string `form:"password_confirm" json:"password_confirm" validate:"required,max=200"`
}

// Invite mails a single-use invitation to a person who never set a
// password; earlier unused links of that person stop working. An account
// with a password is refused (and the attempt audited): its owner gets a
// reset instead, so nobody can take over an account with a link. Admins only.
func Invite(ctx context.Context, db *gorm.DB, v Viewer, personID uint, now time.Time) error {
	if !v.Can(OrgManage) {
		return ErrNotFound
	}
	var p Person
	if err := db.WithContext(ctx).Select("id", "password_hash").First(&p, personID).Error; err != nil {
		return notFound(err)
	}
	if p.PasswordHash != "" {
		if err := Audit(ctx, db, v.PersonID, AuditInviteRefused, "person", personID); err != nil {
			return err
		}
		return fieldErr("_form", "invite_has_password")
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Checked again in the transaction: a password set meanwhile wins.
		res := tx.Model(&Person{}).Where("id = ? AND password_hash = ''", personID).Update("updated_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return fieldErr("_form", "invite_has_password")
		}
		if err := newLink(tx, v.PersonID, personID, LinkInvite, now.Add(InvitationLifetime), now); err != nil {
			return err
		}
		return audit(tx, v.PersonID, AuditInviteCreated, "person", personID)
	})
}

// ResetAccess ends every session of a person and mails them a single-use
// reset link, valid for 30 minutes, to their own address. The admin never
// sees the link. Admins only; not for their own account (they change their
// password on the account page).
func ResetAccess(ctx context.Context, db *gorm.DB, v Viewer, personID uint, now time.Time) error {
	if !v.Can(OrgManage) {
		return ErrNotFound
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p Person
		if err := tx.Select("id", "email").First(&p, personID).Error; err != nil {
			return notFound(err)
		}
		if erasedEmail(p.Email) {
			return ErrNotFound
		}
		if err := endSessions(tx, personID, ""); err != nil {
			return err
		}
		if err := newLink(tx, v.PersonID, personID, LinkReset, now.Add(ResetLifetime), now); err != nil {
			return err
		}
		return audit(tx, v.PersonID, AuditResetCreated, "person", personID)
	})
}

// ForgotPassword mails a reset link to the person with this address, if
// there is one. It answers the same whether or not the address exists; the
// requests are limited per address and per client in the database (the
// same counters as sign-in), so the limit holds across replicas.
func ForgotPassword(ctx context.Context, db *gorm.DB, email, address string, limits SignInLimits, now time.Time) error {
	email = NormalizeEmail(email)
	tx := db.WithContext(ctx)
	over, err := countAttempts(tx, now, limits.Window,
		bucket{"forgot:" + email, limits.ForgotPerAccount}, bucket{"forgot-from:" + address, limits.PerAddress})
	if err != nil || over {
		return err // too many: nothing is sent, and the answer stays the same
	}
	var p Person
	err = tx.Select("id", "email").Where("email = ?", email).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && erasedEmail(p.Email)) {
		return nil
	}
	if err != nil {
		return err
	}
	return tx.Transaction(func(tx *gorm.DB) error {
		if err := newLink(tx, 0, p.ID, LinkReset, now.Add(ResetLifetime), now); err != nil {
			return err
		}
		return audit(tx, p.ID, AuditResetRequested, "person", p.ID)
	})
}

// newLink replaces the person's unused links by a new one and enqueues its
// mail in the same transaction.
func newLink(tx *gorm.DB, by, personID uint, purpose string, expires, now time.Time) error {
	token, hash, err := NewToken()
	if err != nil {
		return err
	}
	if err := tx.Where("person_id = ? AND used_at IS NULL", personID).Delete(&Invitation{}).Error; err != nil {
		return err
	}
	link := Invitation{PersonID: personID, Purpose: purpose, TokenHash: hash, Link: token, ExpiresAt: expires}
	if by != 0 {
		link.CreatedByID = &by
	}
	if err := tx.Create(&link).Error; err != nil {
		return err
	}
	kind := MailInvitation
	if purpose == LinkReset {
		kind = MailReset
	}
	return enqueue(tx, kind, "link", link.ID, now, now, []uint{personID})
}

// LinkPerson returns the person an unused, unexpired link of this purpose is for.
func LinkPerson(ctx context.Context, db *gorm.DB, purpose, token string, now time.Time) (Person, error) {
	var p Person
	var link Invitation
	tx := db.WithContext(ctx)
	err := tx.Select("id", "person_id").Where("token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?",
		HashToken(token), purpose, now).Take(&link).Error
	if err != nil {
		return p, notFound(err)
	}
	return p, notFound(tx.First(&p, link.PersonID).Error)
}

// UseLink sets the password of the link's person and uses the link up; it
// returns the person so they can be signed in. An invitation works only
// while the account has no password; a reset also ends every other session.
func UseLink(ctx context.Context, db *gorm.DB, gate *PasswordGate, purpose, token string, in PasswordInput, now time.Time) (Person, error) {
	p, err := LinkPerson(ctx, db, purpose, token, now)
	if err != nil {
		return p, err
	}
	if err := CheckNewPassword(p, in.Password, in.PasswordConfirm); err != nil {
		return p, err
	}
	hash, err := gate.Hash(ctx, in.Password)
	if err != nil {
		return p, err
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Invitation{}).
			Where("token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?", HashToken(token), purpose, now).
			Updates(map[string]any{"used_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrNotFound
		}
		if err := wipeLinks(tx, p.ID); err != nil {
			return err
		}
		q := tx.Model(&Person{}).Where("id = ?", p.ID)
		if purpose == LinkInvite {
			q = q.Where("password_hash = ''")
		}
		res = q.Update("password_hash", hash)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrNotFound
		}
		action := AuditInviteUsed
		if purpose == LinkReset {
			action = AuditResetUsed
			if err := endSessions(tx, p.ID, ""); err != nil {
				return err
			}
		}
		return audit(tx, p.ID, action, "person", p.ID)
	})
	return p, err
}

// wipeLinks clears the sealed link of a person's links: once used or
// mailed, it is kept nowhere.
func wipeLinks(tx *gorm.DB, personID uint) error {
	return tx.Exec("UPDATE invitations SET link = '' WHERE person_id = ?", personID).Error
}

// ChangePasswordInput is the account page's password form.
type ChangePasswordInput struct {
	Current         string `form:"current_password" json:"current_password" validate:"required,max=200"`
	Password        string `form:"password" json:"password" validate:"required,max=200"`
	PasswordConfirm string `form:"password_confirm" json:"password_confirm" validate:"required,max=200"`
}

// ChangePassword sets a new password for the viewer after checking the
// current one, and ends their other sessions (keepToken is this one).
func ChangePassword(ctx context.Context, db *gorm.DB, gate *PasswordGate, v Viewer, in ChangePasswordInput, keepToken string, now time.Time) error {
	var p Person
	tx := db.WithContext(ctx)
	if err := tx.First(&p, v.PersonID).Error; err != nil {
		return notFound(err)
	}
	// A stolen session must not become a way to guess the password: the
	// current one is tried within the same limit as signing in.
	over, err := countAttempts(tx, now, DefaultSignInLimits.Window, bucket{"change:" + itoaU(p.ID), DefaultSignInLimits.PerAccountAddress})
	if err != nil {
		return err
	}
	if over {
		return ErrRateLimited
	}
	ok, err := gate.Check(ctx, p.PasswordHash, in.Current)
	if err != nil {
		return err
	}
	if !ok || p.PasswordHash == "" {
		if err := audit(tx, p.ID, AuditSignInFailed, "person", p.ID); err != nil {
			return err
		}
		return fieldErr("current_password", "current_password_wrong")
	}
	if err := CheckNewPassword(p, in.Password, in.PasswordConfirm); err != nil {
		return err
	}
	if in.Password == in.Current {
		return fieldErr("password", "password_unchanged")
	}
	hash, err := gate.Hash(ctx, in.Password)
	if err != nil {
		return err
	}
	return tx.Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Person{}).Where("id = ?", p.ID).Update("password_hash", hash).Error; err != nil {
			return err
		}
		if err := endSessions(tx, p.ID, keepToken); err != nil {
			return err
		}
		if err := tx.Where("person_id = ? AND used_at IS NULL", p.ID).Delete(&Invitation{}).Error; err != nil {
			return err
		}
		return audit(tx, p.ID, AuditPasswordChanged, "person", p.ID)
	})
}

// endSessions deletes a person's sessions and API tokens' sessions, except
// the one of keepToken.
func endSessions(tx *gorm.DB, personID uint, keepToken string) error {
	q := tx.Where("person_id = ?", personID)
	if keepToken != "" {
		q = q.Where("token_hash <> ?", HashToken(keepToken))
	}
	return q.Delete(&Session{}).Error
}

// notifyEmailChange mails the old address that the address changed, in
// the transaction that changed it. The mail names no new address.
func notifyEmailChange(tx *gorm.DB, by uint, p Person, oldEmail string, now time.Time) error {
	note := EmailChange{PersonID: p.ID, OldEmail: oldEmail, CreatedAt: now}
	if err := tx.Create(&note).Error; err != nil {
		return err
	}
	if err := enqueue(tx, MailEmailChanged, "email_change", note.ID, now, now, []uint{p.ID}); err != nil {
		return err
	}
	return audit(tx, by, AuditEmailChanged, "person", p.ID)
}

// EmailChange remembers the former address of a person until the notice
// to it is sent.
type EmailChange struct {
	ID        uint   `gorm:"primaryKey"`
	PersonID  uint   `gorm:"not null;index"`
	OldEmail  string `gorm:"size:254;not null"`
	CreatedAt time.Time
}

// composeAccountMail fills in an account mail: the link for its addressee
// (only while it is unused and unexpired) or the old address of an email
// change. forPreview leaves the link out, for the admins' mailbox page.
func composeAccountMail(tx *gorm.DB, d MailDelivery, out OutgoingMail, now time.Time, forPreview bool) (OutgoingMail, error) {
	switch d.SubjectType {
	case "link":
		var link Invitation
		if err := tx.Where("id = ? AND used_at IS NULL AND expires_at > ?", d.SubjectID, now).Take(&link).Error; err != nil || link.Link == "" {
			return out, ErrStale
		}
		out.Path, out.Personal, out.Expires = "/invite/"+link.Link, true, link.ExpiresAt
		if link.Purpose == LinkReset {
			out.Path = "/reset/" + link.Link
		}
		if forPreview {
			out.Path = ""
		}
		return out, nil
	case "email_change":
		var note EmailChange
		if err := tx.Take(&note, d.SubjectID).Error; err != nil {
			return out, ErrStale
		}
		out.To, out.Path = note.OldEmail, "/signin"
		return out, nil
	}
	return out, ErrStale
}

// AccountMailSent forgets what an account mail carried once it is sent:
// the sealed link, or the old address of an email change.
func AccountMailSent(ctx context.Context, db *gorm.DB, d MailDelivery) error {
	tx := db.WithContext(ctx)
	switch d.SubjectType {
	case "link":
		return tx.Exec("UPDATE invitations SET link = '' WHERE id = ?", d.SubjectID).Error
	case "email_change":
		return tx.Where("id = ?", d.SubjectID).Delete(&EmailChange{}).Error
	}
	return nil
}

// isAccountMail reports whether a mail kind is about the account itself.
func isAccountMail(kind string) bool {
	return kind == MailInvitation || kind == MailReset || kind == MailEmailChanged
}

// PurgeAccountLinks deletes links that expired or were used more than a
// day ago.
func PurgeAccountLinks(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("expires_at < ? OR used_at < ?", now.Add(-24*time.Hour), now.Add(-24*time.Hour)).
		Delete(&Invitation{})
	return res.RowsAffected, res.Error
}

func erasedEmail(email string) bool { return len(email) > 8 && email[len(email)-8:] == "@invalid" }
