package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// meetingRollupPerStatement counts new meetings into group_months once per
// INSERT statement on PostgreSQL, from the statement's inserted rows,
// instead of once per row: planning a programme's series inserts 27,000
// meetings in 27 statements, and the row trigger's upsert per meeting was a
// tenth of that time. SQLite has no statement triggers and keeps the row
// trigger of 0027.
func meetingRollupPerStatement() *gormigrate.Migration {
	perRow := rollupTrigger{name: "rollup_meetings_insert", table: "meetings", when: "AFTER", event: "INSERT"}
	return &gormigrate.Migration{
		ID: "0029_meeting_rollup_per_statement",
		Migrate: func(db *gorm.DB) error {
			d := rollupDialect(db)
			if !d.postgres {
				return nil
			}
			// One transaction: an insert by another replica waits for the
			// new trigger instead of falling between the two.
			return execAll(db, append(d.drop(perRow),
				`CREATE FUNCTION rollup_meetings_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
INSERT INTO group_months (group_id, month, planned, held)
	SELECT group_id, `+d.tm("starts_at")+`,
		SUM(CASE WHEN status <> 'cancelled' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'held' THEN 1 ELSE 0 END)
	FROM inserted_meetings GROUP BY group_id, `+d.tm("starts_at")+addMeetings+`;
RETURN NULL;
END
$fn$`,
				`CREATE TRIGGER rollup_meetings_insert AFTER INSERT ON meetings
	REFERENCING NEW TABLE AS inserted_meetings FOR EACH STATEMENT EXECUTE FUNCTION rollup_meetings_insert()`))
		},
		Rollback: func(db *gorm.DB) error {
			d := rollupDialect(db)
			if !d.postgres {
				return nil
			}
			perRow.body = []string{d.meeting("NEW", "")}
			return execAll(db, append(d.drop(perRow), d.create(perRow)...))
		},
	}
}

// execAll runs statements in order in one transaction: all or none.
func execAll(db *gorm.DB, statements []string) error {
	return db.Transaction(func(tx *gorm.DB) error {
		for _, s := range statements {
			if err := tx.Exec(s).Error; err != nil {
				return err
			}
		}
		return nil
	})
}
