package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// programmeTooling adds applications to programmes, the group proposal
// under review, the evaluation answers and the background import runs.
func programmeTooling() *gormigrate.Migration {
	type person struct {
		ID uint `gorm:"primaryKey"`
	}
	type programme struct {
		ID uint `gorm:"primaryKey"`
	}
	type mentorGroup struct {
		ID uint `gorm:"primaryKey"`
	}
	type application struct {
		ID              uint       `gorm:"primaryKey"`
		ProgrammeID     uint       `gorm:"not null;uniqueIndex:idx_application_programme_person"`
		Programme       *programme `gorm:"constraint:OnDelete:CASCADE"`
		PersonID        uint       `gorm:"not null;uniqueIndex:idx_application_programme_person;index"`
		Person          *person    `gorm:"constraint:OnDelete:CASCADE"`
		Role            string     `gorm:"size:10;not null"`
		Discipline      string     `gorm:"size:100;not null;default:''"`
		Capacity        int        `gorm:"not null;default:1"`
		LearningNeed    string     `gorm:"type:text;not null;default:''"`
		Themes          string     `gorm:"size:300;not null;default:''"`
		Weekdays        string     `gorm:"size:20;not null;default:''"`
		ExperienceYears *int
		Status          string `gorm:"size:12;not null;default:'open'"`
		GroupID         *uint
		Group           *mentorGroup `gorm:"constraint:OnDelete:SET NULL"`
		CreatedAt       time.Time
		UpdatedAt       time.Time
	}
	type groupProposal struct {
		ID          uint       `gorm:"primaryKey"`
		ProgrammeID uint       `gorm:"not null;uniqueIndex"`
		Programme   *programme `gorm:"constraint:OnDelete:CASCADE"`
		Arrangement string     `gorm:"type:text;not null"`
		CreatedByID uint       `gorm:"not null"`
		CreatedAt   time.Time
		UpdatedAt   time.Time
	}
	type evaluationAnswer struct {
		ID        uint         `gorm:"primaryKey"`
		GroupID   uint         `gorm:"not null;uniqueIndex:idx_evaluation_answer"`
		Group     *mentorGroup `gorm:"constraint:OnDelete:CASCADE"`
		Round     string       `gorm:"size:10;not null;uniqueIndex:idx_evaluation_answer"`
		PersonID  uint         `gorm:"not null;uniqueIndex:idx_evaluation_answer;index"`
		Person    *person      `gorm:"constraint:OnDelete:CASCADE"`
		Role      string       `gorm:"size:10;not null"`
		Score1    int          `gorm:"not null"`
		Score2    int          `gorm:"not null"`
		Score3    int          `gorm:"not null"`
		Score4    int          `gorm:"not null"`
		Open      string       `gorm:"type:text;not null;default:''"`
		CreatedAt time.Time
	}
	type importRun struct {
		ID          uint   `gorm:"primaryKey"`
		CreatedByID uint   `gorm:"not null"`
		Status      string `gorm:"size:10;not null"`
		Total       int    `gorm:"not null;default:0"`
		Created     int    `gorm:"not null;default:0"`
		Updated     int    `gorm:"not null;default:0"`
		Unchanged   int    `gorm:"not null;default:0"`
		Refused     int    `gorm:"not null;default:0"`
		Error       string `gorm:"size:100;not null;default:''"`
		Content     string `gorm:"type:text;not null;default:''"`
		Mapping     string `gorm:"size:500;not null;default:''"`
		CreatedAt   time.Time
		FinishedAt  *time.Time
	}
	return &gormigrate.Migration{
		ID: "0006_programme_tooling",
		Migrate: func(tx *gorm.DB) error {
			return tx.AutoMigrate(&application{}, &groupProposal{}, &evaluationAnswer{}, &importRun{})
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable("import_runs", "evaluation_answers", "group_proposals", "applications")
		},
	}
}
