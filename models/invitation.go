package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Invitation lets a person choose a password once, through a link an admin
// passes on. Only the token's hash is stored.
type Invitation struct {
	ID        uint   `gorm:"primaryKey"`
	PersonID  uint   `gorm:"not null;index"`
	TokenHash string `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// InvitationLifetime is how long an invitation link works.
const InvitationLifetime = 14 * 24 * time.Hour

// PasswordInput chooses a password.
type PasswordInput struct {
	Password        string `form:"password" json:"password" validate:"required"`
	PasswordConfirm string `form:"password_confirm" json:"password_confirm" validate:"required"`
}

// Invite creates a single-use invitation for a person and returns its token;
// earlier unused invitations of that person stop working. Admins only.
func Invite(ctx context.Context, db *gorm.DB, v Viewer, personID uint, now time.Time) (string, error) {
	if !v.Can(OrgManage) {
		return "", ErrNotFound
	}
	token, hash, err := NewToken()
	if err != nil {
		return "", err
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&Person{}, personID).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Where("person_id = ? AND used_at IS NULL", personID).Delete(&Invitation{}).Error; err != nil {
			return err
		}
		return tx.Create(&Invitation{PersonID: personID, TokenHash: hash, ExpiresAt: now.Add(InvitationLifetime)}).Error
	})
	return token, err
}

// InvitedPerson returns the person an unused, unexpired invitation is for.
func InvitedPerson(ctx context.Context, db *gorm.DB, token string, now time.Time) (Person, error) {
	var p Person
	var inv Invitation
	tx := db.WithContext(ctx)
	err := tx.Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", HashToken(token), now).First(&inv).Error
	if err != nil {
		return p, notFound(err)
	}
	return p, notFound(tx.First(&p, inv.PersonID).Error)
}

// AcceptInvitation sets the password of the invited person and uses up the
// invitation; it returns the person so they can be signed in.
func AcceptInvitation(ctx context.Context, db *gorm.DB, token string, in PasswordInput, now time.Time) (Person, error) {
	var p Person
	if err := checkNewPassword(in.Password, in.PasswordConfirm); err != nil {
		return p, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return p, err
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Invitation{}).
			Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", HashToken(token), now).
			Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrNotFound
		}
		var inv Invitation
		if err := tx.Where("token_hash = ?", HashToken(token)).First(&inv).Error; err != nil {
			return err
		}
		if err := tx.First(&p, inv.PersonID).Error; err != nil {
			return notFound(err)
		}
		return tx.Model(&p).Update("password_hash", hash).Error
	})
	return p, err
}
