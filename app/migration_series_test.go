package app_test

import (
	"context"
	"strconv"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestMigrationSeriesInvitations: step 0020 rolls back (its columns go)
// and applies again on a database with a planned series (SQLite, or
// PostgreSQL with TEST_DATABASE_URL); a series saved after it has its own
// UID and each of its meetings an instance.
func TestMigrationSeriesInvitations(t *testing.T) {
	ctx := context.Background()
	db := apptest.Empty(t)
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := app.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	// The demo's series of Groep Noord is saved with the step in place: it is one
	// recurring event.
	var s models.GroupSeries
	if err := db.Joins("JOIN mentor_groups g ON g.id = group_series.group_id").Where("g.name = ?", "Groep Noord").Take(&s).Error; err != nil {
		t.Fatal(err)
	}
	var without int64
	db.Model(&models.Meeting{}).Where("group_id = ? AND kind <> ? AND (series_uid <> ? OR recurrence_at IS NULL)", s.GroupID, models.KindFirstMeeting, "series-"+strconv.FormatUint(uint64(s.GroupID), 10)).Count(&without)
	if without != 0 {
		t.Fatalf("%d meetings of Noord's series without the series or an instance ", without)
	}
	rollBackThrough(t, db, "0020_series_invitations")
	for _, c := range [][2]string{{"group_series", "uid"}, {"group_series", "sequence"}, {"meetings", "series_uid"}, {"meetings", "recurrence_at"}} {
		if db.Migrator().HasColumn(c[0], c[1]) {
			t.Fatalf("%s.%s is still there after the rollback", c[0], c[1])
		}
	}
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	// Rolled back and applied again, the series has no UID of its own: its
	// meetings keep their own UIDs, as a series planned before the step.
	s = models.GroupSeries{ID: s.ID}
	if err := db.Take(&s, s.ID).Error; err != nil || s.UID != "" {
		t.Fatalf("series after the step again: %q %v", s.UID, err)
	}
}
