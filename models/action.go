package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// ActionItem is an agreement from a meeting with an action holder.
type ActionItem struct {
	ID        uint       `gorm:"primaryKey" json:"id"`
	GroupID   uint       `gorm:"not null" json:"group_id"`
	MeetingID *uint      `json:"meeting_id,omitempty"`
	HolderID  uint       `gorm:"not null" json:"holder_id"`
	Text      string     `gorm:"type:text;not null" json:"text" sealed:"action_items"`
	DueOn     Date       `json:"due_on,omitzero"`
	DoneAt    *time.Time `json:"done_at,omitempty"`
	CreatedAt time.Time  `json:"-"`
}

// ActionItemRow is an action item with its holder's name.
type ActionItemRow struct {
	ActionItem
	HolderName string `json:"holder_name"`
}

// ActionInput is a new action item.
type ActionInput struct {
	Text     string `form:"text" json:"text" validate:"required,max=500"`
	HolderID uint   `form:"holder_id" json:"holder_id" validate:"required"`
	DueOn    string `form:"due_on" json:"due_on" validate:"omitempty,date"`
}

// actionRows lists a group's action items, of one meeting when meetingID is
// set, and from since on (the viewer's tenure) when since is set.
func actionRows(tx *gorm.DB, groupID uint, meetingID *uint, since *time.Time) ([]ActionItemRow, error) {
	var out []ActionItemRow
	q := tx.Model(&ActionItem{}).Select("action_items.*, p.name AS holder_name").
		Joins("JOIN people p ON p.id = action_items.holder_id").Where("action_items.group_id = ?", groupID)
	if since != nil {
		q = q.Where("action_items.created_at >= ?", *since)
	}
	if meetingID != nil {
		q = q.Where("action_items.meeting_id = ?", *meetingID)
	}
	err := q.Order("action_items.done_at IS NOT NULL, action_items.due_on, action_items.id").Find(&out).Error
	return out, err
}

// GroupActions lists the action items of a group for its members and mentor.
func GroupActions(ctx context.Context, db *gorm.DB, v Viewer, groupID uint) ([]ActionItemRow, error) {
	tx := db.WithContext(ctx)
	a, err := requireGroup(tx, v, GroupContent, groupID)
	if err != nil {
		return nil, err
	}
	return actionRows(tx, groupID, nil, a.Since)
}

// AddAction records an action item at a meeting; the mentor or a member of
// the group may, for anyone in the group (the mentor included).
func AddAction(ctx context.Context, db *gorm.DB, v Viewer, meetingID uint, in ActionInput) (ActionItem, error) {
	var a ActionItem
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, acc, err := meetingFor(tx, v, MeetingActionAdd, meetingID)
		if err != nil {
			return err
		}
		g := acc.Group
		ids, _, err := activeMembers(tx, g.ID)
		if err != nil {
			return err
		}
		ok := in.HolderID == g.MentorID
		for _, id := range ids {
			ok = ok || id == in.HolderID
		}
		if !ok {
			return fieldErr("holder_id", "unknown_choice")
		}
		a = ActionItem{GroupID: g.ID, MeetingID: &m.ID, HolderID: in.HolderID, Text: CleanText(in.Text)}
		if in.DueOn != "" {
			if a.DueOn, err = ParseDate(in.DueOn); err != nil {
				return fieldErr("due_on", "date")
			}
		}
		return tx.Create(&a).Error
	})
	return a, err
}

// ToggleAction marks an action item done or open again; its holder or the
// group's mentor may.
func ToggleAction(ctx context.Context, db *gorm.DB, v Viewer, id uint, now time.Time) (ActionItem, error) {
	var a ActionItem
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&a, id).Error; err != nil {
			return notFound(err)
		}
		if _, err := authorize(tx, v, ActionToggle, id); err != nil {
			return err
		}
		if a.DoneAt == nil {
			a.DoneAt = &now
		} else {
			a.DoneAt = nil
		}
		return tx.Model(&a).Select("done_at").Updates(&a).Error
	})
	return a, err
}

// carriedActions are the open action items of a group's meetings before m,
// from the viewer's tenure on (since), oldest due first: what the meeting
// carries forward.
func carriedActions(tx *gorm.DB, groupID uint, m Meeting, since *time.Time) ([]ActionItemRow, error) {
	var out []ActionItemRow
	q := tx.Model(&ActionItem{}).Select("action_items.*, p.name AS holder_name").
		Joins("JOIN people p ON p.id = action_items.holder_id").
		Joins("JOIN meetings mt ON mt.id = action_items.meeting_id").
		Where("action_items.group_id = ? AND action_items.done_at IS NULL AND mt.starts_at < ? AND mt.id <> ?", groupID, m.StartsAt, m.ID)
	if since != nil {
		q = q.Where("action_items.created_at >= ?", *since)
	}
	err := q.Order("action_items.due_on, action_items.id").Find(&out).Error
	return out, err
}
