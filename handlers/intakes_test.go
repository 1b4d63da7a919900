package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"crossmentor/models"
)

// TestIntakeOutcome: the mentor records an intake; admitting someone who
// breaks a rule is refused and nothing is stored, "not now" is stored and
// moves nobody into the group.
func TestIntakeOutcome(t *testing.T) {
	_, db, srv := demo(t)
	mentor := as(t, srv, "mentor@demo.test")
	sem := membershipOf(t, db, "sem.jacobs@demo.test")
	path := fmt.Sprintf("/memberships/%d/intake", sem.ID)
	form := url.Values{"held_on": {"2026-09-15"}, "click": {"true"}, "learnable": {"true"}, "kind": {"nothing_wrong"},
		"outcome": {"admit"}, "notes": {"Goed gesprek over overleggen met de business."}}
	intakes := count(t, db, &models.Intake{})

	r := mentor.PostForm(path, form)
	if r.Status != http.StatusUnprocessableEntity || !contains(r.Body, "Yara Mulder") {
		t.Fatalf("admit Sem next to Yara (same team): %d, want 422 naming Yara", r.Status)
	}
	if n := count(t, db, &models.Intake{}); n != intakes {
		t.Fatal("the refused intake was stored")
	}
	if got := membershipOf(t, db, "sem.jacobs@demo.test"); got.Status != models.StatusCandidate {
		t.Fatalf("Sem's status changed to %s", got.Status)
	}

	for field, bad := range map[string]url.Values{
		"held_on": {"held_on": {"15-09-2026"}, "kind": {"shopper"}, "outcome": {"not_now"}},
		"kind":    {"held_on": {"2026-09-15"}, "kind": {"difficult"}, "outcome": {"not_now"}},
		"outcome": {"held_on": {"2026-09-15"}, "kind": {"shopper"}, "outcome": {"maybe"}},
	} {
		if r := mentor.PostForm(path, bad); r.Status != http.StatusUnprocessableEntity || !contains(r.Body, `href="#`+field+`"`) {
			t.Errorf("bad %s: %d, want 422 with the field named", field, r.Status)
		}
	}

	form.Set("outcome", "not_now")
	if r := mentor.PostForm(path, form); r.Status != http.StatusSeeOther {
		t.Fatalf("not now: %d", r.Status)
	}
	if n := count(t, db, &models.Intake{}); n != intakes+1 {
		t.Fatal("intake not stored")
	}
	if got := membershipOf(t, db, "sem.jacobs@demo.test"); got.Status == models.StatusActive {
		t.Fatal("'not now' made Sem active")
	}
	if r := mentor.Get(path); r.Status != http.StatusOK || !contains(r.Body, "overleggen met de business") {
		t.Fatalf("mentor reads the intake back: %d", r.Status)
	}
}
