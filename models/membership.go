package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// MembershipStatus is where a mentee stands in a group.
type MembershipStatus string

// Membership statuses.
const (
	StatusCandidate MembershipStatus = "candidate"
	StatusIntake    MembershipStatus = "intake"
	StatusActive    MembershipStatus = "active"
	StatusFrozen    MembershipStatus = "frozen"
	StatusStopped   MembershipStatus = "stopped"
	StatusReferred  MembershipStatus = "referred"
	StatusLeft      MembershipStatus = "left" // the person erased their data
)

// MembershipStatuses lists the statuses in their natural order.
var MembershipStatuses = []MembershipStatus{StatusCandidate, StatusIntake, StatusActive,
	StatusFrozen, StatusStopped, StatusReferred}

// Membership places a mentee in a mentor group.
type Membership struct {
	ID                  uint             `gorm:"primaryKey"`
	GroupID             uint             `gorm:"not null;uniqueIndex:idx_membership_group_person"`
	PersonID            uint             `gorm:"not null;uniqueIndex:idx_membership_group_person;index"`
	Status              MembershipStatus `gorm:"size:20;not null"`
	StatusSince         Date             `gorm:"not null"`
	StatusReason        string           `gorm:"type:text;not null;default:''" sealed:"memberships"`
	DisciplineException string           `gorm:"type:text;not null;default:''" sealed:"memberships"`
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// MemberInput adds a person to a group.
type MemberInput struct {
	PersonID            uint   `form:"person_id" json:"person_id" validate:"required"`
	Status              string `form:"status" json:"status" validate:"omitempty,oneof=candidate intake active"`
	DisciplineException string `form:"discipline_exception" json:"discipline_exception" validate:"max=500"`
}

// StatusInput changes a membership's status.
type StatusInput struct {
	Status              string `form:"status" json:"status" validate:"required,oneof=candidate intake active frozen stopped referred"`
	Since               string `form:"since" json:"since" validate:"omitempty,date"`
	Reason              string `form:"reason" json:"reason" validate:"max=500"`
	DisciplineException string `form:"discipline_exception" json:"discipline_exception" validate:"max=500"`
}

// AddMember places a person in a group; admins only. Adding an active
// mentee is refused when it breaks a composition rule.
func AddMember(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, in MemberInput, today Date) (Membership, error) {
	m := Membership{GroupID: groupID, PersonID: in.PersonID, Status: StatusCandidate, StatusSince: today,
		DisciplineException: CleanText(in.DisciplineException)}
	if !v.Can(OrgManage) {
		return m, ErrNotFound
	}
	if in.Status != "" {
		m.Status = MembershipStatus(in.Status)
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := requireGroup(tx, v, GroupManage, groupID)
		if err != nil {
			return err
		}
		g := a.Group
		if g.Status == GroupClosed {
			return errGroupClosed
		}
		var person Person
		if err := tx.First(&person, in.PersonID).Error; err != nil {
			return fieldErr("person_id", "unknown_choice")
		}
		if person.ID == g.MentorID {
			return fieldErr("person_id", "mentor_in_own_group")
		}
		var n int64
		tx.Model(&Membership{}).Where("group_id = ? AND person_id = ?", groupID, in.PersonID).Count(&n)
		if n > 0 {
			return fieldErr("person_id", "already_member")
		}
		before, err := loadComposition(tx, g)
		if err != nil {
			return err
		}
		mentee, err := compositionMentee(tx, m, g)
		if err != nil {
			return err
		}
		after := before
		after.Mentees = append(append([]CompositionMentee(nil), before.Mentees...), mentee)
		if broken := NewlyBroken(before.Check(), after.Check()); len(broken) > 0 {
			return &RuleViolation{Results: broken}
		}
		err = tx.Create(&m).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return fieldErr("person_id", "already_member")
		}
		if err != nil {
			return err
		}
		if err := memberTenureFor(tx, m, StatusCandidate, nowOf(tx)); err != nil {
			return err
		}
		now := nowOf(tx)
		if err := tx.Create(&MembershipStatusChange{MembershipID: m.ID, Status: m.Status, Since: m.StatusSince,
			ByID: v.PersonID, AppliedAt: &now}).Error; err != nil {
			return err
		}
		return audit(tx, v.PersonID, AuditMembership, "membership", m.ID)
	})
	return m, err
}

// ChangeStatus moves a membership to another status, for the group's mentor
// or an admin. Becoming active is refused when it breaks a composition rule.
func ChangeStatus(ctx context.Context, db *gorm.DB, v Viewer, membershipID uint, in StatusInput, today Date) (Membership, error) {
	var m Membership
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		m, err = changeStatus(tx, v, membershipID, in, today)
		return err
	})
	return m, err
}

// changeStatus does ChangeStatus inside the caller's transaction.
func changeStatus(tx *gorm.DB, v Viewer, membershipID uint, in StatusInput, today Date) (Membership, error) {
	var m Membership
	if err := tx.First(&m, membershipID).Error; err != nil {
		return m, notFound(err)
	}
	a, err := authorize(tx, v, MembershipStaff, membershipID)
	if err != nil {
		return Membership{}, err
	}
	g := a.Group
	if m.Status == StatusLeft {
		return m, errErased
	}
	if g.Status == GroupClosed {
		return m, errGroupClosed
	}
	since := today
	if in.Since != "" {
		if since, err = ParseDate(in.Since); err != nil {
			return m, fieldErr("since", "date")
		}
	}
	before, err := loadComposition(tx, g)
	if err != nil {
		return m, err
	}
	exception := m.DisciplineException
	if e := CleanText(in.DisciplineException); e != "" {
		exception = e
	}
	after := before
	after.Mentees = append([]CompositionMentee(nil), before.Mentees...)
	found := false
	for i := range after.Mentees {
		if after.Mentees[i].MembershipID == m.ID {
			after.Mentees[i].Status = MembershipStatus(in.Status)
			after.Mentees[i].DisciplineException = exception
			found = true
		}
	}
	if !found { // a stopped or referred member coming back
		mentee, err := compositionMentee(tx, m, g)
		if err != nil {
			return m, err
		}
		mentee.Status, mentee.DisciplineException = MembershipStatus(in.Status), exception
		after.Mentees = append(after.Mentees, mentee)
	}
	if broken := NewlyBroken(before.Check(), after.Check()); len(broken) > 0 {
		return m, &RuleViolation{Results: broken}
	}
	if since.After(today) {
		// Dated ahead: it takes effect on its date, by the job.
		if exception != m.DisciplineException {
			if err := tx.Model(&m).Update("discipline_exception", exception).Error; err != nil {
				return m, err
			}
		}
		return m, scheduleStatus(tx, v, m, MembershipStatus(in.Status), since, CleanText(in.Reason))
	}
	m.DisciplineException = exception
	if err := applyStatus(tx, &m, MembershipStatus(in.Status), since, CleanText(in.Reason), v.PersonID, 0); err != nil {
		return m, err
	}
	return m, audit(tx, v.PersonID, AuditMembership, "membership", m.ID)
}

// compositionMentee loads one membership as the rules see it.
func compositionMentee(tx *gorm.DB, m Membership, g MentorGroup) (CompositionMentee, error) {
	var p Person
	if err := tx.Preload("Team").First(&p, m.PersonID).Error; err != nil {
		return CompositionMentee{}, err
	}
	c := CompositionMentee{MembershipID: m.ID, PersonID: p.ID, Name: p.Name, Status: m.Status,
		TeamID: p.TeamID, ManagerID: p.ManagerID, Discipline: p.Discipline, DisciplineException: m.DisciplineException}
	if p.Team != nil {
		c.TeamName = p.Team.Name
	}
	one := []CompositionMentee{c}
	err := fillMenteeContexts(tx, one, g)
	return one[0], err
}

// RemoveMember deletes a membership that has not started (candidate or
// intake without a recorded intake); admins only.
func RemoveMember(ctx context.Context, db *gorm.DB, v Viewer, groupID, membershipID uint) error {
	if !v.Can(OrgManage) {
		return ErrNotFound
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m Membership
		if err := tx.Where("group_id = ?", groupID).First(&m, membershipID).Error; err != nil {
			return notFound(err)
		}
		var n int64
		tx.Model(&Intake{}).Where("membership_id = ?", m.ID).Count(&n)
		if (m.Status != StatusCandidate && m.Status != StatusIntake) || n > 0 {
			return fieldErr("status", "cannot_remove_started")
		}
		if err := tx.Delete(&m).Error; err != nil {
			return err
		}
		return audit(tx, v.PersonID, AuditMembership, "membership", m.ID)
	})
}
