package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestPeopleListFilters: the people list filters on role, team and "in no
// group" through its query and ignores a role it does not know; only L&D
// reads it.
func TestPeopleListFilters(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	menteeTeam := func() uint {
		var team uint
		db.Table("people").Where("email = ?", "mentee@demo.test").Pluck("team_id", &team)
		return team
	}()
	cases := []struct {
		query       string
		has, hasNot []string
	}{
		{"role=mentee", []string{"mentee@demo.test", "Groep Noord"}, []string{"manager@demo.test", "mentor@demo.test"}},
		{"role=manager", []string{"manager@demo.test"}, []string{"mentee@demo.test"}},
		{"nogroup=1", []string{"manager@demo.test"}, []string{"mentee@demo.test", "mentor@demo.test"}},
		{fmt.Sprintf("team=%d", menteeTeam), []string{"mentee@demo.test"}, nil},
		{"role=nonsense", []string{"mentee@demo.test", "manager@demo.test"}, nil},
	}
	for _, tc := range cases {
		r := admin.Get("/people?" + tc.query)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", tc.query, r.Status)
		}
		for _, s := range tc.has {
			if !strings.Contains(r.Body, s) {
				t.Errorf("%s: %s missing", tc.query, s)
			}
		}
		for _, s := range tc.hasNot {
			if strings.Contains(r.Body, s+"</span></td>") {
				t.Errorf("%s: %s listed", tc.query, s)
			}
		}
	}
	if r := as(t, srv, "mentor@demo.test").Get("/people?role=mentee"); r.Status != http.StatusNotFound {
		t.Errorf("a mentor reads the people list: %d", r.Status)
	}
}
