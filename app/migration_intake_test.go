package app_test

import (
	"context"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/migrations"
)

// TestMigrationIntakeAppointments: step 0024 adds the intake appointments
// and rolls back without a trace (SQLite, or PostgreSQL with
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
	for _, m := range migrations.All() {
		if m.ID == "0024_intake_appointments" {
			if err := migrations.New(db).RollbackMigration(m); err != nil {
				t.Fatal(err)
			}
		}
	}
	if db.Migrator().HasTable("intake_appointments") {
		t.Fatal("the rollback left the table")
	}
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	if !db.Migrator().HasColumn("intake_appointments", "sequence") {
		t.Fatal("no sequence column after migrating again")
	}
}
