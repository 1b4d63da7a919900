package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"crossmentor/models"
)

// foundation creates organisation, people, teams, projects, programmes,
// groups, memberships, intakes and the account tables.
func foundation() *gormigrate.Migration {
	type organisation struct {
		ID              uint   `gorm:"primaryKey"`
		Name            string `gorm:"size:200;not null"`
		TimeZone        string `gorm:"size:64;not null"`
		DefaultLanguage string `gorm:"size:2;not null"`
		Demo            bool   `gorm:"not null;default:false"`
		CreatedAt       time.Time
		UpdatedAt       time.Time
	}
	type team struct {
		ID        uint   `gorm:"primaryKey"`
		Name      string `gorm:"size:200;not null;uniqueIndex"`
		CreatedAt time.Time
	}
	type person struct {
		ID           uint    `gorm:"primaryKey"`
		Name         string  `gorm:"size:200;not null"`
		Email        string  `gorm:"size:254;not null;uniqueIndex"`
		TeamID       *uint   `gorm:"index"`
		Team         *team   `gorm:"constraint:OnDelete:SET NULL"`
		Discipline   string  `gorm:"size:100;not null;default:''"`
		ManagerID    *uint   `gorm:"index"`
		Manager      *person `gorm:"constraint:OnDelete:SET NULL"`
		Admin        bool    `gorm:"not null;default:false"`
		Language     string  `gorm:"size:2;not null;default:'nl'"`
		PasswordHash string  `gorm:"size:200;not null;default:''"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type project struct {
		ID        uint   `gorm:"primaryKey"`
		Name      string `gorm:"size:200;not null;uniqueIndex"`
		CreatedAt time.Time
	}
	type assignment struct {
		ID        uint        `gorm:"primaryKey"`
		PersonID  uint        `gorm:"not null;index"`
		Person    person      `gorm:"constraint:OnDelete:CASCADE"`
		ProjectID uint        `gorm:"not null;index"`
		Project   project     `gorm:"constraint:OnDelete:CASCADE"`
		StartsOn  models.Date `gorm:"not null"`
		EndsOn    models.Date
		CreatedAt time.Time
	}
	type programme struct {
		ID           uint        `gorm:"primaryKey"`
		Name         string      `gorm:"size:200;not null"`
		StartsOn     models.Date `gorm:"not null"`
		EndsOn       models.Date `gorm:"not null"`
		CadenceWeeks int         `gorm:"not null;default:6"`
		Status       string      `gorm:"size:20;not null;default:'planned'"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type mentorGroup struct {
		ID          uint      `gorm:"primaryKey"`
		ProgrammeID uint      `gorm:"not null;index"`
		Programme   programme `gorm:"constraint:OnDelete:RESTRICT"`
		MentorID    uint      `gorm:"not null;index"`
		Mentor      person    `gorm:"constraint:OnDelete:RESTRICT"`
		Name        string    `gorm:"size:200;not null"`
		Discipline  string    `gorm:"size:100;not null;default:''"`
		Status      string    `gorm:"size:20;not null;default:'forming'"`
		CreatedAt   time.Time
		UpdatedAt   time.Time
	}
	type membership struct {
		ID                  uint        `gorm:"primaryKey"`
		GroupID             uint        `gorm:"not null;uniqueIndex:idx_membership_group_person"`
		Group               mentorGroup `gorm:"constraint:OnDelete:CASCADE"`
		PersonID            uint        `gorm:"not null;uniqueIndex:idx_membership_group_person;index"`
		Person              person      `gorm:"constraint:OnDelete:RESTRICT"`
		Status              string      `gorm:"size:20;not null"`
		StatusSince         models.Date `gorm:"not null"`
		StatusReason        string      `gorm:"size:500;not null;default:''"`
		DisciplineException string      `gorm:"size:500;not null;default:''"`
		CreatedAt           time.Time
		UpdatedAt           time.Time
	}
	type intake struct {
		ID           uint        `gorm:"primaryKey"`
		MembershipID uint        `gorm:"not null;uniqueIndex"`
		Membership   membership  `gorm:"constraint:OnDelete:CASCADE"`
		HeldOn       models.Date `gorm:"not null"`
		Click        bool        `gorm:"not null"`
		Learnable    bool        `gorm:"not null"`
		HasGoal      bool        `gorm:"not null"`
		CanReflect   bool        `gorm:"not null"`
		Kind         string      `gorm:"size:30;not null"`
		Outcome      string      `gorm:"size:20;not null"`
		Notes        string      `gorm:"type:text;not null;default:''"`
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	type session struct {
		TokenHash  string `gorm:"primaryKey;size:64"`
		PersonID   uint   `gorm:"not null;index"`
		Person     person `gorm:"constraint:OnDelete:CASCADE"`
		CreatedAt  time.Time
		LastSeenAt time.Time `gorm:"not null"`
		ExpiresAt  time.Time `gorm:"not null;index"`
	}
	type signInFailure struct {
		ID     uint      `gorm:"primaryKey"`
		Bucket string    `gorm:"size:300;not null;index:idx_signin_failure_bucket_at"`
		At     time.Time `gorm:"not null;index:idx_signin_failure_bucket_at"`
	}
	type invitation struct {
		ID        uint   `gorm:"primaryKey"`
		PersonID  uint   `gorm:"not null;index"`
		Person    person `gorm:"constraint:OnDelete:CASCADE"`
		TokenHash string `gorm:"size:64;not null;uniqueIndex"`
		ExpiresAt time.Time
		UsedAt    *time.Time
		CreatedAt time.Time
	}
	type apiToken struct {
		ID         uint   `gorm:"primaryKey"`
		PersonID   uint   `gorm:"not null;index"`
		Person     person `gorm:"constraint:OnDelete:CASCADE"`
		Name       string `gorm:"size:100;not null"`
		TokenHash  string `gorm:"size:64;not null;uniqueIndex"`
		LastUsedAt *time.Time
		CreatedAt  time.Time
	}
	tables := []any{&organisation{}, &team{}, &person{}, &project{}, &assignment{}, &programme{},
		&mentorGroup{}, &membership{}, &intake{}, &session{}, &signInFailure{}, &invitation{}, &apiToken{}}
	names := []string{"organisations", "teams", "people", "projects", "assignments", "programmes",
		"mentor_groups", "memberships", "intakes", "sessions", "sign_in_failures", "invitations", "api_tokens"}
	return &gormigrate.Migration{
		ID: "0001_foundation",
		Migrate: func(tx *gorm.DB) error {
			return tx.AutoMigrate(tables...)
		},
		Rollback: func(tx *gorm.DB) error {
			for i := len(names) - 1; i >= 0; i-- {
				if err := tx.Migrator().DropTable(names[i]); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
