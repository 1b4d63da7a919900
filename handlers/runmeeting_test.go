package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// postJSON posts a form as the run view's script does, asking for JSON.
func postJSON(t *testing.T, c *apptest.Client, path string, form url.Values) apptest.Response {
	t.Helper()
	if c.Cookie("cm_csrf") == "" {
		c.Get("/healthz")
	}
	form.Set("_csrf", c.Cookie("cm_csrf"))
	req, err := http.NewRequest(http.MethodPost, c.Server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return c.Do(req)
}

// TestRunAttendanceAndActions: the mentor ticks who is there in the run
// view (an excused member stays excused); a member adds an action item with
// holder and due date; refusals are field errors or 404 and change nothing;
// ending the run marks the meeting held with its real times.
func TestRunAttendanceAndActions(t *testing.T) {
	_, db, srv := demo(t)
	id := apptest.LiveMeeting(t, db, time.Now())
	base := fmt.Sprintf("/meetings/%d/run", id)
	mentor, member := as(t, srv, "mentor@demo.test"), as(t, srv, "mentee@demo.test")
	sanne, ahmed, daan := personID(t, db, "mentee@demo.test"), personID(t, db, "ahmed.elamrani@demo.test"), personID(t, db, "daan.smit@demo.test")
	if err := db.Create(&models.Attendance{MeetingID: id, PersonID: daan, Status: models.Excused}).Error; err != nil {
		t.Fatal(err)
	}
	page := mentor.Get(base)
	if !strings.Contains(page.Body, `id="attendance-form"`) || !strings.Contains(page.Body, `id="action-form"`) {
		t.Fatal("the run view has no attendance or action form for the mentor")
	}
	if strings.Contains(member.Get(base).Body, `id="attendance-form"`) {
		t.Fatal("a member sees the attendance form")
	}
	if r := member.PostForm(base+"/attendance", url.Values{"present": {fmt.Sprint(sanne)}}); r.Status != http.StatusNotFound {
		t.Fatalf("member ticks attendance: %d, want 404", r.Status)
	}
	outsider := personID(t, db, "noor.dekker@demo.test")
	if r := postJSON(t, mentor, base+"/attendance", url.Values{"present": {fmt.Sprint(outsider)}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("outsider ticked: %d, want 422", r.Status)
	}
	if n := count(t, db.Where("meeting_id = ? AND status <> ?", id, models.Excused), &models.Attendance{}); n != 0 {
		t.Fatalf("a refused tick stored %d rows", n)
	}
	if r := postJSON(t, mentor, base+"/attendance", url.Values{"present": {fmt.Sprint(sanne), fmt.Sprint(ahmed)}}); r.Status != http.StatusOK {
		t.Fatalf("tick: %d %s", r.Status, r.Body)
	}
	var att []models.Attendance
	if err := db.Where("meeting_id = ?", id).Find(&att).Error; err != nil {
		t.Fatal(err)
	}
	got := map[uint]models.AttendanceStatus{}
	for _, a := range att {
		got[a.PersonID] = a.Status
	}
	if got[sanne] != models.Present || got[ahmed] != models.Present || got[daan] != models.Excused || len(got) != 5 {
		t.Fatalf("attendance: %v", got)
	}

	if r := postJSON(t, member, base+"/actions", url.Values{"text": {"Voorbeeld meenemen"}, "holder_id": {fmt.Sprint(outsider)}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("action for an outsider: %d", r.Status)
	}
	r := postJSON(t, member, base+"/actions", url.Values{"text": {"Voorbeeld meenemen"}, "holder_id": {fmt.Sprint(ahmed)}, "due_on": {"2027-02-01"}})
	var added struct {
		Text, HolderName, Due string
	}
	if r.Status != http.StatusOK || json.Unmarshal([]byte(r.Body), &added) != nil || added.Text != "Voorbeeld meenemen" {
		t.Fatalf("add action: %d %s", r.Status, r.Body)
	}
	if r := member.PostForm(base+"/actions", url.Values{"text": {"Zonder script"}, "holder_id": {fmt.Sprint(sanne)}}); r.Status != http.StatusSeeOther || r.Header.Get("Location") != base+"#actions" {
		t.Fatalf("add action without script: %d %q", r.Status, r.Header.Get("Location"))
	}
	if n := count(t, db.Where("meeting_id = ?", id), &models.ActionItem{}); n != 2 {
		t.Fatalf("action items: %d", n)
	}

	for _, a := range []string{"start", "end"} {
		if r := mentor.PostForm(base, url.Values{"action": {a}}); r.Status != http.StatusSeeOther {
			t.Fatalf("%s: %d", a, r.Status)
		}
	}
	var m models.Meeting
	if err := db.First(&m, id).Error; err != nil || m.Status != models.MeetingHeld {
		t.Fatalf("after the end: %s %v", m.Status, err)
	}
	if body := mentor.Get(fmt.Sprintf("/meetings/%d", id)).Body; !strings.Contains(body, `id="ran"`) {
		t.Fatal("the meeting page does not show when the run began and ended")
	}
}
