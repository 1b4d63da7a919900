package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// APIToken is a personal token for the JSON API. Only its hash is stored;
// the token itself is shown once, when it is made.
type APIToken struct {
	ID         uint   `gorm:"primaryKey"`
	PersonID   uint   `gorm:"not null;index"`
	Name       string `gorm:"size:100;not null"`
	TokenHash  string `gorm:"size:64;not null;uniqueIndex"`
	LastUsedAt *time.Time
	CreatedAt  time.Time
}

// APITokenInput names a new token.
type APITokenInput struct {
	Name string `form:"name" json:"name" validate:"required,max=100"`
}

// APITokenPrefix starts every personal token, so leaked ones are easy to find.
const APITokenPrefix = "cm_"

// CreateAPIToken makes a token for the viewer and returns it with its plain value.
func CreateAPIToken(ctx context.Context, db *gorm.DB, v Viewer, in APITokenInput) (APIToken, string, error) {
	token, _, err := NewToken()
	if err != nil {
		return APIToken{}, "", err
	}
	token = APITokenPrefix + token
	t := APIToken{PersonID: v.PersonID, Name: CleanText(in.Name), TokenHash: HashToken(token)}
	return t, token, db.WithContext(ctx).Create(&t).Error
}

// ListAPITokens returns the viewer's own tokens.
func ListAPITokens(ctx context.Context, db *gorm.DB, v Viewer) ([]APIToken, error) {
	var out []APIToken
	err := db.WithContext(ctx).Where("person_id = ?", v.PersonID).Order("created_at DESC, id DESC").Find(&out).Error
	return out, err
}

// RevokeAPIToken deletes one of the viewer's tokens.
func RevokeAPIToken(ctx context.Context, db *gorm.DB, v Viewer, id uint) error {
	res := db.WithContext(ctx).Where("id = ? AND person_id = ?", id, v.PersonID).Delete(&APIToken{})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// PersonForAPIToken returns the id of the person a token belongs to.
func PersonForAPIToken(ctx context.Context, db *gorm.DB, token string, now time.Time) (uint, error) {
	var t APIToken
	tx := db.WithContext(ctx)
	if err := tx.Where("token_hash = ?", HashToken(token)).First(&t).Error; err != nil {
		return 0, notFound(err)
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		tx.Model(&t).Update("last_used_at", now)
	}
	return t.PersonID, nil
}
