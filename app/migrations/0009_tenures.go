package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// tenures records the periods in which a person held a role in a group (its
// mentor, or an admitted member), so that access follows when a role was
// held: a new mentor or a late-joining mentee does not read what came
// before, and whoever leaves loses access that day. Existing groups get no
// rows: without one, a current role reaches back to the group's start.
func tenures() *gormigrate.Migration {
	type tenure struct {
		ID        uint       `gorm:"primaryKey"`
		GroupID   uint       `gorm:"not null;index"`
		PersonID  uint       `gorm:"not null;index:idx_tenures_person_open"`
		Role      string     `gorm:"size:10;not null"`
		StartsAt  *time.Time // nil: from the group's start
		EndsAt    *time.Time `gorm:"index:idx_tenures_person_open"` // nil: held today
		CreatedAt time.Time
	}
	type auditEvent struct {
		Detail string `gorm:"size:200;not null;default:''"`
	}
	type mentorGroup struct {
		RulesBroken bool `gorm:"not null;default:false"`
	}
	return &gormigrate.Migration{
		ID: "0009_tenures",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().CreateTable(&tenure{}); err != nil {
				return err
			}
			if err := tx.Migrator().AddColumn(&mentorGroup{}, "RulesBroken"); err != nil {
				return err
			}
			return tx.Migrator().AddColumn(&auditEvent{}, "Detail")
		},
		Rollback: func(tx *gorm.DB) error {
			if err := tx.Migrator().DropColumn(&auditEvent{}, "Detail"); err != nil {
				return err
			}
			if err := tx.Migrator().DropColumn(&mentorGroup{}, "RulesBroken"); err != nil {
				return err
			}
			return tx.Migrator().DropTable(&tenure{})
		},
	}
}
