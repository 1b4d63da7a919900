package app_test

import (
	"context"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/migrations"
	"crossmentor/models"
)

// TestMigrationLifecycle: step 0018 starts every existing membership's
// history with its status, and 0018 and 0019 roll back and apply again
// (SQLite, or PostgreSQL with TEST_DATABASE_URL).
func TestMigrationLifecycle(t *testing.T) {
	ctx := context.Background()
	db := apptest.Empty(t)
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := app.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	steps := map[string]bool{"0018_lifecycle": true, "0019_calendars": true}
	all := migrations.All()
	for i := len(all) - 1; i >= 0; i-- {
		if steps[all[i].ID] {
			if err := migrations.New(db).RollbackMigration(all[i]); err != nil {
				t.Fatalf("roll back %s: %v", all[i].ID, err)
			}
		}
	}
	if db.Migrator().HasTable("membership_status_changes") || db.Migrator().HasTable("group_status_changes") ||
		db.Migrator().HasColumn("blackouts", "yearly") {
		t.Fatal("the steps left their tables or columns after the rollback")
	}
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	var memberships, started int64
	db.Model(&models.Membership{}).Count(&memberships)
	db.Model(&models.MembershipStatusChange{}).Where("applied_at IS NOT NULL AND membership_id IN (SELECT id FROM memberships m WHERE m.status = membership_status_changes.status)").Count(&started)
	if memberships == 0 || started != memberships {
		t.Fatalf("%d memberships, %d histories started with their status", memberships, started)
	}
	var b models.Blackout
	if err := db.First(&b).Error; err != nil || b.Yearly {
		t.Fatalf("blackouts after 0019: %+v %v", b, err)
	}
}
