package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// accounts: invitations become account links (an invitation or a reset,
// its link kept sealed only until the mail is sent), people are linked to
// their single sign-on subject, sessions remember whether they came from
// single sign-on, sign-in attempts are counted in fixed windows (one row
// per bucket, raised atomically), and the audit log refuses TRUNCATE too.
func accounts() *gormigrate.Migration {
	type invitation struct {
		ID          uint   `gorm:"primaryKey"`
		Purpose     string `gorm:"size:10;not null;default:'invite'"`
		Link        string `gorm:"type:text;not null;default:''"`
		CreatedByID *uint
	}
	type person struct {
		ID          uint    `gorm:"primaryKey"`
		OIDCIssuer  *string `gorm:"column:oidc_issuer;size:300;uniqueIndex:idx_people_oidc_subject"`
		OIDCSubject *string `gorm:"column:oidc_subject;size:255;uniqueIndex:idx_people_oidc_subject"`
	}
	type session struct {
		TokenHash string `gorm:"primaryKey;size:64"`
		ViaSSO    bool   `gorm:"column:via_sso;not null;default:false"`
	}
	type signInCounter struct {
		Bucket      string    `gorm:"primaryKey;size:400"`
		WindowStart time.Time `gorm:"not null;index"`
		Attempts    int       `gorm:"not null"`
	}
	type emailChange struct {
		ID        uint   `gorm:"primaryKey"`
		PersonID  uint   `gorm:"not null;index"`
		OldEmail  string `gorm:"size:254;not null"`
		CreatedAt time.Time
	}
	type signInFailure struct {
		ID     uint      `gorm:"primaryKey"`
		Bucket string    `gorm:"size:300;not null;index:idx_signin_failure_bucket_at"`
		At     time.Time `gorm:"not null;index:idx_signin_failure_bucket_at"`
	}
	return &gormigrate.Migration{
		ID: "0010_accounts",
		Migrate: func(tx *gorm.DB) error {
			for _, col := range []string{"Purpose", "Link", "CreatedByID"} {
				if err := tx.Migrator().AddColumn(&invitation{}, col); err != nil {
					return err
				}
			}
			for _, col := range []string{"OIDCIssuer", "OIDCSubject"} {
				if err := tx.Migrator().AddColumn(&person{}, col); err != nil {
					return err
				}
			}
			if err := tx.Migrator().CreateIndex(&person{}, "idx_people_oidc_subject"); err != nil {
				return err
			}
			if err := tx.Migrator().AddColumn(&session{}, "ViaSSO"); err != nil {
				return err
			}
			if err := tx.AutoMigrate(&signInCounter{}, &emailChange{}); err != nil {
				return err
			}
			if err := tx.Migrator().DropTable("sign_in_failures"); err != nil {
				return err
			}
			if tx.Dialector.Name() == "postgres" {
				// UPDATE and DELETE are refused per row since 0003; TRUNCATE fires no row trigger.
				return tx.Exec(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();`).Error
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			if tx.Dialector.Name() == "postgres" {
				if err := tx.Exec(`DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events`).Error; err != nil {
					return err
				}
			}
			if err := tx.AutoMigrate(&signInFailure{}); err != nil {
				return err
			}
			if err := tx.Migrator().DropTable("sign_in_counters", "email_changes"); err != nil {
				return err
			}
			if err := tx.Migrator().DropColumn(&session{}, "ViaSSO"); err != nil {
				return err
			}
			if err := tx.Migrator().DropIndex(&person{}, "idx_people_oidc_subject"); err != nil {
				return err
			}
			for _, col := range []string{"OIDCSubject", "OIDCIssuer"} {
				if err := tx.Migrator().DropColumn(&person{}, col); err != nil {
					return err
				}
			}
			for _, col := range []string{"CreatedByID", "Link", "Purpose"} {
				if err := tx.Migrator().DropColumn(&invitation{}, col); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
