package models_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// lifeFixture is the demo's Groep Noord seen on 25 November 2026: two
// series meetings and the first meeting held, the rest of the year ahead.
type lifeFixture struct {
	db     *gorm.DB
	ctx    context.Context
	now    time.Time
	today  models.Date
	noord  models.MentorGroup
	mentor models.Viewer
	admin  models.Viewer
}

func newLifeFixture(t *testing.T) *lifeFixture {
	t.Helper()
	db := apptest.Demo(t)
	f := &lifeFixture{db: db, now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	f.today = models.DateOf(f.now)
	f.ctx = models.WithRequest(context.Background(), "", func() time.Time { return f.now })
	if err := db.Preload("Programme").Where("name = ?", "Groep Noord").First(&f.noord).Error; err != nil {
		t.Fatal(err)
	}
	f.mentor = models.Viewer{PersonID: demoPerson(t, db, "mentor@demo.test"), Mentor: true}
	f.admin = models.Viewer{PersonID: demoPerson(t, db, "admin@demo.test"), Admin: true}
	return f
}

// at sets the fixture's clock.
func (f *lifeFixture) at(t time.Time) { f.now = t; f.today = models.DateOf(t) }

// meetings returns the group's meetings in time order.
func (f *lifeFixture) meetings(t *testing.T) []models.Meeting {
	t.Helper()
	var ms []models.Meeting
	if err := f.db.Where("group_id = ?", f.noord.ID).Order("starts_at").Find(&ms).Error; err != nil {
		t.Fatal(err)
	}
	return ms
}

// held returns the held meetings of the group with their attendance and
// roles, to compare before and after a change.
func (f *lifeFixture) held(t *testing.T) map[uint]string {
	t.Helper()
	out := map[uint]string{}
	for _, m := range f.meetings(t) {
		if m.Status != models.MeetingHeld {
			continue
		}
		var att []models.Attendance
		var roles []models.MeetingRoleAssignment
		if err := f.db.Where("meeting_id = ?", m.ID).Order("person_id").Find(&att).Error; err != nil {
			t.Fatal(err)
		}
		if err := f.db.Where("meeting_id = ?", m.ID).Order("role, person_id").Find(&roles).Error; err != nil {
			t.Fatal(err)
		}
		s := m.StartsAt.Format(time.RFC3339)
		for _, a := range att {
			s += " " + itoa(a.PersonID) + "=" + string(a.Status)
		}
		for _, r := range roles {
			s += " " + string(r.Role) + ":" + itoa(r.PersonID)
		}
		out[m.ID] = s
	}
	return out
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

// membership returns a demo person's membership of Groep Noord.
func (f *lifeFixture) membership(t *testing.T, email string) models.Membership {
	t.Helper()
	var m models.Membership
	if err := f.db.Where("group_id = ? AND person_id = ?", f.noord.ID, demoPerson(t, f.db, email)).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	return m
}

// fieldCode returns the first field error code of err, or "".
func fieldCode(err error) string {
	var ve *models.ValidationError
	if errors.As(err, &ve) && len(ve.Fields) > 0 {
		return ve.Fields[0].Code
	}
	return ""
}

// sameHistory fails when a held meeting's attendance or roles changed.
func sameHistory(t *testing.T, step string, before, after map[uint]string) {
	t.Helper()
	for id, s := range before {
		if after[id] != s {
			t.Errorf("%s: held meeting %d changed:\n before %s\n after  %s", step, id, s, after[id])
		}
	}
}

// TestMeetingTransition: a meeting's status follows its attendance.
func TestMeetingTransition(t *testing.T) {
	P, H, C := models.MeetingPlanned, models.MeetingHeld, models.MeetingCancelled
	for _, c := range []struct {
		from, to          models.MeetingStatus
		started, attended bool
		want              string
	}{
		{P, H, true, true, ""},
		{P, H, true, false, "held_needs_attendance"},
		{P, H, false, false, "meeting_not_started"},
		{P, C, false, false, ""},
		{P, C, true, false, ""},
		{H, C, true, true, "cancel_has_attendance"},
		{H, P, true, true, "planned_has_attendance"},
		{H, P, true, false, ""},
		{C, P, false, false, ""},
		{C, H, true, false, "held_needs_attendance"},
		{H, H, true, true, ""},
		{P, "done", true, false, "unknown_choice"},
	} {
		if got := fieldCode(models.MeetingTransition(c.from, c.to, c.started, c.attended)); got != c.want {
			t.Errorf("%s → %s (started %v, attended %v): %q, want %q", c.from, c.to, c.started, c.attended, got, c.want)
		}
	}
}

// TestGroupTransition: what may change a group's status.
func TestGroupTransition(t *testing.T) {
	F, A, E, X := models.GroupForming, models.GroupActive, models.GroupExtended, models.GroupClosed
	for _, c := range []struct {
		from, to models.GroupStatus
		cause    string
		active   int
		want     string
	}{
		{F, A, models.CauseFirstMeeting, 4, ""},
		{F, A, models.CauseFirstMeeting, 3, "group_transition"},
		{A, A, models.CauseFirstMeeting, 5, ""},
		{F, E, models.CauseExtended, 5, "group_transition"},
		{A, E, models.CauseExtended, 5, ""},
		{E, E, models.CauseExtended, 5, ""},
		{A, X, models.CauseLastMeeting, 5, ""},
		{E, X, models.CauseMentor, 5, ""},
		{F, X, models.CauseMentor, 2, ""},
		{X, A, models.CauseMentor, 5, "group_transition"},
		{X, A, models.CauseStaff, 5, ""},
		{F, A, models.CauseStaff, 3, "group_too_small"},
		{A, F, models.CauseFirstMeeting, 5, "group_transition"},
	} {
		if got := fieldCode(models.GroupTransition(c.from, c.to, c.cause, c.active)); got != c.want {
			t.Errorf("%s → %s (%s, %d active): %q, want %q", c.from, c.to, c.cause, c.active, got, c.want)
		}
	}
}

// TestHeldMeetingsKeepFormerMembers: stopping or erasing a mentee leaves
// every held meeting's attendance and roles as they were, shows the person
// there as a former member, and frees their place in meetings to come.
func TestHeldMeetingsKeepFormerMembers(t *testing.T) {
	f := newLifeFixture(t)
	before := f.held(t)
	var held models.Meeting
	if err := f.db.Where("group_id = ? AND kind = ? AND status = ?", f.noord.ID, models.KindIntervision, models.MeetingHeld).
		Order("starts_at DESC").First(&held).Error; err != nil {
		t.Fatal(err)
	}
	var tk models.MeetingRoleAssignment
	if err := f.db.Where("meeting_id = ? AND role = ?", held.ID, models.RoleTimekeeper).First(&tk).Error; err != nil {
		t.Fatal(err)
	}
	var stopped models.Membership
	if err := f.db.Where("group_id = ? AND person_id = ?", f.noord.ID, tk.PersonID).First(&stopped).Error; err != nil {
		t.Fatal(err)
	}
	// Give the timekeeper a role in a meeting to come.
	var coming models.Meeting
	if err := f.db.Where("group_id = ? AND starts_at > ?", f.noord.ID, f.now).Order("starts_at").First(&coming).Error; err != nil {
		t.Fatal(err)
	}
	if err := models.SaveRoles(f.ctx, f.db, f.mentor, coming.ID, models.RolesInput{NoteTaker: tk.PersonID}); err != nil {
		t.Fatal(err)
	}

	if _, err := models.ChangeStatus(f.ctx, f.db, f.mentor, stopped.ID, models.StatusInput{Status: "stopped"}, f.today); err != nil {
		t.Fatal(err)
	}
	sameHistory(t, "stop", before, f.held(t))
	page, err := models.GetMeetingPage(f.ctx, f.db, f.mentor, held.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !page.Former[tk.PersonID] || page.Roles[models.RoleTimekeeper][0] != tk.PersonID || page.Attendance[tk.PersonID] == "" {
		t.Fatalf("the stopped timekeeper is not kept at the held meeting: former %v roles %v attendance %v", page.Former, page.Roles, page.Attendance)
	}
	named := false
	for _, p := range page.People {
		named = named || (p.ID == tk.PersonID && p.Name != "")
	}
	if !named {
		t.Error("the former member has no name on the held meeting")
	}
	// Saving the attendance form of current members keeps the former member's record.
	form := map[uint]string{}
	for pid, s := range page.Attendance {
		if !page.Former[pid] {
			form[pid] = string(s)
		}
	}
	if err := models.SaveAttendance(f.ctx, f.db, f.mentor, held.ID, form); err != nil {
		t.Fatal(err)
	}
	// Saving the roles as shown keeps the former timekeeper.
	if err := models.SaveRoles(f.ctx, f.db, f.mentor, held.ID, models.RolesInput{Timekeeper: tk.PersonID,
		Facilitator: first(page.Roles[models.RoleFacilitator]), NoteTaker: first(page.Roles[models.RoleNoteTaker]),
		CaseBringers: page.Roles[models.RoleCaseBringer]}); err != nil {
		t.Fatalf("saving the held meeting's roles as they are: %v", err)
	}
	sameHistory(t, "saving the held meeting's forms again", before, f.held(t))
	var n int64
	f.db.Model(&models.MeetingRoleAssignment{}).Where("meeting_id = ? AND person_id = ?", coming.ID, tk.PersonID).Count(&n)
	if n != 0 {
		t.Error("the stopped mentee keeps a role in a meeting to come")
	}
	if page, err := models.GetMeetingPage(f.ctx, f.db, f.mentor, coming.ID); err != nil {
		t.Fatal(err)
	} else {
		for _, p := range page.People {
			if p.ID == tk.PersonID {
				t.Error("the stopped mentee is on the attendance form of a meeting to come")
			}
		}
		for role, id := range page.Proposed {
			if id == tk.PersonID {
				t.Errorf("the stopped mentee is proposed as %s", role)
			}
		}
	}

	// An erased mentee: left, a former member "—" at held meetings, and final.
	var erasedM models.Membership
	if err := f.db.Where("group_id = ? AND status = ? AND person_id <> ?", f.noord.ID, models.StatusActive, tk.PersonID).
		Order("id DESC").First(&erasedM).Error; err != nil {
		t.Fatal(err)
	}
	if err := models.EraseSelf(f.ctx, f.db, models.Viewer{PersonID: erasedM.PersonID, Mentee: true}); err != nil {
		t.Fatal(err)
	}
	sameHistory(t, "erase", before, f.held(t))
	f.db.First(&erasedM, erasedM.ID)
	if erasedM.Status != models.StatusLeft {
		t.Fatalf("erased mentee's membership is %s", erasedM.Status)
	}
	roster, err := models.GroupRoster(f.ctx, f.db, f.mentor, f.noord.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range roster {
		if p.ID == erasedM.PersonID || p.ID == tk.PersonID {
			t.Errorf("%d is still on the roster", p.ID)
		}
	}
	if page, err := models.GetMeetingPage(f.ctx, f.db, f.mentor, held.ID); err != nil {
		t.Fatal(err)
	} else if page.Attendance[erasedM.PersonID] != "" && !page.Former[erasedM.PersonID] {
		t.Error("the erased mentee is shown as a member at the held meeting")
	}
	_, err = models.ChangeStatus(f.ctx, f.db, f.mentor, erasedM.ID, models.StatusInput{Status: "active"}, f.today)
	if fieldCode(err) != "membership_erased" {
		t.Errorf("an erased mentee's status changed again: %v", err)
	}
	h, err := models.GetMembershipHistory(f.ctx, f.db, f.mentor, stopped.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Applied) < 2 || h.Applied[len(h.Applied)-1].Status != models.StatusStopped {
		t.Errorf("the stopped membership's history: %+v", h.Applied)
	}
}

func first(ids []uint) uint {
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}

// TestStatusChangeDatedAhead: a freeze dated in the future waits for its
// date, the job applies it then (once), and the history shows both steps.
func TestStatusChangeDatedAhead(t *testing.T) {
	f := newLifeFixture(t)
	sanne := f.membership(t, "mentee@demo.test")
	on := models.NewDate(2026, 12, 10)
	if _, err := models.ChangeStatus(f.ctx, f.db, f.mentor, sanne.ID, models.StatusInput{Status: "frozen", Since: on.String(),
		Reason: "Drukke periode"}, f.today); err != nil {
		t.Fatal(err)
	}
	if m := f.membership(t, "mentee@demo.test"); m.Status != models.StatusActive {
		t.Fatalf("a freeze dated ahead applied at once: %s", m.Status)
	}
	h, err := models.GetMembershipHistory(f.ctx, f.db, f.mentor, sanne.ID)
	if err != nil {
		t.Fatal(err)
	}
	if h.Pending == nil || h.Pending.Status != models.StatusFrozen || !h.Pending.Since.Equal(on.Time) || h.Pending.Reason != "Drukke periode" {
		t.Fatalf("pending change: %+v", h.Pending)
	}
	for _, c := range []struct {
		day  models.Date
		want int
	}{{models.NewDate(2026, 12, 9), 0}, {on, 1}, {models.NewDate(2026, 12, 11), 0}} {
		n, err := models.ApplyDueStatusChanges(f.ctx, f.db, c.day)
		if err != nil {
			t.Fatal(err)
		}
		if n != c.want {
			t.Errorf("on %s: %d applied, want %d", c.day, n, c.want)
		}
	}
	m := f.membership(t, "mentee@demo.test")
	if m.Status != models.StatusFrozen || !m.StatusSince.Equal(on.Time) {
		t.Fatalf("after its date: %s since %s", m.Status, m.StatusSince)
	}
	h, _ = models.GetMembershipHistory(f.ctx, f.db, f.mentor, sanne.ID)
	if h.Pending != nil || len(h.Applied) < 2 || h.Applied[len(h.Applied)-1].Status != models.StatusFrozen {
		t.Fatalf("history: %+v pending %+v", h.Applied, h.Pending)
	}
	// A later decision replaces a change still waiting.
	if _, err := models.ChangeStatus(f.ctx, f.db, f.mentor, sanne.ID, models.StatusInput{Status: "active", Since: "2027-01-05"}, f.today); err != nil {
		t.Fatal(err)
	}
	if _, err := models.ChangeStatus(f.ctx, f.db, f.mentor, sanne.ID, models.StatusInput{Status: "active", Since: "2027-01-19"}, f.today); err != nil {
		t.Fatal(err)
	}
	if n, _ := models.ApplyDueStatusChanges(f.ctx, f.db, models.NewDate(2027, 1, 10)); n != 0 {
		t.Error("a withdrawn change was applied")
	}
	if n, _ := models.ApplyDueStatusChanges(f.ctx, f.db, models.NewDate(2027, 1, 19)); n != 1 {
		t.Error("the change that replaced it was not applied")
	}
	// The job applies by the organisation's date.
	if res, err := models.RunLifecycle(f.ctx, f.db, time.Date(2027, 1, 20, 0, 30, 0, 0, time.UTC)); err != nil || res.StatusChanges != 0 {
		t.Errorf("lifecycle run: %+v %v", res, err)
	}
}

// TestAttendanceFollowsState: attendance only from the start, held while
// it is recorded, none for a cancelled meeting, cleared back to planned.
func TestAttendanceFollowsState(t *testing.T) {
	f := newLifeFixture(t)
	sanne := demoPerson(t, f.db, "mentee@demo.test")
	var future, past models.Meeting
	f.db.Where("group_id = ? AND starts_at > ?", f.noord.ID, f.now.AddDate(0, 2, 0)).Order("starts_at").First(&future)
	f.db.Where("group_id = ? AND kind = ? AND status = ?", f.noord.ID, models.KindIntervision, models.MeetingHeld).Order("starts_at").First(&past)
	status := func(id uint) models.MeetingStatus {
		var m models.Meeting
		f.db.First(&m, id)
		return m.Status
	}
	err := models.SaveAttendance(f.ctx, f.db, f.mentor, future.ID, map[uint]string{sanne: "present"})
	if fieldCode(err) != "meeting_not_started" || status(future.ID) != models.MeetingPlanned {
		t.Fatalf("attendance months ahead: %v, %s", err, status(future.ID))
	}
	if _, err := models.SetMeetingStatus(f.ctx, f.db, f.mentor, future.ID, models.StatusChange{Status: "held"}); fieldCode(err) != "meeting_not_started" {
		t.Errorf("held by hand before the start: %v", err)
	}
	// Every field on "—" clears a held meeting back to planned.
	clear := map[uint]string{}
	var att []models.Attendance
	f.db.Where("meeting_id = ?", past.ID).Find(&att)
	for _, a := range att {
		clear[a.PersonID] = ""
	}
	if err := models.SaveAttendance(f.ctx, f.db, f.mentor, past.ID, clear); err != nil {
		t.Fatal(err)
	}
	if status(past.ID) != models.MeetingPlanned {
		t.Errorf("cleared attendance left the meeting %s", status(past.ID))
	}
	if _, err := models.SetMeetingStatus(f.ctx, f.db, f.mentor, past.ID, models.StatusChange{Status: "held"}); fieldCode(err) != "held_needs_attendance" {
		t.Errorf("held without attendance: %v", err)
	}
	if err := models.SaveAttendance(f.ctx, f.db, f.mentor, past.ID, map[uint]string{sanne: "present"}); err != nil {
		t.Fatal(err)
	}
	if status(past.ID) != models.MeetingHeld {
		t.Errorf("recorded attendance left the meeting %s", status(past.ID))
	}
	if _, err := models.SetMeetingStatus(f.ctx, f.db, f.mentor, past.ID, models.StatusChange{Status: "cancelled", Reason: "x"}); fieldCode(err) != "cancel_has_attendance" {
		t.Errorf("cancelled with attendance: %v", err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	local := past.StartsAt.In(ams)
	if _, err := models.UpdateMeeting(f.ctx, f.db, f.mentor, past.ID, models.MeetingInput{Date: "2027-02-02", StartTime: local.Format("15:04"),
		DurationMin: past.DurationMin(), Kind: string(past.Kind)}); fieldCode(err) != "attended_meeting_to_future" {
		t.Errorf("an attended meeting moved into the future: %v", err)
	}
	// A cancelled meeting takes none, even once it has started.
	if _, err := models.SetMeetingStatus(f.ctx, f.db, f.mentor, future.ID, models.StatusChange{Status: "cancelled", Reason: "Ziekte"}); err != nil {
		t.Fatal(err)
	}
	f.at(future.StartsAt.Add(time.Hour))
	if err := models.SaveAttendance(f.ctx, f.db, f.mentor, future.ID, map[uint]string{sanne: "present"}); fieldCode(err) != "meeting_cancelled" {
		t.Errorf("attendance for a cancelled meeting: %v", err)
	}
	// Attendance recorded ahead (before this rule) is cleared back to planned.
	f.at(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	var later models.Meeting
	f.db.Where("group_id = ? AND status = ? AND starts_at > ?", f.noord.ID, models.MeetingPlanned, f.now).Order("starts_at DESC").First(&later)
	f.db.Create(&models.Attendance{MeetingID: later.ID, PersonID: sanne, Status: models.Present})
	f.db.Model(&later).Update("status", models.MeetingHeld)
	if err := models.SaveAttendance(f.ctx, f.db, f.mentor, later.ID, map[uint]string{sanne: ""}); err != nil {
		t.Fatal(err)
	}
	if status(later.ID) != models.MeetingPlanned {
		t.Errorf("a future meeting with cleared attendance is %s", status(later.ID))
	}
}
