package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/vault"
	"crossmentor/models"
)

// rowsContaining counts, over every column of every table, the values that
// contain s, as the database itself stores them.
func rowsContaining(t *testing.T, db *gorm.DB, s string) []string {
	t.Helper()
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	raw := db.Session(&gorm.Session{NewDB: true})
	for _, table := range tables {
		cols, err := db.Migrator().ColumnTypes(table)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			var n int64
			q := fmt.Sprintf(`SELECT count(*) FROM %q WHERE CAST(%q AS TEXT) LIKE ?`, table, c.Name())
			if err := raw.Raw(q, "%"+s+"%").Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				found = append(found, table+"."+c.Name())
			}
		}
	}
	return found
}

// TestNoPlaintextAtRest writes known confidential text through every path
// (intake notes, goals and progress, meeting notes, one-on-one notes and
// follow-ups, first-meeting entries) and finds none of it in the database.
func TestNoPlaintextAtRest(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	var mentor, sanne models.Person
	db.Where("email = ?", "mentor@demo.test").First(&mentor)
	db.Where("email = ?", "mentee@demo.test").First(&sanne)
	mv := models.Viewer{PersonID: mentor.ID, Mentor: true}
	sv := models.Viewer{PersonID: sanne.ID, Mentee: true}
	var noord models.MentorGroup
	db.Where("name = ?", "Groep Noord").First(&noord)
	const secret = "ZEER-GEHEIM-7731"

	goal, err := models.CreateGoal(ctx, db, sv, noord.ID, models.GoalInput{What: secret + " wat", Why: secret + " waarom", HowNoticed: secret + " merken"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.AddProgress(ctx, db, sv, goal.ID, models.ProgressInput{WrittenOn: "2026-11-20", Text: secret + " voortgang"}); err != nil {
		t.Fatal(err)
	}
	o, err := models.CreateOneOnOne(ctx, db, mv, noord.ID, models.OneOnOneInput{MenteeID: sanne.ID, Date: "2026-12-01", StartTime: "10:00",
		Theme: "other", Notes: secret + " notities", FollowUps: secret + " vervolg"})
	if err != nil {
		t.Fatal(err)
	}
	var meetings []models.Meeting
	db.Where("group_id = ?", noord.ID).Order("starts_at").Find(&meetings)
	if err := models.SaveNotes(ctx, db, mv, meetings[2].ID, models.NotesInput{Notes: secret + " groep"}); err != nil {
		t.Fatal(err)
	}
	if err := models.SaveEntry(ctx, db, mv, meetings[0].ID, sanne.ID, models.EntryInput{Goal: secret + " doel", Needs: secret, Questions: secret}); err != nil {
		t.Fatal(err)
	}
	m := membershipOfEmail(t, db, "sem.jacobs@demo.test")
	if _, err := models.SaveIntake(ctx, db, mv, m.ID, models.IntakeInput{HeldOn: "2026-11-20", Kind: "shopper", Outcome: "not_now",
		Notes: secret + " intake"}, models.NewDate(2026, 11, 20)); err != nil {
		t.Fatal(err)
	}

	// Read back through the models: the text is there for those allowed.
	back, err := models.GetOneOnOne(ctx, db, sv, o.ID)
	if err != nil || back.Notes != secret+" notities" || back.FollowUps != secret+" vervolg" {
		t.Fatalf("one-on-one read back: %q %v", back.Notes, err)
	}
	goals, err := models.ListGoals(ctx, db, mv, noord.ID)
	if err != nil || !strings.Contains(fmt.Sprint(goals), secret+" voortgang") {
		t.Fatalf("goals read back: %v", err)
	}
	// The scan finds text that is not confidential (a name)...
	if where := rowsContaining(t, db, "Sanne Bakker"); len(where) == 0 {
		t.Fatal("the scan finds nothing at all; it is broken")
	}
	// ...but none of the confidential text, nor any of the demo's.
	for _, s := range []string{secret, "leveranciers", "dashboard dat niemand", "liep vast"} {
		if where := rowsContaining(t, db, s); len(where) > 0 {
			t.Errorf("plain text %q found in %v", s, where)
		}
	}
	var stored string
	db.Table("one_on_ones").Where("id = ?", o.ID).Pluck("notes", &stored)
	if !strings.HasPrefix(stored, "v1.t1.") {
		t.Fatalf("stored notes %q are not sealed with the key id", stored)
	}
}

func membershipOfEmail(t *testing.T, db *gorm.DB, email string) models.Membership {
	t.Helper()
	var m models.Membership
	if err := db.Joins("JOIN people p ON p.id = memberships.person_id").Where("p.email = ?", email).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSealedTextCannotMove: a ciphertext copied to another row, or read
// with a ring that lacks its key, does not open.
func TestSealedTextCannotMove(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	var mentor models.Person
	db.Where("email = ?", "mentor@demo.test").First(&mentor)
	mv := models.Viewer{PersonID: mentor.ID, Mentor: true}
	var noord models.MentorGroup
	db.Where("name = ?", "Groep Noord").First(&noord)
	var ms []models.Meeting
	db.Where("group_id = ? AND notes <> ''", noord.ID).Order("id").Find(&ms)
	if len(ms) < 2 {
		t.Fatal("demo has too few meetings with notes")
	}
	var sealed string
	db.Table("meetings").Where("id = ?", ms[0].ID).Pluck("notes", &sealed)
	if err := db.Exec("UPDATE meetings SET notes = ? WHERE id = ?", sealed, ms[1].ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := models.GetMeetingPage(ctx, db, mv, ms[1].ID); err == nil {
		t.Fatal("a ciphertext moved to another row opened")
	}
	if _, err := models.GetMeetingPage(ctx, db, mv, ms[0].ID); err != nil {
		t.Fatalf("the original row no longer opens: %v", err)
	}
}

// TestRotateKeys re-encrypts everything under a new key; afterwards the
// old key is not needed, and a second run has nothing to do.
func TestRotateKeys(t *testing.T) {
	oldSpec, _ := vault.NewKeySpec("old")
	newSpec, _ := vault.NewKeySpec("new")
	oldRing, _ := vault.ParseKeyRing(oldSpec)
	fresh := apptest.EmptyWith(t, oldRing)
	if err := app.Migrate(context.Background(), fresh); err != nil {
		t.Fatal(err)
	}
	if err := app.LoadDemo(context.Background(), fresh); err != nil {
		t.Fatal(err)
	}
	both, _ := vault.ParseKeyRing(oldSpec + "," + newSpec)
	n, err := app.RotateKeys(context.Background(), fresh, both)
	if err != nil || n == 0 {
		t.Fatalf("rotate: %d values, %v", n, err)
	}
	if again, err := app.RotateKeys(context.Background(), fresh, both); err != nil || again != 0 {
		t.Fatalf("second rotation: %d values, %v", again, err)
	}
	var notes []string
	fresh.Table("meetings").Where("notes <> ''").Pluck("notes", &notes)
	for _, s := range notes {
		if vault.KeyOf(s) != "new" {
			t.Fatalf("value still under key %q", vault.KeyOf(s))
		}
	}
	// A ring with only the new key reads everything.
	newOnly, _ := vault.ParseKeyRing(newSpec)
	reader := apptest.Reopen(t, fresh, newOnly)
	var sanne models.Person
	reader.Where("email = ?", "mentee@demo.test").First(&sanne)
	goals, err := models.ListGoals(context.Background(), reader, models.Viewer{PersonID: sanne.ID, Mentee: true}, 0)
	if err != nil || len(goals) == 0 || goals[0].What == "" {
		t.Fatalf("read after rotation: %v %v", goals, err)
	}
}
