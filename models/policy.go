package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Permission names something a viewer may want to do. The roles table of the
// design, as code: Decide is the one place that decides, from an Access
// (groupAccess) and the facts of one record (Subject). Every route that
// touches a record names its permission, and the models funcs check the same
// permission inside their transactions. A rule that is not here does not exist.
//
// To add a rule: name a permission below, decide it in Decide, add rows to the
// table in policy_test.go, and name it on the route in handlers/routes.go.
type Permission string

// Permissions, by the kind of record their id points to.
const (
	GroupRead         Permission = "group.read"          // group id: its page (applicants see their own place only)
	GroupRosterRead   Permission = "group.roster"        // group id: names and statuses of the members
	GroupContent      Permission = "group.content"       // group id: cases, goals, polls, notes (mentor, admitted members)
	GroupMember       Permission = "group.member"        // group id: bring in a case or goal (admitted members)
	GroupMentor       Permission = "group.mentor"        // group id: plan and run the group (its mentor)
	GroupManage       Permission = "group.manage"        // group id: edit the group and its members (L&D)
	MembershipStaff   Permission = "membership.staff"    // membership id: change the status (mentor, L&D)
	MembershipMentor  Permission = "membership.mentor"   // membership id: the intake (mentor)
	MembershipReason  Permission = "membership.reason"   // membership id: read the status reason (mentor, the mentee)
	IntakeNotesRead   Permission = "intake.read"         // membership id: intake notes recorded during the mentor's term
	MeetingRead       Permission = "meeting.read"        // meeting id: schedule, agenda, roles (mentor, members)
	MeetingNotesRead  Permission = "meeting.notes.read"  // meeting id: notes, entries, actions of the viewer's tenure
	MeetingNotesWrite Permission = "meeting.notes.write" // meeting id: group notes (mentor, the note-taker)
	MeetingEntryWrite Permission = "meeting.entry.write" // meeting id + person: first-meeting entry (mentor, the mentee)
	MeetingActionAdd  Permission = "meeting.action.add"  // meeting id: add an action item (mentor, members)
	MeetingMentor     Permission = "meeting.mentor"      // meeting id: plan, roles, attendance (mentor)
	MeetingRun        Permission = "meeting.run"         // meeting id: run its clock (mentor, the facilitator, the timekeeper)
	OneOnOneRead      Permission = "oneonone.read"       // one-on-one id: its mentee, and its mentor while mentoring the group
	OneOnOneWrite     Permission = "oneonone.write"      // one-on-one id: its mentor and mentee while in the group
	GoalRead          Permission = "goal.read"           // goal id: its owner, the mentor, members if shared
	GoalOwner         Permission = "goal.owner"          // goal id: its owner
	GoalProgressAdd   Permission = "goal.progress"       // goal id: its owner and their mentor
	ActionToggle      Permission = "action.toggle"       // action item id: its holder and the group's mentor
	CaseRead          Permission = "case.read"           // case id: its author, the mentor, members if shared with the group
	CaseStatusChange  Permission = "case.status"         // case id: the mentor (any status), its author (to close it)
	CaseMentor        Permission = "case.mentor"         // case id: place it on a meeting (mentor)
	CaseAuthor        Permission = "case.author"         // case id: its author (take-aways)
	InputRead         Permission = "input.read"          // input request id: its mentee, and the mentor asked while mentoring the group
	InputDraft        Permission = "input.draft"         // input request id: the mentor asked, while mentoring the group
	InputReview       Permission = "input.review"        // input request id: its mentee alone (changes, approve, refuse, withdraw, revoke)
	RequestRead       Permission = "request.read"        // one-on-one request id: its mentee, and the group's mentor
	RequestMentor     Permission = "request.mentor"      // one-on-one request id: accept, counter, decline (the group's mentor)
	RequestMentee     Permission = "request.mentee"      // one-on-one request id: answer the mentor, withdraw (its mentee while in the group)
	MeetingApology    Permission = "meeting.apology"     // meeting id: send or take back apologies (admitted members)
)

// Permissions that follow from the viewer's roles alone, not from a group.
const (
	OrgManage     Permission = "org.manage"     // people, teams, projects, programmes, groups, settings, mailbox, jobs, audit (L&D)
	FiguresRead   Permission = "figures.read"   // the aggregate report and dashboard (L&D, managers)
	FiguresDetail Permission = "figures.detail" // the dashboard's operational figures and anonymous open answers (L&D)
	SelfErase     Permission = "self.erase"     // erase one's own data (not while mentoring or running the programme)
)

// Can decides a permission that follows from the viewer's roles alone.
func (v Viewer) Can(p Permission) bool {
	switch p {
	case OrgManage, FiguresDetail:
		return v.Admin
	case FiguresRead:
		return v.Admin || v.Manager
	case SelfErase:
		return !v.Admin && !v.Mentor
	}
	return false
}

// Subject is what Decide needs to know of one record: whose it is, when it
// happened and how it is shared. Group permissions use the zero Subject.
type Subject struct {
	OwnerID   uint      // author, holder, goal owner, the mentee of a one-on-one or membership
	MentorID  uint      // the mentor of a one-on-one
	At        time.Time // when it happened: meeting start, case or intake recorded
	Shared    bool      // shared with the group (case, goal)
	Open      bool      // a case still waiting to be placed
	NoteTaker bool      // the viewer is the meeting's note-taker
	Runner    bool      // the viewer is the meeting's facilitator or timekeeper
}

// Decide says whether the viewer with access a has permission p on the
// record described by s. It is pure: the table test in policy_test.go walks it.
func Decide(a Access, p Permission, s Subject) bool {
	mentor, member := a.Role == RoleMentor, a.Role == RoleMember
	inGroup := mentor || member
	own := s.OwnerID != 0 && s.OwnerID == a.ViewerID
	switch p {
	case GroupRead:
		return a.Role >= RoleApplicant
	case GroupRosterRead:
		return a.Role >= RoleStaff
	case GroupContent:
		return inGroup
	case GroupMember:
		return member
	case GroupMentor, MembershipMentor, MeetingMentor, CaseMentor:
		return mentor
	case GroupManage:
		return a.Staff
	case MembershipStaff:
		return mentor || a.Staff
	case MembershipReason:
		return mentor || own
	case IntakeNotesRead:
		return mentor && a.Covers(s.At)
	case MeetingRead:
		return inGroup
	case MeetingNotesRead, MeetingActionAdd:
		return inGroup && a.Covers(s.At)
	case MeetingNotesWrite:
		return (mentor || (member && s.NoteTaker)) && a.Covers(s.At)
	case MeetingEntryWrite:
		return mentor || (member && own)
	case MeetingRun:
		return (mentor || (member && s.Runner)) && a.Covers(s.At)
	case OneOnOneRead:
		return own || (mentor && s.MentorID == a.ViewerID && a.Covers(s.At))
	case OneOnOneWrite:
		return (own && member) || (mentor && s.MentorID == a.ViewerID && a.Covers(s.At))
	case GoalRead:
		return own || mentor || (member && s.Shared)
	case GoalOwner:
		return own
	case GoalProgressAdd, ActionToggle:
		return own || mentor
	case CaseRead:
		recent := a.Covers(s.At) || s.Open
		return own || (mentor && recent) || (member && s.Shared && recent)
	case CaseStatusChange:
		return own || mentor
	case CaseAuthor:
		return own
	case InputRead:
		return own || (mentor && s.MentorID == a.ViewerID)
	case InputDraft:
		return mentor && s.MentorID == a.ViewerID
	case InputReview:
		return own
	case RequestRead:
		return own || (mentor && (a.Covers(s.At) || s.Open))
	case RequestMentor:
		return mentor
	case RequestMentee:
		return own && member
	case MeetingApology:
		return member
	}
	return false
}

// Authorize returns nil when the viewer has the permission for the record
// with that id, and ErrNotFound otherwise (also for records that do not
// exist, so the two cannot be told apart).
func Authorize(ctx context.Context, db *gorm.DB, v Viewer, p Permission, id uint) error {
	_, err := authorize(db.WithContext(ctx), v, p, id)
	return err
}

// authorize loads the record's group access and subject and decides.
func authorize(tx *gorm.DB, v Viewer, p Permission, id uint) (Access, error) {
	groupID, s, err := subjectOf(tx, v, p, id)
	if err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			err = ErrNotFound
		}
		return Access{}, err
	}
	a, err := groupAccess(tx, v, groupID)
	if err != nil {
		return a, err
	}
	if !Decide(a, p, s) {
		return a, ErrNotFound
	}
	return a, nil
}

// subjectOf finds the group of the record a permission points to, and the
// facts Decide needs of it.
func subjectOf(tx *gorm.DB, v Viewer, p Permission, id uint) (uint, Subject, error) {
	switch p {
	case GroupRead, GroupRosterRead, GroupContent, GroupMember, GroupMentor, GroupManage:
		return id, Subject{}, nil
	case MembershipStaff, MembershipMentor, MembershipReason, IntakeNotesRead:
		var m Membership
		if err := tx.Select("id", "group_id", "person_id").First(&m, id).Error; err != nil {
			return 0, Subject{}, err
		}
		s := Subject{OwnerID: m.PersonID}
		if p == IntakeNotesRead {
			var it Intake
			if err := tx.Select("id", "created_at").Where("membership_id = ?", id).First(&it).Error; err != nil {
				return 0, s, err
			}
			s.At = it.CreatedAt
		}
		return m.GroupID, s, nil
	case MeetingRead, MeetingNotesRead, MeetingNotesWrite, MeetingEntryWrite, MeetingActionAdd, MeetingMentor, MeetingRun, MeetingApology:
		m, err := loadMeeting(tx, id)
		if err != nil {
			return 0, Subject{}, err
		}
		s, err := meetingSubject(tx, v, p, m)
		return m.GroupID, s, err
	case OneOnOneRead, OneOnOneWrite:
		var o OneOnOne
		if err := tx.Select("id", "group_id", "mentor_id", "mentee_id", "created_at").First(&o, id).Error; err != nil {
			return 0, Subject{}, err
		}
		return o.GroupID, Subject{OwnerID: o.MenteeID, MentorID: o.MentorID, At: o.CreatedAt}, nil
	case GoalRead, GoalOwner, GoalProgressAdd:
		var g LearningGoal
		if err := tx.Select("id", "person_id", "group_id", "shared").First(&g, id).Error; err != nil {
			return 0, Subject{}, err
		}
		return g.GroupID, Subject{OwnerID: g.PersonID, Shared: g.Shared}, nil
	case CaseRead, CaseStatusChange, CaseMentor, CaseAuthor:
		var c CaseQuestion
		if err := tx.Select("id", "author_id", "group_id", "visibility", "status", "created_at").First(&c, id).Error; err != nil {
			return 0, Subject{}, err
		}
		return c.GroupID, caseSubject(c), nil
	case InputRead, InputDraft, InputReview:
		var r InputRequest
		if err := tx.Select("id", "group_id", "mentee_id", "mentor_id").First(&r, id).Error; err != nil {
			return 0, Subject{}, err
		}
		return r.GroupID, Subject{OwnerID: r.MenteeID, MentorID: r.MentorID}, nil
	case RequestRead, RequestMentor, RequestMentee:
		var r OneOnOneRequest
		if err := tx.Select("id", "group_id", "mentee_id", "status", "created_at").First(&r, id).Error; err != nil {
			return 0, Subject{}, err
		}
		return r.GroupID, Subject{OwnerID: r.MenteeID, At: r.CreatedAt, Open: r.Status.Open()}, nil
	case ActionToggle:
		var a ActionItem
		if err := tx.Select("id", "holder_id", "group_id").First(&a, id).Error; err != nil {
			return 0, Subject{}, err
		}
		return a.GroupID, Subject{OwnerID: a.HolderID}, nil
	}
	return 0, Subject{}, ErrNotFound
}

// loadMeeting reads the meeting a permission points to: in a reading
// request the whole row with its run, kept for the page (meetingFor) so
// they are read once; otherwise only what the check needs.
func loadMeeting(tx *gorm.DB, id uint) (Meeting, error) {
	var m Meeting
	memo := memoOf(tx)
	if read, ok := memo.meeting(id); ok {
		return read.meeting, nil
	}
	if memo == nil {
		err := tx.Select("id", "group_id", "starts_at").First(&m, id).Error
		return m, err
	}
	m, run, err := meetingWithRun(tx, id)
	if err != nil {
		return m, err
	}
	memo.putMeeting(m, run)
	return m, nil
}

// meetingSubject is what the policy needs of a meeting for permission p:
// its start, and for notes and the run whether the viewer holds the role.
func meetingSubject(tx *gorm.DB, v Viewer, p Permission, m Meeting) (Subject, error) {
	s := Subject{At: m.StartsAt}
	var err error
	switch p {
	case MeetingNotesWrite:
		s.NoteTaker, err = holdsMeetingRole(tx, m.ID, v.PersonID, RoleNoteTaker)
	case MeetingRun:
		s.Runner, err = holdsMeetingRole(tx, m.ID, v.PersonID, RoleFacilitator, RoleTimekeeper)
	}
	return s, err
}

// holdsMeetingRole reports whether the person holds one of roles at the meeting.
func holdsMeetingRole(tx *gorm.DB, meetingID, personID uint, roles ...MeetingRole) (bool, error) {
	var n int64
	err := tx.Model(&MeetingRoleAssignment{}).Where("meeting_id = ? AND person_id = ? AND role IN ?",
		meetingID, personID, roles).Count(&n).Error
	return n > 0, err
}

// caseSubject is what the policy needs of a case.
func caseSubject(c CaseQuestion) Subject {
	return Subject{OwnerID: c.AuthorID, At: c.CreatedAt, Shared: c.Visibility == "group", Open: c.Status == CaseSubmitted}
}
