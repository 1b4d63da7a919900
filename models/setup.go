package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// SetupInput creates the organisation and its first admin.
type SetupInput struct {
	Organisation    string `form:"organisation" json:"organisation" validate:"required,max=200"`
	Name            string `form:"name" json:"name" validate:"required,max=200"`
	Email           string `form:"email" json:"email" validate:"required,max=254,email"`
	Password        string `form:"password" json:"password" validate:"required"`
	PasswordConfirm string `form:"password_confirm" json:"password_confirm" validate:"required"`
	Language        string `form:"language" json:"language" validate:"omitempty,oneof=nl en"`
}

// NeedsSetup reports whether the database has no organisation yet.
func NeedsSetup(ctx context.Context, db *gorm.DB) (bool, error) {
	var n int64
	err := db.WithContext(ctx).Model(&Organisation{}).Count(&n).Error
	return n == 0, err
}

// Setup creates the organisation and the first admin. It works once: on a
// database that has an organisation it returns ErrNotFound.
func Setup(ctx context.Context, db *gorm.DB, in SetupInput) (Person, error) {
	var admin Person
	if err := CheckNewPassword(Person{Name: in.Name, Email: in.Email}, in.Password, in.PasswordConfirm); err != nil {
		return admin, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return admin, err
	}
	lang := in.Language
	if lang == "" {
		lang = "nl"
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		org := Organisation{ID: OrganisationID, Name: CleanText(in.Organisation), TimeZone: "Europe/Amsterdam", DefaultLanguage: lang}
		if err := tx.Create(&org).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return ErrNotFound
			}
			return err
		}
		admin = Person{Name: CleanText(in.Name), Email: NormalizeEmail(in.Email), Admin: true, Language: lang, PasswordHash: hash}
		return tx.Create(&admin).Error
	})
	return admin, err
}
