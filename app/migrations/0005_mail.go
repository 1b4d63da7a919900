package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// mail adds the outbox of mail deliveries, each with a unique key so a
// retry never sends twice, and each person's reminder preferences.
func mail() *gormigrate.Migration {
	type person struct {
		ID              uint   `gorm:"primaryKey"`
		ReminderOptOuts string `gorm:"size:200;not null;default:''"`
	}
	type mailDelivery struct {
		ID            uint    `gorm:"primaryKey"`
		Key           string  `gorm:"size:200;not null;uniqueIndex"`
		Kind          string  `gorm:"size:30;not null;index"`
		RecipientID   uint    `gorm:"not null;index"`
		Recipient     *person `gorm:"constraint:OnDelete:CASCADE"`
		SubjectType   string  `gorm:"size:20;not null;default:''"`
		SubjectID     uint    `gorm:"not null;default:0"`
		Occurrence    time.Time
		Status        string    `gorm:"size:12;not null;index:idx_mail_due"`
		NextAttemptAt time.Time `gorm:"not null;index:idx_mail_due"`
		ClaimedUntil  *time.Time
		Attempts      int    `gorm:"not null;default:0"`
		LastError     string `gorm:"size:500;not null;default:''"`
		SentAt        *time.Time
		CreatedAt     time.Time
	}
	return &gormigrate.Migration{
		ID: "0005_mail",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().AddColumn(&person{}, "ReminderOptOuts"); err != nil {
				return err
			}
			return tx.AutoMigrate(&mailDelivery{})
		},
		Rollback: func(tx *gorm.DB) error {
			if err := tx.Migrator().DropTable("mail_deliveries"); err != nil {
				return err
			}
			return tx.Migrator().DropColumn(&person{}, "ReminderOptOuts")
		},
	}
}
