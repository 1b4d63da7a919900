package models

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"
)

// GroupProposal is the proposal L&D is reviewing for a programme, stored as
// who is where so that moves survive a reload and another admin sees them.
type GroupProposal struct {
	ID          uint   `gorm:"primaryKey"`
	ProgrammeID uint   `gorm:"not null;uniqueIndex"`
	Arrangement string `gorm:"type:text;not null"` // JSON of an Arrangement
	CreatedByID uint   `gorm:"not null"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// MoveInput moves a mentee to another proposed group (1-based), or out of
// every group with 0.
type MoveInput struct {
	PersonID uint `form:"person_id" json:"person_id" validate:"required"`
	ToGroup  int  `form:"to_group" json:"to_group" validate:"min=0,max=1000"`
}

// ProposeGroups builds a new proposal from the programme's pool and keeps it
// for review, replacing an earlier one; admins only.
func ProposeGroups(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint) (Proposal, error) {
	pool, err := LoadPool(ctx, db, v, programmeID)
	if err != nil {
		return Proposal{}, err
	}
	p := Propose(pool)
	return p, storeArrangement(db.WithContext(ctx), v, programmeID, p.Arrangement())
}

func storeArrangement(tx *gorm.DB, v Viewer, programmeID uint, a Arrangement) error {
	body, err := json.Marshal(a)
	if err != nil {
		return err
	}
	var gp GroupProposal
	err = tx.Where("programme_id = ?", programmeID).First(&gp).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return err
	}
	gp.ProgrammeID, gp.Arrangement, gp.CreatedByID = programmeID, string(body), v.PersonID
	return tx.Save(&gp).Error
}

// loadArrangement reads the stored proposal of a programme; ErrNotFound when there is none.
func loadArrangement(tx *gorm.DB, programmeID uint) (Arrangement, error) {
	var gp GroupProposal
	if err := tx.Where("programme_id = ?", programmeID).First(&gp).Error; err != nil {
		return nil, notFound(err)
	}
	var a Arrangement
	if err := json.Unmarshal([]byte(gp.Arrangement), &a); err != nil {
		return nil, err
	}
	return a, nil
}

// GetProposal returns the programme's proposal under review, checked again
// on the current pool; ErrNotFound when none was made.
func GetProposal(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint) (Proposal, error) {
	pool, err := LoadPool(ctx, db, v, programmeID)
	if err != nil {
		return Proposal{}, err
	}
	a, err := loadArrangement(db.WithContext(ctx), programmeID)
	if err != nil {
		return Proposal{}, err
	}
	return pool.Arrange(a), nil
}

// MoveInProposal moves a mentee to another proposed group, or out of all
// groups. A move that breaks a hard composition rule in the group it goes
// to is refused with a *RuleViolation, as a manual change would be.
func MoveInProposal(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint, in MoveInput) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pool, err := LoadPool(ctx, tx, v, programmeID)
		if err != nil {
			return err
		}
		a, err := loadArrangement(tx, programmeID)
		if err != nil {
			return err
		}
		a = pool.Arrange(a).Arrangement() // drop people who left the pool
		known := false
		for _, m := range pool.Mentees {
			known = known || m.PersonID == in.PersonID
		}
		if !known {
			return fieldErr("person_id", "unknown_choice")
		}
		if in.ToGroup > len(a) {
			return fieldErr("to_group", "unknown_choice")
		}
		for i := range a {
			for j, id := range a[i].Mentees {
				if id == in.PersonID {
					a[i].Mentees = append(a[i].Mentees[:j:j], a[i].Mentees[j+1:]...)
					break
				}
			}
		}
		if in.ToGroup > 0 {
			target := &a[in.ToGroup-1]
			before := pool.Arrange(Arrangement{*target}).Groups[0].Checklist
			target.Mentees = append(target.Mentees, in.PersonID)
			after := pool.Arrange(Arrangement{*target}).Groups[0].Checklist
			if broken := NewlyBroken(before, after); len(broken) > 0 {
				return &RuleViolation{Results: broken}
			}
		}
		return storeArrangement(tx, v, programmeID, a)
	})
}

// AcceptProposal creates the proposed groups (forming, their mentees as
// candidates for an intake) in one transaction, marks the applications
// placed and ends the review. Each group is checked by the rules once more.
// name gives a group its name from its mentor's.
func AcceptProposal(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint, name func(mentor string) string, today Date) ([]MentorGroup, error) {
	var created []MentorGroup
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pool, err := LoadPool(ctx, tx, v, programmeID)
		if err != nil {
			return err
		}
		a, err := loadArrangement(tx, programmeID)
		if errors.Is(err, ErrNotFound) {
			return fieldErr("proposal", "proposal_none")
		}
		if err != nil {
			return err
		}
		for _, g := range pool.Arrange(a).Groups {
			if len(g.Mentees) == 0 {
				continue
			}
			if broken := g.Checklist.Broken(); len(broken) > 0 {
				return &RuleViolation{Results: broken}
			}
			group, err := createProposedGroup(tx, v, programmeID, g, name(g.Mentor.Name), today)
			if err != nil {
				return err
			}
			created = append(created, group)
		}
		if len(created) == 0 {
			return fieldErr("proposal", "proposal_empty")
		}
		return tx.Where("programme_id = ?", programmeID).Delete(&GroupProposal{}).Error
	})
	return created, err
}

func createProposedGroup(tx *gorm.DB, v Viewer, programmeID uint, g ProposedGroup, name string, today Date) (MentorGroup, error) {
	group := MentorGroup{ProgrammeID: programmeID, MentorID: g.Mentor.PersonID, Name: name,
		Discipline: g.Mentor.Discipline, Status: GroupForming}
	if err := tx.Omit("Programme", "Mentor").Create(&group).Error; err != nil {
		return group, err
	}
	people := []uint{g.Mentor.PersonID}
	for _, m := range g.Mentees {
		ms := Membership{GroupID: group.ID, PersonID: m.PersonID, Status: StatusCandidate, StatusSince: today}
		if err := tx.Create(&ms).Error; err != nil {
			return group, err
		}
		if err := audit(tx, v.PersonID, AuditMembership, "membership", ms.ID); err != nil {
			return group, err
		}
		people = append(people, m.PersonID)
	}
	return group, tx.Model(&Application{}).
		Where("programme_id = ? AND person_id IN ? AND status = ?", programmeID, people, ApplicationOpen).
		Updates(map[string]any{"status": ApplicationPlaced, "group_id": group.ID}).Error
}
