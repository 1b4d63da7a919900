package models

import (
	"context"

	"gorm.io/gorm"
)

// Installation is the one row that names this installation.
type Installation struct {
	ID     uint   `gorm:"primaryKey;autoIncrement:false"`
	MailID string `gorm:"size:32;not null"` // random; the domain part of Message-IDs
}

// InstallationMailID returns this installation's random mail id.
func InstallationMailID(ctx context.Context, db *gorm.DB) (string, error) {
	var i Installation
	err := db.WithContext(ctx).Take(&i, 1).Error
	return i.MailID, err
}
