package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestAdminTodo: each thing L&D has to do puts its own line on the list,
// with a count and a link, and the list says nothing of what is not there.
func TestAdminTodo(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	admin := models.Viewer{PersonID: demoPerson(t, db, "admin@demo.test"), Admin: true}
	var planned models.Programme
	if err := db.Where("status = ?", models.ProgrammePlanned).First(&planned).Error; err != nil {
		t.Fatal(err)
	}
	mentor := demoPerson(t, db, "mentor@demo.test")
	mentee := demoPerson(t, db, "mentee@demo.test")
	var group models.MentorGroup
	if err := db.Where("name = ?", "Groep Noord").First(&group).Error; err != nil {
		t.Fatal(err)
	}
	soon := models.DateOf(planned.StartsOn.AddDate(0, 0, -10))
	early := models.DateOf(planned.StartsOn.AddDate(0, 0, -60))
	find := func(items []models.AdminTodoItem, kind models.AdminTodoKind, name string) *models.AdminTodoItem {
		for i := range items {
			if items[i].Kind == kind && (name == "" || items[i].Name == name) {
				return &items[i]
			}
		}
		return nil
	}
	cases := []struct {
		name   string
		change func(tx *gorm.DB) error
		today  models.Date
		kind   models.AdminTodoKind
		item   string // the group or programme named, if any
		count  int64
		link   string
	}{
		{"a group breaks a rule", func(tx *gorm.DB) error {
			return tx.Model(&models.MentorGroup{}).Where("id = ?", group.ID).Update("rules_broken", true).Error
		}, soon, models.AdminTodoRules, "Groep Noord", 1, "/groups/"},
		{"two mails failed", func(tx *gorm.DB) error {
			now := time.Now()
			for i, key := range []string{"test:a", "test:b"} {
				if err := tx.Create(&models.MailDelivery{Key: key, Kind: "test", RecipientID: mentee, SubjectID: uint(i),
					Occurrence: now, Status: models.DeliveryFailed, NextAttemptAt: now}).Error; err != nil {
					return err
				}
			}
			return nil
		}, soon, models.AdminTodoMail, "", 2, "/mailbox"},
		{"an import runs", func(tx *gorm.DB) error {
			return tx.Create(&models.ImportRun{CreatedByID: admin.PersonID, Status: models.ImportRunning}).Error
		}, soon, models.AdminTodoImport, "", 1, "/people/import/runs/"},
		{"a group still forming ten days before the start", func(tx *gorm.DB) error {
			return tx.Create(&models.MentorGroup{ProgrammeID: planned.ID, MentorID: mentor, Name: "Groep Nieuw", Status: models.GroupForming}).Error
		}, soon, models.AdminTodoForming, planned.Name, 1, "/programmes/"},
		{"an application waits for a group", func(tx *gorm.DB) error {
			return tx.Create(&models.Application{ProgrammeID: planned.ID, PersonID: mentee, Role: "mentee", Status: models.ApplicationOpen}).Error
		}, soon, models.AdminTodoApplications, planned.Name, 1, "/programmes/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, err := models.AdminTodo(ctx, db, admin, tc.today)
			if err != nil {
				t.Fatal(err)
			}
			var had int64
			if it := find(before, tc.kind, tc.item); it != nil {
				had = it.Count
			}
			if err := tc.change(db); err != nil {
				t.Fatal(err)
			}
			after, err := models.AdminTodo(ctx, db, admin, tc.today)
			if err != nil {
				t.Fatal(err)
			}
			it := find(after, tc.kind, tc.item)
			if it == nil || it.Count != had+tc.count || len(it.Link) < len(tc.link) || it.Link[:len(tc.link)] != tc.link {
				t.Fatalf("want %s %q ×%d → %s…, got %+v", tc.kind, tc.item, had+tc.count, tc.link, after)
			}
			if len(after) != len(before)+1 && find(before, tc.kind, tc.item) == nil {
				t.Errorf("one change added %d lines: %+v", len(after)-len(before), after)
			}
		})
	}

	// Two months ahead of the start, a forming group is not yet to do.
	items, err := models.AdminTodo(ctx, db, admin, early)
	if err != nil {
		t.Fatal(err)
	}
	if it := find(items, models.AdminTodoForming, planned.Name); it != nil {
		t.Errorf("forming two months before the start is listed: %+v", *it)
	}
	// The order is the order of urgency.
	rank := map[models.AdminTodoKind]int{models.AdminTodoRules: 0, models.AdminTodoMail: 1, models.AdminTodoImport: 2,
		models.AdminTodoForming: 3, models.AdminTodoApplications: 4}
	items, _ = models.AdminTodo(ctx, db, admin, soon)
	for i := 1; i < len(items); i++ {
		if rank[items[i].Kind] < rank[items[i-1].Kind] {
			t.Errorf("%s after %s", items[i].Kind, items[i-1].Kind)
		}
	}
	if _, err := models.AdminTodo(ctx, db, models.Viewer{PersonID: mentor, Mentor: true}, soon); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a mentor reads L&D's to-do list: %v", err)
	}
}
