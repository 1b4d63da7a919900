package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crossmentor/models"
)

// TestMeetingPageRounds: placing a second case on a meeting gives the page
// a second method round headed by its case presenter, and the running order
// marks each part fixed or flexible.
func TestMeetingPageRounds(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	var first models.CaseQuestion
	if err := db.Where("group_id = ? AND status = ?", noord, models.CasePlanned).First(&first).Error; err != nil || first.MeetingID == nil {
		t.Fatalf("the demo's placed case: %v", err)
	}
	var other models.Membership
	if err := db.Where("group_id = ? AND status = ? AND person_id <> ?", noord, models.StatusActive, first.AuthorID).First(&other).Error; err != nil {
		t.Fatal(err)
	}
	second, err := models.SubmitCase(context.Background(), db, models.Viewer{PersonID: other.PersonID}, noord,
		models.CaseInput{Title: "Tweede casus", Question: "Wat nu?", Visibility: "group"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	mentor := as(t, srv, "mentor@demo.test")
	r := mentor.PostForm(fmt.Sprintf("/cases/%d/place", second.ID), url.Values{"meeting_id": {fmt.Sprint(*first.MeetingID)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("place: %d", r.Status)
	}
	var a, b models.Person
	db.First(&a, first.AuthorID)
	db.First(&b, other.PersonID)
	page := mentor.Get(fmt.Sprintf("/meetings/%d", *first.MeetingID))
	for _, want := range []string{"Ronde 1 · casusinbrenger: " + a.Name, "Ronde 2 · casusinbrenger: " + b.Name, ">vast<", ">flexibel<"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("meeting page lacks %q", want)
		}
	}
	if strings.Contains(page.Body, `id="rounds-short"`) {
		t.Error("two rounds fit, yet the page says they do not")
	}
}
