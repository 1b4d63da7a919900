package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// Permission names something a viewer may want to do with one record. The
// roles table of the design, as code: Authorize is the one place that
// decides, and every route that touches a record of a group names its
// permission. The models funcs check again inside their transactions.
type Permission string

// Permissions, by the kind of record their id points to.
const (
	GroupRead        Permission = "group.read"        // group id: its members, its mentor, L&D
	GroupContent     Permission = "group.content"     // group id: its members and its mentor
	GroupMember      Permission = "group.member"      // group id: its mentees
	GroupMentor      Permission = "group.mentor"      // group id: its mentor
	MembershipStaff  Permission = "membership.staff"  // membership id: the group's mentor, L&D
	MembershipMentor Permission = "membership.mentor" // membership id: the group's mentor
	MeetingRead      Permission = "meeting.read"      // meeting id: the group's members and mentor
	MeetingMentor    Permission = "meeting.mentor"    // meeting id: the group's mentor
	OneOnOneRead     Permission = "oneonone.read"     // one-on-one id: its mentor and its mentee
	GoalOwner        Permission = "goal.owner"        // goal id: its owner
	GoalProgressAdd  Permission = "goal.progress"     // goal id: its owner and their mentor
	ActionToggle     Permission = "action.toggle"     // action item id: its holder and the group's mentor
	CaseRead         Permission = "case.read"         // case id: its author, the mentor, members if shared with the group
	CaseMentor       Permission = "case.mentor"       // case id: the group's mentor
	CaseAuthor       Permission = "case.author"       // case id: its author
)

// Authorize returns nil when the viewer has the permission for the record
// with that id, and ErrNotFound otherwise (also for records that do not
// exist, so the two cannot be told apart).
func Authorize(ctx context.Context, db *gorm.DB, v Viewer, p Permission, id uint) error {
	tx := db.WithContext(ctx)
	ok, err := authorize(tx, v, p, id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if !ok {
		return ErrNotFound
	}
	return nil
}

// groupOf finds the group a record belongs to.
func groupOf(tx *gorm.DB, model any, id uint) (uint, error) {
	var groupID uint
	res := tx.Model(model).Where("id = ?", id).Limit(1).Pluck("group_id", &groupID)
	if res.Error != nil {
		return 0, res.Error
	}
	if res.RowsAffected == 0 {
		return 0, ErrNotFound
	}
	return groupID, nil
}

func authorize(tx *gorm.DB, v Viewer, p Permission, id uint) (bool, error) {
	relationOf := func(model any) (Relation, error) {
		groupID := id
		if model != nil {
			var err error
			if groupID, err = groupOf(tx, model, id); err != nil {
				return RelNone, err
			}
		}
		_, rel, err := relationTo(tx, v, groupID)
		return rel, err
	}
	switch p {
	case GroupRead, GroupContent, GroupMember, GroupMentor:
		rel, err := relationOf(nil)
		return map[Permission]bool{GroupRead: rel >= RelAdmin, GroupContent: rel >= RelMember,
			GroupMember: rel == RelMember, GroupMentor: rel == RelMentor}[p], err
	case MembershipStaff, MembershipMentor:
		rel, err := relationOf(&Membership{})
		if p == MembershipStaff {
			return rel == RelMentor || (v.Admin && err == nil), err
		}
		return rel == RelMentor, err
	case MeetingRead, MeetingMentor:
		rel, err := relationOf(&Meeting{})
		if p == MeetingRead {
			return rel >= RelMember, err
		}
		return rel == RelMentor, err
	case OneOnOneRead:
		var n int64
		err := visibleOneOnOnes(tx, v).Where("id = ?", id).Count(&n).Error
		return n > 0, err
	case GoalOwner, GoalProgressAdd:
		var g LearningGoal
		if err := tx.Select("id", "person_id", "group_id").First(&g, id).Error; err != nil {
			return false, notFound(err)
		}
		if g.PersonID == v.PersonID {
			return true, nil
		}
		if p == GoalOwner {
			return false, nil
		}
		_, rel, err := relationTo(tx, v, g.GroupID)
		return rel == RelMentor, err
	case CaseRead:
		var n int64
		err := visibleCases(tx, v).Where("case_questions.id = ?", id).Count(&n).Error
		return n > 0, err
	case CaseMentor, CaseAuthor:
		var c CaseQuestion
		if err := tx.Select("id", "author_id", "group_id").First(&c, id).Error; err != nil {
			return false, notFound(err)
		}
		if p == CaseAuthor {
			return c.AuthorID == v.PersonID, nil
		}
		_, rel, err := relationTo(tx, v, c.GroupID)
		return rel == RelMentor, err
	case ActionToggle:
		var a ActionItem
		if err := tx.Select("id", "holder_id", "group_id").First(&a, id).Error; err != nil {
			return false, notFound(err)
		}
		_, rel, err := relationTo(tx, v, a.GroupID)
		return rel == RelMentor || (rel == RelMember && a.HolderID == v.PersonID), err
	}
	return false, nil
}
