package models

import (
	"context"
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

// groupSummaries selects groups with their mentor's name and head counts.
func groupSummaries(db *gorm.DB) *gorm.DB {
	return db.Model(&MentorGroup{}).Select(`mentor_groups.*, people.name AS mentor_name, pr.name AS programme_name,
		(SELECT COUNT(*) FROM memberships m WHERE m.group_id = mentor_groups.id AND m.status = 'active') AS active,
		(SELECT COUNT(*) FROM memberships m WHERE m.group_id = mentor_groups.id AND m.status IN ('candidate','intake')) AS candidates`).
		Joins("JOIN people ON people.id = mentor_groups.mentor_id").Joins("JOIN programmes pr ON pr.id = mentor_groups.programme_id").
		Order("mentor_groups.name, mentor_groups.id")
}

// ProgrammeGroups lists the groups of a programme; admins only.
func ProgrammeGroups(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint) ([]GroupSummary, error) {
	if !v.Admin {
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
		Where("mentor_groups.id IN (SELECT group_id FROM memberships WHERE person_id = ? AND status IN ('intake','active','frozen'))", v.PersonID).
		Find(&out).Error
	return out, err
}

// groupAccess says how a viewer relates to a group.
type groupAccess int

const (
	noAccess     groupAccess = iota
	memberAccess             // a mentee in the group: roster names only
	staffAccess              // the group's mentor or an admin
)

// accessToGroup finds the group and the viewer's access to it; ErrNotFound
// when the viewer has none.
func accessToGroup(tx *gorm.DB, v Viewer, id uint) (MentorGroup, groupAccess, error) {
	var g MentorGroup
	if err := tx.Preload("Programme").Preload("Mentor").First(&g, id).Error; err != nil {
		return g, noAccess, notFound(err)
	}
	if v.Admin || g.MentorID == v.PersonID {
		return g, staffAccess, nil
	}
	var n int64
	tx.Model(&Membership{}).Where("group_id = ? AND person_id = ? AND status IN ('intake','active','frozen')", id, v.PersonID).Count(&n)
	if n > 0 {
		return g, memberAccess, nil
	}
	return g, noAccess, ErrNotFound
}

// GroupPage is a group as one viewer may see it. Members and Checklist are
// filled for the mentor and admins only; Roster (names) for mentees.
type GroupPage struct {
	Group     MentorGroup
	Staff     bool
	IsMentor  bool
	Members   []MemberRow
	Roster    []string
	Checklist Checklist
}

// MemberRow is a membership as the mentor and admins see it.
type MemberRow struct {
	Membership
	Name       string
	Email      string
	TeamName   string
	Discipline string
	HasIntake  bool
}

// GetGroupPage returns a group as the viewer may see it.
func GetGroupPage(ctx context.Context, db *gorm.DB, v Viewer, id uint) (GroupPage, error) {
	tx := db.WithContext(ctx)
	g, access, err := accessToGroup(tx, v, id)
	if err != nil {
		return GroupPage{}, err
	}
	page := GroupPage{Group: g, Staff: access == staffAccess, IsMentor: g.MentorID == v.PersonID}
	if access == memberAccess {
		err = tx.Model(&Membership{}).Joins("JOIN people p ON p.id = memberships.person_id").
			Where("memberships.group_id = ? AND memberships.status IN ('active','frozen')", id).
			Order("p.name").Pluck("p.name", &page.Roster).Error
		page.Group.Mentor = Person{ID: g.Mentor.ID, Name: g.Mentor.Name}
		return page, err
	}
	err = tx.Model(&Membership{}).Select(`memberships.*, p.name, p.email, p.discipline,
		COALESCE(t.name, '') AS team_name,
		EXISTS (SELECT 1 FROM intakes i WHERE i.membership_id = memberships.id) AS has_intake`).
		Joins("JOIN people p ON p.id = memberships.person_id").
		Joins("LEFT JOIN teams t ON t.id = p.team_id").
		Where("memberships.group_id = ?", id).Order("p.name").Find(&page.Members).Error
	if err != nil {
		return page, err
	}
	comp, err := loadComposition(tx, g)
	if err != nil {
		return page, err
	}
	page.Checklist = comp.Check()
	return page, nil
}

// CreateGroup adds a group to a programme; admins only. It starts as forming.
func CreateGroup(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint, in GroupInput) (MentorGroup, error) {
	g := MentorGroup{ProgrammeID: programmeID, Status: GroupForming}
	if !v.Admin {
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
		return tx.Omit("Programme", "Mentor").Create(&g).Error
	})
	return g, err
}

// UpdateGroup changes a group's name, mentor, discipline or status; admins
// only. A change that would break a composition rule is refused.
func UpdateGroup(ctx context.Context, db *gorm.DB, v Viewer, id uint, in GroupInput) (MentorGroup, error) {
	var g MentorGroup
	if !v.Admin {
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
		active := len(before.active())
		if err := applyGroupInput(tx, &g, in, active); err != nil {
			return err
		}
		after, err := loadComposition(tx, g)
		if err != nil {
			return err
		}
		if broken := NewlyBroken(before.Check(), after.Check()); len(broken) > 0 {
			return &RuleViolation{Results: broken}
		}
		return tx.Model(&g).Select("name", "mentor_id", "discipline", "status", "closed_on").Updates(&g).Error
	})
	return g, err
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
	c := Composition{GroupDiscipline: g.Discipline, ProgrammeStart: g.Programme.StartsOn,
		ProgrammeEnd: g.Programme.EndsOn, MentorID: g.MentorID, MentorName: g.Mentor.Name}
	err := tx.Model(&Membership{}).Select(`memberships.id AS membership_id, memberships.person_id,
		memberships.status, p.name, p.team_id, p.manager_id, p.discipline,
		COALESCE(t.name, '') AS team_name`).
		Joins("JOIN people p ON p.id = memberships.person_id").
		Joins("LEFT JOIN teams t ON t.id = p.team_id").
		Where("memberships.group_id = ? AND memberships.status NOT IN ('stopped','referred','left')", g.ID).
		Order("p.name").Scan(&c.Mentees).Error
	if err != nil {
		return c, err
	}
	// The recorded exceptions are sealed: read them as memberships, which the vault opens.
	var exceptions []Membership
	if err := tx.Select("id", "discipline_exception").Where("group_id = ? AND discipline_exception <> ''", g.ID).
		Find(&exceptions).Error; err != nil {
		return c, err
	}
	byID := map[uint]string{}
	for _, m := range exceptions {
		byID[m.ID] = m.DisciplineException
	}
	for i := range c.Mentees {
		c.Mentees[i].DisciplineException = byID[c.Mentees[i].MembershipID]
		if err := fillMenteeContext(tx, &c.Mentees[i], g); err != nil {
			return c, err
		}
	}
	return c, nil
}

// fillMenteeContext loads a mentee's projects and other groups in the programme.
func fillMenteeContext(tx *gorm.DB, m *CompositionMentee, g MentorGroup) error {
	if err := tx.Preload("Project").Where("person_id = ?", m.PersonID).Find(&m.Assignments).Error; err != nil {
		return err
	}
	return tx.Model(&MentorGroup{}).
		Joins("JOIN memberships m ON m.group_id = mentor_groups.id").
		Where("m.person_id = ? AND m.status = 'active' AND mentor_groups.programme_id = ? AND mentor_groups.id <> ?",
			m.PersonID, g.ProgrammeID, g.ID).
		Order("mentor_groups.name").Pluck("mentor_groups.name", &m.OtherGroups).Error
}
