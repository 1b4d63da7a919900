package app_test

import (
	"context"
	"testing"
	"time"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/migrations"
	"crossmentor/models"
)

// TestMigrationMeetingRuns: step 0015 makes meeting_runs, whose rows go
// with their meeting, and rolls back cleanly (SQLite, or PostgreSQL with
// TEST_DATABASE_URL).
func TestMigrationMeetingRuns(t *testing.T) {
	db := apptest.Empty(t)
	if err := app.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if !db.Migrator().HasTable("meeting_runs") {
		t.Fatal("meeting_runs missing")
	}
	if err := app.LoadDemo(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	var m models.Meeting
	if err := db.Where("status = ?", models.MeetingPlanned).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	if err := db.Create(&models.LiveRun{MeetingID: m.ID, StartedAt: &now, ResumedAt: &now, Version: 1}).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&models.LiveRun{MeetingID: m.ID, Version: 1}).Error; err == nil {
		t.Fatal("a second run of one meeting was stored")
	}
	if err := db.Exec("DELETE FROM meeting_runs WHERE meeting_id = ?", m.ID).Error; err != nil {
		t.Fatal(err)
	}
	var step = migrations.All()
	for _, s := range step {
		if s.ID == "0015_meeting_runs" {
			if err := migrations.New(db).RollbackMigration(s); err != nil {
				t.Fatalf("roll back: %v", err)
			}
		}
	}
	if db.Migrator().HasTable("meeting_runs") {
		t.Fatal("meeting_runs still there after the rollback")
	}
	if err := app.Migrate(context.Background(), db); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
}
