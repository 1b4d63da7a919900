package app_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/app/vault"
	"crossmentor/models"
)

// column is one text-like column of one table.
type column struct{ table, name string }

// textColumns lists every text-like column of every table, as the
// database's own catalogue names them (information_schema on PostgreSQL,
// sqlite_master and table_info on SQLite).
func textColumns(t *testing.T, db *gorm.DB) []column {
	t.Helper()
	var out []column
	raw := db.Session(&gorm.Session{NewDB: true})
	if db.Dialector.Name() == "postgres" {
		var rows []struct{ TableName, ColumnName string }
		err := raw.Raw(`SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')
			ORDER BY table_name, column_name`).Scan(&rows).Error
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			out = append(out, column{r.TableName, r.ColumnName})
		}
		return out
	}
	var tables []string
	if err := raw.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		var cols []struct {
			Name string
			Type string
		}
		if err := raw.Raw(fmt.Sprintf("SELECT name, type FROM pragma_table_info('%s')", table)).Scan(&cols).Error; err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			typ := strings.ToLower(c.Type)
			if typ == "" || strings.Contains(typ, "text") || strings.Contains(typ, "char") || strings.Contains(typ, "clob") ||
				strings.Contains(typ, "blob") || strings.Contains(typ, "json") {
				out = append(out, column{table, c.Name})
			}
		}
	}
	return out
}

// columnValues returns the stored values of one column, as text.
func columnValues(t *testing.T, db *gorm.DB, c column) []string {
	t.Helper()
	var values []string
	q := fmt.Sprintf(`SELECT CAST(%q AS TEXT) FROM %q WHERE %q IS NOT NULL`, c.name, c.table, c.name)
	if err := db.Session(&gorm.Session{NewDB: true}).Raw(q).Scan(&values).Error; err != nil {
		t.Fatal(err)
	}
	return values
}

// plainAllowed lists the text columns that may hold readable text, each
// with the reason it is not confidential.
var plainAllowed = map[string]string{
	"organisations.name":              "the organisation's own name",
	"people.name":                     "names are shown to L&D, mentors and fellow members; erasure replaces them",
	"people.email":                    "the sign-in address; erasure replaces it",
	"people.discipline":               "an HR attribute from the import, used for forming groups",
	"teams.name":                      "organisation structure from the HR import",
	"projects.name":                   "organisation structure from the HR import",
	"programmes.name":                 "a programme's public title",
	"mentor_groups.name":              "a group's label, seen by L&D",
	"mentor_groups.discipline":        "the group's discipline, for the composition rules",
	"applications.discipline":         "the discipline applied for, one word from the HR list",
	"blackouts.name":                  "the organisation's holidays and breaks (Kerstvakantie)",
	"meetings.location":               "where a meeting is; goes to calendars and mails",
	"meetings.host":                   "the department or party a work visit goes to; goes to calendars",
	"meetings.address":                "a work visit's address; goes to calendars and mails",
	"meetings.contact":                "a work visit's contact at the host",
	"meetings.guest_name":             "a guest speaker's name, who agreed to come",
	"meetings.guest_role":             "a guest speaker's public role",
	"date_polls.location":             "where the first meeting will be",
	"group_series.location":           "where the series' meetings are",
	"group_series.visits_with":        "the departments or parties the group wants to visit",
	"api_tokens.name":                 "a label the owner gives a token (laptop), no content",
	"mail_deliveries.last_error":      "the mail server's answer, holds no content",
	"group_proposals.arrangement":     "ids and rule names of a proposed arrangement, no text anyone wrote",
	"audit_events.subject":            "the kind of record an audit row is about, never its content",
	"river_job.errors":                "job errors: messages of the code, never content",
	"river_job.metadata":              "job metadata written by the queue",
	"river_leader.leader_id":          "the queue's host name",
	"river_client.metadata":           "queue metadata",
	"river_client_queue.metadata":     "queue metadata",
	"river_queue.metadata":            "queue metadata",
	"schema_migrations.id":            "migration names",
	"river_migration.line":            "migration lines of the queue",
	"meeting_roles.role":              "role names of the method (facilitator), fixed words",
	"poll_answers.answer":             "yes, maybe or no",
	"invitations.token_hash":          "a hash",
	"organisations.reminders_off":     "reminder kind names",
	"people.reminder_opt_outs":        "reminder kind names",
	"sign_in_failures.bucket":         "the email or address being limited, kept 24 hours at most",
	"import_runs.mapping":             "column numbers of the uploaded file's headers",
	"mail_deliveries.key":             "a delivery's unique key of kinds and ids",
	"notices.key":                     "a notice's unique key of kinds and ids",
	"intervision_methods.name":        "the methods' own titles",
	"programmes.evaluation_questions": "the programme's fixed survey items",
}

// prose matches text a person typed: two words of letters with a space.
var prose = regexp.MustCompile(`\pL{2,}[\s,.;:!?]+\pL{2,}`)

// scanPlaintext fails for every sealed column holding a value that is not
// sealed, and for every other text column holding prose outside the
// allow-list. It returns how many sealed values it saw per column.
func scanPlaintext(t *testing.T, db *gorm.DB) map[string]int {
	t.Helper()
	sealedCols := map[string]bool{}
	for _, m := range models.SealedModels() {
		stmt := &gorm.Statement{DB: db}
		if err := stmt.Parse(m); err != nil {
			t.Fatal(err)
		}
		for _, f := range stmt.Schema.Fields {
			if table := f.Tag.Get("sealed"); table != "" {
				sealedCols[table+"."+f.DBName] = true
			}
		}
	}
	seen := map[string]int{}
	for _, c := range textColumns(t, db) {
		key := c.table + "." + c.name
		for _, v := range columnValues(t, db, c) {
			switch {
			case v == "":
			case vault.IsSealed(v):
				seen[key]++
			case sealedCols[key]:
				t.Errorf("%s is sealed but holds plain text (%d characters)", key, len(v))
			case plainAllowed[key] != "":
			case prose.MatchString(v):
				t.Errorf("%s holds plain prose: %.40q", key, v)
			}
		}
	}
	return seen
}

// TestDemoHoldsNoPlaintext loads the demo organisation, adds what it lacks
// of the confidential kinds (a status reason, a cancel and a move reason),
// and scans every text column of every table: no prose outside the
// allow-list, no plain value in a sealed column, and every kind was seen.
func TestDemoHoldsNoPlaintext(t *testing.T) {
	db := apptest.Demo(t)
	ctx := t.Context()
	pieter := person(t, db, "pieter.hendriks@demo.test")
	pv := models.Viewer{PersonID: pieter.ID, Mentor: true}
	m := membershipOfEmail(t, db, "emma.bos@demo.test")
	if _, err := models.ChangeStatus(ctx, db, pv, m.ID, models.StatusInput{Status: "frozen", Reason: "Even pauze: moeilijke periode thuis"},
		models.NewDate(2026, 11, 2)); err != nil {
		t.Fatal(err)
	}
	var noord models.MentorGroup
	db.Where("name = ?", "Groep Noord").First(&noord)
	mv := models.Viewer{PersonID: person(t, db, "mentor@demo.test").ID, Mentor: true}
	var meetings []models.Meeting
	db.Where("group_id = ?", noord.ID).Order("starts_at").Find(&meetings)
	if len(meetings) < 2 {
		t.Fatalf("Groep Noord has %d meetings", len(meetings))
	}
	if _, err := models.SetMeetingStatus(ctx, db, mv, meetings[len(meetings)-1].ID, models.StatusChange{Status: "cancelled",
		Reason: "Te veel mensen ziek door de griepgolf"}); err != nil {
		t.Fatal(err)
	}
	seen := scanPlaintext(t, db)
	for _, col := range []string{"action_items.text", "memberships.status_reason", "memberships.discipline_exception",
		"meetings.status_reason", "meetings.purpose", "meetings.topic", "consents.wording", "consents.purpose", "intakes.kind",
		"intakes.outcome", "intakes.assessment", "intakes.notes", "one_on_ones.theme", "one_on_ones.flags", "one_on_ones.notes",
		"applications.themes", "applications.learning_need", "learning_goals.what", "case_questions.situation"} {
		if seen[col] == 0 {
			t.Errorf("the demo has no sealed value in %s: the scan proves nothing there", col)
		}
	}
}

// person finds a demo person by email.
func person(t *testing.T, db *gorm.DB, email string) models.Person {
	t.Helper()
	var p models.Person
	if err := db.Where("email = ?", email).First(&p).Error; err != nil {
		t.Fatal(err)
	}
	return p
}
