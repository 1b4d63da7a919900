package app_test

import (
	"context"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/migrations"
	"crossmentor/models"
)

// TestMigrationsFromEmpty applies every step to an empty database (SQLite,
// or PostgreSQL with TEST_DATABASE_URL), then checks that nothing is left
// pending, that a second run changes nothing, and that the tables work.
func TestMigrationsFromEmpty(t *testing.T) {
	db := apptest.Empty(t)
	ctx := context.Background()
	pending, err := migrations.Pending(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != len(migrations.All()) {
		t.Fatalf("empty database: %d steps pending, want %d", len(pending), len(migrations.All()))
	}
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate from empty: %v", err)
	}
	if pending, err = migrations.Pending(db); err != nil || len(pending) != 0 {
		t.Fatalf("after migrate: pending %v, err %v", pending, err)
	}
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	for _, table := range []string{"organisations", "people", "teams", "projects", "assignments",
		"programmes", "mentor_groups", "memberships", "intakes", "sessions",
		"sign_in_counters", "email_changes", "invitations", "api_tokens", "blackouts", "group_series", "meetings", "meeting_roles",
		"attendances", "date_polls", "poll_options", "poll_answers", "first_meeting_entries", "action_items", "one_on_ones",
		"learning_goals", "goal_progresses", "audit_events", "consents", "case_questions", "calendar_feeds", "mail_deliveries", "input_requests"} {
		if !db.Migrator().HasTable(table) {
			t.Errorf("table %s missing after migrate", table)
		}
	}
	if err := app.LoadDemo(ctx, db); err != nil {
		t.Fatalf("demo on fresh schema: %v", err)
	}
	if err := app.LoadDemo(ctx, db); err != app.ErrNotEmpty {
		t.Fatalf("demo twice: got %v, want ErrNotEmpty", err)
	}
	n, err := models.CountPeople(ctx, db)
	if err != nil || n < 20 {
		t.Fatalf("demo people: %d, %v", n, err)
	}
}
