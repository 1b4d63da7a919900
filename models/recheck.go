package models

import (
	"context"

	"gorm.io/gorm"
)

// placementCheck holds the checklists of the groups a change to one person
// may affect, taken before the change, so that the change can be refused
// for what it newly breaks.
type placementCheck struct {
	groups []MentorGroup
	before map[uint]Checklist
}

// checkPlacementsOf takes the checklists of every group that is not closed
// in which the person, or anyone they manage (directly or further down), is
// placed: a new team, manager or project of theirs can break those groups.
func checkPlacementsOf(tx *gorm.DB, personID uint) (placementCheck, error) {
	pc := placementCheck{before: map[uint]Checklist{}}
	err := tx.Joins("Programme").Joins("Mentor").
		Where(`mentor_groups.status <> ? AND mentor_groups.id IN (
			WITH RECURSIVE below(id, depth) AS (
				SELECT CAST(? AS BIGINT), 0
				UNION ALL
				SELECT p.id, b.depth + 1 FROM people p JOIN below b ON p.manager_id = b.id WHERE b.depth < 30)
			SELECT m.group_id FROM memberships m WHERE m.person_id IN (SELECT id FROM below) AND m.status NOT IN ?)`,
			GroupClosed, personID, LeftStatuses).
		Order("mentor_groups.id").Find(&pc.groups).Error
	if err != nil {
		return pc, err
	}
	for _, g := range pc.groups {
		comp, err := loadComposition(tx, g)
		if err != nil {
			return pc, err
		}
		pc.before[g.ID] = comp.Check()
	}
	return pc, nil
}

// verify checks the groups again after the change. A rule the change newly
// breaks is refused, naming the rule and the group, unless L&D confirmed it;
// then the group is marked as breaking a rule, to be shown on L&D's home page.
func (pc placementCheck) verify(tx *gorm.DB, confirmed bool) error {
	for _, g := range pc.groups {
		comp, err := loadComposition(tx, g)
		if err != nil {
			return err
		}
		broken := NewlyBroken(pc.before[g.ID], comp.Check())
		if len(broken) == 0 {
			continue
		}
		if !confirmed {
			return &RuleViolation{Results: broken, Group: g.Name, Confirmable: true}
		}
		if err := tx.Model(&MentorGroup{}).Where("id = ?", g.ID).Update("rules_broken", true).Error; err != nil {
			return err
		}
	}
	return nil
}

// settleRules clears a group's broken-rule mark once its checklist holds again.
func settleRules(tx *gorm.DB, g MentorGroup, after Checklist) error {
	if !g.RulesBroken || len(after.Broken()) > 0 {
		return nil
	}
	return tx.Model(&MentorGroup{}).Where("id = ?", g.ID).Update("rules_broken", false).Error
}

// GroupsBreakingRules lists the groups L&D let a change break a rule of, for
// L&D's home page.
func GroupsBreakingRules(ctx context.Context, db *gorm.DB, v Viewer) ([]GroupSummary, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	var out []GroupSummary
	err := groupSummaries(db.WithContext(ctx)).Where("mentor_groups.rules_broken = ?", true).Find(&out).Error
	return out, err
}
