package migrations

import (
	"strconv"
	"strings"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// neutralNoticeKinds stores the notices and mails of one-on-one requests
// and apologies already made under the neutral kinds: every step of a
// request as oneonone_request, apologies as meeting_note about the meeting
// (their keys follow), and a person's choices for the old kinds as the
// choice for the new one. The rollback gives back the old kinds (a request
// notice as oneonone_asked) and drops apology mails not yet sent.
func neutralNoticeKinds() *gormigrate.Migration {
	const request, note = "oneonone_request", "meeting_note"
	oldRequest := []string{"oneonone_asked", "oneonone_urgent", "oneonone_countered", "oneonone_declined"}
	return &gormigrate.Migration{
		ID: "0026_neutral_notice_kinds",
		Migrate: func(tx *gorm.DB) error {
			for _, table := range []string{"notices", "mail_deliveries"} {
				if err := rekind(tx, table, oldRequest, request, nil); err != nil {
					return err
				}
				if err := rekind(tx, table, []string{"apology_sent"}, note, apologyMeeting); err != nil {
					return err
				}
			}
			for _, k := range oldRequest {
				if err := moveSetting(tx, k, request); err != nil {
					return err
				}
			}
			return moveSetting(tx, "apology_sent", note)
		},
		Rollback: func(tx *gorm.DB) error {
			if err := tx.Exec("DELETE FROM mail_deliveries WHERE kind = ? AND status = ?", note, "pending").Error; err != nil {
				return err
			}
			for _, table := range []string{"notices", "mail_deliveries"} {
				if err := rekind(tx, table, []string{request}, oldRequest[0], nil); err != nil {
					return err
				}
				if err := rekind(tx, table, []string{note}, "apology_sent", nil); err != nil {
					return err
				}
			}
			for _, k := range []string{"oneonone_asked", "oneonone_countered", "oneonone_declined"} {
				if err := tx.Exec(`INSERT INTO notice_settings (person_id, kind, mode) SELECT person_id, ?, mode
					FROM notice_settings WHERE kind = ?`, k, request).Error; err != nil {
					return err
				}
			}
			if err := tx.Exec("DELETE FROM notice_settings WHERE kind = ?", request).Error; err != nil {
				return err
			}
			return moveSetting(tx, note, "apology_sent")
		},
	}
}

// apologyMeeting turns an apology subject into its meeting; false when the
// apology is gone (the row is dropped).
func apologyMeeting(tx *gorm.DB, subjectType string, id uint) (string, uint, bool, error) {
	if subjectType != "apology" {
		return subjectType, id, true, nil
	}
	var meeting []uint
	if err := tx.Table("apologies").Where("id = ?", id).Pluck("meeting_id", &meeting).Error; err != nil {
		return "", 0, false, err
	}
	if len(meeting) == 0 {
		return "", 0, false, nil
	}
	return "meeting", meeting[0], true, nil
}

// rekind gives the rows of table with one of the old kinds the new kind,
// and a new subject when subject says so, with the key to match
// (kind:type:id:occurrence:recipient); a row whose new key is taken
// already is the same notice or mail and is dropped.
func rekind(tx *gorm.DB, table string, old []string, kind string,
	subject func(*gorm.DB, string, uint) (string, uint, bool, error)) error {
	var rows []struct {
		ID          uint
		Key         string
		SubjectType string
		SubjectID   uint
	}
	if err := tx.Table(table).Select("id, key, subject_type, subject_id").Where("kind IN ?", old).Order("id").Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		typ, id, keep := r.SubjectType, r.SubjectID, true
		if subject != nil {
			var err error
			if typ, id, keep, err = subject(tx, r.SubjectType, r.SubjectID); err != nil {
				return err
			}
		}
		parts := strings.Split(r.Key, ":")
		if len(parts) != 5 {
			keep = false
		}
		var taken int64
		key := ""
		if keep {
			key = strings.Join([]string{kind, typ, strconv.FormatUint(uint64(id), 10), parts[3], parts[4]}, ":")
			if err := tx.Table(table).Where("key = ? AND id <> ?", key, r.ID).Count(&taken).Error; err != nil {
				return err
			}
		}
		if !keep || taken > 0 {
			if err := tx.Exec("DELETE FROM "+table+" WHERE id = ?", r.ID).Error; err != nil {
				return err
			}
			continue
		}
		if err := tx.Table(table).Where("id = ?", r.ID).
			Updates(map[string]any{"kind": kind, "key": key, "subject_type": typ, "subject_id": id}).Error; err != nil {
			return err
		}
	}
	return nil
}

// moveSetting makes each person's choice for kind old their choice for
// kind new, unless they have one for new already, and drops old.
func moveSetting(tx *gorm.DB, old, kind string) error {
	if err := tx.Exec(`UPDATE notice_settings SET kind = ? WHERE kind = ? AND NOT EXISTS
		(SELECT 1 FROM notice_settings s2 WHERE s2.person_id = notice_settings.person_id AND s2.kind = ?)`, kind, old, kind).Error; err != nil {
		return err
	}
	return tx.Exec("DELETE FROM notice_settings WHERE kind = ?", old).Error
}
