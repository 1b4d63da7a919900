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

// futureMeeting returns a meeting of the group at least a month ahead.
func futureMeeting(t *testing.T, groupID uint, ms []models.Meeting) models.Meeting {
	t.Helper()
	for _, m := range ms {
		if m.StartsAt.After(time.Now().AddDate(0, 1, 0)) && m.Status == models.MeetingPlanned {
			return m
		}
	}
	t.Fatalf("group %d has no meeting a month ahead", groupID)
	return models.Meeting{}
}

// TestMeetingStateRoutes: attendance for a meeting months ahead is refused
// with a message and stores nothing; "held" cannot be set by hand.
func TestMeetingStateRoutes(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	m := futureMeeting(t, noord, meetingIDs(t, db, noord))
	mentor := as(t, srv, "mentor@demo.test")
	sanne := personID(t, db, "mentee@demo.test")
	r := mentor.PostForm(fmt.Sprintf("/meetings/%d/attendance", m.ID), url.Values{fmt.Sprintf("attendance_%d", sanne): {"present"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "nog niet begonnen") {
		t.Fatalf("attendance ahead: %d", r.Status)
	}
	var n int64
	db.Model(&models.Attendance{}).Where("meeting_id = ?", m.ID).Count(&n)
	var after models.Meeting
	db.First(&after, m.ID)
	if n != 0 || after.Status != models.MeetingPlanned {
		t.Fatalf("refused attendance changed the meeting: %d rows, %s", n, after.Status)
	}
	if r := mentor.PostForm(fmt.Sprintf("/meetings/%d/status", m.ID), url.Values{"status": {"held"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("held by hand: %d", r.Status)
	}
}

// TestSeriesRouteAsksAboutLostMeetings: a replan that takes the slot of the
// guest meeting is refused until the mentor chooses; the page lists it.
func TestSeriesRouteAsksAboutLostMeetings(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	var guest models.Meeting
	if err := db.Where("group_id = ? AND kind = ?", noord, models.KindGuest).First(&guest).Error; err != nil {
		t.Fatal(err)
	}
	if guest.StartsAt.Before(time.Now()) {
		t.Skip("the demo's guest meeting is past")
	}
	mentor := as(t, srv, "mentor@demo.test")
	// One week of series left: one slot, so the guest meeting (not the
	// first meeting ahead) loses its slot.
	form := url.Values{"first_on": {time.Now().AddDate(0, 0, 1).Format("2006-01-02")}, "until": {time.Now().AddDate(0, 0, 8).Format("2006-01-02")},
		"weekday": {"2"}, "start_time": {"14:00"}, "duration_min": {"120"}, "cadence_weeks": {"6"}, "policy": {"shift"}}
	path := fmt.Sprintf("/groups/%d/series", noord)
	r := mentor.PostForm(path, form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="series-lost"`) || !strings.Contains(r.Body, fmt.Sprintf(`name="keep" value="%d"`, guest.ID)) {
		t.Fatalf("replan without a choice: %d", r.Status)
	}
	form.Set("keep", fmt.Sprint(guest.ID))
	form.Set("release_lost", "true")
	if r := mentor.PostForm(path, form); r.Status != http.StatusSeeOther {
		t.Fatalf("replan with a choice: %d %s", r.Status, r.Body)
	}
	var kept models.Meeting
	if err := db.First(&kept, guest.ID).Error; err != nil || kept.GuestName != guest.GuestName || !kept.EditedByHand {
		t.Fatalf("the kept guest meeting: %+v %v", kept, err)
	}
}

// TestPollRouteOneFirstMeeting: no second poll beside a first meeting,
// no dates in the past.
func TestPollRouteOneFirstMeeting(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	next := time.Now().AddDate(0, 1, 0)
	ahead := url.Values{"option": {next.Format("2006-01-02") + "T10:00", next.AddDate(0, 0, 1).Format("2006-01-02") + "T10:00"}}
	r := as(t, srv, "mentor@demo.test").PostForm(fmt.Sprintf("/groups/%d/poll", noord), ahead)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "al een eerste bijeenkomst") {
		t.Fatalf("second poll: %d", r.Status)
	}
	west := groupID(t, db, "Groep West")
	past := url.Values{"option": {"2026-01-05T10:00", next.Format("2006-01-02") + "T10:00"}}
	if r := as(t, srv, "iris.vanleeuwen@demo.test").PostForm(fmt.Sprintf("/groups/%d/poll", west), past); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a date in the past: %d", r.Status)
	}
	twice := url.Values{"option": {next.Format("2006-01-02") + "T10:00", next.Format("2006-01-02") + "T10:00"}}
	if r := as(t, srv, "iris.vanleeuwen@demo.test").PostForm(fmt.Sprintf("/groups/%d/poll", west), twice); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a date twice: %d", r.Status)
	}
}

// TestStatusRouteDatedAhead: a freeze dated ahead is shown as waiting and
// leaves the membership as it is.
func TestStatusRouteDatedAhead(t *testing.T) {
	_, db, srv := demo(t)
	sanne := membershipOf(t, db, "mentee@demo.test")
	on := time.Now().AddDate(0, 2, 0).Format("2006-01-02")
	mentor := as(t, srv, "mentor@demo.test")
	if r := mentor.PostForm(fmt.Sprintf("/memberships/%d/status", sanne.ID), url.Values{"status": {"frozen"}, "since": {on}}); r.Status != http.StatusSeeOther {
		t.Fatalf("freeze ahead: %d", r.Status)
	}
	if m := membershipOf(t, db, "mentee@demo.test"); m.Status != sanne.Status {
		t.Fatalf("a freeze dated ahead applied at once: %s", m.Status)
	}
	if page := mentor.Get(fmt.Sprintf("/groups/%d", sanne.GroupID)); !strings.Contains(page.Body, "Wordt bevroren op") {
		t.Fatal("the group page does not show the change waiting for its date")
	}
}

// TestCloseGroupRoute: the mentor closes the group once confirmed; a member
// cannot; a closed group takes no series.
func TestCloseGroupRoute(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	path := fmt.Sprintf("/groups/%d/close", noord)
	if r := as(t, srv, "mentee@demo.test").PostForm(path, url.Values{"confirm": {"true"}}); r.Status != http.StatusNotFound {
		t.Fatalf("a member closes the group: %d", r.Status)
	}
	mentor := as(t, srv, "mentor@demo.test")
	if r := mentor.PostForm(path, url.Values{}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("closing without confirming: %d", r.Status)
	}
	if r := mentor.PostForm(path, url.Values{"confirm": {"true"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("closing: %d", r.Status)
	}
	var g models.MentorGroup
	db.First(&g, noord)
	if g.Status != models.GroupClosed || g.ClosedOn == nil {
		t.Fatalf("group after closing: %s", g.Status)
	}
	page := mentor.Get(fmt.Sprintf("/groups/%d", noord))
	if !strings.Contains(page.Body, `id="group-closed"`) || strings.Contains(page.Body, fmt.Sprintf(`href="/groups/%d/poll"`, noord)) {
		t.Fatal("the closed group's page still offers planning")
	}
	r := mentor.PostForm(fmt.Sprintf("/groups/%d/series", noord), url.Values{"first_on": {"2027-03-02"}, "start_time": {"14:00"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "afgesloten") {
		t.Fatalf("series for a closed group: %d", r.Status)
	}
}

// TestYearlyBlackoutRoute: L&D adds a break that recurs every year.
func TestYearlyBlackoutRoute(t *testing.T) {
	_, db, srv := demo(t)
	r := as(t, srv, "admin@demo.test").PostForm("/settings/blackouts", url.Values{"name": {"Meivakantie"}, "starts_on": {"2027-04-24"},
		"ends_on": {"2027-05-02"}, "yearly": {"true"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("yearly blackout: %d", r.Status)
	}
	var b models.Blackout
	if err := db.Where("name = ?", "Meivakantie").First(&b).Error; err != nil || !b.Yearly || !b.Covers(models.NewDate(2031, 4, 28)) {
		t.Fatalf("stored blackout: %+v %v", b, err)
	}
}

// TestDashboardMentorTime: L&D sees hours per mentor; a mentor does not.
func TestDashboardMentorTime(t *testing.T) {
	_, _, srv := demo(t)
	r := as(t, srv, "admin@demo.test").Get("/mentor-time")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="mentor-time"`) || !strings.Contains(r.Body, "Marieke") {
		t.Fatalf("mentor time: %d, shown %v", r.Status, strings.Contains(r.Body, `id="mentor-time"`))
	}
	if r := as(t, srv, "mentor@demo.test").Get("/mentor-time"); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
		t.Fatalf("a mentor sees mentors' time: %d", r.Status)
	}
}

// TestMyTimePage: a mentor sees their own hours per month; someone who
// mentors no group does not; a malformed month is a field error; L&D's
// table takes ?from and shows months × mentors without mentee names.
func TestMyTimePage(t *testing.T) {
	_, _, srv := demo(t)
	mentor := as(t, srv, "mentor@demo.test")
	r := mentor.Get("/my-time?from=2026-09")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="my-time"`) || !strings.Contains(r.Body, "september 2026") || strings.Count(r.Body, `<th scope="row"`) != 6 {
		t.Fatalf("my time: %d, rows %d", r.Status, strings.Count(r.Body, `<th scope="row"`))
	}
	if r := mentor.Get("/my-time?from=2026-13"); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "jjjj-mm") {
		t.Fatalf("a bad month: %d", r.Status)
	}
	if r := as(t, srv, "mentee@demo.test").Get("/my-time"); r.Status != http.StatusNotFound {
		t.Fatalf("a mentee's time page: %d", r.Status)
	}
	r = as(t, srv, "admin@demo.test").Get("/mentor-time?from=2026-09")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "september 2026") || !strings.Contains(r.Body, "februari 2027") || strings.Contains(r.Body, "Sanne") {
		t.Fatalf("L&D's table: %d, mentee named %v", r.Status, strings.Contains(r.Body, "Sanne"))
	}
}
