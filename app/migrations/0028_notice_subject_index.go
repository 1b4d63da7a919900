package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// noticeSubjectIndex lets the notices about one subject be found without
// reading them all: saving a series looks up each group's last series
// notice, which read the whole table once per group (a programme's 3,000
// groups spent half their planning time there).
func noticeSubjectIndex() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0028_notice_subject_index",
		Migrate: func(tx *gorm.DB) error {
			return tx.Exec("CREATE INDEX IF NOT EXISTS idx_notices_subject ON notices (subject_type, subject_id, kind, occurrence)").Error
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Exec("DROP INDEX IF EXISTS idx_notices_subject").Error
		},
	}
}
