package app_test

import (
	"testing"
	"time"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/migrations"
	"crossmentor/app/vault"
	"crossmentor/models"
)

// TestMigrationSealsExistingText: a database at step 0008 holding plain
// text in the columns 0012 seals (and yes/no answers in their old columns)
// is migrated; afterwards every such value is sealed and reads back the
// same through the models, and an old uploaded file is gone.
func TestMigrationSealsExistingText(t *testing.T) {
	db := apptest.Empty(t)
	ctx := t.Context()
	if err := migrations.New(db).MigrateTo("0008_reminder_settings"); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO people (id, name, email, created_at, updated_at) VALUES (1, 'Mentor', 'm@x.test', ?, ?), (2, 'Mentee', 'e@x.test', ?, ?)`, now, now, now, now)
	exec(`INSERT INTO programmes (id, name, starts_on, ends_on, status, created_at, updated_at) VALUES (1, 'P', '2026-09-01', '2027-08-31', 'running', ?, ?)`, now, now)
	exec(`INSERT INTO mentor_groups (id, programme_id, name, mentor_id, status, created_at, updated_at) VALUES (1, 1, 'G', 1, 'active', ?, ?)`, now, now)
	exec(`INSERT INTO memberships (id, group_id, person_id, status, status_since, status_reason, discipline_exception, created_at, updated_at)
		VALUES (1, 1, 2, 'frozen', '2026-10-01', 'moeilijke periode (ziekte)', 'wil overstappen', ?, ?)`, now, now)
	exec(`INSERT INTO intakes (id, membership_id, held_on, click, learnable, has_goal, can_reflect, kind, outcome, notes, created_at, updated_at)
		VALUES (1, 1, '2026-09-08', ?, ?, ?, ?, 'shopper', 'admit', '', ?, ?)`, true, false, true, false, now, now)
	exec(`INSERT INTO meetings (id, group_id, kind, starts_at, ends_at, status, status_reason, agenda) VALUES (1, 1, 'intervision', ?, ?, 'cancelled', 'zaal bezet', '')`, now, now)
	exec(`INSERT INTO action_items (id, group_id, meeting_id, holder_id, text, created_at) VALUES (1, 1, 1, 2, 'bespreek burn-out signalen met HR', ?)`, now)
	exec(`INSERT INTO one_on_ones (id, group_id, mentor_id, mentee_id, starts_at, ends_at, theme, urgent, status, created_at, updated_at)
		VALUES (1, 1, 1, 2, ?, ?, 'balance', ?, 'planned', ?, ?)`, now, now, true, now, now)
	exec(`INSERT INTO import_runs (id, created_by_id, status, content, created_at) VALUES (1, 1, 'running', 'Naam;E-mail', ?)`, now.Add(-48*time.Hour))

	if err := app.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ table, column string }{{"memberships", "status_reason"}, {"memberships", "discipline_exception"},
		{"intakes", "kind"}, {"intakes", "outcome"}, {"intakes", "assessment"}, {"meetings", "status_reason"},
		{"action_items", "text"}, {"one_on_ones", "theme"}, {"one_on_ones", "flags"}} {
		var v string
		db.Table(c.table).Where("id = 1").Pluck(c.column, &v)
		if !vault.IsSealed(v) {
			t.Errorf("%s.%s not sealed after the migration: %.20q", c.table, c.column, v)
		}
	}
	var m models.Membership
	var it models.Intake
	var o models.OneOnOne
	var a models.ActionItem
	var run models.ImportRun
	for _, err := range []error{db.First(&m, 1).Error, db.First(&it, 1).Error, db.First(&o, 1).Error, db.First(&a, 1).Error, db.First(&run, 1).Error} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if m.StatusReason != "moeilijke periode (ziekte)" || m.DisciplineException != "wil overstappen" || a.Text != "bespreek burn-out signalen met HR" {
		t.Errorf("read back: %q %q %q", m.StatusReason, m.DisciplineException, a.Text)
	}
	if !it.Click || it.Learnable || !it.HasGoal || it.CanReflect || it.Kind != models.KindShopper || it.Outcome != models.OutcomeAdmit {
		t.Errorf("intake read back: %+v", it)
	}
	if !o.Urgent || o.Theme != "balance" {
		t.Errorf("one-on-one read back: urgent %v theme %q", o.Urgent, o.Theme)
	}
	if run.Content != "" {
		t.Error("an uploaded file older than a day survived the migration")
	}
}
