package handlers_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

// demo serves the demo organisation and returns the app, its database and
// the test server.
func demo(t *testing.T) (*app.App, *gorm.DB, *httptest.Server) {
	t.Helper()
	db := apptest.Demo(t)
	a := apptest.New(t, db)
	return a, db, apptest.Serve(t, a)
}

// as returns a client signed in as a demo account.
func as(t *testing.T, srv *httptest.Server, email string) *apptest.Client {
	t.Helper()
	c := apptest.NewClient(t, srv)
	c.SignIn(email, app.DemoPassword)
	return c
}

// personID looks up a demo person's id by email.
func personID(t *testing.T, db *gorm.DB, email string) uint {
	t.Helper()
	var p models.Person
	if err := db.Where("email = ?", email).First(&p).Error; err != nil {
		t.Fatalf("person %s: %v", email, err)
	}
	return p.ID
}

// membershipOf returns the membership of a demo person.
func membershipOf(t *testing.T, db *gorm.DB, email string) models.Membership {
	t.Helper()
	var m models.Membership
	if err := db.Where("person_id = ?", personID(t, db, email)).First(&m).Error; err != nil {
		t.Fatalf("membership of %s: %v", email, err)
	}
	return m
}

// count returns the number of rows of a model.
func count(t *testing.T, db *gorm.DB, model any) int64 {
	t.Helper()
	var n int64
	if err := db.WithContext(context.Background()).Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// groupID returns the id of a demo group by name.
func groupID(t *testing.T, db *gorm.DB, name string) uint {
	t.Helper()
	var g models.MentorGroup
	if err := db.Where("name = ?", name).First(&g).Error; err != nil {
		t.Fatalf("group %s: %v", name, err)
	}
	return g.ID
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// openPoll stores an open date poll with two options for a group, as rows:
// a group that has its first meeting can no longer start one.
func openPoll(t *testing.T, db *gorm.DB, groupID uint) models.DatePoll {
	t.Helper()
	poll := models.DatePoll{GroupID: groupID, DurationMin: 120, Location: "Utrecht", Status: "open"}
	if err := db.Create(&poll).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&[]models.PollOption{{PollID: poll.ID, StartsAt: time.Date(2027, 5, 11, 12, 0, 0, 0, time.UTC)},
		{PollID: poll.ID, StartsAt: time.Date(2027, 5, 13, 8, 0, 0, 0, time.UTC)}}).Error; err != nil {
		t.Fatal(err)
	}
	return poll
}
