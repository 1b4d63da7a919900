package app_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/migrations"
	"crossmentor/models"
)

// TestMigrationNotices: step 0016 makes notices and notice_settings,
// carries a switched-off change notice over as "in the app only" (for
// changes and cancellations), keeps notice keys unique, and rolls back
// cleanly (SQLite, or PostgreSQL with TEST_DATABASE_URL).
func TestMigrationNotices(t *testing.T) {
	db := apptest.Empty(t)
	ctx := context.Background()
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := app.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	var step = migrations.All()
	for _, s := range step {
		if s.ID == "0016_notices" {
			if err := migrations.New(db).RollbackMigration(s); err != nil {
				t.Fatalf("roll back: %v", err)
			}
		}
	}
	if db.Migrator().HasTable("notices") || db.Migrator().HasTable("notice_settings") {
		t.Fatal("notice tables still there after the rollback")
	}
	var off, near, none models.Person
	db.Where("email = ?", "ahmed.elamrani@demo.test").Take(&off)
	db.Where("email = ?", "lotte.visser@demo.test").Take(&near)
	db.Where("email = ?", "daan.smit@demo.test").Take(&none)
	db.Model(&models.Person{}).Where("id = ?", off.ID).Update("reminder_opt_outs", "meeting_7d,meeting_changed")
	db.Model(&models.Person{}).Where("id = ?", near.ID).Update("reminder_opt_outs", "meeting_1d")
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	var rows []models.NoticeSetting
	if err := db.Order("person_id, kind").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].PersonID != off.ID || rows[0].Kind != models.MailMeetingCancel || rows[0].Mode != models.NoticeInApp ||
		rows[1].Kind != models.MailMeetingChanged || rows[1].Mode != models.NoticeInApp {
		t.Fatalf("carried over: %+v, want meeting_cancelled and meeting_changed in the app for person %d only", rows, off.ID)
	}
	n := models.Notice{Key: "k", RecipientID: none.ID, Kind: models.NoticeCasePlaced, SubjectType: "case", SubjectID: 1}
	if err := db.Create(&n).Error; err != nil {
		t.Fatal(err)
	}
	n.ID = 0
	if err := db.Create(&n).Error; err == nil {
		t.Fatal("a second notice with the same key was stored")
	}
}

// TestInstallationMailID: step 0017 gives every installation its own
// random mail id, and the app's mails carry it in their Message-ID; with
// SMTP set and the default sender the app warns at start.
func TestInstallationMailID(t *testing.T) {
	ids := map[string]bool{}
	for range 2 {
		db := apptest.Empty(t) // a new installation each, not a copy of the test template
		if err := app.Migrate(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		id, err := models.InstallationMailID(context.Background(), db)
		if err != nil || len(id) != 16 || ids[id] {
			t.Fatalf("installation mail id %q (%v), seen before: %v", id, err, ids[id])
		}
		ids[id] = true
	}
	for _, tc := range []struct {
		from string
		warn bool
	}{{"", true}, {"Mentorprogramma <mentor@gemeente.example>", false}} {
		cfg, err := app.LoadConfig(func(k string) (string, bool) {
			switch {
			case k == "CROSSMENTOR_SMTP_URL":
				return "smtp+insecure://127.0.0.1:1", true
			case k == "CROSSMENTOR_MAIL_FROM" && tc.from != "":
				return tc.from, true
			}
			return "", false
		})
		if err != nil {
			t.Fatal(err)
		}
		cfg.Jobs = false
		var logs strings.Builder
		if _, err := app.New(cfg, slog.New(slog.NewTextHandler(&logs, nil)), apptest.DB(t), "test"); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(logs.String(), "CROSSMENTOR_MAIL_FROM"); got != tc.warn {
			t.Errorf("MAIL_FROM %q: warning %v, want %v\n%s", tc.from, got, tc.warn, logs.String())
		}
	}
}
