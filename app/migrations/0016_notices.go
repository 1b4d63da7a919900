package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// notices adds the in-app notices (what happened, for whom, read or not,
// waiting for a daily digest or not) and each person's choice per kind of
// notice: a mail at once, a daily digest, or the app only.
func notices() *gormigrate.Migration {
	type person struct{ ID uint }
	type notice struct {
		ID          uint       `gorm:"primaryKey"`
		Key         string     `gorm:"size:200;not null;uniqueIndex"`
		RecipientID uint       `gorm:"not null;index:idx_notices_recipient,priority:1"`
		Recipient   person     `gorm:"constraint:OnDelete:CASCADE"`
		Kind        string     `gorm:"size:30;not null"`
		SubjectType string     `gorm:"size:20;not null"`
		SubjectID   uint       `gorm:"not null"`
		Occurrence  time.Time  `gorm:"not null"`
		GroupID     uint       `gorm:"not null;default:0"`
		OtherID     uint       `gorm:"not null;default:0"`
		Path        string     `gorm:"size:200;not null;default:''"`
		Digest      bool       `gorm:"not null;default:false"`
		DigestOn    *time.Time `gorm:"index"`
		ReadAt      *time.Time `gorm:"index:idx_notices_recipient,priority:2"`
		CreatedAt   time.Time  `gorm:"not null;index"`
	}
	type noticeSetting struct {
		PersonID uint   `gorm:"primaryKey;autoIncrement:false"`
		Person   person `gorm:"constraint:OnDelete:CASCADE"`
		Kind     string `gorm:"primaryKey;size:30"`
		Mode     string `gorm:"size:10;not null"`
	}
	return &gormigrate.Migration{
		ID: "0016_notices",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.AutoMigrate(&notice{}, &noticeSetting{}); err != nil {
				return err
			}
			// Who had switched off change notices keeps them out of the
			// mailbox: meeting changes and cancellations stay in the app.
			for _, kind := range []string{"meeting_changed", "meeting_cancelled"} {
				if err := tx.Exec(`INSERT INTO notice_settings (person_id, kind, mode)
					SELECT id, ?, 'app' FROM people WHERE ',' || reminder_opt_outs || ',' LIKE '%,meeting_changed,%'`, kind).Error; err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable("notice_settings", "notices")
		},
	}
}
