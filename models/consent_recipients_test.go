package models_test

import (
	"context"
	"testing"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestConsentRecipients: everyone else within the limit; past it only the
// people close to the viewer, never someone outside their groups.
func TestConsentRecipients(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	id := func(email string) uint {
		p, err := models.PersonByEmail(ctx, db, email)
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	sanne := models.Viewer{PersonID: id("mentee@demo.test")}
	var total int64
	db.Model(&models.Person{}).Count(&total)
	for _, c := range []struct {
		name     string
		limit    int
		complete bool
		want     []string
		not      []string
	}{
		{"small organisation", int(total), true, []string{"mentor@demo.test", "pieter.hendriks@demo.test"}, []string{"mentee@demo.test"}},
		{"large organisation", 10, false, []string{"mentor@demo.test"}, []string{"pieter.hendriks@demo.test", "mentee@demo.test"}},
	} {
		people, complete, err := models.ConsentRecipients(ctx, db, sanne, c.limit)
		if err != nil {
			t.Fatal(err)
		}
		listed := map[uint]bool{}
		for _, p := range people {
			listed[p.ID] = true
		}
		if complete != c.complete || len(people) > c.limit {
			t.Errorf("%s: complete %v, %d listed", c.name, complete, len(people))
		}
		for _, e := range c.want {
			if !listed[id(e)] {
				t.Errorf("%s: %s is not listed", c.name, e)
			}
		}
		for _, e := range c.not {
			if listed[id(e)] {
				t.Errorf("%s: %s is listed", c.name, e)
			}
		}
	}
}
