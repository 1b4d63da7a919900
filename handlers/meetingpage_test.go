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

// TestMeetingPageOneForm: the meeting page is one form. Saving the roles
// saves the notes typed beside them; a refused part re-shows every typed
// text and saves nothing; a member cannot slip a mentor's part in; the
// save returns to the place of the button pressed.
func TestMeetingPageOneForm(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	ms := meetingIDs(t, db, noord)
	m := ms[len(ms)-1]
	path := fmt.Sprintf("/meetings/%d", m.ID)
	mentor := as(t, srv, "mentor@demo.test")
	sanne, ahmed := personID(t, db, "mentee@demo.test"), personID(t, db, "ahmed.elamrani@demo.test")

	page := mentor.Get(path)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="meeting-form"`) || strings.Count(page.Body, "<form") != 3 { // the page form, and language and sign-out in the header
		t.Fatalf("planned meeting: %d, forms %d", page.Status, strings.Count(page.Body, "<form"))
	}
	if strings.Index(page.Body, `id="roles"`) > strings.Index(page.Body, `id="notes"`) || strings.Index(page.Body, `id="method"`) > strings.Index(page.Body, `id="roles"`) {
		t.Fatal("method and roles do not come first")
	}
	form := url.Values{"part": {"roles", "notes"}, "at": {"roles"}, "facilitator": {fmt.Sprint(sanne)}, "timekeeper": {"0"},
		"note_taker": {fmt.Sprint(ahmed)}, "notes": {"Afspraken over de volgende casus"}}
	r := mentor.PostForm(path+"/page", form)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != path+"#roles" {
		t.Fatalf("save: %d → %q", r.Status, r.Header.Get("Location"))
	}
	var got models.Meeting
	if err := db.First(&got, m.ID).Error; err != nil || got.Notes != "Afspraken over de volgende casus" {
		t.Fatalf("notes after saving the roles: %q %v", got.Notes, err)
	}
	var roles int64
	db.Model(&models.MeetingRoleAssignment{}).Where("meeting_id = ? AND role = ? AND person_id = ?", m.ID, models.RoleFacilitator, sanne).Count(&roles)
	if roles != 1 {
		t.Fatal("the roles were not saved")
	}

	// A refused part: 422, every typed text shown again, nothing saved.
	outsider := personID(t, db, "noor.dekker@demo.test")
	form.Set("facilitator", fmt.Sprint(outsider))
	form.Set("notes", "Nieuwe tekst die niet verloren mag gaan")
	r = mentor.PostForm(path+"/page", form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Nieuwe tekst die niet verloren mag gaan") {
		t.Fatalf("refused: %d, typed notes shown: %v", r.Status, strings.Contains(r.Body, "Nieuwe tekst"))
	}
	if err := db.First(&got, m.ID).Error; err != nil || got.Notes != "Afspraken over de volgende casus" {
		t.Fatalf("a refused save changed the notes: %q %v", got.Notes, err)
	}

	// A member (not the note-taker) forging the roles part: 404, unchanged.
	member := as(t, srv, "mentee@demo.test")
	r = member.PostForm(path+"/page", url.Values{"part": {"roles"}, "facilitator": {fmt.Sprint(sanne)}, "note_taker": {fmt.Sprint(sanne)}})
	if r.Status != http.StatusNotFound {
		t.Fatalf("member sets roles: %d, want 404", r.Status)
	}
	db.Model(&models.MeetingRoleAssignment{}).Where("meeting_id = ? AND role = ? AND person_id = ?", m.ID, models.RoleNoteTaker, ahmed).Count(&roles)
	if roles != 1 {
		t.Fatal("a member's forged roles changed the note-taker")
	}
	// A member adds an action item with holder and due date.
	r = member.PostForm(path+"/page", url.Values{"part": {"actions"}, "at": {"actions"}, "text": {"Voorbeeld meenemen"}, "holder_id": {fmt.Sprint(sanne)}, "due_on": {"2027-13-40"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Voorbeeld meenemen") {
		t.Fatalf("bad due date: %d", r.Status)
	}
	r = member.PostForm(path+"/page", url.Values{"part": {"actions"}, "at": {"actions"}, "text": {"Voorbeeld meenemen"}, "holder_id": {fmt.Sprint(sanne)}, "due_on": {"2027-01-15"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("add action: %d", r.Status)
	}
	var actions int64
	db.Model(&models.ActionItem{}).Where("meeting_id = ? AND holder_id = ?", m.ID, sanne).Count(&actions)
	if actions != 1 {
		t.Fatalf("action items: %d", actions)
	}
	// An open action of an earlier meeting is on the next meeting's agenda.
	prev := ms[len(ms)-2]
	if r := member.PostForm(fmt.Sprintf("/meetings/%d/page", prev.ID), url.Values{"part": {"actions"}, "text": {"Open punt van eerder"},
		"holder_id": {fmt.Sprint(sanne)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("action at the earlier meeting: %d", r.Status)
	}
	body := mentor.Get(path).Body
	if i := strings.Index(body, `id="earlier"`); i < 0 || !strings.Contains(body[i:], "Open punt van eerder") {
		t.Fatal("the open action of the earlier meeting is not under open actions")
	}
}

// TestMeetingPageKinds: a work visit shows its details as multi-line
// fields and no method or case-bringer; a held meeting is a record to read
// until "wijzigen".
func TestMeetingPageKinds(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	ms := meetingIDs(t, db, noord)
	visit := ms[len(ms)-2]
	if err := db.Model(&visit).Updates(map[string]any{"kind": models.KindWorkVisit, "status": models.MeetingPlanned}).Error; err != nil {
		t.Fatal(err)
	}
	mentor := as(t, srv, "mentor@demo.test")
	page := mentor.Get(fmt.Sprintf("/meetings/%d", visit.ID))
	for _, want := range []string{`<textarea id="host"`, `<textarea id="preparation"`, `<textarea id="purpose"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("work visit: no %s", want)
		}
	}
	for _, not := range []string{`name="case_bringer" value=`, `id="cases"`, `<div data-kind="intervision" >`} {
		if strings.Contains(page.Body, not) {
			t.Errorf("work visit shows %s", not)
		}
	}
	long := "Om 9:00 bij de receptie.\nNeem je laptop mee."
	form := url.Values{"part": {"details"}, "at": {"details"}, "kind": {"work_visit"}, "date": {visit.StartsAt.In(amsterdam(t)).Format("2006-01-02")},
		"start_time": {visit.StartsAt.In(amsterdam(t)).Format("15:04")}, "duration_min": {fmt.Sprint(visit.DurationMin())}, "preparation": {long}}
	if r := mentor.PostForm(fmt.Sprintf("/meetings/%d/page", visit.ID), form); r.Status != http.StatusSeeOther {
		t.Fatalf("save visit: %d %s", r.Status, r.Body)
	}
	var got models.Meeting
	if err := db.First(&got, visit.ID).Error; err != nil || got.Preparation != long {
		t.Fatalf("preparation: %q %v", got.Preparation, err)
	}

	held := ms[0]
	if err := db.Model(&held).Update("status", models.MeetingHeld).Error; err != nil {
		t.Fatal(err)
	}
	read := mentor.Get(fmt.Sprintf("/meetings/%d", held.ID))
	if strings.Contains(read.Body, `id="meeting-form"`) || !strings.Contains(read.Body, `id="edit-link"`) {
		t.Fatal("a held meeting is not shown as a record with a 'wijzigen' link")
	}
	if edit := mentor.Get(fmt.Sprintf("/meetings/%d?edit=1", held.ID)); !strings.Contains(edit.Body, `id="meeting-form"`) {
		t.Fatal("'wijzigen' shows no form")
	}
}

// amsterdam is the demo organisation's zone.
func amsterdam(t *testing.T) *time.Location {
	t.Helper()
	z, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return z
}
