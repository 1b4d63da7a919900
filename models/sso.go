package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// ErrSSORefused is a single sign-on that does not lead to an account.
var ErrSSORefused = errors.New("single sign-on refused")

// SSOIdentity is what a provider vouched for: who issued the token, the
// subject (the provider's stable id of the person) and the address it
// trusts, from the claim the installation chose.
type SSOIdentity struct {
	Issuer  string
	Subject string
	Email   string
}

// SSOSignIn finds the person a provider's subject belongs to. After the
// first sign-in a person is linked to (issuer, subject) and matched on it
// alone; the first time, a person entered by L&D with that address and
// not yet linked is linked. Everything else is refused and audited:
// unknown address, an address whose person is linked to another subject,
// an erased person. Nobody is created.
func SSOSignIn(ctx context.Context, db *gorm.DB, id SSOIdentity) (Person, error) {
	if id.Issuer == "" || id.Subject == "" {
		return Person{}, refuseSSO(ctx, db, 0)
	}
	var p Person
	tx := db.WithContext(ctx)
	err := tx.Where("oidc_issuer = ? AND oidc_subject = ?", id.Issuer, id.Subject).Take(&p).Error
	switch {
	case err == nil:
		if erasedEmail(p.Email) {
			return Person{}, refuseSSO(ctx, db, p.ID)
		}
		return p, Audit(ctx, db, p.ID, AuditSignIn, "person", p.ID)
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return p, err
	}
	email := NormalizeEmail(id.Email)
	if email == "" {
		return Person{}, refuseSSO(ctx, db, 0)
	}
	err = tx.Where("email = ?", email).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && erasedEmail(p.Email)) {
		return Person{}, refuseSSO(ctx, db, 0)
	}
	if err != nil {
		return p, err
	}
	if p.OIDCSubject != nil {
		// Linked to another account at the provider: an address alone never moves the link.
		return Person{}, refuseSSO(ctx, db, p.ID)
	}
	err = tx.Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Person{}).Where("id = ? AND oidc_subject IS NULL", p.ID).
			Updates(map[string]any{"oidc_issuer": id.Issuer, "oidc_subject": id.Subject})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrSSORefused
		}
		if err := audit(tx, p.ID, AuditSSOLinked, "person", p.ID); err != nil {
			return err
		}
		return audit(tx, p.ID, AuditSignIn, "person", p.ID)
	})
	if errors.Is(err, ErrSSORefused) || errors.Is(err, gorm.ErrDuplicatedKey) {
		return Person{}, refuseSSO(ctx, db, p.ID)
	}
	p.OIDCIssuer, p.OIDCSubject = &id.Issuer, &id.Subject
	return p, err
}

// RefuseSSO records a refused single sign-on (a forged state, a bad
// token, an address nobody has); personID is the person concerned when
// known. It returns ErrSSORefused.
func RefuseSSO(ctx context.Context, db *gorm.DB, personID uint) error {
	return refuseSSO(ctx, db, personID)
}

func refuseSSO(ctx context.Context, db *gorm.DB, personID uint) error {
	if err := Audit(ctx, db, personID, AuditSSORefused, "person", personID); err != nil {
		return err
	}
	return ErrSSORefused
}
