package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"crossmentor/models"
)

// TestApologyRoutes: a member sends apologies for a coming meeting from
// its page and takes them back; the mentor reads the reason, nobody else
// does; once the meeting runs, the member starts as excused on the meeting
// page and in the run view; no apologies for a held meeting; another
// group's member gets 404; a post without the CSRF token is refused.
func TestApologyRoutes(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	var coming, held models.Meeting
	if err := db.Where("group_id = ? AND status = ? AND starts_at > ?", noord, models.MeetingPlanned, time.Now()).Order("starts_at").First(&coming).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Where("group_id = ? AND status = ?", noord, models.MeetingHeld).Order("starts_at DESC").First(&held).Error; err != nil {
		t.Fatal(err)
	}
	sanne, ahmed, marieke, noor := as(t, srv, "mentee@demo.test"), as(t, srv, "ahmed.elamrani@demo.test"),
		as(t, srv, "mentor@demo.test"), as(t, srv, "noor.dekker@demo.test")
	page, send := fmt.Sprintf("/meetings/%d", coming.ID), fmt.Sprintf("/meetings/%d/apologies", coming.ID)
	reason := url.Values{"reason": {"Tandarts, kon niet anders"}}

	if r := sanne.Get(page); !contains(r.Body, `action="`+send+`"`) {
		t.Fatal("the meeting page has no apologies form for Sanne")
	}
	if r := sanne.PostRawForm(send, reason); r.Status != http.StatusForbidden && r.Status != http.StatusBadRequest {
		t.Errorf("without the CSRF token: %d", r.Status)
	}
	if r := noor.PostForm(send, reason); r.Status != http.StatusNotFound {
		t.Errorf("another group's member: %d, want 404", r.Status)
	}
	if r := marieke.PostForm(send, reason); r.Status != http.StatusNotFound {
		t.Errorf("the mentor sent apologies: %d, want 404", r.Status)
	}
	if r := sanne.PostForm(fmt.Sprintf("/meetings/%d/apologies", held.ID), reason); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("apologies for a held meeting: %d, want 422", r.Status)
	}
	if n := count(t, db, &models.Apology{}); n != 0 {
		t.Fatalf("%d apologies stored by refused posts", n)
	}
	if r := sanne.PostForm(send, reason); r.Status != http.StatusSeeOther {
		t.Fatalf("send: %d", r.Status)
	}
	if r := sanne.Get(page); !contains(r.Body, "apology-sent") {
		t.Error("Sanne's page does not say she sent apologies")
	}
	if r := marieke.Get(page); !contains(r.Body, "Tandarts, kon niet anders") {
		t.Error("the mentor does not read the reason")
	}
	if r := ahmed.Get(page); contains(r.Body, "Tandarts") {
		t.Error("another member reads the reason")
	}
	// An apology of no known date may have been given to a former mentor:
	// its reason stays hidden.
	if err := db.Exec("UPDATE apologies SET created_at = NULL").Error; err != nil {
		t.Fatal(err)
	}
	if r := marieke.Get(page); r.Status != http.StatusOK || contains(r.Body, "Tandarts") || !contains(r.Body, "Sanne") {
		t.Errorf("an apology without a date: %d, reason shown: %v", r.Status, contains(r.Body, "Tandarts"))
	}
	// Taken back, and sent again.
	if r := sanne.PostForm(send+"/withdraw", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", r.Status)
	}
	if r := sanne.PostForm(send+"/withdraw", url.Values{}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("withdraw twice: %d, want 422", r.Status)
	}
	if r := sanne.PostForm(send, url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("send again: %d", r.Status)
	}
	// The meeting begins: Sanne starts as excused when the mentor records attendance.
	start := time.Now().Add(-10 * time.Minute).UTC()
	if err := db.Model(&coming).Updates(map[string]any{"starts_at": start, "ends_at": start.Add(2 * time.Hour)}).Error; err != nil {
		t.Fatal(err)
	}
	sanneID := personID(t, db, "mentee@demo.test")
	r := marieke.Get(page)
	if !contains(r.Body, fmt.Sprintf(`id="att-%d"`, sanneID)) {
		t.Fatal("no attendance field for Sanne")
	}
	if !contains(r.Body, `<option value="excused" selected>`) {
		t.Error("Sanne does not start as excused on the meeting page")
	}
	if r := marieke.Get(page + "/run"); !contains(r.Body, "(afgemeld)") {
		t.Error("Sanne does not show as excused in the run view")
	}
	if r := sanne.PostForm(send+"/withdraw", url.Values{}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("withdrawn after the start: %d, want 422", r.Status)
	}
}
