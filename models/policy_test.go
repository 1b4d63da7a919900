package models

import (
	"testing"
	"time"
)

// TestDecide walks the policy as a table: viewers of every relation, status
// and tenure against every permission, on records dated before, during and
// after their role.
func TestDecide(t *testing.T) {
	joined := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	before, after := joined.AddDate(0, -2, 0), joined.AddDate(0, 1, 0)
	const me, other, mentorID = 10, 11, 20

	mentor := Access{ViewerID: mentorID, Role: RoleMentor}
	newMentor := Access{ViewerID: mentorID, Role: RoleMentor, Since: &joined}
	member := Access{ViewerID: me, Role: RoleMember, Status: StatusActive}
	frozen := Access{ViewerID: me, Role: RoleMember, Status: StatusFrozen}
	lateMember := Access{ViewerID: me, Role: RoleMember, Status: StatusActive, Since: &joined}
	candidate := Access{ViewerID: me, Role: RoleApplicant, Status: StatusCandidate}
	intake := Access{ViewerID: me, Role: RoleApplicant, Status: StatusIntake}
	left := Access{ViewerID: me, Role: RoleFormer, Status: StatusStopped}
	formerMentor := Access{ViewerID: mentorID, Role: RoleFormer}
	staff := Access{ViewerID: 30, Role: RoleStaff, Staff: true}
	staffMentor := Access{ViewerID: 30, Role: RoleMentor, Staff: true, Since: &joined}
	outsider := Access{ViewerID: 40}

	type row struct {
		name   string
		a      Access
		p      Permission
		s      Subject
		wanted bool
	}
	rows := []row{
		// The group itself.
		{"mentor reads the group", mentor, GroupRead, Subject{}, true},
		{"candidate sees their own place", candidate, GroupRead, Subject{}, true},
		{"candidate does not see the roster", candidate, GroupRosterRead, Subject{}, false},
		{"candidate sees no content", candidate, GroupContent, Subject{}, false},
		{"intake sees no content", intake, GroupContent, Subject{}, false},
		{"intake cannot bring in a case", intake, GroupMember, Subject{}, false},
		{"member sees content", member, GroupContent, Subject{}, true},
		{"frozen member sees content", frozen, GroupContent, Subject{}, true},
		{"member brings in a case", member, GroupMember, Subject{}, true},
		{"stopped member sees nothing", left, GroupRead, Subject{}, false},
		{"former mentor sees nothing", formerMentor, GroupRead, Subject{}, false},
		{"former mentor cannot plan", formerMentor, GroupMentor, Subject{}, false},
		{"L&D reads the roster", staff, GroupRosterRead, Subject{}, true},
		{"L&D sees no content", staff, GroupContent, Subject{}, false},
		{"L&D manages the group", staff, GroupManage, Subject{}, true},
		{"mentor does not manage the group", mentor, GroupManage, Subject{}, false},
		{"outsider sees nothing", outsider, GroupRead, Subject{}, false},

		// Memberships.
		{"mentor changes a status", mentor, MembershipStaff, Subject{OwnerID: me}, true},
		{"L&D changes a status", staff, MembershipStaff, Subject{OwnerID: me}, true},
		{"member cannot change a status", member, MembershipStaff, Subject{OwnerID: me}, false},
		{"mentor reads the reason", mentor, MembershipReason, Subject{OwnerID: me}, true},
		{"the mentee reads their own reason", left, MembershipReason, Subject{OwnerID: me}, true},
		{"L&D does not read the reason", staff, MembershipReason, Subject{OwnerID: me}, false},
		{"another member does not read the reason", member, MembershipReason, Subject{OwnerID: other}, false},
		{"mentor records the intake", mentor, MembershipMentor, Subject{OwnerID: me}, true},
		{"L&D does not read intakes", staff, MembershipMentor, Subject{OwnerID: me}, false},
		{"mentor reads their intake notes", newMentor, IntakeNotesRead, Subject{At: after}, true},
		{"new mentor does not read the former's intake", newMentor, IntakeNotesRead, Subject{At: before}, false},
		{"L&D as mentor does not read earlier intakes", staffMentor, IntakeNotesRead, Subject{At: before}, false},

		// Meetings.
		{"member opens a meeting", member, MeetingRead, Subject{At: before}, true},
		{"L&D does not open a meeting", staff, MeetingRead, Subject{At: before}, false},
		{"candidate does not open a meeting", candidate, MeetingRead, Subject{At: after}, false},
		{"member reads notes", member, MeetingNotesRead, Subject{At: before}, true},
		{"late member does not read earlier notes", lateMember, MeetingNotesRead, Subject{At: before}, false},
		{"late member reads later notes", lateMember, MeetingNotesRead, Subject{At: after}, true},
		{"late member reads notes of the day they joined", lateMember, MeetingNotesRead, Subject{At: joined}, true},
		{"new mentor does not read earlier notes", newMentor, MeetingNotesRead, Subject{At: before}, false},
		{"new mentor reads later notes", newMentor, MeetingNotesRead, Subject{At: after}, true},
		{"former mentor reads no notes", formerMentor, MeetingNotesRead, Subject{At: before}, false},
		{"stopped member reads no notes", left, MeetingNotesRead, Subject{At: before}, false},
		{"note-taker writes notes", member, MeetingNotesWrite, Subject{At: after, NoteTaker: true}, true},
		{"member not note-taker does not write notes", member, MeetingNotesWrite, Subject{At: after}, false},
		{"late note-taker does not rewrite earlier notes", lateMember, MeetingNotesWrite, Subject{At: before, NoteTaker: true}, false},
		{"mentor writes notes", mentor, MeetingNotesWrite, Subject{At: after}, true},
		{"mentor runs the meeting's clock", mentor, MeetingRun, Subject{At: after}, true},
		{"facilitator or timekeeper runs the clock", member, MeetingRun, Subject{At: after, Runner: true}, true},
		{"frozen timekeeper runs the clock", frozen, MeetingRun, Subject{At: after, Runner: true}, true},
		{"member without that role does not run the clock", member, MeetingRun, Subject{At: after}, false},
		{"note-taker does not run the clock", member, MeetingRun, Subject{At: after, NoteTaker: true}, false},
		{"late timekeeper does not run an earlier meeting", lateMember, MeetingRun, Subject{At: before, Runner: true}, false},
		{"new mentor does not run an earlier meeting", newMentor, MeetingRun, Subject{At: before}, false},
		{"L&D does not run the clock", staff, MeetingRun, Subject{At: after, Runner: true}, false},
		{"candidate does not run the clock", candidate, MeetingRun, Subject{At: after, Runner: true}, false},
		{"stopped member does not run the clock", left, MeetingRun, Subject{At: after, Runner: true}, false},
		{"former mentor does not run the clock", formerMentor, MeetingRun, Subject{At: after}, false},
		{"outsider does not run the clock", outsider, MeetingRun, Subject{At: after, Runner: true}, false},
		{"member writes own entry", member, MeetingEntryWrite, Subject{OwnerID: me}, true},
		{"member does not write another's entry", member, MeetingEntryWrite, Subject{OwnerID: other}, false},
		{"mentor writes any entry", mentor, MeetingEntryWrite, Subject{OwnerID: other}, true},
		{"member adds an action", member, MeetingActionAdd, Subject{At: after}, true},
		{"member sets no roles", member, MeetingMentor, Subject{At: after}, false},
		{"mentor sets roles", mentor, MeetingMentor, Subject{At: after}, true},

		// One-on-ones.
		{"mentee reads their own", member, OneOnOneRead, Subject{OwnerID: me, MentorID: mentorID, At: before}, true},
		{"mentee keeps their own after leaving", left, OneOnOneRead, Subject{OwnerID: me, MentorID: mentorID, At: before}, true},
		{"mentee no longer changes it after leaving", left, OneOnOneWrite, Subject{OwnerID: me, MentorID: mentorID, At: before}, false},
		{"mentor reads theirs", mentor, OneOnOneRead, Subject{OwnerID: me, MentorID: mentorID, At: before}, true},
		{"mentor does not read another mentor's", mentor, OneOnOneRead, Subject{OwnerID: me, MentorID: 21, At: after}, false},
		{"former mentor loses their one-on-ones", formerMentor, OneOnOneRead, Subject{OwnerID: me, MentorID: mentorID, At: before}, false},
		{"another member does not read it", member, OneOnOneRead, Subject{OwnerID: other, MentorID: mentorID, At: after}, false},
		{"L&D does not read it", staff, OneOnOneRead, Subject{OwnerID: me, MentorID: mentorID, At: after}, false},

		// Goals.
		{"owner reads their goal", left, GoalRead, Subject{OwnerID: me}, true},
		{"member reads a shared goal", member, GoalRead, Subject{OwnerID: other, Shared: true}, true},
		{"member does not read an unshared goal", member, GoalRead, Subject{OwnerID: other}, false},
		{"candidate does not read a shared goal", candidate, GoalRead, Subject{OwnerID: other, Shared: true}, false},
		{"mentor reads goals", mentor, GoalRead, Subject{OwnerID: me}, true},
		{"mentor does not edit a goal", mentor, GoalOwner, Subject{OwnerID: me}, false},
		{"mentor adds progress", mentor, GoalProgressAdd, Subject{OwnerID: me}, true},
		{"L&D reads no goals", staff, GoalRead, Subject{OwnerID: me, Shared: true}, false},

		// Cases.
		{"author reads their case", left, CaseRead, Subject{OwnerID: me, At: before}, true},
		{"member reads a shared case", member, CaseRead, Subject{OwnerID: other, Shared: true, At: before}, true},
		{"member does not read a mentor-only case", member, CaseRead, Subject{OwnerID: other, At: after}, false},
		{"late member does not read an earlier case", lateMember, CaseRead, Subject{OwnerID: other, Shared: true, At: before}, false},
		{"late member reads an earlier case still to be placed", lateMember, CaseRead, Subject{OwnerID: other, Shared: true, Open: true, At: before}, true},
		{"candidate reads no case", candidate, CaseRead, Subject{OwnerID: other, Shared: true, At: after}, false},
		{"new mentor does not read an earlier case", newMentor, CaseRead, Subject{OwnerID: me, At: before}, false},
		{"mentor reads a mentor-only case", mentor, CaseRead, Subject{OwnerID: me, At: after}, true},
		{"author may close their case", member, CaseStatusChange, Subject{OwnerID: me}, true},
		{"another member may not", member, CaseStatusChange, Subject{OwnerID: other}, false},
		{"mentor places a case", mentor, CaseMentor, Subject{OwnerID: me}, true},
		{"author may not place it", member, CaseMentor, Subject{OwnerID: me}, false},
		{"only the author writes take-aways", mentor, CaseAuthor, Subject{OwnerID: me}, false},
		{"L&D reads no case", staff, CaseRead, Subject{OwnerID: me, Shared: true, At: after}, false},

		// Action items.
		{"holder ticks their action", member, ActionToggle, Subject{OwnerID: me}, true},
		{"mentor ticks any action", mentor, ActionToggle, Subject{OwnerID: other}, true},
		{"member does not tick another's", member, ActionToggle, Subject{OwnerID: other}, false},

		// Input from the mentor at the mentee's request.
		{"mentee reads her request", member, InputRead, Subject{OwnerID: me, MentorID: mentorID}, true},
		{"mentee keeps her request after leaving", left, InputRead, Subject{OwnerID: me, MentorID: mentorID}, true},
		{"mentor asked reads it", mentor, InputRead, Subject{OwnerID: me, MentorID: mentorID}, true},
		{"mentor asked drafts", mentor, InputDraft, Subject{OwnerID: me, MentorID: mentorID}, true},
		{"a new mentor does not read a request to the former one", newMentor, InputRead, Subject{OwnerID: me, MentorID: 21}, false},
		{"a new mentor does not draft it", newMentor, InputDraft, Subject{OwnerID: me, MentorID: 21}, false},
		{"former mentor no longer reads it", formerMentor, InputRead, Subject{OwnerID: me, MentorID: mentorID}, false},
		{"former mentor no longer drafts", formerMentor, InputDraft, Subject{OwnerID: me, MentorID: mentorID}, false},
		{"mentor cannot approve or share it", mentor, InputReview, Subject{OwnerID: me, MentorID: mentorID}, false},
		{"mentee approves", member, InputReview, Subject{OwnerID: me, MentorID: mentorID}, true},
		{"mentee does not draft", member, InputDraft, Subject{OwnerID: me, MentorID: mentorID}, false},
		{"another member does not read it", member, InputRead, Subject{OwnerID: other, MentorID: mentorID}, false},
		{"L&D does not read it", staff, InputRead, Subject{OwnerID: me, MentorID: mentorID}, false},
		{"L&D as the new mentor does not read it", staffMentor, InputRead, Subject{OwnerID: me, MentorID: mentorID}, false},
		{"outsider does not read it", outsider, InputRead, Subject{OwnerID: me, MentorID: mentorID}, false},

		// One-on-one requests: the mentee and the group's mentor only.
		{"mentee reads her request for a one-on-one", member, RequestRead, Subject{OwnerID: me}, true},
		{"mentee keeps it after leaving", left, RequestRead, Subject{OwnerID: me}, true},
		{"mentee who left does not withdraw it", left, RequestMentee, Subject{OwnerID: me}, false},
		{"mentee withdraws her request", member, RequestMentee, Subject{OwnerID: me}, true},
		{"mentee does not answer as mentor", member, RequestMentor, Subject{OwnerID: me}, false},
		{"another member does not read it", member, RequestRead, Subject{OwnerID: other}, false},
		{"another member does not withdraw it", member, RequestMentee, Subject{OwnerID: other}, false},
		{"mentor reads it", mentor, RequestRead, Subject{OwnerID: me}, true},
		{"mentor answers it", mentor, RequestMentor, Subject{OwnerID: me}, true},
		{"mentor does not withdraw it", mentor, RequestMentee, Subject{OwnerID: me}, false},
		{"former mentor no longer answers", formerMentor, RequestMentor, Subject{OwnerID: me}, false},
		{"L&D does not read it", staff, RequestRead, Subject{OwnerID: me}, false},
		{"outsider does not read it", outsider, RequestRead, Subject{OwnerID: me}, false},

		// Apologies for a meeting: admitted members.
		{"member sends apologies", member, MeetingApology, Subject{At: after}, true},
		{"frozen member sends apologies", frozen, MeetingApology, Subject{At: after}, true},
		{"mentor sends none", mentor, MeetingApology, Subject{At: after}, false},
		{"candidate sends none", candidate, MeetingApology, Subject{At: after}, false},
		{"L&D sends none", staff, MeetingApology, Subject{At: after}, false},

		// Unknown permissions are refused.
		{"an unnamed permission", mentor, Permission("nothing"), Subject{}, false},
	}
	for _, r := range rows {
		if got := Decide(r.a, r.p, r.s); got != r.wanted {
			t.Errorf("%s: Decide(%s) = %v, want %v", r.name, r.p, got, r.wanted)
		}
	}
}

// TestViewerCan: permissions that follow from roles alone.
func TestViewerCan(t *testing.T) {
	rows := []struct {
		v      Viewer
		p      Permission
		wanted bool
	}{
		{Viewer{Admin: true}, OrgManage, true},
		{Viewer{Mentor: true}, OrgManage, false},
		{Viewer{Manager: true}, FiguresRead, true},
		{Viewer{Manager: true}, FiguresDetail, false},
		{Viewer{Mentee: true}, FiguresRead, false},
		{Viewer{Mentee: true}, SelfErase, true},
		{Viewer{Mentee: true, Mentor: true}, SelfErase, false},
		{Viewer{Admin: true}, SelfErase, false},
	}
	for _, r := range rows {
		if got := r.v.Can(r.p); got != r.wanted {
			t.Errorf("%+v Can(%s) = %v, want %v", r.v, r.p, got, r.wanted)
		}
	}
}
