package models_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestListPeopleRows: L&D's people list shows each person's team, roles,
// group and status, filters on role, team and "in no group", pages, and
// reads a page that holds everyone in one statement (a full page also counts).
func TestListPeopleRows(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	admin := models.Viewer{PersonID: demoPerson(t, db, "admin@demo.test"), Admin: true}
	var mentee models.Person
	if err := db.Where("email = ?", "mentee@demo.test").First(&mentee).Error; err != nil || mentee.TeamID == nil {
		t.Fatalf("the demo mentee and their team: %v", err)
	}
	var everyone int64
	if err := db.Model(&models.Person{}).Count(&everyone).Error; err != nil {
		t.Fatal(err)
	}
	var statements int
	count := func(*gorm.DB) { statements++ }
	if err := db.Callback().Query().Before("gorm:query").Register("test:count_query", count); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Row().Before("gorm:row").Register("test:count_row", count); err != nil {
		t.Fatal(err)
	}
	byEmail := func(rows []models.PersonRow, email string) *models.PersonRow {
		for i := range rows {
			if rows[i].Email == email {
				return &rows[i]
			}
		}
		return nil
	}
	cases := []struct {
		name    string
		filter  models.PeopleListFilter
		has     []string // emails on the page
		hasNot  []string
		every   func(models.PersonRow) bool // true for every row
		atLeast int64
	}{
		{"everyone", models.PeopleListFilter{}, nil, nil, nil, everyone},
		{"L&D", models.PeopleListFilter{Role: models.PeopleRoleAdmin}, []string{"admin@demo.test"}, []string{"mentee@demo.test"},
			func(r models.PersonRow) bool { return r.Admin }, 1},
		{"mentors", models.PeopleListFilter{Role: models.PeopleRoleMentor}, []string{"mentor@demo.test"}, []string{"mentee@demo.test"},
			func(r models.PersonRow) bool { return r.MentorOf != "" && r.MentorGroupID != 0 }, 1},
		{"mentees", models.PeopleListFilter{Role: models.PeopleRoleMentee}, []string{"mentee@demo.test"}, []string{"mentor@demo.test", "manager@demo.test"},
			func(r models.PersonRow) bool { return r.MemberOf != "" && r.MemberGroupID != 0 && r.Status != "" }, 4},
		{"managers", models.PeopleListFilter{Role: models.PeopleRoleManager}, []string{"manager@demo.test"}, []string{"mentee@demo.test"},
			func(r models.PersonRow) bool { return r.IsManager }, 1},
		{"the mentee's team", models.PeopleListFilter{TeamID: *mentee.TeamID}, []string{"mentee@demo.test"}, nil,
			func(r models.PersonRow) bool {
				return r.TeamID != nil && *r.TeamID == *mentee.TeamID && r.TeamName != ""
			}, 1},
		{"in no group", models.PeopleListFilter{NoGroup: true}, []string{"manager@demo.test"}, []string{"mentor@demo.test", "mentee@demo.test"},
			func(r models.PersonRow) bool { return r.MentorOf == "" && r.MemberOf == "" }, 1},
		{"mentees in no group", models.PeopleListFilter{Role: models.PeopleRoleMentee, NoGroup: true}, nil, []string{"mentee@demo.test"},
			nil, 0},
		{"a search", models.PeopleListFilter{Query: "MENTEE@demo"}, []string{"mentee@demo.test"}, []string{"mentor@demo.test"}, nil, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page := models.NewPage(1, 200)
			statements = 0
			rows, err := models.ListPeopleRows(ctx, db, admin, tc.filter, &page)
			if err != nil {
				t.Fatal(err)
			}
			if statements != 1 {
				t.Errorf("%d statements for one page", statements)
			}
			if page.Total != int64(len(rows)) || page.Total < tc.atLeast || (tc.atLeast == 0 && page.Total != 0) {
				t.Errorf("total %d, rows %d, want at least %d", page.Total, len(rows), tc.atLeast)
			}
			if tc.name == "everyone" && page.Total != everyone {
				t.Errorf("everyone: %d of %d", page.Total, everyone)
			}
			for _, e := range tc.has {
				if byEmail(rows, e) == nil {
					t.Errorf("%s missing", e)
				}
			}
			for _, e := range tc.hasNot {
				if byEmail(rows, e) != nil {
					t.Errorf("%s listed", e)
				}
			}
			for _, r := range rows {
				if tc.every != nil && !tc.every(r) {
					t.Errorf("row does not fit the filter: %+v", r)
				}
			}
			for i := 1; i < len(rows); i++ {
				if rows[i].Name < rows[i-1].Name {
					t.Errorf("not by name: %q after %q", rows[i].Name, rows[i-1].Name)
				}
			}
		})
	}

	// The mentee's row names their group and status.
	page := models.NewPage(1, 200)
	rows, err := models.ListPeopleRows(ctx, db, admin, models.PeopleListFilter{Query: "mentee@demo.test"}, &page)
	if err != nil || len(rows) != 1 || rows[0].MemberOf != "Groep Noord" || rows[0].Status != models.StatusActive {
		t.Errorf("the mentee's row: %+v, %v", rows, err)
	}
	// Pages: the second page of ten continues the first; past the end the
	// total is still known.
	first, second := models.NewPage(1, 10), models.NewPage(2, 10)
	one, _ := models.ListPeopleRows(ctx, db, admin, models.PeopleListFilter{}, &first)
	two, _ := models.ListPeopleRows(ctx, db, admin, models.PeopleListFilter{}, &second)
	if len(one) != 10 || len(two) == 0 || two[0].ID == one[0].ID || second.Total != everyone || first.Total != everyone {
		t.Errorf("pages: %d and %d rows, totals %d and %d of %d", len(one), len(two), first.Total, second.Total, everyone)
	}
	beyond := models.NewPage(99, 10)
	if rows, err := models.ListPeopleRows(ctx, db, admin, models.PeopleListFilter{}, &beyond); err != nil || len(rows) != 0 || beyond.Total != everyone {
		t.Errorf("past the last page: %d rows, total %d, %v", len(rows), beyond.Total, err)
	}
	if _, err := models.ListPeopleRows(ctx, db, models.Viewer{PersonID: mentee.ID, Mentee: true}, models.PeopleListFilter{}, &page); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a mentee reads the people list: %v", err)
	}
}
