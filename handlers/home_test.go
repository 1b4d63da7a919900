package handlers_test

import (
	"fmt"
	"html"
	"testing"
	"time"

	"crossmentor/models"
)

// TestHomeUpcomingMeetings: the home page lists the next meetings of the
// viewer's groups with their time, kind, group and place, and a cancelled
// one not at all.
func TestHomeUpcomingMeetings(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	var next []models.Meeting
	if err := db.Where("group_id = ? AND ends_at > ? AND status <> ?", noord, time.Now(), models.MeetingCancelled).
		Order("starts_at").Limit(2).Find(&next).Error; err != nil || len(next) < 2 {
		t.Fatalf("the demo's meetings ahead: %v (%d)", err, len(next))
	}
	if err := db.Model(&next[0]).Update("location", "Zaal <De Boog>").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Model(&next[1]).Update("status", models.MeetingCancelled).Error; err != nil {
		t.Fatal(err)
	}
	body := as(t, srv, "mentee@demo.test").Get("/").Body
	link := fmt.Sprintf(`href="/meetings/%d"`, next[0].ID)
	for _, want := range []string{link, html.EscapeString("Zaal <De Boog>"), `kind ` + string(next[0].Kind), "Groep Noord"} {
		if !contains(body, want) {
			t.Errorf("the home page lacks %q", want)
		}
	}
	if contains(body, fmt.Sprintf(`href="/meetings/%d"`, next[1].ID)) {
		t.Error("a cancelled meeting is on the home page")
	}
}
