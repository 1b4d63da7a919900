package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crossmentor/models"
)

// TestCases: a mentee brings in a case; it goes to the next meeting whose
// deadline has not passed; the mentor places it (the author becomes
// case-bringer); forged ids, oversized and HTML text are handled; the
// take-aways stay the author's.
func TestCases(t *testing.T) {
	a, db, srv := demo(t)
	noord, zuid := groupID(t, db, "Groep Noord"), groupID(t, db, "Groep Zuid")
	ms := meetingIDs(t, db, noord)
	// "Now" is eight days before a planned intervision meeting: its deadline (7 days) has not passed.
	var target models.Meeting
	for _, m := range ms {
		if m.Kind == models.KindIntervision && m.StartsAt.After(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
			target = m
			break
		}
	}
	now := target.StartsAt.AddDate(0, 0, -8)
	a.Handlers.Now = func() time.Time { return now }
	sanne := as(t, srv, "mentee@demo.test")
	form := url.Values{"title": {`<script>alert("x")</script> Overleg`}, "question": {"Hoe nu verder?"}, "visibility": {"group"}}
	before := count(t, db, &models.CaseQuestion{})
	for name, bad := range map[string]url.Values{
		"title":      {"question": {"x"}, "visibility": {"group"}},
		"question":   {"title": {"x"}, "visibility": {"group"}},
		"visibility": {"title": {"x"}, "question": {"x"}, "visibility": {"everyone"}},
		"situation":  {"title": {"x"}, "question": {"x"}, "visibility": {"group"}, "situation": {strings.Repeat("s", 5001)}},
	} {
		if r := sanne.PostForm(fmt.Sprintf("/groups/%d/cases", noord), bad); r.Status != http.StatusUnprocessableEntity || !contains(r.Body, `href="#`+name+`"`) {
			t.Errorf("bad %s: %d", name, r.Status)
		}
	}
	if r := sanne.PostForm(fmt.Sprintf("/groups/%d/cases", zuid), form); r.Status != http.StatusNotFound {
		t.Errorf("case in another group: %d, want 404", r.Status)
	}
	if n := count(t, db, &models.CaseQuestion{}); n != before {
		t.Fatal("refused cases were stored")
	}
	r := sanne.PostForm(fmt.Sprintf("/groups/%d/cases", noord), form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.Status)
	}
	var c models.CaseQuestion
	db.Order("id DESC").First(&c)
	if c.MeetingID == nil || *c.MeetingID != target.ID {
		t.Fatalf("proposed for meeting %v, want %d", c.MeetingID, target.ID)
	}
	page := sanne.Get(r.Location)
	if contains(page.Body, `<script>alert("x")`) || !contains(page.Body, "&lt;script&gt;") {
		t.Fatal("title not escaped")
	}
	// Two days later the deadline has passed: a new case goes to the meeting after.
	now = target.StartsAt.AddDate(0, 0, -6)
	sanne = as(t, srv, "mentee@demo.test") // a new day, a new session
	if r := sanne.PostForm(fmt.Sprintf("/groups/%d/cases", noord), url.Values{"title": {"Later"}, "question": {"?"}, "visibility": {"group"}}); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/cases/") {
		t.Fatalf("late case: %d", r.Status)
	}
	var late models.CaseQuestion
	db.Order("id DESC").First(&late)
	if late.MeetingID == nil || *late.MeetingID == target.ID {
		t.Fatalf("late case proposed for %v, want a later meeting", late.MeetingID)
	}
	// The mentor places it: forged meeting ids of another group are refused.
	mentor := as(t, srv, "mentor@demo.test")
	zuidMeeting := models.Meeting{GroupID: zuid, Kind: models.KindIntervision, StartsAt: now.Add(240 * time.Hour), EndsAt: now.Add(242 * time.Hour), Status: models.MeetingPlanned}
	db.Create(&zuidMeeting)
	if r := mentor.PostForm(fmt.Sprintf("/cases/%d/place", c.ID), url.Values{"meeting_id": {fmt.Sprint(zuidMeeting.ID)}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("place on another group's meeting: %d, want 422", r.Status)
	}
	if r := as(t, srv, "pieter.hendriks@demo.test").PostForm(fmt.Sprintf("/cases/%d/place", c.ID), url.Values{"meeting_id": {fmt.Sprint(zuidMeeting.ID)}}); r.Status != http.StatusNotFound {
		t.Fatalf("another mentor places the case: %d, want 404", r.Status)
	}
	if r := mentor.PostForm(fmt.Sprintf("/cases/%d/place", c.ID), url.Values{"meeting_id": {fmt.Sprint(target.ID)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("place: %d", r.Status)
	}
	var n int64
	db.Model(&models.MeetingRoleAssignment{}).Where("meeting_id = ? AND role = ? AND person_id = ?", target.ID, models.RoleCaseBringer, c.AuthorID).Count(&n)
	if n != 1 {
		t.Fatal("the author is not case-bringer at the meeting")
	}
	// Take-aways: the author's only.
	if r := sanne.PostForm(fmt.Sprintf("/cases/%d/take-aways", c.ID), url.Values{"take_aways": {"Mijn les: eerst vragen."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("take-aways: %d", r.Status)
	}
	for _, email := range []string{"mentor@demo.test", "ahmed.elamrani@demo.test"} {
		if r := as(t, srv, email).Get(fmt.Sprintf("/cases/%d", c.ID)); r.Status != http.StatusOK || contains(r.Body, "Mijn les") {
			t.Errorf("%s sees the take-aways (or not the case): %d", email, r.Status)
		}
		if r := as(t, srv, email).PostForm(fmt.Sprintf("/cases/%d/take-aways", c.ID), url.Values{"take_aways": {"x"}}); r.Status != http.StatusNotFound {
			t.Errorf("%s writes take-aways: %d", email, r.Status)
		}
	}
}
