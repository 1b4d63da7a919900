package models

import (
	"context"

	"gorm.io/gorm"
)

// Relation is how a viewer stands to a mentor group; it decides what of the
// group's year they may see (the roles table of the design).
type Relation int

// Relations, from least to most access to the group's content.
const (
	RelNone   Relation = iota
	RelAdmin           // L&D: dates and kinds of meetings, rosters; no content
	RelMember          // a mentee in the group: schedule, agenda, group notes, own things
	RelMentor          // the group's mentor: everything of the group
)

// relationTo loads a group and the viewer's relation to it. A viewer with
// no relation gets ErrNotFound. The strongest relation wins: an admin who
// mentors the group is its mentor.
func relationTo(tx *gorm.DB, v Viewer, groupID uint) (MentorGroup, Relation, error) {
	var g MentorGroup
	if err := tx.Joins("Programme").Joins("Mentor").First(&g, groupID).Error; err != nil {
		return g, RelNone, notFound(err)
	}
	if g.MentorID == v.PersonID {
		return g, RelMentor, nil
	}
	var n int64
	if err := tx.Model(&Membership{}).Where("group_id = ? AND person_id = ? AND status IN ('intake','active','frozen')",
		groupID, v.PersonID).Count(&n).Error; err != nil {
		return g, RelNone, err
	}
	if n > 0 {
		return g, RelMember, nil
	}
	if v.Admin {
		return g, RelAdmin, nil
	}
	return g, RelNone, ErrNotFound
}

// groupsOf returns a query of the ids of groups in which the viewer is
// mentor or member, for use in IN (...) clauses.
func groupsOf(tx *gorm.DB, v Viewer) *gorm.DB {
	// A UNION, not "mentor_id = ? OR id IN (...)": the OR form makes
	// PostgreSQL read every group and then every meeting.
	return tx.Raw(`SELECT id FROM mentor_groups WHERE mentor_id = ? UNION
		SELECT group_id FROM memberships WHERE person_id = ? AND status IN ('intake','active','frozen')`, v.PersonID, v.PersonID)
}

// activeMembers returns the ids of a group's active mentees (frozen ones
// with frozen = true), in name order.
func activeMembers(tx *gorm.DB, groupID uint) (active []uint, frozen map[uint]bool, err error) {
	var rows []struct {
		PersonID uint
		Status   MembershipStatus
	}
	err = tx.Model(&Membership{}).Select("memberships.person_id, memberships.status").
		Joins("JOIN people p ON p.id = memberships.person_id").
		Where("memberships.group_id = ? AND memberships.status IN ('active','frozen')", groupID).
		Order("p.name, p.id").Scan(&rows).Error
	frozen = map[uint]bool{}
	for _, r := range rows {
		active = append(active, r.PersonID)
		if r.Status == StatusFrozen {
			frozen[r.PersonID] = true
		}
	}
	return active, frozen, err
}

// GroupRoster returns the active and frozen mentees of a group by name, for
// its mentor and members.
func GroupRoster(ctx context.Context, db *gorm.DB, v Viewer, groupID uint) ([]PersonChoice, error) {
	tx := db.WithContext(ctx)
	if _, rel, err := relationTo(tx, v, groupID); err != nil || rel < RelMember {
		return nil, ErrNotFound
	}
	ids, _, err := activeMembers(tx, groupID)
	if err != nil {
		return nil, err
	}
	var out []PersonChoice
	err = tx.Model(&Person{}).Select("id, name").Where("id IN ?", append(ids, 0)).Order("name").Scan(&out).Error
	return out, err
}

// IsMentor reports whether the relation is the group's mentor.
func (r Relation) IsMentor() bool { return r == RelMentor }

// IsMember reports whether the relation is a mentee of the group.
func (r Relation) IsMember() bool { return r == RelMember }

// DatesOnly reports whether the viewer sees the group's dates and kinds only (L&D).
func (r Relation) DatesOnly() bool { return r == RelAdmin }
