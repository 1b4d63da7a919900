package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// GroupStatus is where a mentor group stands.
type GroupStatus string

// Group statuses.
const (
	GroupForming  GroupStatus = "forming"
	GroupActive   GroupStatus = "active"
	GroupExtended GroupStatus = "extended"
	GroupClosed   GroupStatus = "closed"
)

// GroupStatuses lists the statuses in their natural order.
var GroupStatuses = []GroupStatus{GroupForming, GroupActive, GroupExtended, GroupClosed}

// MentorGroup is one mentor with four to six mentees in a programme.
type MentorGroup struct {
	ID          uint `gorm:"primaryKey"`
	ProgrammeID uint `gorm:"not null;index"`
	Programme   Programme
	MentorID    uint `gorm:"not null;index"`
	Mentor      Person
	Name        string      `gorm:"size:200;not null"`
	Discipline  string      `gorm:"size:100;not null;default:''"`
	Status      GroupStatus `gorm:"size:20;not null;default:'forming'"`
	ClosedOn    *Date       // when the group closed; retention counts from here
	RulesBroken bool        `gorm:"not null;default:false"` // L&D confirmed a change that broke a rule
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// GroupInput is what an admin enters for a group.
type GroupInput struct {
	Name       string `form:"name" json:"name" validate:"required,max=200"`
	MentorID   uint   `form:"mentor_id" json:"mentor_id" validate:"required"`
	Discipline string `form:"discipline" json:"discipline" validate:"max=100"`
	Status     string `form:"status" json:"status" validate:"omitempty,oneof=forming active extended closed"`
}

// GroupSummary is a group in a list, with its head counts.
type GroupSummary struct {
	MentorGroup
	ProgrammeName string `json:"-"`
	MentorName    string
	Active        int64
	Candidates    int64
}

// summaryCounts are a GroupSummary's head counts.
const summaryCounts = `(SELECT COUNT(*) FROM memberships m WHERE m.group_id = mentor_groups.id AND m.status = 'active') AS active,
		(SELECT COUNT(*) FROM memberships m WHERE m.group_id = mentor_groups.id AND m.status IN ('candidate','intake')) AS candidates`

// summaryColumns are a GroupSummary's columns (groupSummaries's joins).
const summaryColumns = `mentor_groups.*, people.name AS mentor_name, pr.name AS programme_name, ` + summaryCounts

// summaryFields are a GroupSummary's columns in the order of its fields(),
// for the home pages, which scan them by hand.
const summaryFields = `mentor_groups.id, mentor_groups.programme_id, mentor_groups.mentor_id, mentor_groups.name,
		mentor_groups.discipline, mentor_groups.status, mentor_groups.closed_on, mentor_groups.rules_broken,
		mentor_groups.created_at, mentor_groups.updated_at, people.name, pr.name, ` + summaryCounts

// fields are where summaryFields's columns go.
func (g *GroupSummary) fields() []any {
	return []any{&g.ID, &g.ProgrammeID, &g.MentorID, &g.Name, &g.Discipline, &g.Status, &g.ClosedOn, &g.RulesBroken,
		&g.CreatedAt, &g.UpdatedAt, &g.MentorName, &g.ProgrammeName, &g.Active, &g.Candidates}
}

// groupSummaries selects groups with their mentor's name and head counts.
func groupSummaries(db *gorm.DB) *gorm.DB {
	return db.Model(&MentorGroup{}).Select(summaryColumns).
		Joins("JOIN people ON people.id = mentor_groups.mentor_id").Joins("JOIN programmes pr ON pr.id = mentor_groups.programme_id").
		Order("mentor_groups.name, mentor_groups.id")
}

// ProgrammeGroups lists the groups of a programme; admins only.
func ProgrammeGroups(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint) ([]GroupSummary, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	var out []GroupSummary
	err := groupSummaries(db.WithContext(ctx)).Where("mentor_groups.programme_id = ?", programmeID).Find(&out).Error
	return out, err
}

// MentoredGroups lists the groups the viewer mentors.
func MentoredGroups(ctx context.Context, db *gorm.DB, v Viewer) ([]GroupSummary, error) {
	var out []GroupSummary
	err := groupSummaries(db.WithContext(ctx)).
		Where("mentor_groups.mentor_id = ?", v.PersonID).Find(&out).Error
	return out, err
}

// MemberGroups lists the groups the viewer is a mentee in, with their own status.
func MemberGroups(ctx context.Context, db *gorm.DB, v Viewer) ([]GroupSummary, error) {
	var out []GroupSummary
	err := groupSummaries(db.WithContext(ctx)).
		Where("mentor_groups.id IN (SELECT group_id FROM memberships WHERE person_id = ? AND status IN ?)",
			v.PersonID, append(AdmittedStatuses, ApplicantStatuses...)).
		Find(&out).Error
	return out, err
}

// GroupPage is a group as one viewer may see it. Members and Checklist are
// filled for the mentor and L&D; Roster (names) for the group's mentees.
// Status reasons are the mentor's and the mentee's alone: L&D sees the
// status and its date.
type GroupPage struct {
	Group       MentorGroup
	Access      Access
	Staff       bool
	IsMentor    bool
	Members     []MemberRow
	Roster      []string
	Checklist   Checklist
	MentorTerms []MentorTerm // the group's mentors over time, when it had more than one
	History     []GroupStatusChange
	Pending     map[uint]*MembershipStatusChange // membership id → change waiting for its date
}

// MemberRow is a membership as the mentor and L&D see it.
type MemberRow struct {
	Membership
	Name       string
	Email      string
	TeamName   string
	Discipline string
	HasIntake  bool
	TeamID     *uint `json:"-"` // for the composition rules
	ManagerID  *uint `json:"-"`
}

// GetGroupPage returns a group as the viewer may see it.
func GetGroupPage(ctx context.Context, db *gorm.DB, v Viewer, id uint) (GroupPage, error) {
	tx := db.WithContext(ctx)
	a, err := requireGroup(tx, v, GroupRead, id)
	if err != nil {
		return GroupPage{}, err
	}
	g := a.Group
	page := GroupPage{Group: g, Access: a, Staff: a.Staff || a.IsMentor(), IsMentor: a.IsMentor()}
	if terms := a.terms; len(terms) > 1 || (len(terms) == 1 && terms[0].EndsAt != nil) {
		page.MentorTerms = terms
	}
	if err := tx.Where("group_id = ?", id).Order("at, id").Find(&page.History).Error; err != nil {
		return page, err
	}
	if !page.Staff {
		page.Group.Mentor = Person{ID: g.Mentor.ID, Name: g.Mentor.Name}
		if !a.IsMember() {
			return page, nil // applicants see their own place, not who else is in the group
		}
		err = tx.Model(&Membership{}).Joins("JOIN people p ON p.id = memberships.person_id").
			Where("memberships.group_id = ? AND memberships.status IN ?", id, AdmittedStatuses).
			Order("p.name").Pluck("p.name", &page.Roster).Error
		return page, err
	}
	err = tx.Model(&Membership{}).Select(`memberships.*, p.name, p.email, p.discipline, p.team_id, p.manager_id,
		COALESCE(t.name, '') AS team_name,
		EXISTS (SELECT 1 FROM intakes i WHERE i.membership_id = memberships.id) AS has_intake`).
		Joins("JOIN people p ON p.id = memberships.person_id").
		Joins("LEFT JOIN teams t ON t.id = p.team_id").
		Where("memberships.group_id = ?", id).Order("p.name").Find(&page.Members).Error
	if err != nil {
		return page, err
	}
	for i := range page.Members {
		if !Decide(a, MembershipReason, Subject{OwnerID: page.Members[i].PersonID}) {
			page.Members[i].StatusReason = ""
		}
	}
	histories, err := membershipHistories(tx, id)
	if err != nil {
		return page, err
	}
	page.Pending = map[uint]*MembershipStatusChange{}
	for mid, h := range histories {
		page.Pending[mid] = h.Pending
	}
	comp, err := compositionOf(tx, g, menteesOf(page.Members))
	if err != nil {
		return page, err
	}
	page.Checklist = comp.Check()
	return page, nil
}

// CreateGroup adds a group to a programme; admins only. It starts as forming.
func CreateGroup(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint, in GroupInput) (MentorGroup, error) {
	g := MentorGroup{ProgrammeID: programmeID, Status: GroupForming}
	if !v.Can(OrgManage) {
		return g, ErrNotFound
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&g.Programme, programmeID).Error; err != nil {
			return notFound(err)
		}
		if err := applyGroupInput(tx, &g, in, 0); err != nil {
			return err
		}
		g.Status = GroupForming
		if g.MentorID == v.PersonID {
			return errSelfAppointment
		}
		if err := tx.Omit("Programme", "Mentor").Create(&g).Error; err != nil {
			return err
		}
		return startTenure(tx, g.ID, g.MentorID, tenureMentor, nowOf(tx))
	})
	return g, refusedMentor(ctx, db, v, g.ID, err)
}

// errSelfAppointment refuses an L&D admin who makes themselves a group's
// mentor: that would open the group's confidential content to L&D. Another
// admin may appoint them.
var errSelfAppointment = fieldErr("mentor_id", "mentor_self_appointed")

// refusedMentor writes an audit row, outside the rolled-back transaction,
// when err refused a self-appointment; it returns err.
func refusedMentor(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, err error) error {
	if err != nil && errors.Is(err, errSelfAppointment) {
		if aerr := Audit(ctx, db, v.PersonID, AuditDenied, "mentor_self_appointment", groupID); aerr != nil {
			return aerr
		}
	}
	return err
}

// changeMentor ends the former mentor's term and starts the new one's, audits
// who changed it from whom to whom, tells the group's members and the new
// mentor by mail (with the series, now organised by the new mentor), and
// takes the coming meetings out of the former mentor's calendar.
func changeMentor(tx *gorm.DB, v Viewer, g MentorGroup, from uint) error {
	now := nowOf(tx)
	if err := endTenure(tx, g.ID, from, tenureMentor, now); err != nil {
		return err
	}
	if err := startTenure(tx, g.ID, g.MentorID, tenureMentor, now); err != nil {
		return err
	}
	if err := auditDetail(tx, v.PersonID, AuditMentorChange, "group", g.ID,
		"person #"+itoaU(from)+" → person #"+itoaU(g.MentorID)); err != nil {
		return err
	}
	var members []uint
	if err := tx.Model(&Membership{}).Where("group_id = ? AND status IN ?", g.ID, AdmittedStatuses).
		Pluck("person_id", &members).Error; err != nil {
		return err
	}
	if err := withdrawFromCalendar(tx, g.ID, from, now); err != nil {
		return err
	}
	// The mail telling the group carries the series again, organised by the
	// new mentor: a higher SEQUENCE lets calendars take the new organiser.
	if err := tx.Model(&GroupSeries{}).Where("group_id = ? AND uid <> ''", g.ID).
		UpdateColumn("sequence", gorm.Expr("sequence + 1")).Error; err != nil {
		return err
	}
	return Notify(tx, MailMentorChanged, NoticeAbout{Type: "group", ID: g.ID, GroupID: g.ID, OtherID: g.MentorID,
		Path: "/groups/" + itoaU(g.ID), Occurrence: now}, append(members, g.MentorID))
}

// UpdateGroup changes a group's name, mentor, discipline or status; admins
// only. A change that would break a composition rule is refused.
func UpdateGroup(ctx context.Context, db *gorm.DB, v Viewer, id uint, in GroupInput) (MentorGroup, error) {
	var g MentorGroup
	if !v.Can(OrgManage) {
		return g, ErrNotFound
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Preload("Programme").Preload("Mentor").First(&g, id).Error; err != nil {
			return notFound(err)
		}
		before, err := loadComposition(tx, g)
		if err != nil {
			return err
		}
		active, formerMentor, fromStatus := len(before.active()), g.MentorID, g.Status
		if err := applyGroupInput(tx, &g, in, active); err != nil {
			return err
		}
		if g.MentorID != formerMentor && g.MentorID == v.PersonID {
			return errSelfAppointment
		}
		after, err := loadComposition(tx, g)
		if err != nil {
			return err
		}
		checked := after.Check()
		if broken := NewlyBroken(before.Check(), checked); len(broken) > 0 {
			return &RuleViolation{Results: broken}
		}
		if err := tx.Model(&g).Select("name", "mentor_id", "discipline", "status", "closed_on").Updates(&g).Error; err != nil {
			return err
		}
		if err := settleRules(tx, g, checked); err != nil {
			return err
		}
		if g.Status != fromStatus {
			if err := tx.Create(&GroupStatusChange{GroupID: g.ID, FromStatus: fromStatus, ToStatus: g.Status, Cause: CauseStaff,
				ByID: v.PersonID, At: nowOf(tx)}).Error; err != nil {
				return err
			}
		}
		if g.MentorID != formerMentor {
			return changeMentor(tx, v, g, formerMentor)
		}
		return nil
	})
	return g, refusedMentor(ctx, db, v, id, err)
}

func applyGroupInput(tx *gorm.DB, g *MentorGroup, in GroupInput, active int) error {
	ve := &ValidationError{}
	g.Name = CleanText(in.Name)
	g.Discipline = CleanText(in.Discipline)
	var mentor Person
	if err := tx.First(&mentor, in.MentorID).Error; err != nil {
		ve.Add("mentor_id", "unknown_choice", nil)
	} else {
		g.MentorID, g.Mentor = mentor.ID, mentor
	}
	if in.Status != "" {
		status := GroupStatus(in.Status)
		if (status == GroupActive || status == GroupExtended) && g.Status == GroupForming && active < MinMentees {
			ve.Add("status", "group_too_small", map[string]any{"Min": MinMentees})
		}
		if status == GroupClosed && g.Status != GroupClosed {
			today := DateOf(time.Now().UTC())
			if info, ok := tx.Statement.Context.Value(requestInfoKey{}).(requestInfo); ok && info.Now != nil {
				today = DateOf(info.Now().UTC())
			}
			g.ClosedOn = &today
		} else if status != GroupClosed {
			g.ClosedOn = nil
		}
		g.Status = status
	}
	return ve.OrNil()
}

// loadComposition reads what the rules need to know about a group.
func loadComposition(tx *gorm.DB, g MentorGroup) (Composition, error) {
	var mentees []CompositionMentee
	err := tx.Model(&Membership{}).Select(`memberships.id AS membership_id, memberships.person_id,
		memberships.status, p.name, p.team_id, p.manager_id, p.discipline,
		COALESCE(t.name, '') AS team_name`).
		Joins("JOIN people p ON p.id = memberships.person_id").
		Joins("LEFT JOIN teams t ON t.id = p.team_id").
		Where("memberships.group_id = ? AND memberships.status NOT IN ?", g.ID, LeftStatuses).
		Order("p.name").Scan(&mentees).Error
	if err != nil {
		return Composition{}, err
	}
	// The recorded exceptions are sealed: read them as memberships, which the vault opens.
	var exceptions []Membership
	if err := tx.Select("id", "discipline_exception").Where("group_id = ? AND discipline_exception <> ''", g.ID).
		Find(&exceptions).Error; err != nil {
		return Composition{}, err
	}
	byID := map[uint]string{}
	for _, m := range exceptions {
		byID[m.ID] = m.DisciplineException
	}
	for i := range mentees {
		mentees[i].DisciplineException = byID[mentees[i].MembershipID]
	}
	return compositionOf(tx, g, mentees)
}

// menteesOf is the composition's mentees taken from a group page's member
// rows (read as memberships, so their exceptions are open): those who have
// not left, in the rows' (name) order.
func menteesOf(rows []MemberRow) []CompositionMentee {
	var out []CompositionMentee
	for _, r := range rows {
		if r.Status.Left() {
			continue
		}
		out = append(out, CompositionMentee{MembershipID: r.ID, PersonID: r.PersonID, Name: r.Name, Status: r.Status,
			TeamID: r.TeamID, TeamName: r.TeamName, ManagerID: r.ManagerID, Discipline: r.Discipline,
			DisciplineException: r.DisciplineException})
	}
	return out
}

// compositionOf completes a group's composition from its mentees: their
// projects, other groups and line managers.
func compositionOf(tx *gorm.DB, g MentorGroup, mentees []CompositionMentee) (Composition, error) {
	c := Composition{GroupDiscipline: g.Discipline, ProgrammeStart: g.Programme.StartsOn,
		ProgrammeEnd: g.Programme.EndsOn, MentorID: g.MentorID, MentorName: g.Mentor.Name, Mentees: mentees}
	return c, fillMenteeContexts(tx, c.Mentees, g)
}
