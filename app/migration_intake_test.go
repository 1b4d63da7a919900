package app_test

import (
	"context"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
)

// TestMigrationIntakeAppointments: steps 0024 (intake appointments) and
// 0025 (the first meeting's record) roll back without a trace and apply again (SQLite, or PostgreSQL with
// TEST_DATABASE_URL).
func TestMigrationIntakeAppointments(t *testing.T) {
	ctx := context.Background()
	db := apptest.Empty(t)
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if !db.Migrator().HasTable("intake_appointments") {
		t.Fatal("no intake_appointments after migrating")
	}
	rollBackThrough(t, db, "0024_intake_appointments")
	if db.Migrator().HasTable("intake_appointments") || db.Migrator().HasColumn("meetings", "agreements") ||
		db.Migrator().HasColumn("first_meeting_entries", "goal_id") {
		t.Fatal("the rollbacks left a table or column")
	}
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	if !db.Migrator().HasColumn("intake_appointments", "sequence") || !db.Migrator().HasColumn("meetings", "agreed_cadence_weeks") {
		t.Fatal("steps 0024 and 0025 missing after migrating again")
	}
}
