package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"crossmentor/models"
)

// TestPersonPickerByEmail: above the select limit, forms ask for an email
// instead of listing everyone; a known email chooses the person, an
// unknown one gets a message at the field and changes nothing.
func TestPersonPickerByEmail(t *testing.T) {
	a, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	page := admin.Get("/programmes/1")
	if !contains(page.Body, `name="mentor_id"`) || contains(page.Body, `name="mentor_email"`) {
		t.Fatal("a small organisation should get a select list")
	}

	a.Handlers.SelectLimit = 3
	page = admin.Get("/programmes/1")
	if page.Status != http.StatusOK || !contains(page.Body, `name="mentor_email"`) || contains(page.Body, `<select id="mentor_id"`) {
		t.Fatalf("above the limit the mentor is typed as an email (status %d)", page.Status)
	}
	groups := count(t, db, &models.MentorGroup{})
	refused := admin.PostForm("/programmes/1/groups", url.Values{"name": {"Groep Zuidas"}, "mentor_email": {"niemand@demo.test"}})
	if refused.Status != http.StatusUnprocessableEntity || !contains(refused.Body, "Niemand in de organisatie heeft dit e-mailadres") ||
		!contains(refused.Body, `id="err-mentor_id"`) || !contains(refused.Body, `value="niemand@demo.test"`) {
		t.Fatalf("unknown email: status %d", refused.Status)
	}
	if n := count(t, db, &models.MentorGroup{}); n != groups {
		t.Fatalf("groups %d -> %d after a refused form", groups, n)
	}
	made := admin.PostForm("/programmes/1/groups", url.Values{"name": {"Groep Zuidas"}, "mentor_email": {" Hanneke.Smits@demo.test "}})
	if made.Status != http.StatusSeeOther {
		t.Fatalf("known email: status %d: %s", made.Status, made.Body)
	}
	var g models.MentorGroup
	if err := db.Where("name = ?", "Groep Zuidas").First(&g).Error; err != nil || g.MentorID != personID(t, db, "hanneke.smits@demo.test") {
		t.Fatalf("group %+v %v", g, err)
	}

	// The person form: the manager by email, and an empty field for none.
	id := personID(t, db, "mentee@demo.test")
	edit := admin.Get("/people/" + strconv.Itoa(int(id)))
	if !contains(edit.Body, `name="manager_email"`) {
		t.Fatal("the person form should ask for the manager's email")
	}
	var p models.Person
	db.First(&p, id)
	form := url.Values{"name": {p.Name}, "email": {p.Email}, "language": {p.Language}, "discipline": {p.Discipline},
		"manager_email": {"hanneke.smits@demo.test"}}
	if p.TeamID != nil {
		form.Set("team_id", strconv.Itoa(int(*p.TeamID)))
	}
	if r := admin.PostForm("/people/"+strconv.Itoa(int(id)), form); r.Status != http.StatusSeeOther {
		t.Fatalf("set manager: %d", r.Status)
	}
	db.First(&p, id)
	if p.ManagerID == nil || *p.ManagerID != personID(t, db, "hanneke.smits@demo.test") {
		t.Fatalf("manager %v", p.ManagerID)
	}
	form.Set("manager_email", "")
	if r := admin.PostForm("/people/"+strconv.Itoa(int(id)), form); r.Status != http.StatusSeeOther {
		t.Fatalf("clear manager: %d", r.Status)
	}
	db.First(&p, id)
	if p.ManagerID != nil {
		t.Fatalf("manager %v, want none", *p.ManagerID)
	}
}

// TestSearchPeople: the search behind the email fields finds by name or
// email, needs two letters, treats wildcards as text and is for admins only.
func TestSearchPeople(t *testing.T) {
	_, _, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	search := func(q string) []models.PersonChoice {
		t.Helper()
		r := admin.Get("/people/search?q=" + url.QueryEscape(q))
		if r.Status != http.StatusOK {
			t.Fatalf("search %q: %d", q, r.Status)
		}
		var out []models.PersonChoice
		if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		return out
	}
	found := search("hanneke")
	if len(found) != 1 || found[0].Email != "hanneke.smits@demo.test" || found[0].Name == "" {
		t.Fatalf("by name: %+v", found)
	}
	if found = search("SMITS@DEMO"); len(found) != 1 {
		t.Fatalf("by email, any case: %+v", found)
	}
	if found = search("h"); len(found) != 0 {
		t.Fatalf("one letter: %+v", found)
	}
	if found = search("%_"); len(found) != 0 {
		t.Fatalf("wildcards matched: %+v", found)
	}
	if found = search("e"); len(found) != 0 {
		t.Fatalf("one letter: %+v", found)
	}
	if found = search("de"); len(found) == 0 || len(found) > 10 {
		t.Fatalf("at most ten: %d", len(found))
	}
	for _, email := range []string{"mentor@demo.test", "mentee@demo.test", "manager@demo.test"} {
		if r := as(t, srv, email).Get("/people/search?q=hanneke"); r.Status != http.StatusNotFound {
			t.Fatalf("%s: %d", email, r.Status)
		}
	}
}
