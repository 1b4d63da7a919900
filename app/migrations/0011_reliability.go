package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// reliability fences mail claims with a token, keeps one planned meeting
// per group and start time, and stores the answers to API requests sent
// with an Idempotency-Key.
func reliability() *gormigrate.Migration {
	type mailDelivery struct {
		ID         uint   `gorm:"primaryKey"`
		ClaimToken string `gorm:"size:32;not null;default:''"`
	}
	type idempotencyKey struct {
		ID          uint      `gorm:"primaryKey"`
		PersonID    uint      `gorm:"not null;uniqueIndex:idx_idempotency_person_key,priority:1"`
		Key         string    `gorm:"size:200;not null;uniqueIndex:idx_idempotency_person_key,priority:2"`
		RequestHash string    `gorm:"size:64;not null"`
		Status      int       `gorm:"not null;default:0"` // 0 while the first request runs
		ContentType string    `gorm:"size:100;not null;default:''"`
		Body        []byte    `gorm:"not null"`
		CreatedAt   time.Time `gorm:"not null;index"`
	}
	return &gormigrate.Migration{
		ID: "0011_reliability",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().AddColumn(&mailDelivery{}, "ClaimToken"); err != nil {
				return err
			}
			// Series saved twice at once left doubled meetings; keep the
			// first of each and cancel the copies before the rule holds.
			if err := tx.Exec(`UPDATE meetings SET status = 'cancelled', status_reason = 'duplicate'
				WHERE status = 'planned' AND EXISTS (SELECT 1 FROM meetings m2 WHERE m2.group_id = meetings.group_id
				AND m2.starts_at = meetings.starts_at AND m2.status = 'planned' AND m2.id < meetings.id)`).Error; err != nil {
				return err
			}
			if err := tx.Exec(`CREATE UNIQUE INDEX IF NOT EXISTS idx_meetings_planned_slot ON meetings (group_id, starts_at)
				WHERE status = 'planned'`).Error; err != nil {
				return err
			}
			return tx.Migrator().CreateTable(&idempotencyKey{})
		},
		Rollback: func(tx *gorm.DB) error {
			if err := tx.Migrator().DropTable("idempotency_keys"); err != nil {
				return err
			}
			if err := tx.Exec("DROP INDEX IF EXISTS idx_meetings_planned_slot").Error; err != nil {
				return err
			}
			return tx.Migrator().DropColumn(&mailDelivery{}, "ClaimToken")
		},
	}
}
