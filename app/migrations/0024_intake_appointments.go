package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// intakeAppointments lets a mentor schedule a candidate's intake: a date,
// time and place per membership, with a calendar sequence for updates.
func intakeAppointments() *gormigrate.Migration {
	type membership struct{ ID uint }
	type intakeAppointment struct {
		ID           uint       `gorm:"primaryKey"`
		MembershipID uint       `gorm:"not null;uniqueIndex"`
		Membership   membership `gorm:"constraint:OnDelete:CASCADE"`
		StartsAt     time.Time  `gorm:"not null;index"`
		EndsAt       time.Time  `gorm:"not null"`
		Location     string     `gorm:"size:200;not null;default:''"`
		Status       string     `gorm:"size:20;not null;default:'planned'"`
		Sequence     int        `gorm:"not null;default:0"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	return &gormigrate.Migration{
		ID: "0024_intake_appointments",
		Migrate: func(tx *gorm.DB) error {
			return tx.AutoMigrate(&intakeAppointment{})
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable("intake_appointments")
		},
	}
}
