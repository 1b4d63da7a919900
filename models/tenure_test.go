package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// tenureFixture is the demo organisation with its Groep Noord, the mentor,
// Sanne (an admitted mentee) and L&D.
type tenureFixture struct {
	db                   *gorm.DB
	ctx                  context.Context
	noord                models.MentorGroup
	admin, mentor, sanne models.Viewer
	heldWithNotes        models.Meeting
	sanneMembership      models.Membership
	sanneOneOnOne        models.OneOnOne
	newMentor            models.Viewer
}

func newTenureFixture(t *testing.T) tenureFixture {
	t.Helper()
	db := apptest.Demo(t)
	f := tenureFixture{db: db, ctx: context.Background()}
	if err := db.Where("name = ?", "Groep Noord").First(&f.noord).Error; err != nil {
		t.Fatal(err)
	}
	f.admin = models.Viewer{PersonID: demoPerson(t, db, "admin@demo.test"), Admin: true}
	f.mentor = models.Viewer{PersonID: demoPerson(t, db, "mentor@demo.test"), Mentor: true}
	f.sanne = models.Viewer{PersonID: demoPerson(t, db, "mentee@demo.test"), Mentee: true}
	f.newMentor = models.Viewer{PersonID: demoPerson(t, db, "hanneke.smits@demo.test"), Mentor: true}
	if err := db.Where("group_id = ? AND notes <> '' AND starts_at < ?", f.noord.ID, time.Now()).
		Order("starts_at").First(&f.heldWithNotes).Error; err != nil {
		t.Fatalf("a held meeting with notes: %v", err)
	}
	if err := db.Where("group_id = ? AND person_id = ?", f.noord.ID, f.sanne.PersonID).First(&f.sanneMembership).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Where("group_id = ? AND mentee_id = ?", f.noord.ID, f.sanne.PersonID).First(&f.sanneOneOnOne).Error; err != nil {
		t.Fatal(err)
	}
	return f
}

// replaceMentor makes another person the group's mentor, as L&D.
func (f tenureFixture) replaceMentor(t *testing.T, to uint) {
	t.Helper()
	if _, err := models.UpdateGroup(f.ctx, f.db, f.admin, f.noord.ID, models.GroupInput{Name: f.noord.Name,
		MentorID: to, Discipline: f.noord.Discipline}); err != nil {
		t.Fatalf("replace the mentor: %v", err)
	}
}

// TestNewMentorSeesOnlyTheirTerm: after a mentor change the new mentor does
// not read earlier notes, intakes or one-on-ones, the former mentor loses the
// group that day, the mentee keeps her own, and the change is audited and
// mailed to the members.
func TestNewMentorSeesOnlyTheirTerm(t *testing.T) {
	f := newTenureFixture(t)
	f.replaceMentor(t, f.newMentor.PersonID)

	page, err := models.GetMeetingPage(f.ctx, f.db, f.newMentor, f.heldWithNotes.ID)
	if err != nil {
		t.Fatal(err)
	}
	if page.NotesShown || page.Meeting.Notes != "" {
		t.Errorf("the new mentor reads notes from before their term: %q", page.Meeting.Notes)
	}
	intake, err := models.GetIntake(f.ctx, f.db, f.newMentor, f.sanneMembership.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !intake.Earlier || intake.Intake.Notes != "" || intake.Intake.Kind != "" {
		t.Errorf("the new mentor reads the former mentor's intake: %+v", intake.Intake)
	}
	if _, err := models.GetOneOnOne(f.ctx, f.db, f.newMentor, f.sanneOneOnOne.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the new mentor opens the former mentor's one-on-one: %v", err)
	}
	for name, read := range map[string]func() error{
		"group page": func() error { _, err := models.GetGroupPage(f.ctx, f.db, f.mentor, f.noord.ID); return err },
		"meeting":    func() error { _, err := models.GetMeetingPage(f.ctx, f.db, f.mentor, f.heldWithNotes.ID); return err },
		"one-on-one": func() error { _, err := models.GetOneOnOne(f.ctx, f.db, f.mentor, f.sanneOneOnOne.ID); return err },
		"intake":     func() error { _, err := models.GetIntake(f.ctx, f.db, f.mentor, f.sanneMembership.ID); return err },
		"cases":      func() error { _, err := models.GroupCases(f.ctx, f.db, f.mentor, f.noord.ID); return err },
	} {
		if err := read(); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the former mentor still opens the %s: %v", name, err)
		}
	}
	list, err := models.ListOneOnOnes(f.ctx, f.db, f.mentor)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range list {
		if o.GroupID == f.noord.ID {
			t.Errorf("the former mentor still lists one-on-one %d of the group", o.ID)
		}
	}
	if _, err := models.GetOneOnOne(f.ctx, f.db, f.sanne, f.sanneOneOnOne.ID); err != nil {
		t.Errorf("the mentee lost her own one-on-one: %v", err)
	}

	var audits int64
	f.db.Model(&models.AuditEvent{}).Where("action = ? AND subject_id = ?", models.AuditMentorChange, f.noord.ID).Count(&audits)
	if audits != 1 {
		t.Errorf("mentor change audited %d times, want 1", audits)
	}
	var mails int64
	f.db.Model(&models.MailDelivery{}).Where("kind = ? AND subject_id = ? AND recipient_id = ?",
		models.MailMentorChanged, f.noord.ID, f.sanne.PersonID).Count(&mails)
	if mails != 1 {
		t.Errorf("the member was told %d times, want 1", mails)
	}
	terms, err := models.GetGroupPage(f.ctx, f.db, f.newMentor, f.noord.ID)
	if err != nil || len(terms.MentorTerms) != 2 {
		t.Errorf("the group page shows %d mentor terms (%v), want 2", len(terms.MentorTerms), err)
	}
}

// TestAdminCannotAppointThemselves: L&D making itself mentor is refused,
// nothing changes, and the attempt is audited; another admin may appoint them.
func TestAdminCannotAppointThemselves(t *testing.T) {
	f := newTenureFixture(t)
	_, err := models.UpdateGroup(f.ctx, f.db, f.admin, f.noord.ID, models.GroupInput{Name: f.noord.Name, MentorID: f.admin.PersonID})
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("self-appointment: %v, want a field error", err)
	}
	var g models.MentorGroup
	f.db.First(&g, f.noord.ID)
	if g.MentorID != f.mentor.PersonID {
		t.Fatal("the mentor changed after a refusal")
	}
	var denied int64
	f.db.Model(&models.AuditEvent{}).Where("action = ? AND actor_id = ?", models.AuditDenied, f.admin.PersonID).Count(&denied)
	if denied != 1 {
		t.Errorf("refusal audited %d times, want 1", denied)
	}
	if _, err := models.GetIntake(f.ctx, f.db, f.admin, f.sanneMembership.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("L&D reads an intake: %v", err)
	}

	// Another administrator appoints them: audited, and still no earlier content.
	second := models.Viewer{PersonID: f.newMentor.PersonID, Admin: true}
	if _, err := models.UpdateGroup(f.ctx, f.db, second, f.noord.ID, models.GroupInput{Name: f.noord.Name,
		MentorID: f.admin.PersonID, Discipline: f.noord.Discipline}); err != nil {
		t.Fatalf("another admin appoints: %v", err)
	}
	page, err := models.GetMeetingPage(f.ctx, f.db, f.admin, f.heldWithNotes.ID)
	if err != nil {
		t.Fatal(err)
	}
	if page.Meeting.Notes != "" {
		t.Error("an admin made mentor reads the notes of before their term")
	}
	intake, err := models.GetIntake(f.ctx, f.db, f.admin, f.sanneMembership.ID)
	if err != nil || intake.Intake.Notes != "" {
		t.Errorf("an admin made mentor reads the earlier intake (%v)", err)
	}
}

// TestLateMemberSeesFromJoining: a mentee admitted after the group met does
// not read earlier notes or cases; a member who stops loses the group.
func TestLateMemberSeesFromJoining(t *testing.T) {
	f := newTenureFixture(t)
	var late models.Person
	if err := f.db.Where("email = ?", "sem.jacobs@demo.test").First(&late).Error; err != nil {
		t.Fatal(err)
	}
	var m models.Membership
	if err := f.db.Where("group_id = ? AND person_id = ?", f.noord.ID, late.ID).First(&m).Error; err != nil {
		t.Fatal(err)
	}
	sem := models.Viewer{PersonID: late.ID, Mentee: true}
	// As a candidate: nothing of the group's content.
	if _, err := models.GetMeetingPage(f.ctx, f.db, sem, f.heldWithNotes.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a candidate opens a meeting: %v", err)
	}
	if _, err := models.GroupCases(f.ctx, f.db, sem, f.noord.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a candidate lists cases: %v", err)
	}
	if page, err := models.GetGroupPage(f.ctx, f.db, sem, f.noord.ID); err != nil || len(page.Roster) > 0 {
		t.Errorf("a candidate sees the roster %v (%v)", page.Roster, err)
	}

	today := models.DateOf(time.Now().UTC())
	joiner, err := models.CreatePerson(f.ctx, f.db, f.admin, models.PersonInput{Name: "Late Lid", Email: "late.lid@demo.test", Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.AddMember(f.ctx, f.db, f.admin, f.noord.ID, models.MemberInput{PersonID: joiner.ID, Status: "active"}, today); err != nil {
		t.Fatal(err)
	}
	sem = models.Viewer{PersonID: joiner.ID, Mentee: true}
	page, err := models.GetMeetingPage(f.ctx, f.db, sem, f.heldWithNotes.ID)
	if err != nil {
		t.Fatal(err)
	}
	if page.NotesShown || page.Meeting.Notes != "" || len(page.Actions) > 0 {
		t.Errorf("a late member reads notes or actions of before joining")
	}
	cases, err := models.GroupCases(f.ctx, f.db, sem, f.noord.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if c.CreatedAt.Before(time.Now().Add(-time.Minute)) && c.Status != models.CaseSubmitted {
			t.Errorf("a late member reads case %d from before joining", c.ID)
		}
	}

	// Sanne stops: she loses the group that day but keeps her own one-on-one.
	if _, err := models.ChangeStatus(f.ctx, f.db, f.mentor, f.sanneMembership.ID,
		models.StatusInput{Status: "stopped", Reason: "gezondheid"}, today); err != nil {
		t.Fatal(err)
	}
	if _, err := models.GetMeetingPage(f.ctx, f.db, f.sanne, f.heldWithNotes.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a stopped member opens a meeting: %v", err)
	}
	if _, err := models.GetOneOnOne(f.ctx, f.db, f.sanne, f.sanneOneOnOne.ID); err != nil {
		t.Errorf("a stopped member lost her own one-on-one: %v", err)
	}
	// L&D sees the status, not the reason; the mentor sees both.
	for _, who := range []struct {
		v      models.Viewer
		reason bool
	}{{f.admin, false}, {f.mentor, true}} {
		gp, err := models.GetGroupPage(f.ctx, f.db, who.v, f.noord.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range gp.Members {
			if row.PersonID == f.sanne.PersonID && (row.StatusReason != "") != who.reason {
				t.Errorf("viewer %d sees reason %q", who.v.PersonID, row.StatusReason)
			}
		}
	}
}

// TestManagerNotInGroup: a line manager of a mentee is refused in the group
// at every status, directly or higher up the chain, and a change of manager
// that would put one there is refused unless L&D confirms it.
func TestManagerNotInGroup(t *testing.T) {
	f := newTenureFixture(t)
	karin := demoPerson(t, f.db, "manager@demo.test")
	today := models.DateOf(time.Now().UTC())
	for _, status := range []string{"candidate", "intake", "active"} {
		_, err := models.AddMember(f.ctx, f.db, f.admin, f.noord.ID, models.MemberInput{PersonID: karin, Status: status}, today)
		var rv *models.RuleViolation
		if !errors.As(err, &rv) || !breaks(rv, models.RuleNoManagerInGroup) {
			t.Errorf("Sanne's manager added as %s: %v", status, err)
		}
	}
	// Higher up the chain: Karin gets a manager, who is then refused too.
	boss := demoPerson(t, f.db, "admin@demo.test")
	var k models.Person
	f.db.First(&k, karin)
	in := models.PersonInput{Name: k.Name, Email: k.Email, Discipline: k.Discipline, ManagerID: boss, Language: k.Language}
	if k.TeamID != nil {
		in.TeamID = *k.TeamID
	}
	if _, err := models.UpdatePerson(f.ctx, f.db, f.admin, karin, in); err != nil {
		t.Fatal(err)
	}
	_, err := models.AddMember(f.ctx, f.db, f.admin, f.noord.ID, models.MemberInput{PersonID: boss}, today)
	var rv *models.RuleViolation
	if !errors.As(err, &rv) || !breaks(rv, models.RuleNoManagerInGroup) {
		t.Errorf("the manager's manager added: %v", err)
	}

	// Making the mentor Sanne's manager breaks the group: refused, naming it.
	var s models.Person
	f.db.First(&s, f.sanne.PersonID)
	in = models.PersonInput{Name: s.Name, Email: s.Email, Discipline: s.Discipline, ManagerID: f.mentor.PersonID, Language: s.Language}
	if s.TeamID != nil {
		in.TeamID = *s.TeamID
	}
	_, err = models.UpdatePerson(f.ctx, f.db, f.admin, s.ID, in)
	if !errors.As(err, &rv) || rv.Group != f.noord.Name || !rv.Confirmable {
		t.Fatalf("manager change breaking a group: %v", err)
	}
	f.db.First(&s, f.sanne.PersonID)
	if s.ManagerID == nil || *s.ManagerID != karin {
		t.Fatal("a refused change was stored")
	}
	in.ConfirmBrokenRules = true
	if _, err := models.UpdatePerson(f.ctx, f.db, f.admin, s.ID, in); err != nil {
		t.Fatalf("confirmed: %v", err)
	}
	breaking, err := models.GroupsBreakingRules(f.ctx, f.db, f.admin)
	if err != nil || len(breaking) != 1 || breaking[0].ID != f.noord.ID {
		t.Errorf("L&D's list of groups breaking a rule: %v (%v)", breaking, err)
	}
}

// breaks reports whether a refusal names rule.
func breaks(rv *models.RuleViolation, rule models.Rule) bool {
	for _, r := range rv.Results {
		if r.Rule == rule {
			return true
		}
	}
	return false
}
