package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// rowCounts counts the rows of every table the forms write to.
func rowCounts(t *testing.T, db *gorm.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"organisations", "people", "teams", "projects", "assignments", "programmes",
		"mentor_groups", "memberships", "intakes", "invitations", "api_tokens"} {
		var n int64
		if err := db.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// TestGarbageNeverFails posts junk to every form and JSON route of the app,
// as an admin and as a mentor: the answer is never a 5xx, and a refused
// request changes no table.
func TestGarbageNeverFails(t *testing.T) {
	a, db, srv := demo(t)
	m := membershipOf(t, db, "mentee@demo.test")
	ids := strings.NewReplacer(":id", "1", ":assignment", "1", ":group", "1", ":token", "nonsense")
	junk := []url.Values{
		{},
		{"name": {strings.Repeat("x", 5000)}, "email": {"@@"}, "team_id": {"-1"}, "manager_id": {"x"}, "mentor_id": {"1e9"},
			"starts_on": {"2026-02-31"}, "ends_on": {"gisteren"}, "cadence_weeks": {"9999999999999"}, "status": {"<b>"},
			"person_id": {"18446744073709551616"}, "held_on": {"31-12-2026"}, "outcome": {"admit"}, "kind": {"x"},
			"time_zone": {"Mars/Olympus"}, "default_language": {"xx"}, "password": {"a"}, "project_id": {"0"}},
		{"name": {"<script>alert(1)</script>"}, "email": {"a@b.c"}, "status": {"active"}, "person_id": {"1"},
			"held_on": {"2026-09-10"}, "outcome": {"admit"}, "language": {"en"}},
	}
	jsonJunk := []string{`{}`, `null`, `[]`, `"x"`, `{"name": [1], "email": {}, "status": 5, "person_id": "1", "starts_on": 2026}`,
		`{"person_id": -5, "mentor_id": 1.5}`, `{`}
	sent := 0
	for _, email := range []string{"admin@demo.test", "mentor@demo.test"} {
		c := as(t, srv, email)
		for _, r := range a.Echo.Routes() {
			if r.Method != http.MethodPost && r.Method != http.MethodPut {
				continue
			}
			if r.Path == "/signout" || r.Path == "/api/v1/session" || r.Path == "/setup" || r.Path == "/signin" {
				continue
			}
			path := ids.Replace(r.Path)
			if strings.Contains(r.Path, "memberships") {
				path = strings.Replace(r.Path, ":id", itoa(m.ID), 1)
			}
			if strings.HasPrefix(path, "/api/") {
				for _, body := range jsonJunk {
					before := rowCounts(t, db)
					resp := c.JSON(r.Method, path, "", body)
					check(t, db, email, r.Method+" "+path+" "+body, resp.Status, before)
					sent++
				}
				continue
			}
			for _, form := range junk {
				before := rowCounts(t, db)
				resp := c.PostForm(path, form)
				check(t, db, email, r.Method+" "+path, resp.Status, before)
				sent++
			}
		}
	}
	if sent < 100 {
		t.Fatalf("only %d requests sent; the route walk is broken", sent)
	}
}

func check(t *testing.T, db *gorm.DB, who, what string, status int, before map[string]int64) {
	t.Helper()
	if status >= 500 {
		t.Errorf("%s %s: %d", who, what, status)
		return
	}
	if status >= 400 {
		after := rowCounts(t, db)
		for table, n := range before {
			if after[table] != n {
				t.Errorf("%s %s: refused (%d) but %s went %d -> %d", who, what, status, table, n, after[table])
			}
		}
	}
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }
