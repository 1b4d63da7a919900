package app_test

import (
	"context"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/migrations"
	"crossmentor/models"
)

// TestMigrationRequests: steps 0022 (one-on-one requests) and 0023
// (apologies) roll back on a database with their rows and apply again
// (SQLite, or PostgreSQL with TEST_DATABASE_URL).
func TestMigrationRequests(t *testing.T) {
	ctx := context.Background()
	db := apptest.Empty(t)
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := app.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	var n int64
	if db.Model(&models.OneOnOneRequest{}).Count(&n); n == 0 {
		t.Fatal("the demo holds no request")
	}
	steps := map[string]bool{"0022_oneonone_requests": true, "0023_apologies": true}
	all := migrations.All()
	for i := len(all) - 1; i >= 0; i-- {
		if steps[all[i].ID] {
			if err := migrations.New(db).RollbackMigration(all[i]); err != nil {
				t.Fatalf("roll back %s: %v", all[i].ID, err)
			}
		}
	}
	if db.Migrator().HasTable("one_on_one_requests") || db.Migrator().HasTable("apologies") {
		t.Fatal("the steps left their tables after the rollback")
	}
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	if !db.Migrator().HasTable("one_on_one_requests") || !db.Migrator().HasTable("apologies") {
		t.Fatal("the tables are not back")
	}
	if err := db.Create(&models.Apology{MeetingID: 1, PersonID: 1}).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&models.Apology{MeetingID: 1, PersonID: 1}).Error; err == nil {
		t.Error("two apologies of one person for one meeting")
	}
}
