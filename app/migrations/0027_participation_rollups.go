package migrations

import (
	"fmt"
	"strings"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// participationRollups adds the monthly roll-ups the published figures are
// counted from, filled from the rows there are and kept current by
// triggers in the transaction of every write to memberships, meetings,
// attendance, one-on-ones, groups and programmes (erasure included: it
// deletes such rows):
//
//   - participation_months: per group, person and month (UTC, "2006-01"),
//     whether the person took part as a member, their attendance (present
//     of recorded) and their one-on-ones held;
//   - group_months: per group and month, the meetings not cancelled and
//     those held;
//   - report_months: the months 2000-01 to 2099-12, which the triggers
//     spread a membership over (SQLite triggers cannot use WITH).
func participationRollups() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0027_participation_rollups",
		Migrate: func(db *gorm.DB) error {
			return db.Transaction(func(tx *gorm.DB) error {
				d := rollupDialect(tx)
				for _, s := range []string{
					`CREATE TABLE participation_months (group_id bigint NOT NULL, person_id bigint NOT NULL,
						month varchar(7) NOT NULL, member integer NOT NULL DEFAULT 0, present integer NOT NULL DEFAULT 0,
						recorded integer NOT NULL DEFAULT 0, talks integer NOT NULL DEFAULT 0,
						PRIMARY KEY (group_id, person_id, month))`,
					`CREATE INDEX idx_participation_months_month ON participation_months (month)`,
					`CREATE TABLE group_months (group_id bigint NOT NULL, month varchar(7) NOT NULL,
						planned integer NOT NULL DEFAULT 0, held integer NOT NULL DEFAULT 0, PRIMARY KEY (group_id, month))`,
					`CREATE TABLE report_months (month varchar(7) PRIMARY KEY)`,
				} {
					if err := tx.Exec(s).Error; err != nil {
						return err
					}
				}
				var months []string
				for y := 2000; y < 2100; y++ {
					for m := 1; m <= 12; m++ {
						months = append(months, fmt.Sprintf("('%04d-%02d')", y, m))
					}
				}
				for i := 0; i < len(months); i += 300 {
					if err := tx.Exec("INSERT INTO report_months (month) VALUES " + strings.Join(months[i:min(i+300, len(months))], ",")).Error; err != nil {
						return err
					}
				}
				for _, s := range d.backfill() {
					if err := tx.Exec(s).Error; err != nil {
						return err
					}
				}
				if d.postgres { // the planner's first reads of the new tables
					if err := tx.Exec("ANALYZE participation_months, group_months").Error; err != nil {
						return err
					}
				}
				for _, t := range d.triggers() {
					for _, s := range d.create(t) {
						if err := tx.Exec(s).Error; err != nil {
							return fmt.Errorf("trigger %s: %w", t.name, err)
						}
					}
				}
				return nil
			})
		},
		Rollback: func(db *gorm.DB) error {
			return db.Transaction(func(tx *gorm.DB) error {
				d := rollupDialect(tx)
				for _, t := range d.triggers() {
					for _, s := range d.drop(t) {
						if err := tx.Exec(s).Error; err != nil {
							return err
						}
					}
				}
				for _, s := range []string{"DROP TABLE report_months", "DROP TABLE group_months", "DROP TABLE participation_months"} {
					if err := tx.Exec(s).Error; err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
}

// rollupSQL writes the roll-up statements for one database.
type rollupSQL struct{ postgres bool }

func rollupDialect(tx *gorm.DB) rollupSQL {
	return rollupSQL{postgres: tx.Dialector.Name() == "postgres"}
}

// tm is the UTC month of a timestamp, dm the month of a date.
func (d rollupSQL) tm(x string) string {
	if d.postgres {
		return "to_char(" + x + " AT TIME ZONE 'UTC', 'YYYY-MM')"
	}
	return "strftime('%Y-%m', " + x + ")"
}

func (d rollupSQL) dm(x string) string {
	if d.postgres {
		return "to_char(" + x + ", 'YYYY-MM')"
	}
	return "substr(" + x + ", 1, 7)"
}

// differs is true when two nullable values differ.
func (d rollupSQL) differs(a, b string) string {
	if d.postgres {
		return a + " IS DISTINCT FROM " + b
	}
	return a + " IS NOT " + b
}

const (
	addCounts = ` ON CONFLICT (group_id, person_id, month) DO UPDATE SET
		present = participation_months.present + excluded.present,
		recorded = participation_months.recorded + excluded.recorded,
		talks = participation_months.talks + excluded.talks`
	addMeetings = ` ON CONFLICT (group_id, month) DO UPDATE SET
		planned = group_months.planned + excluded.planned, held = group_months.held + excluded.held`
	pmColumns = `INSERT INTO participation_months (group_id, person_id, month, member, present, recorded, talks) `
)

// memberMonths marks the months in which the memberships chosen by where
// count as taking part: from the month the programme starts to the month
// the membership stopped, or else the later of the programme's end and the
// group's close.
func (d rollupSQL) memberMonths(where string) string {
	return pmColumns + `SELECT ms.group_id, ms.person_id, rm.month, 1, 0, 0, 0
		FROM memberships ms JOIN mentor_groups g ON g.id = ms.group_id JOIN programmes p ON p.id = g.programme_id
		JOIN report_months rm ON rm.month >= ` + d.dm("p.starts_on") + ` AND rm.month <= ` + d.dm(`CASE
			WHEN ms.status IN ('stopped','referred','left') THEN ms.status_since
			WHEN g.closed_on > p.ends_on THEN g.closed_on ELSE p.ends_on END`) + `
		WHERE ms.status IN ('active','frozen','stopped','referred','left') AND (` + where + `)
		ON CONFLICT (group_id, person_id, month) DO UPDATE SET member = 1`
}

// clearMembers unmarks the months of the group and person rows chosen by
// where, before memberMonths marks them again.
func clearMembers(where string) string {
	return "UPDATE participation_months SET member = 0 WHERE member = 1 AND (" + where + ")"
}

// dropEmpty deletes rows that count nothing any more.
func dropEmpty(where string) string {
	return "DELETE FROM participation_months WHERE member = 0 AND present = 0 AND recorded = 0 AND talks = 0 AND (" + where + ")"
}

// attendance adds (sign "") or takes away (sign "-") one attendance row r
// (NEW or OLD) in the month of its meeting.
func (d rollupSQL) attendance(r, sign string) string {
	return pmColumns + `SELECT m.group_id, ` + r + `.person_id, ` + d.tm("m.starts_at") + `, 0,
		` + sign + `(CASE WHEN ` + r + `.status = 'present' THEN 1 ELSE 0 END), ` + sign + `1, 0
		FROM meetings m WHERE m.id = ` + r + `.meeting_id` + addCounts
}

// talk adds or takes away one one-on-one r when it is held.
func (d rollupSQL) talk(r, sign string) string {
	return pmColumns + `SELECT ` + r + `.group_id, ` + r + `.mentee_id, ` + d.tm(r+".starts_at") + `, 0, 0, 0, ` + sign + `1
		FROM report_months WHERE month = '2000-01' AND ` + r + `.status = 'held'` + addCounts
}

// meeting adds or takes away one meeting r in its group's month.
func (d rollupSQL) meeting(r, sign string) string {
	return `INSERT INTO group_months (group_id, month, planned, held) SELECT ` + r + `.group_id, ` + d.tm(r+".starts_at") + `,
		` + sign + `(CASE WHEN ` + r + `.status <> 'cancelled' THEN 1 ELSE 0 END), ` + sign + `(CASE WHEN ` + r + `.status = 'held' THEN 1 ELSE 0 END)
		FROM report_months WHERE month = '2000-01'` + addMeetings
}

// meetingAttendance adds or takes away the attendance of meeting r (its
// rows are not changed, the meeting moved month or group).
func (d rollupSQL) meetingAttendance(r, sign string) string {
	return pmColumns + `SELECT ` + r + `.group_id, a.person_id, ` + d.tm(r+".starts_at") + `, 0,
		` + sign + `(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END), ` + sign + `1, 0
		FROM attendances a WHERE a.meeting_id = ` + r + `.id` + addCounts
}

// backfill fills the roll-ups from the rows there are.
func (d rollupSQL) backfill() []string {
	return []string{
		`INSERT INTO group_months (group_id, month, planned, held) SELECT group_id, ` + d.tm("starts_at") + `,
			SUM(CASE WHEN status <> 'cancelled' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'held' THEN 1 ELSE 0 END)
			FROM meetings GROUP BY group_id, ` + d.tm("starts_at"),
		d.memberMonths("1 = 1"),
		pmColumns + `SELECT m.group_id, a.person_id, ` + d.tm("m.starts_at") + `, 0,
			SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END), COUNT(*), 0
			FROM attendances a JOIN meetings m ON m.id = a.meeting_id WHERE 1 = 1
			GROUP BY m.group_id, a.person_id, ` + d.tm("m.starts_at") + addCounts,
		pmColumns + `SELECT group_id, mentee_id, ` + d.tm("starts_at") + `, 0, 0, 0, COUNT(*)
			FROM one_on_ones WHERE status = 'held' GROUP BY group_id, mentee_id, ` + d.tm("starts_at") + addCounts,
	}
}

// rollupTrigger is one trigger: its table, its moment and event, a
// condition (empty: always) and its statements.
type rollupTrigger struct {
	name, table, when, event, cond string
	body                           []string
}

func (d rollupSQL) triggers() []rollupTrigger {
	member := func(r string) string {
		return "group_id = " + r + ".group_id AND person_id = " + r + ".person_id"
	}
	ofGroup := func(r string) string { return "group_id = " + r + ".id" }
	ofProgramme := "group_id IN (SELECT id FROM mentor_groups WHERE programme_id = NEW.id)"
	return []rollupTrigger{
		{name: "rollup_meetings_insert", table: "meetings", when: "AFTER", event: "INSERT",
			body: []string{d.meeting("NEW", "")}},
		{name: "rollup_meetings_update", table: "meetings", when: "AFTER", event: "UPDATE OF status, starts_at, group_id",
			cond: "OLD.status <> NEW.status OR OLD.starts_at <> NEW.starts_at OR OLD.group_id <> NEW.group_id",
			body: []string{d.meeting("OLD", "-"), d.meeting("NEW", ""), d.meetingAttendance("OLD", "-"), d.meetingAttendance("NEW", "")}},
		{name: "rollup_meetings_delete", table: "meetings", when: "BEFORE", event: "DELETE",
			body: []string{"DELETE FROM attendances WHERE meeting_id = OLD.id", d.meeting("OLD", "-")}},
		{name: "rollup_attendances_insert", table: "attendances", when: "AFTER", event: "INSERT",
			body: []string{d.attendance("NEW", "")}},
		{name: "rollup_attendances_update", table: "attendances", when: "AFTER", event: "UPDATE OF status, meeting_id, person_id",
			cond: "OLD.status <> NEW.status OR OLD.meeting_id <> NEW.meeting_id OR OLD.person_id <> NEW.person_id",
			body: []string{d.attendance("OLD", "-"), d.attendance("NEW", "")}},
		{name: "rollup_attendances_delete", table: "attendances", when: "AFTER", event: "DELETE",
			body: []string{d.attendance("OLD", "-")}},
		{name: "rollup_one_on_ones_insert", table: "one_on_ones", when: "AFTER", event: "INSERT",
			cond: "NEW.status = 'held'", body: []string{d.talk("NEW", "")}},
		{name: "rollup_one_on_ones_update", table: "one_on_ones", when: "AFTER", event: "UPDATE OF status, starts_at, mentee_id, group_id",
			cond: "OLD.status <> NEW.status OR OLD.starts_at <> NEW.starts_at OR OLD.mentee_id <> NEW.mentee_id OR OLD.group_id <> NEW.group_id",
			body: []string{d.talk("OLD", "-"), d.talk("NEW", "")}},
		{name: "rollup_one_on_ones_delete", table: "one_on_ones", when: "AFTER", event: "DELETE",
			cond: "OLD.status = 'held'", body: []string{d.talk("OLD", "-")}},
		{name: "rollup_memberships_insert", table: "memberships", when: "AFTER", event: "INSERT",
			body: []string{d.memberMonths("ms.id = NEW.id")}},
		{name: "rollup_memberships_update", table: "memberships", when: "AFTER", event: "UPDATE OF status, status_since, group_id, person_id",
			cond: "OLD.status <> NEW.status OR OLD.status_since <> NEW.status_since OR OLD.group_id <> NEW.group_id OR OLD.person_id <> NEW.person_id",
			body: []string{clearMembers(member("OLD")), clearMembers(member("NEW")), d.memberMonths("ms.id = NEW.id"),
				dropEmpty(member("OLD"))}},
		{name: "rollup_memberships_delete", table: "memberships", when: "AFTER", event: "DELETE",
			body: []string{clearMembers(member("OLD")), dropEmpty(member("OLD"))}},
		{name: "rollup_groups_update", table: "mentor_groups", when: "AFTER", event: "UPDATE OF closed_on, programme_id",
			cond: d.differs("OLD.closed_on", "NEW.closed_on") + " OR OLD.programme_id <> NEW.programme_id",
			body: []string{clearMembers(ofGroup("NEW")), d.memberMonths("ms.group_id = NEW.id"), dropEmpty(ofGroup("NEW"))}},
		{name: "rollup_programmes_update", table: "programmes", when: "AFTER", event: "UPDATE OF starts_on, ends_on",
			cond: "OLD.starts_on <> NEW.starts_on OR OLD.ends_on <> NEW.ends_on",
			body: []string{clearMembers(ofProgramme), d.memberMonths("g.programme_id = NEW.id"), dropEmpty(ofProgramme)}},
	}
}

// create returns the statements that make trigger t: on SQLite the
// trigger itself, on PostgreSQL a function and a row trigger calling it.
func (d rollupSQL) create(t rollupTrigger) []string {
	body := strings.Join(t.body, ";\n") + ";"
	if !d.postgres {
		cond := ""
		if t.cond != "" {
			cond = " WHEN " + t.cond
		}
		return []string{"CREATE TRIGGER " + t.name + " " + t.when + " " + t.event + " ON " + t.table + " FOR EACH ROW" + cond +
			" BEGIN\n" + body + "\nEND"}
	}
	if t.cond != "" {
		body = "IF " + t.cond + " THEN\n" + body + "\nEND IF;"
	}
	ret := "NULL"
	if t.when == "BEFORE" {
		ret = "OLD"
	}
	return []string{
		"CREATE FUNCTION " + t.name + "() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n" + body + "\nRETURN " + ret + ";\nEND\n$fn$",
		"CREATE TRIGGER " + t.name + " " + t.when + " " + t.event + " ON " + t.table + " FOR EACH ROW EXECUTE FUNCTION " + t.name + "()",
	}
}

func (d rollupSQL) drop(t rollupTrigger) []string {
	if !d.postgres {
		return []string{"DROP TRIGGER IF EXISTS " + t.name}
	}
	return []string{"DROP TRIGGER IF EXISTS " + t.name + " ON " + t.table, "DROP FUNCTION IF EXISTS " + t.name + "()"}
}
