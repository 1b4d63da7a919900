package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"crossmentor/models"
)

// confidentiality adds the append-only audit log (guarded by triggers on
// both databases), consents, case questions and the per-meeting deadline
// for cases.
func confidentiality() *gormigrate.Migration {
	type person struct{ ID uint }
	type mentorGroup struct {
		ID       uint `gorm:"primaryKey"`
		ClosedOn *models.Date
	}
	type meeting struct {
		ID               uint `gorm:"primaryKey"`
		CaseDeadlineDays int  `gorm:"not null;default:7"`
	}
	type auditEvent struct {
		ID        uint      `gorm:"primaryKey"`
		At        time.Time `gorm:"not null;index"`
		ActorID   *uint     `gorm:"index"`
		Action    string    `gorm:"size:40;not null;index"`
		Subject   string    `gorm:"size:40;not null;default:''"`
		SubjectID uint      `gorm:"not null;default:0"`
		Address   string    `gorm:"size:64;not null;default:''"`
	}
	type consent struct {
		ID          uint        `gorm:"primaryKey"`
		OwnerID     uint        `gorm:"not null;index"`
		Owner       person      `gorm:"constraint:OnDelete:CASCADE"`
		RecipientID uint        `gorm:"not null;index"`
		Recipient   person      `gorm:"constraint:OnDelete:CASCADE"`
		Purpose     string      `gorm:"type:text;not null"`
		Text        string      `gorm:"type:text;not null"`
		Wording     string      `gorm:"type:text;not null"`
		Until       models.Date `gorm:"not null"`
		RevokedAt   *time.Time
		CreatedAt   time.Time
	}
	type caseQuestion struct {
		ID         uint        `gorm:"primaryKey"`
		GroupID    uint        `gorm:"not null;index"`
		Group      mentorGroup `gorm:"constraint:OnDelete:CASCADE"`
		AuthorID   uint        `gorm:"not null;index"`
		Author     person      `gorm:"constraint:OnDelete:CASCADE"`
		Title      string      `gorm:"type:text;not null"`
		Situation  string      `gorm:"type:text;not null;default:''"`
		Question   string      `gorm:"type:text;not null;default:''"`
		Tried      string      `gorm:"type:text;not null;default:''"`
		Hope       string      `gorm:"type:text;not null;default:''"`
		Visibility string      `gorm:"size:10;not null"`
		Status     string      `gorm:"size:20;not null"`
		MeetingID  *uint       `gorm:"index"`
		Meeting    *meeting    `gorm:"constraint:OnDelete:SET NULL"`
		TakeAways  string      `gorm:"type:text;not null;default:''"`
		CreatedAt  time.Time
		UpdatedAt  time.Time
	}
	tables := []any{&auditEvent{}, &consent{}, &caseQuestion{}}
	return &gormigrate.Migration{
		ID: "0003_confidentiality",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Migrator().AddColumn(&meeting{}, "CaseDeadlineDays"); err != nil {
				return err
			}
			if err := tx.Migrator().AddColumn(&mentorGroup{}, "ClosedOn"); err != nil {
				return err
			}
			if err := tx.AutoMigrate(tables...); err != nil {
				return err
			}
			return appendOnly(tx, "audit_events")
		},
		Rollback: func(tx *gorm.DB) error {
			for _, t := range []string{"case_questions", "consents", "audit_events"} {
				if err := tx.Migrator().DropTable(t); err != nil {
					return err
				}
			}
			if err := tx.Migrator().DropColumn(&mentorGroup{}, "ClosedOn"); err != nil {
				return err
			}
			return tx.Migrator().DropColumn(&meeting{}, "CaseDeadlineDays")
		},
	}
}

// appendOnly makes the database itself refuse changes and deletions of a
// table's rows.
func appendOnly(tx *gorm.DB, table string) error {
	if tx.Dialector.Name() == "postgres" {
		return tx.Exec(`CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER ` + table + `_append_only BEFORE UPDATE OR DELETE ON ` + table + `
FOR EACH ROW EXECUTE FUNCTION refuse_change();`).Error
	}
	for _, op := range []string{"UPDATE", "DELETE"} {
		err := tx.Exec(`CREATE TRIGGER ` + table + `_no_` + op + ` BEFORE ` + op + ` ON ` + table + `
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;`).Error
		if err != nil {
			return err
		}
	}
	return nil
}
