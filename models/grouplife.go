package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// A group's year: forming until its first meeting is held with at least
// four active mentees, then active; extended when its mentor extends the
// series past the programme's end; closed at the end of its last meeting
// or when its mentor or L&D closes it. A closed group is read-only: no
// polls, series, one-on-ones or rule changes; its members still read it
// until retention removes its confidential text.

// Causes of a group's status change.
const (
	CauseFirstMeeting = "first_meeting_held"
	CauseExtended     = "extended"
	CauseLastMeeting  = "last_meeting_ended"
	CauseMentor       = "mentor"
	CauseStaff        = "staff"
)

// GroupStatusChange is one change of a group's status, with what caused it;
// ByID 0 is the application itself.
type GroupStatusChange struct {
	ID         uint        `gorm:"primaryKey"`
	GroupID    uint        `gorm:"not null;index"`
	FromStatus GroupStatus `gorm:"size:20;not null"`
	ToStatus   GroupStatus `gorm:"size:20;not null"`
	Cause      string      `gorm:"size:30;not null"`
	ByID       uint        `gorm:"not null;default:0"`
	At         time.Time   `gorm:"not null"`
}

// GroupTransition checks a change of a group's status for its cause: the
// first meeting held with enough active mentees makes a forming group
// active; extending makes an active group extended; anyone may close an
// open group (the mentor, L&D or the end of the last meeting); only L&D
// changes anything else (including reopening a closed group).
func GroupTransition(from, to GroupStatus, cause string, activeMentees int) error {
	if from == to {
		return nil
	}
	switch cause {
	case CauseFirstMeeting:
		if from == GroupForming && to == GroupActive && activeMentees >= MinMentees {
			return nil
		}
	case CauseExtended:
		if (from == GroupActive || from == GroupExtended) && to == GroupExtended {
			return nil
		}
	case CauseLastMeeting, CauseMentor:
		if from != GroupClosed && to == GroupClosed {
			return nil
		}
	case CauseStaff:
		if (to == GroupActive || to == GroupExtended) && from == GroupForming && activeMentees < MinMentees {
			return &ValidationError{Fields: []FieldError{{Field: "status", Code: "group_too_small", Args: map[string]any{"Min": MinMentees}}}}
		}
		return nil
	}
	return fieldErr("status", "group_transition")
}

// setGroupStatus moves a group to status for cause, records the change and
// keeps its closing date; the group must be loaded as it is now.
func setGroupStatus(tx *gorm.DB, g *MentorGroup, to GroupStatus, cause string, byID uint) error {
	from := g.Status
	if from == to {
		return nil
	}
	var active int64
	if err := tx.Model(&Membership{}).Where("group_id = ? AND status = ?", g.ID, StatusActive).Count(&active).Error; err != nil {
		return err
	}
	if err := GroupTransition(from, to, cause, int(active)); err != nil {
		return err
	}
	now := nowOf(tx)
	g.Status = to
	if to == GroupClosed {
		today := DateOf(now)
		g.ClosedOn = &today
	} else {
		g.ClosedOn = nil
	}
	if err := tx.Model(&MentorGroup{}).Where("id = ?", g.ID).
		Updates(map[string]any{"status": to, "closed_on": g.ClosedOn}).Error; err != nil {
		return err
	}
	if err := tx.Create(&GroupStatusChange{GroupID: g.ID, FromStatus: from, ToStatus: to, Cause: cause, ByID: byID, At: now}).Error; err != nil {
		return err
	}
	return auditDetail(tx, byID, AuditGroupStatus, "group", g.ID, string(from)+" → "+string(to)+" ("+cause+")")
}

// errGroupClosed refuses a change to a closed group.
var errGroupClosed = fieldErr("group", "group_closed")

// groupOpen refuses changes to a closed group.
func groupOpen(tx *gorm.DB, groupID uint) error {
	var g MentorGroup
	if err := tx.Select("id", "status").First(&g, groupID).Error; err != nil {
		return notFound(err)
	}
	if g.Status == GroupClosed {
		return errGroupClosed
	}
	return nil
}

// firstMeetingHeld makes a forming group active once its first meeting is
// held with at least four active mentees.
func firstMeetingHeld(tx *gorm.DB, g MentorGroup, m Meeting) error {
	if m.Kind != KindFirstMeeting || g.Status != GroupForming {
		return nil
	}
	var active int64
	if err := tx.Model(&Membership{}).Where("group_id = ? AND status = ?", g.ID, StatusActive).Count(&active).Error; err != nil {
		return err
	}
	if active < MinMentees {
		return nil
	}
	return setGroupStatus(tx, &g, GroupActive, CauseFirstMeeting, 0)
}

// CloseGroup closes a group, once confirmed; its mentor or L&D. Its
// meetings still to come are cancelled and an open date poll is closed.
func CloseGroup(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, confirmed bool) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockRow(tx, "mentor_groups", groupID); err != nil {
			return err
		}
		a, err := groupAccess(tx, v, groupID)
		if err != nil {
			return err
		}
		cause := CauseMentor
		switch {
		case Decide(a, GroupMentor, Subject{}):
		case Decide(a, GroupManage, Subject{}):
			cause = CauseStaff
		default:
			return ErrNotFound
		}
		g := a.Group
		if g.Status == GroupClosed {
			return errGroupClosed
		}
		if !confirmed {
			return fieldErr("confirm", "required")
		}
		now := nowOf(tx)
		if err := tx.Model(&Meeting{}).Where("group_id = ? AND status = ? AND starts_at > ?", groupID, MeetingPlanned, now).
			Updates(map[string]any{"status": MeetingCancelled, "status_reason": "", "sequence": gorm.Expr("sequence + 1")}).Error; err != nil {
			return err
		}
		if err := tx.Model(&DatePoll{}).Where("group_id = ? AND status = 'open'", groupID).Update("status", "closed").Error; err != nil {
			return err
		}
		return setGroupStatus(tx, &g, GroupClosed, cause, v.PersonID)
	})
}

// CloseEndedGroups closes every active or extended group whose series has
// run out: its planned end has passed and no meeting is still to come. It
// returns how many it closed; safe to run again.
func CloseEndedGroups(ctx context.Context, db *gorm.DB, now time.Time) (int, error) {
	var ids []uint
	tx := db.WithContext(ctx)
	if err := tx.Model(&MentorGroup{}).Where("status IN ?", []GroupStatus{GroupActive, GroupExtended}).
		Where("EXISTS (SELECT 1 FROM group_series s WHERE s.group_id = mentor_groups.id AND s.until < ?)", DateOf(now)).
		Where("EXISTS (SELECT 1 FROM meetings m WHERE m.group_id = mentor_groups.id AND m.status = ?)", MeetingHeld).
		Where("NOT EXISTS (SELECT 1 FROM meetings m WHERE m.group_id = mentor_groups.id AND m.status <> ? AND m.ends_at > ?)",
			MeetingCancelled, now).Pluck("id", &ids).Error; err != nil {
		return 0, err
	}
	closed := 0
	for _, id := range ids {
		err := tx.Transaction(func(tx *gorm.DB) error {
			if err := lockRow(tx, "mentor_groups", id); err != nil {
				return err
			}
			var g MentorGroup
			if err := tx.First(&g, id).Error; err != nil {
				return err
			}
			if g.Status == GroupClosed {
				return nil
			}
			closed++
			return setGroupStatus(tx, &g, GroupClosed, CauseLastMeeting, 0)
		})
		if err != nil {
			return closed, err
		}
	}
	return closed, nil
}

// GroupHistory returns a group's status changes, oldest first, for anyone
// who may read the group.
func GroupHistory(ctx context.Context, db *gorm.DB, v Viewer, groupID uint) ([]GroupStatusChange, error) {
	tx := db.WithContext(ctx)
	if _, err := requireGroup(tx, v, GroupRead, groupID); err != nil {
		return nil, err
	}
	var out []GroupStatusChange
	err := tx.Where("group_id = ?", groupID).Order("at, id").Find(&out).Error
	return out, err
}

// mentorsOpenGroup locks the group's row for a change and loads it for its
// mentor; a closed group takes no change (errGroupClosed).
func mentorsOpenGroup(tx *gorm.DB, v Viewer, groupID uint) (MentorGroup, error) {
	if err := lockRow(tx, "mentor_groups", groupID); err != nil {
		return MentorGroup{}, err
	}
	g, err := mentorsGroup(tx, v, groupID)
	if err != nil {
		return g, err
	}
	if g.Status == GroupClosed {
		return g, errGroupClosed
	}
	return g, nil
}
