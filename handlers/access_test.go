package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"crossmentor/models"
)

// TestAdminAppointingItselfMentorIsRefused: the finding "L&D reads
// everything by appointing itself mentor", end to end over the API and the
// form: refused with a field message, the mentor unchanged, the intake still
// closed to L&D, and the attempt audited.
func TestAdminAppointingItselfMentorIsRefused(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	noord := groupID(t, db, "Groep Noord")
	adminID := personID(t, db, "admin@demo.test")
	sanne := membershipOf(t, db, "mentee@demo.test")

	r := admin.JSON(http.MethodPut, fmt.Sprintf("/api/v1/groups/%d", noord), "",
		map[string]any{"name": "Groep Noord", "mentor_id": adminID, "discipline": "ICT"})
	if r.Status != http.StatusUnprocessableEntity || !contains(r.Body, "mentor_id") {
		t.Fatalf("API self-appointment: %d %s", r.Status, r.Body)
	}
	form := admin.PostForm(fmt.Sprintf("/groups/%d", noord), url.Values{"name": {"Groep Noord"},
		"mentor_id": {fmt.Sprint(adminID)}, "discipline": {"ICT"}})
	if form.Status != http.StatusUnprocessableEntity {
		t.Fatalf("form self-appointment: %d", form.Status)
	}
	var g models.MentorGroup
	db.First(&g, noord)
	if g.MentorID != personID(t, db, "mentor@demo.test") {
		t.Fatal("the mentor changed")
	}
	if r := admin.Get(fmt.Sprintf("/memberships/%d/intake", sanne.ID)); r.Status != http.StatusNotFound {
		t.Errorf("L&D opens the intake: %d", r.Status)
	}
	var denied int64
	db.Model(&models.AuditEvent{}).Where("action = ? AND subject = ? AND actor_id = ?",
		models.AuditDenied, "mentor_self_appointment", adminID).Count(&denied)
	if denied != 2 {
		t.Errorf("%d refusals audited, want 2", denied)
	}
}

// TestLineManagerCannotJoinTheGroupOfTheirReport: the finding "a line manager
// can sit in the group of their own report", at every status, over the API.
func TestLineManagerCannotJoinTheGroupOfTheirReport(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	noord := groupID(t, db, "Groep Noord")
	karin := personID(t, db, "manager@demo.test")
	before := count(t, db, &models.Membership{})
	for _, status := range []string{"candidate", "intake", "active"} {
		r := admin.JSON(http.MethodPost, fmt.Sprintf("/api/v1/groups/%d/members", noord), "",
			map[string]any{"person_id": karin, "status": status})
		if r.Status != http.StatusUnprocessableEntity || !contains(r.Body, "no_manager_in_group") {
			t.Errorf("Karin as %s: %d %s", status, r.Status, r.Body)
		}
	}
	if after := count(t, db, &models.Membership{}); after != before {
		t.Errorf("memberships %d -> %d after refusals", before, after)
	}
}

// TestCandidateSeesNothingOfTheGroup: the finding "a candidate in intake
// sees the group's cases, first-meeting entries and meeting notes".
func TestCandidateSeesNothingOfTheGroup(t *testing.T) {
	_, db, srv := demo(t)
	sem := as(t, srv, "sem.jacobs@demo.test")
	noord := groupID(t, db, "Groep Noord")
	var m models.Meeting
	if err := db.Where("group_id = ? AND notes <> ''", noord).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fmt.Sprintf("/groups/%d/cases", noord), fmt.Sprintf("/groups/%d/goals", noord),
		fmt.Sprintf("/groups/%d/calendar", noord), fmt.Sprintf("/groups/%d/poll", noord), fmt.Sprintf("/meetings/%d", m.ID),
		fmt.Sprintf("/api/v1/groups/%d/cases", noord)} {
		r := sem.Get(path)
		if path[:4] == "/api" {
			r = sem.JSON(http.MethodGet, path, "", nil)
		}
		if r.Status != http.StatusNotFound {
			t.Errorf("a candidate opens %s: %d", path, r.Status)
		}
	}
	page := sem.Get(fmt.Sprintf("/groups/%d", noord))
	if page.Status != http.StatusOK || contains(page.Body, "Ahmed") {
		t.Errorf("a candidate's group page: %d, roster shown: %v", page.Status, contains(page.Body, "Ahmed"))
	}
}

// TestReplacedMentorLosesTheGroup: the finding "a former mentor keeps the
// one-on-ones"; also the new mentor does not read earlier notes, and the
// members are told.
func TestReplacedMentorLosesTheGroup(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	former := as(t, srv, "mentor@demo.test")
	noord := groupID(t, db, "Groep Noord")
	var talk models.OneOnOne
	if err := db.Where("group_id = ? AND notes <> ''", noord).First(&talk).Error; err != nil {
		t.Fatal(err)
	}
	if r := former.Get(fmt.Sprintf("/one-on-ones/%d", talk.ID)); r.Status != http.StatusOK {
		t.Fatalf("before the change: %d", r.Status)
	}
	hanneke := personID(t, db, "hanneke.smits@demo.test")
	if r := admin.JSON(http.MethodPut, fmt.Sprintf("/api/v1/groups/%d", noord), "",
		map[string]any{"name": "Groep Noord", "mentor_id": hanneke, "discipline": "ICT"}); r.Status != http.StatusOK {
		t.Fatalf("change the mentor: %d %s", r.Status, r.Body)
	}
	for _, path := range []string{fmt.Sprintf("/one-on-ones/%d", talk.ID), fmt.Sprintf("/groups/%d", noord),
		fmt.Sprintf("/groups/%d/cases", noord)} {
		if r := former.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("the former mentor opens %s: %d", path, r.Status)
		}
	}
	var m models.Meeting
	if err := db.Where("group_id = ? AND notes <> ''", noord).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	newMentor := as(t, srv, "hanneke.smits@demo.test")
	r := newMentor.Get(fmt.Sprintf("/meetings/%d", m.ID))
	if r.Status != http.StatusOK || contains(r.Body, "dashboard dat niemand") {
		t.Errorf("the new mentor's view of an earlier meeting: %d, notes shown: %v", r.Status, contains(r.Body, "dashboard dat niemand"))
	}
	sanne := as(t, srv, "mentee@demo.test")
	if page := sanne.Get(fmt.Sprintf("/groups/%d", noord)); !contains(page.Body, "Hanneke") {
		t.Error("the group page does not show the new mentor")
	}
}

// TestStatusReasonStaysWithMentorAndMentee: the finding "a mentor's reason
// for freezing or referring a mentee is shown to L&D on the roster".
func TestStatusReasonStaysWithMentorAndMentee(t *testing.T) {
	_, db, srv := demo(t)
	mentor := as(t, srv, "mentor@demo.test")
	admin := as(t, srv, "admin@demo.test")
	noord := groupID(t, db, "Groep Noord")
	ahmed := membershipOf(t, db, "ahmed.elamrani@demo.test")
	reason := "doorverwezen naar bedrijfsarts"
	if r := mentor.PostForm(fmt.Sprintf("/memberships/%d/status", ahmed.ID), url.Values{"status": {"frozen"},
		"reason": {reason}}); r.Status != http.StatusSeeOther {
		t.Fatalf("freeze: %d %s", r.Status, r.Body)
	}
	if page := mentor.Get(fmt.Sprintf("/groups/%d", noord)); !contains(page.Body, reason) {
		t.Error("the mentor does not see the reason")
	}
	for _, path := range []string{fmt.Sprintf("/groups/%d", noord)} {
		if page := admin.Get(path); page.Status != http.StatusOK || contains(page.Body, reason) {
			t.Errorf("L&D sees the reason on %s (%d)", path, page.Status)
		}
	}
	if r := admin.JSON(http.MethodGet, fmt.Sprintf("/api/v1/groups/%d", noord), "", nil); contains(r.Body, reason) {
		t.Error("the API shows L&D the reason")
	}
}
