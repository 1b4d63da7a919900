package models_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// yearRun takes the demo's Groep West, still forming, through its year.
type yearRun struct {
	t      *testing.T
	db     *gorm.DB
	ctx    context.Context
	now    time.Time
	group  models.MentorGroup
	mentor models.Viewer
	held   map[uint]string // every held meeting's attendance and roles, as first recorded
}

func (y *yearRun) person(email string) uint { return demoPerson(y.t, y.db, email) }

func (y *yearRun) viewer(email string) models.Viewer {
	return models.Viewer{PersonID: y.person(email), Mentee: true}
}

func (y *yearRun) today() models.Date { return models.DateOf(y.now) }

func (y *yearRun) must(step string, err error) {
	y.t.Helper()
	if err != nil {
		y.t.Fatalf("%s: %v", step, err)
	}
}

func (y *yearRun) membership(email string) models.Membership {
	y.t.Helper()
	var m models.Membership
	y.must("membership", y.db.Where("group_id = ? AND person_id = ?", y.group.ID, y.person(email)).First(&m).Error)
	return m
}

// record snapshots every held meeting's attendance and roles.
func (y *yearRun) record() map[uint]string {
	y.t.Helper()
	out := map[uint]string{}
	var ms []models.Meeting
	y.must("meetings", y.db.Where("group_id = ? AND status = ?", y.group.ID, models.MeetingHeld).Find(&ms).Error)
	for _, m := range ms {
		var att []models.Attendance
		var roles []models.MeetingRoleAssignment
		y.must("attendance", y.db.Where("meeting_id = ?", m.ID).Order("person_id").Find(&att).Error)
		y.must("roles", y.db.Where("meeting_id = ?", m.ID).Order("role, person_id").Find(&roles).Error)
		s := m.StartsAt.UTC().Format(time.RFC3339)
		for _, a := range att {
			s += " " + strconv.Itoa(int(a.PersonID)) + "=" + string(a.Status)
		}
		for _, r := range roles {
			s += " " + string(r.Role) + ":" + strconv.Itoa(int(r.PersonID))
		}
		out[m.ID] = s
	}
	return out
}

// check verifies after a step that held meetings are unchanged, and the
// group's status.
func (y *yearRun) check(step string, status models.GroupStatus) {
	y.t.Helper()
	now := y.record()
	for id, s := range y.held {
		if now[id] != s {
			y.t.Errorf("%s: held meeting %d changed:\n before %s\n after  %s", step, id, s, now[id])
		}
	}
	for id, s := range now {
		if _, ok := y.held[id]; !ok {
			y.held[id] = s
		}
	}
	var g models.MentorGroup
	y.must("group", y.db.First(&g, y.group.ID).Error)
	if g.Status != status {
		y.t.Errorf("%s: group is %s, want %s", step, g.Status, status)
	}
	// No case points at a meeting that is gone or is planned without one.
	var n int64
	y.db.Model(&models.CaseQuestion{}).Where("group_id = ? AND ((meeting_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.id = case_questions.meeting_id)) OR (status = ? AND meeting_id IS NULL))",
		y.group.ID, models.CasePlanned).Count(&n)
	if n != 0 {
		y.t.Errorf("%s: %d orphaned cases", step, n)
	}
}

// todo returns the mentor's to-do kinds for the group.
func (y *yearRun) todo() map[models.TodoKind]models.TodoItem {
	y.t.Helper()
	items, err := models.MentorTodo(y.ctx, y.db, y.mentor, y.now)
	y.must("todo", err)
	out := map[models.TodoKind]models.TodoItem{}
	for _, it := range items {
		if it.GroupID == y.group.ID {
			out[it.Kind] = it
		}
	}
	return out
}

// holdPast records roles (as proposed) and attendance for every meeting
// that has ended by now and has none.
func (y *yearRun) holdPast() int {
	y.t.Helper()
	var ms []models.Meeting
	y.must("past meetings", y.db.Where("group_id = ? AND status = ? AND ends_at <= ?", y.group.ID, models.MeetingPlanned, y.now).
		Order("starts_at").Find(&ms).Error)
	for _, m := range ms {
		if m.Kind != models.KindFirstMeeting {
			page, err := models.GetMeetingPage(y.ctx, y.db, y.mentor, m.ID)
			y.must("meeting page", err)
			y.must("roles", models.SaveRoles(y.ctx, y.db, y.mentor, m.ID, models.RolesInput{Facilitator: page.Proposed[models.RoleFacilitator],
				Timekeeper: page.Proposed[models.RoleTimekeeper], NoteTaker: page.Proposed[models.RoleNoteTaker],
				CaseBringers: []uint{page.Proposed[models.RoleCaseBringer]}}))
		}
		y.must("attendance", models.SetAttendanceForAll(y.ctx, y.db, y.mentor, m.ID))
	}
	return len(ms)
}

// TestGroupYear runs Groep West through its year: intakes, the date poll,
// the first meeting, the series, a freeze and an unfreeze, a stop,
// replanning twice, an extension and closing. After each step every held
// meeting keeps its attendance and roles and the group's status, calendar
// and to-do list are right.
func TestGroupYear(t *testing.T) {
	db := apptest.Demo(t)
	y := &yearRun{t: t, db: db, now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), held: map[uint]string{}}
	y.ctx = models.WithRequest(context.Background(), "", func() time.Time { return y.now })
	y.must("group", db.Preload("Programme").Where("name = ?", "Groep West").First(&y.group).Error)
	y.mentor = models.Viewer{PersonID: y.person("iris.vanleeuwen@demo.test"), Mentor: true}
	y.check("start", models.GroupForming)

	// Intakes admit the two candidates.
	if y.todo()[models.TodoIntake].Count != 2 {
		t.Fatalf("intakes to do: %+v", y.todo())
	}
	// Koen is admitted; Mila works in a team already in the group, so her
	// intake ends in a stop.
	for email, outcome := range map[string]models.IntakeOutcome{"koen.brouwer@demo.test": models.OutcomeAdmit, "mila.kok@demo.test": models.OutcomeStop} {
		_, err := models.SaveIntake(y.ctx, db, y.mentor, y.membership(email).ID, models.IntakeInput{HeldOn: "2026-11-25", Click: true,
			Learnable: true, HasGoal: true, CanReflect: true, Kind: string(models.KindShopper), Outcome: string(outcome)}, y.today())
		y.must("intake "+email, err)
	}
	if _, ok := y.todo()[models.TodoIntake]; ok {
		t.Error("intakes still to do after both were held")
	}
	y.check("intakes", models.GroupForming)

	// The date poll: everyone answers, the mentor too; the date everyone can make is picked.
	poll, err := models.GetPoll(y.ctx, db, y.mentor, y.group.ID)
	y.must("poll", err)
	if poll.Members != 5 {
		t.Errorf("the poll asks %d people, want the mentor and four mentees", poll.Members)
	}
	var target models.PollOption
	y.must("option", db.Where("poll_id = ?", poll.Poll.ID).Order("starts_at").First(&target).Error)
	for _, email := range []string{"fleur.degroot@demo.test", "koen.brouwer@demo.test", "iris.vanleeuwen@demo.test"} {
		v := y.viewer(email)
		if email == "iris.vanleeuwen@demo.test" {
			v = y.mentor
		}
		y.must("answer "+email, models.AnswerPoll(y.ctx, db, v, y.group.ID, map[uint]string{target.ID: "yes"}))
	}
	poll, err = models.GetPoll(y.ctx, db, y.mentor, y.group.ID)
	y.must("poll", err)
	if poll.Options[0].Option.ID != target.ID || !poll.Options[0].AllCan() || !poll.Options[0].IfNeedBe() || poll.NoneFits || poll.Answered != 5 {
		t.Fatalf("tally: %+v answered %d", poll.Options[0], poll.Answered)
	}
	first, err := models.PickPollDate(y.ctx, db, y.mentor, y.group.ID, target.ID)
	y.must("pick", err)
	_, err = models.CreatePoll(y.ctx, db, y.mentor, y.group.ID, models.PollInput{Options: []string{"2027-01-20T10:00", "2027-01-21T10:00"}})
	if fieldCode(err) != "poll_has_first" {
		t.Errorf("a second poll while the first meeting stands: %v", err)
	}
	y.check("poll", models.GroupForming)

	// The first meeting is held: the group becomes active.
	y.now = first.EndsAt.Add(time.Hour)
	y.holdPast()
	y.check("first meeting", models.GroupActive)
	if h, _ := models.GroupHistory(y.ctx, db, y.mentor, y.group.ID); len(h) != 1 || h[0].Cause != models.CauseFirstMeeting {
		t.Errorf("group history: %+v", h)
	}
	if _, ok := y.todo()[models.TodoPlan]; !ok {
		t.Error("no meeting ahead, yet planning the series is not on the to-do list")
	}

	// The series: every six weeks on Tuesday, a work visit in slot 3.
	series := models.SeriesInput{FirstOn: "2027-02-02", Weekday: "2", StartTime: "14:00", DurationMin: 120, CadenceWeeks: 6,
		Location: "Stadhuis", Policy: "shift", WorkVisits: "3"}
	_, err = models.SaveSeries(y.ctx, db, y.mentor, y.group.ID, series, y.now)
	y.must("series", err)
	if _, ok := y.todo()[models.TodoPlan]; ok {
		t.Error("planning is still to do after the series was saved")
	}
	y.check("series", models.GroupActive)

	// Two meetings are held.
	y.now = time.Date(2027, 3, 20, 9, 0, 0, 0, time.UTC)
	if n := y.holdPast(); n != 2 {
		t.Fatalf("%d meetings held by March, want 2", n)
	}
	y.check("two meetings", models.GroupActive)

	// Koen's freeze, decided now for April, applies on its date; he comes back in June.
	koen := y.membership("koen.brouwer@demo.test")
	_, err = models.ChangeStatus(y.ctx, db, y.mentor, koen.ID, models.StatusInput{Status: "frozen", Since: "2027-04-01"}, y.today())
	y.must("freeze", err)
	if y.membership("koen.brouwer@demo.test").Status != models.StatusActive {
		t.Error("the freeze applied before its date")
	}
	y.now = time.Date(2027, 4, 1, 6, 0, 0, 0, time.UTC)
	res, err := models.RunLifecycle(y.ctx, db, y.now)
	y.must("lifecycle", err)
	if res.StatusChanges != 1 || y.membership("koen.brouwer@demo.test").Status != models.StatusFrozen {
		t.Fatalf("freeze on its date: %+v, %s", res, y.membership("koen.brouwer@demo.test").Status)
	}
	y.check("freeze", models.GroupActive)
	y.now = time.Date(2027, 5, 10, 9, 0, 0, 0, time.UTC)
	y.holdPast()
	var frozenAt int64
	db.Model(&models.Attendance{}).Joins("JOIN meetings m ON m.id = attendances.meeting_id").
		Where("m.group_id = ? AND m.starts_at > ? AND attendances.person_id = ?", y.group.ID, time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), koen.PersonID).Count(&frozenAt)
	if frozenAt != 0 {
		t.Error("a frozen mentee was recorded as present")
	}
	_, err = models.ChangeStatus(y.ctx, db, y.mentor, koen.ID, models.StatusInput{Status: "active"}, y.today())
	y.must("unfreeze", err)
	y.check("unfreeze", models.GroupActive)

	// Bram stops.
	bram := y.membership("bram.meijer@demo.test")
	_, err = models.ChangeStatus(y.ctx, db, y.mentor, bram.ID, models.StatusInput{Status: "stopped", Reason: "Andere baan"}, y.today())
	y.must("stop", err)
	y.check("stop", models.GroupActive)
	var bramRoles int64
	db.Model(&models.MeetingRoleAssignment{}).Joins("JOIN meetings m ON m.id = meeting_roles.meeting_id").
		Where("m.group_id = ? AND m.starts_at > ? AND meeting_roles.person_id = ?", y.group.ID, y.now, bram.PersonID).Count(&bramRoles)
	if bramRoles != 0 {
		t.Error("the stopped mentee keeps roles ahead")
	}

	// Replanning twice: Thursdays, then a shorter rhythm with what loses its slot let go.
	var visit models.Meeting
	y.must("visit", db.Where("group_id = ? AND kind = ?", y.group.ID, models.KindWorkVisit).First(&visit).Error)
	visitAhead := visit.StartsAt.After(y.now)
	series.Weekday, series.WorkVisits = "4", ""
	_, err = models.SaveSeries(y.ctx, db, y.mentor, y.group.ID, series, y.now)
	y.must("replan", err)
	y.check("replan", models.GroupActive)
	var v2 models.Meeting
	if err := db.First(&v2, visit.ID).Error; err != nil || v2.Kind != models.KindWorkVisit {
		t.Errorf("the work visit after replanning: %+v %v", v2, err)
	} else if visitAhead && v2.StartsAt.Equal(visit.StartsAt) {
		t.Error("the work visit ahead did not move with its slot")
	}
	series.CadenceWeeks, series.ReleaseLost = 4, true
	_, err = models.SaveSeries(y.ctx, db, y.mentor, y.group.ID, series, y.now)
	y.must("replan again", err)
	y.check("replan again", models.GroupActive)
	var ahead []models.Meeting
	y.must("ahead", db.Where("group_id = ? AND starts_at > ? AND status = ?", y.group.ID, y.now, models.MeetingPlanned).Find(&ahead).Error)
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	for _, m := range ahead {
		if wd := m.StartsAt.In(ams).Weekday(); wd != time.Thursday {
			t.Errorf("a meeting ahead on %s after replanning to Thursdays", wd)
		}
	}

	// The mentor extends the series past the programme's end.
	added, err := models.ExtendSeries(y.ctx, db, y.mentor, y.group.ID, 2)
	y.must("extend", err)
	if added == 0 {
		t.Error("extending added no meetings")
	}
	y.check("extend", models.GroupExtended)

	// The last meeting ends: the job closes the group; it is read-only then.
	var last models.Meeting
	y.must("last", db.Where("group_id = ? AND status <> ?", y.group.ID, models.MeetingCancelled).Order("ends_at DESC").First(&last).Error)
	y.now = last.EndsAt.Add(2 * time.Hour)
	y.holdPast()
	y.check("all held", models.GroupExtended)
	y.now = y.now.AddDate(0, 1, 0)
	res, err = models.RunLifecycle(y.ctx, db, y.now)
	y.must("lifecycle", err)
	if res.GroupsClosed < 1 {
		t.Errorf("no group closed after its last meeting: %+v", res)
	}
	y.check("closed", models.GroupClosed)
	if _, err := models.SaveSeries(y.ctx, db, y.mentor, y.group.ID, series, y.now); fieldCode(err) != "group_closed" {
		t.Errorf("series on a closed group: %v", err)
	}
	if _, err := models.CreatePoll(y.ctx, db, y.mentor, y.group.ID, models.PollInput{Options: []string{"2028-01-20T10:00", "2028-01-21T10:00"}, Replace: true}); fieldCode(err) != "group_closed" {
		t.Errorf("poll on a closed group: %v", err)
	}
	if _, err := models.CreateOneOnOne(y.ctx, db, y.mentor, y.group.ID, models.OneOnOneInput{MenteeID: y.person("anouk.peters@demo.test"),
		Date: "2028-01-20", StartTime: "10:00", DurationMin: 45}); fieldCode(err) != "group_closed" {
		t.Errorf("one-on-one in a closed group: %v", err)
	}
	if _, err := models.GetMeetingPage(y.ctx, db, y.viewer("anouk.peters@demo.test"), last.ID); err != nil {
		t.Errorf("a member can no longer read the closed group: %v", err)
	}
	if _, ok := y.todo()[models.TodoPlan]; ok {
		t.Error("a closed group asks to be planned")
	}
	h, err := models.GroupHistory(y.ctx, db, y.mentor, y.group.ID)
	y.must("history", err)
	var causes []string
	for _, c := range h {
		causes = append(causes, c.Cause)
	}
	if len(causes) != 3 || causes[0] != models.CauseFirstMeeting || causes[1] != models.CauseExtended || causes[2] != models.CauseLastMeeting {
		t.Errorf("group history: %v", causes)
	}
}
