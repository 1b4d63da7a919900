package models

import (
	"context"

	"gorm.io/gorm"
)

// meetingRoles holds the turns of a group's meetings before a meeting, by
// their place in time (a cancelled meeting counts but its roles were never
// taken), and the meeting's own place among them.
type meetingRoles struct {
	earlier []RoleTurn
	place   int // the meeting's place in time among the group's meetings
}

// roleHistory reads the roles of the group's meetings before m, in one
// statement.
func roleHistory(tx *gorm.DB, m Meeting) (meetingRoles, error) {
	var out meetingRoles
	var rows []struct {
		ID       uint
		Status   MeetingStatus
		Role     *MeetingRole
		PersonID *uint
	}
	if err := tx.Model(&Meeting{}).Select("meetings.id, meetings.status, r.role, r.person_id").
		Joins("LEFT JOIN meeting_roles r ON r.meeting_id = meetings.id").
		Where("meetings.group_id = ? AND meetings.starts_at < ? AND meetings.id <> ?", m.GroupID, m.StartsAt, m.ID).
		Order("meetings.starts_at, meetings.id, r.id").Scan(&rows).Error; err != nil {
		return out, err
	}
	last := uint(0)
	for _, r := range rows {
		if r.ID != last {
			out.place, last = out.place+1, r.ID
		}
		if r.Role != nil && r.PersonID != nil && r.Status != MeetingCancelled {
			out.earlier = append(out.earlier, RoleTurn{Seq: out.place, Role: *r.Role, PersonID: *r.PersonID})
		}
	}
	out.place++
	return out, nil
}

// proposedRoles proposes roles for a meeting from the group's earlier turns
// among its admitted mentees (roster, in name order; frozen ones marked).
// The meeting's case presenters (authors of placed cases) keep that role
// and are proposed for no other, so nobody chairs their own round.
func proposedRoles(roles meetingRoles, roster []uint, frozen map[uint]bool, presenters []uint) map[MeetingRole]uint {
	var fixedRoles map[MeetingRole]uint
	skip := frozen
	if len(presenters) > 0 {
		fixedRoles = map[MeetingRole]uint{RoleCaseBringer: presenters[0]}
		skip = map[uint]bool{}
		for id, f := range frozen {
			skip[id] = f
		}
		for _, id := range presenters[1:] {
			skip[id] = true
		}
	}
	return ProposeRoles(roles.place, roster, skip, roles.earlier, fixedRoles)
}

// RolesInput sets the roles of a meeting: person ids per role; case
// bringers may be several.
type RolesInput struct {
	Facilitator  uint   `form:"facilitator" json:"facilitator"`
	Timekeeper   uint   `form:"timekeeper" json:"timekeeper"`
	NoteTaker    uint   `form:"note_taker" json:"note_taker"`
	CaseBringers []uint `form:"case_bringer" json:"case_bringers"`
}

// SaveRoles stores the roles of a meeting (the proposal or the mentor's
// own choice); only members of the group can have a role; mentor only.
func SaveRoles(ctx context.Context, db *gorm.DB, v Viewer, id uint, in RolesInput) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, g, err := lockedMentorsMeeting(tx, v, id)
		if err != nil {
			return err
		}
		member, err := memberSet(tx, g.ID)
		if err != nil {
			return err
		}
		if err := addRecorded(tx, m.ID, member); err != nil {
			return err
		}
		var rows []MeetingRoleAssignment
		add := func(field string, role MeetingRole, pid uint) error {
			if pid == 0 {
				return nil
			}
			if !member[pid] {
				return fieldErr(field, "unknown_choice")
			}
			rows = append(rows, MeetingRoleAssignment{MeetingID: m.ID, Role: role, PersonID: pid})
			return nil
		}
		ve := &ValidationError{}
		for _, f := range []struct {
			field string
			role  MeetingRole
			id    uint
		}{{"facilitator", RoleFacilitator, in.Facilitator}, {"timekeeper", RoleTimekeeper, in.Timekeeper}, {"note_taker", RoleNoteTaker, in.NoteTaker}} {
			if err := add(f.field, f.role, f.id); err != nil {
				ve.Fields = append(ve.Fields, err.(*ValidationError).Fields...)
			}
		}
		seen := map[uint]bool{}
		for _, pid := range in.CaseBringers {
			if seen[pid] {
				continue
			}
			seen[pid] = true
			if err := add("case_bringer", RoleCaseBringer, pid); err != nil {
				ve.Fields = append(ve.Fields, err.(*ValidationError).Fields...)
			}
		}
		if in.Facilitator != 0 && seen[in.Facilitator] {
			ve.Add("facilitator", "facilitator_brings_case", nil)
		}
		if err := ve.OrNil(); err != nil {
			return err
		}
		if err := tx.Where("meeting_id = ?", m.ID).Delete(&MeetingRoleAssignment{}).Error; err != nil {
			return err
		}
		if len(rows) > 0 {
			if err := tx.Create(&rows).Error; err != nil {
				return err
			}
		}
		return relayRounds(tx, m.ID)
	})
}
