package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"crossmentor/models"
)

func nextProgramme(t *testing.T, db *gorm.DB) models.Programme {
	t.Helper()
	var p models.Programme
	if err := db.Where("status = ?", models.ProgrammePlanned).First(&p).Error; err != nil {
		t.Fatal(err)
	}
	return p
}

// TestApply: a person applies, bad input gets field messages and changes
// nothing, HTML stays text, and only their own application can be withdrawn.
func TestApply(t *testing.T) {
	_, db, srv := demo(t)
	next := nextProgramme(t, db)
	sem := as(t, srv, "sem.jacobs@demo.test")
	before := count(t, db, &models.Application{})
	bad := []struct {
		form  url.Values
		field string
	}{
		{url.Values{"programme_id": {fmt.Sprint(next.ID)}, "role": {"mentee"}}, "Vul dit veld in"},
		{url.Values{"programme_id": {"99999"}, "role": {"mentee"}, "learning_need": {"x"}}, "Kies een van de aangeboden"},
		{url.Values{"programme_id": {fmt.Sprint(next.ID)}, "role": {"boss"}, "learning_need": {"x"}}, "Kies een van de aangeboden"},
		{url.Values{"programme_id": {fmt.Sprint(next.ID)}, "role": {"mentee"}, "learning_need": {strings.Repeat("x", 301)}}, "learning_need"},
		{url.Values{"programme_id": {fmt.Sprint(next.ID)}, "role": {"mentee"}, "learning_need": {"x"}, "weekdays": {"7"}}, "weekdays"},
		{url.Values{"programme_id": {fmt.Sprint(next.ID)}, "role": {"mentee"}, "learning_need": {"x"}, "experience_years": {"abc"}}, "experience_years"},
	}
	for _, b := range bad {
		r := sem.PostForm("/apply", b.form)
		if r.Status != http.StatusUnprocessableEntity || !contains(r.Body, b.field) {
			t.Errorf("%v: %d, want 422 naming %q", b.form, r.Status, b.field)
		}
	}
	if count(t, db, &models.Application{}) != before {
		t.Fatal("a refused application was stored")
	}
	r := sem.PostForm("/apply", url.Values{"programme_id": {fmt.Sprint(next.ID)}, "role": {"mentee"},
		"learning_need": {"<b>Rust</b> in mijn hoofd"}, "themes": {"Feedback; plannen, feedback"}, "weekdays": {"4", "2"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	var a models.Application
	db.Where("person_id = ?", personID(t, db, "sem.jacobs@demo.test")).First(&a)
	if a.Themes != "feedback,plannen" || a.Weekdays != "2,4" || a.Status != models.ApplicationOpen {
		t.Errorf("stored %+v", a)
	}
	admin := as(t, srv, "admin@demo.test")
	pool := admin.Get(fmt.Sprintf("/programmes/%d/pool", next.ID))
	if !contains(pool.Body, "&lt;b&gt;Rust&lt;/b&gt;") || contains(pool.Body, "<b>Rust</b>") {
		t.Error("the learning need is not shown as text")
	}
	// Someone else's application cannot be withdrawn; one's own can.
	if r := as(t, srv, "mentee@demo.test").PostForm(fmt.Sprintf("/applications/%d/withdraw", a.ID), url.Values{}); r.Status != http.StatusNotFound {
		t.Errorf("withdrawing another's application: %d", r.Status)
	}
	if r := sem.PostForm(fmt.Sprintf("/applications/%d/withdraw", a.ID), url.Values{}); r.Status != http.StatusSeeOther {
		t.Errorf("withdraw: %d", r.Status)
	}
	if contains(admin.Get(fmt.Sprintf("/programmes/%d/pool", next.ID)).Body, "&lt;b&gt;Rust") {
		t.Error("a withdrawn application is still in the pool")
	}
}

// TestGroupProposal: L&D proposes groups from the demo pool, every group
// meets the rules, a move that breaks one is refused with the reason, a
// fine move is kept, and accepting creates the groups in one go.
func TestGroupProposal(t *testing.T) {
	_, db, srv := demo(t)
	next := nextProgramme(t, db)
	admin := as(t, srv, "admin@demo.test")
	base := fmt.Sprintf("/programmes/%d/proposal", next.ID)
	if r := admin.Get(base); r.Status != http.StatusOK || !contains(r.Body, "nog geen voorstel") {
		t.Fatalf("empty proposal page: %d", r.Status)
	}
	if r := admin.PostForm(base+"/accept", url.Values{}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("accepting without a proposal: %d", r.Status)
	}
	if r := admin.PostForm(base, url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("propose: %d %s", r.Status, r.Body)
	}
	page := admin.Get(base)
	if page.Status != http.StatusOK || !contains(page.Body, "Waarom het past") || !contains(page.Body, "Groep 3") {
		t.Fatalf("proposal page: %d", page.Status)
	}
	p, err := models.GetProposal(t.Context(), db, models.Viewer{PersonID: personID(t, db, "admin@demo.test"), Admin: true}, next.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Groups) != 3 {
		t.Fatalf("%d groups from the demo pool, want 3", len(p.Groups))
	}
	for _, g := range p.Groups {
		if g.Checklist.Worst() == models.Broken {
			t.Errorf("group of %s breaks a rule: %+v", g.Mentor.Name, g.Checklist.Broken())
		}
	}
	// Lars and Niels are both in Software A: moving one to the other's group is refused.
	lars, niels := personID(t, db, "lars.willemsen@demo.test"), personID(t, db, "niels.post@demo.test")
	groupOf := func(id uint) int {
		for i, g := range p.Groups {
			for _, m := range g.Mentees {
				if m.PersonID == id {
					return i + 1
				}
			}
		}
		return 0
	}
	target := groupOf(niels)
	if target == 0 || groupOf(lars) == target {
		t.Fatalf("Lars in %d, Niels in %d", groupOf(lars), target)
	}
	r := admin.PostForm(base+"/move", url.Values{"person_id": {fmt.Sprint(lars)}, "to_group": {fmt.Sprint(target)}})
	if r.Status != http.StatusUnprocessableEntity || !contains(r.Body, "Software A") {
		t.Fatalf("a move into a teammate's group: %d", r.Status)
	}
	if r := admin.PostForm(base+"/move", url.Values{"person_id": {"99999"}, "to_group": {"1"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("moving someone outside the pool: %d", r.Status)
	}
	if r := admin.PostForm(base+"/move", url.Values{"person_id": {fmt.Sprint(lars)}, "to_group": {"0"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("taking Lars out: %d", r.Status)
	}
	if page := admin.Get(base); !contains(page.Body, "Niet ingedeeld (1)") {
		t.Error("Lars is not listed as not placed")
	}
	groups := count(t, db, &models.MentorGroup{})
	if r := admin.PostForm(base+"/accept", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}
	if n := count(t, db, &models.MentorGroup{}); n != groups+3 {
		t.Fatalf("%d groups created, want 3", n-groups)
	}
	var placed, open int64
	db.Model(&models.Application{}).Where("programme_id = ? AND status = ?", next.ID, models.ApplicationPlaced).Count(&placed)
	db.Model(&models.Application{}).Where("programme_id = ? AND status = ?", next.ID, models.ApplicationOpen).Count(&open)
	if placed != 3+12 || open != 1 {
		t.Errorf("%d applications placed and %d open, want 15 and 1 (Lars)", placed, open)
	}
	var candidates int64
	db.Model(&models.Membership{}).Joins("JOIN mentor_groups g ON g.id = memberships.group_id").
		Where("g.programme_id = ? AND memberships.status = ?", next.ID, models.StatusCandidate).Count(&candidates)
	if candidates != 12 {
		t.Errorf("%d candidates, want 12", candidates)
	}
	if r := admin.Get(base); !contains(r.Body, "nog geen voorstel") {
		t.Error("the proposal is still open after accepting")
	}
}
