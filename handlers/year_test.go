package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/models"
)

// meetingIDs returns the ids of a group's meetings in time order.
func meetingIDs(t *testing.T, db *gorm.DB, groupID uint) []models.Meeting {
	t.Helper()
	var ms []models.Meeting
	if err := db.Where("group_id = ?", groupID).Order("starts_at").Find(&ms).Error; err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestConfidentialYearData: one-on-one notes, private learning goals and
// group notes reach only those the roles table allows; everyone else gets
// a 404, in the pages and in the API.
func TestConfidentialYearData(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	ms := meetingIDs(t, db, noord)
	var talk models.OneOnOne
	db.Where("notes <> ''").First(&talk)
	var held models.Meeting
	db.Where("group_id = ? AND notes <> ''", noord).First(&held)
	const talkNote, privateGoal, sharedGoal, groupNote = "liep vast", "werkdruk", "Nee kunnen zeggen", "dashboard dat niemand"
	if talk.ID == 0 || held.ID == 0 || len(ms) < 5 {
		t.Fatal("demo lacks one-on-ones or meeting notes")
	}
	type want struct{ talk, privateGoal, sharedGoal, notes bool }
	viewers := map[string]want{
		"mentee@demo.test":          {talk: true, privateGoal: true, sharedGoal: true, notes: true}, // mentee A, the owner
		"ahmed.elamrani@demo.test":  {sharedGoal: true, notes: true},                                // mentee B, same group
		"noor.dekker@demo.test":     {},                                                             // mentee of another group
		"mentor@demo.test":          {talk: true, privateGoal: true, sharedGoal: true, notes: true}, // the group's mentor
		"pieter.hendriks@demo.test": {},                                                             // another mentor
		"admin@demo.test":           {},                                                             // L&D
		"manager@demo.test":         {},                                                             // Sanne's line manager
	}
	for email, w := range viewers {
		c := as(t, srv, email)
		check := func(path, secret string, allowed bool) {
			t.Helper()
			r := c.Get(path)
			if allowed && (r.Status != http.StatusOK || !contains(r.Body, secret)) {
				t.Errorf("%s GET %s: %d, want 200 showing %q", email, path, r.Status, secret)
			}
			if !allowed && contains(r.Body, secret) {
				t.Errorf("%s GET %s shows %q", email, path, secret)
			}
		}
		// One-on-one notes.
		check(fmt.Sprintf("/one-on-ones/%d", talk.ID), talkNote, w.talk)
		if r := c.Get(fmt.Sprintf("/one-on-ones/%d", talk.ID)); !w.talk && r.Status != http.StatusNotFound {
			t.Errorf("%s opens another's one-on-one: %d, want 404", email, r.Status)
		}
		if r := c.JSON(http.MethodGet, fmt.Sprintf("/api/v1/one-on-ones/%d", talk.ID), "", nil); !w.talk && r.Status != http.StatusNotFound {
			t.Errorf("%s API one-on-one: %d, want 404", email, r.Status)
		}
		check("/one-on-ones", talkNote, false) // the list never shows notes
		// Learning goals: on the own page, the group's page and in the API.
		for _, path := range []string{"/goals", fmt.Sprintf("/groups/%d/goals", noord)} {
			r := c.Get(path)
			if contains(r.Body, privateGoal) != w.privateGoal || contains(r.Body, sharedGoal) != w.sharedGoal {
				t.Errorf("%s GET %s: private goal shown %v, shared goal shown %v", email, path,
					contains(r.Body, privateGoal), contains(r.Body, sharedGoal))
			}
		}
		r := c.JSON(http.MethodGet, "/api/v1/goals", "", nil)
		if contains(r.Body, privateGoal) != w.privateGoal || contains(r.Body, sharedGoal) != w.sharedGoal {
			t.Errorf("%s API goals: private %v shared %v", email, contains(r.Body, privateGoal), contains(r.Body, sharedGoal))
		}
		// Group notes of a meeting.
		check(fmt.Sprintf("/meetings/%d", held.ID), groupNote, w.notes)
		if r := c.Get(fmt.Sprintf("/meetings/%d", held.ID)); !w.notes && r.Status != http.StatusNotFound {
			t.Errorf("%s opens a meeting of another group: %d, want 404", email, r.Status)
		}
		if r := c.JSON(http.MethodGet, fmt.Sprintf("/api/v1/meetings/%d", held.ID), "", nil); !w.notes && r.Status != http.StatusNotFound {
			t.Errorf("%s API meeting: %d, want 404", email, r.Status)
		}
		if r := c.JSON(http.MethodGet, fmt.Sprintf("/api/v1/groups/%d/meetings", noord), "", nil); contains(r.Body, groupNote) != w.notes {
			t.Errorf("%s API calendar: notes shown %v", email, contains(r.Body, groupNote))
		}
	}
	// L&D sees dates and kinds in the calendar, not places or notes.
	admin := as(t, srv, "admin@demo.test")
	r := admin.JSON(http.MethodGet, fmt.Sprintf("/api/v1/groups/%d/meetings", noord), "", nil)
	if r.Status != http.StatusOK || !contains(r.Body, `"kind":"work_visit"`) || contains(r.Body, "Stadskantoor") || contains(r.Body, groupNote) {
		t.Fatalf("admin calendar API: %d %s", r.Status, r.Body)
	}
	if p := admin.Get(fmt.Sprintf("/groups/%d/calendar", noord)); p.Status != http.StatusOK || contains(p.Body, "Stadskantoor") {
		t.Fatalf("admin calendar page: %d, place shown: %v", p.Status, contains(p.Body, "Stadskantoor"))
	}
	// The manager and outsiders see no calendar at all.
	for _, email := range []string{"manager@demo.test", "noor.dekker@demo.test", "pieter.hendriks@demo.test"} {
		if r := as(t, srv, email).Get(fmt.Sprintf("/groups/%d/calendar", noord)); r.Status != http.StatusNotFound {
			t.Errorf("%s opens Noord's calendar: %d", email, r.Status)
		}
	}
}

// TestSeriesThroughThePages: preview writes nothing; saving plans the year;
// changing the cadence keeps meetings held or changed by hand; bad input is
// refused at its field and changes nothing.
func TestSeriesThroughThePages(t *testing.T) {
	a, db, srv := demo(t)
	a.Handlers.Now = func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }
	mentor := as(t, srv, "mentor@demo.test")
	noord := groupID(t, db, "Groep Noord")
	before := meetingIDs(t, db, noord)
	form := url.Values{"first_on": {"2026-10-06"}, "weekday": {"2"}, "start_time": {"14:00"}, "duration_min": {"120"},
		"cadence_weeks": {"4"}, "policy": {"shift"}, "location": {"Stadskantoor"}}

	bad := map[string]func(url.Values){
		"cadence_weeks": func(v url.Values) { v.Set("cadence_weeks", "-2") },
		"start_time":    func(v url.Values) { v.Set("start_time", "25:00") },
		"until":         func(v url.Values) { v.Set("until", "2026-01-01") },
		"first_on":      func(v url.Values) { v.Set("first_on", "morgen") },
		"work_visits":   func(v url.Values) { v.Set("work_visits", "drie") },
		"policy":        func(v url.Values) { v.Set("policy", "misschien") },
		"duration_min":  func(v url.Values) { v.Set("duration_min", "5") },
	}
	for field, spoil := range bad {
		f := url.Values{}
		for k, v := range form {
			f[k] = append([]string(nil), v...)
		}
		spoil(f)
		for _, path := range []string{"/series/preview", "/series"} {
			r := mentor.PostForm(fmt.Sprintf("/groups/%d%s", noord, path), f)
			if r.Status != http.StatusUnprocessableEntity || !contains(r.Body, `href="#`+field+`"`) {
				t.Errorf("bad %s to %s: %d, want 422 naming the field", field, path, r.Status)
			}
		}
	}
	r := mentor.PostForm(fmt.Sprintf("/groups/%d/series/preview", noord), form)
	if r.Status != http.StatusOK || !contains(r.Body, "Voorbeeld") {
		t.Fatalf("preview: %d", r.Status)
	}
	if after := meetingIDs(t, db, noord); len(after) != len(before) {
		t.Fatal("preview or refused posts changed the meetings")
	}
	// Move one future meeting by hand; the replan must keep it.
	var moved models.Meeting
	for _, m := range before {
		if m.StartsAt.After(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)) {
			moved = m
			break
		}
	}
	r = mentor.PostForm(fmt.Sprintf("/meetings/%d", moved.ID), url.Values{"date": {"2027-02-25"}, "start_time": {"09:30"},
		"duration_min": {"90"}, "location": {"Elders"}, "kind": {string(moved.Kind)}, "method": {"balint"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("move meeting: %d %s", r.Status, r.Body)
	}
	r = mentor.PostForm(fmt.Sprintf("/groups/%d/series", noord), form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save series: %d", r.Status)
	}
	after := meetingIDs(t, db, noord)
	byID := map[uint]models.Meeting{}
	for _, m := range after {
		byID[m.ID] = m
	}
	for _, m := range before {
		kept, ok := byID[m.ID]
		past := m.StartsAt.Before(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC))
		if (past || m.ID == moved.ID) && !ok {
			t.Fatalf("replan removed meeting %d (%s)", m.ID, m.StartsAt)
		}
		if m.ID == moved.ID && (!kept.EditedByHand || kept.Location != "Elders") {
			t.Fatalf("hand-edited meeting changed: %+v", kept)
		}
	}
	// New future meetings are four weeks apart, at 14:00 Amsterdam time.
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	var next []models.Meeting
	for _, m := range after {
		if m.StartsAt.After(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)) && !m.EditedByHand {
			next = append(next, m)
		}
	}
	if len(next) < 5 {
		t.Fatalf("only %d future meetings after replan", len(next))
	}
	for _, m := range next {
		if m.StartsAt.In(ams).Hour() != 14 {
			t.Fatalf("meeting at %s local", m.StartsAt.In(ams))
		}
	}
	// Extending adds meetings after the current end and marks the group extended.
	n := len(after)
	if r := mentor.PostForm(fmt.Sprintf("/groups/%d/series/extend", noord), url.Values{"months": {"3"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("extend: %d", r.Status)
	}
	if got := meetingIDs(t, db, noord); len(got) <= n {
		t.Fatal("extension added no meetings")
	}
	var g models.MentorGroup
	db.First(&g, noord)
	if g.Status != models.GroupExtended {
		t.Fatalf("group status %s after extension", g.Status)
	}
	// Nobody else can plan this group's series.
	for _, email := range []string{"admin@demo.test", "mentee@demo.test", "pieter.hendriks@demo.test"} {
		if r := as(t, srv, email).PostForm(fmt.Sprintf("/groups/%d/series", noord), form); r.Status != http.StatusNotFound {
			t.Errorf("%s saves the series: %d, want 404", email, r.Status)
		}
	}
}

// TestDatePollToFirstMeeting: the mentor proposes dates, members answer,
// the date everyone can make comes first, and picking it makes the first meeting.
func TestDatePollToFirstMeeting(t *testing.T) {
	_, db, srv := demo(t)
	zuid := groupID(t, db, "Groep Zuid")
	mentor := as(t, srv, "pieter.hendriks@demo.test")
	path := fmt.Sprintf("/groups/%d/poll", zuid)
	if r := mentor.PostForm(path, url.Values{"option": {"2027-02-01T14:00"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("one date: %d, want 422", r.Status)
	}
	if r := mentor.PostForm(path, url.Values{"option": {"2027-02-01T14:00", "gisteren"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad date: %d, want 422", r.Status)
	}
	if r := mentor.PostForm(path, url.Values{"option": {"2027-02-01T14:00", "2027-02-03T10:00", "2027-02-08T14:00"}, "duration_min": {"120"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("create poll: %d", r.Status)
	}
	var options []models.PollOption
	db.Order("starts_at").Find(&options)
	options = options[len(options)-3:]
	members := []string{"ruben.deboer@demo.test", "noor.dekker@demo.test", "thijs.vandijk@demo.test", "emma.bos@demo.test", "jesse.vos@demo.test"}
	for i, email := range members {
		form := url.Values{}
		form.Set(fmt.Sprintf("answer_%d", options[0].ID), "yes")
		form.Set(fmt.Sprintf("answer_%d", options[1].ID), "yes")
		form.Set(fmt.Sprintf("answer_%d", options[2].ID), []string{"yes", "no"}[i%2])
		if i == 0 {
			form.Set(fmt.Sprintf("answer_%d", options[0].ID), "maybe")
		}
		if r := as(t, srv, email).PostForm(path+"/answers", form); r.Status != http.StatusSeeOther {
			t.Fatalf("%s answers: %d", email, r.Status)
		}
	}
	// The mentor is asked too: without their answer no date suits everyone.
	if page := mentor.Get(path); strings.Contains(page.Body, "<strong>· iedereen kan") {
		t.Fatal("a date is marked as suiting everyone before the mentor answered")
	}
	mine := url.Values{}
	for _, o := range options {
		mine.Set(fmt.Sprintf("answer_%d", o.ID), "yes")
	}
	if r := mentor.PostForm(path+"/answers", mine); r.Status != http.StatusSeeOther {
		t.Fatalf("mentor answers: %d", r.Status)
	}
	// An outsider cannot see or answer the poll.
	if r := as(t, srv, "mentee@demo.test").PostForm(path+"/answers", url.Values{fmt.Sprintf("answer_%d", options[1].ID): {"no"}}); r.Status != http.StatusNotFound {
		t.Fatalf("outsider answers: %d", r.Status)
	}
	api := mentor.JSON(http.MethodGet, "/api/v1"+path, "", nil)
	var poll struct {
		Options []struct {
			Option struct{ ID uint }
			Yes    int
		}
	}
	api.Decode(t, &poll)
	if len(poll.Options) != 3 || poll.Options[0].Option.ID != options[1].ID || poll.Options[0].Yes != 6 {
		t.Fatalf("best date first: %+v", poll.Options)
	}
	page := mentor.Get(path)
	if !strings.Contains(page.Body, "<strong>· iedereen kan") {
		t.Fatal("the date everyone can make is not marked")
	}
	if r := mentor.PostForm(path+"/pick", url.Values{"option_id": {fmt.Sprint(options[1].ID)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("pick: %d", r.Status)
	}
	var first models.Meeting
	if err := db.Where("group_id = ? AND kind = ?", zuid, models.KindFirstMeeting).First(&first).Error; err != nil || !first.StartsAt.Equal(options[1].StartsAt) {
		t.Fatalf("first meeting: %+v %v", first, err)
	}
}

// TestRolesAndAttendanceRefuseOutsiders: roles and attendance only for
// members of the group, set by its mentor.
func TestRolesAndAttendanceRefuseOutsiders(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	ms := meetingIDs(t, db, noord)
	m := ms[len(ms)-1]
	mentor := as(t, srv, "mentor@demo.test")
	outsider := personID(t, db, "noor.dekker@demo.test")
	r := mentor.PostForm(fmt.Sprintf("/meetings/%d/roles", m.ID), url.Values{"facilitator": {fmt.Sprint(outsider)}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("outsider as facilitator: %d, want 422", r.Status)
	}
	r = mentor.PostForm(fmt.Sprintf("/meetings/%d/attendance", m.ID), url.Values{fmt.Sprintf("attendance_%d", outsider): {"present"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("outsider attendance: %d, want 422", r.Status)
	}
	r = mentor.PostForm(fmt.Sprintf("/meetings/%d/attendance", m.ID), url.Values{fmt.Sprintf("attendance_%d", personID(t, db, "mentee@demo.test")): {"late"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown attendance status: %d, want 422", r.Status)
	}
	var n int64
	db.Model(&models.Attendance{}).Where("meeting_id = ?", m.ID).Count(&n)
	if n != 0 {
		t.Fatal("refused attendance was stored")
	}
	sanne := as(t, srv, "mentee@demo.test")
	if r := sanne.PostForm(fmt.Sprintf("/meetings/%d/roles", m.ID), url.Values{"facilitator": {fmt.Sprint(personID(t, db, "mentee@demo.test"))}}); r.Status != http.StatusNotFound {
		t.Fatalf("mentee sets roles: %d, want 404", r.Status)
	}
	if r := sanne.PostForm(fmt.Sprintf("/meetings/%d/notes", m.ID), url.Values{"notes": {"x"}}); r.Status != http.StatusNotFound {
		t.Fatalf("mentee (not note-taker) writes notes: %d, want 404", r.Status)
	}
}

// TestPlanProgrammeSeries: L&D plans the series of every group without
// meetings at once; groups that have meetings are left alone.
func TestPlanProgrammeSeries(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	noord, zuid := groupID(t, db, "Groep Noord"), groupID(t, db, "Groep Zuid")
	noordBefore := len(meetingIDs(t, db, noord))
	var prog models.Programme
	db.First(&prog)
	path := fmt.Sprintf("/programmes/%d/series", prog.ID)
	if r := admin.PostForm(path, url.Values{"first_on": {"2027-01-11"}, "start_time": {"9:75"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad time: %d, want 422", r.Status)
	}
	if len(meetingIDs(t, db, zuid)) != 0 {
		t.Fatal("refused plan wrote meetings")
	}
	if r := as(t, srv, "mentor@demo.test").PostForm(path, url.Values{"first_on": {"2027-01-11"}, "start_time": {"14:00"}}); r.Status != http.StatusNotFound {
		t.Fatalf("mentor plans the programme: %d, want 404", r.Status)
	}
	if r := admin.PostForm(path, url.Values{"first_on": {"2027-01-11"}, "start_time": {"14:00"}, "policy": {"shift"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("plan: %d", r.Status)
	}
	if n := len(meetingIDs(t, db, zuid)); n < 5 {
		t.Fatalf("Zuid got %d meetings", n)
	}
	if n := len(meetingIDs(t, db, noord)); n != noordBefore {
		t.Fatalf("Noord's meetings changed: %d -> %d", noordBefore, n)
	}
}
