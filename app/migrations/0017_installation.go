package migrations

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// installation adds the one row that names this installation: a random
// id that makes its Message-IDs differ from every other installation's.
func installation() *gormigrate.Migration {
	type installation struct {
		ID     uint   `gorm:"primaryKey;autoIncrement:false"`
		MailID string `gorm:"size:32;not null"`
	}
	return &gormigrate.Migration{
		ID: "0017_installation",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.AutoMigrate(&installation{}); err != nil {
				return err
			}
			var b [8]byte
			if _, err := rand.Read(b[:]); err != nil {
				return err
			}
			return tx.Create(&installation{ID: 1, MailID: hex.EncodeToString(b[:])}).Error
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable("installations")
		},
	}
}
