package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// MembershipStatusChange is one status of a membership over time: applied
// (AppliedAt set), waiting for its date (neither set), or withdrawn before
// its date (CancelledAt set). Together the applied rows are the history of
// the membership.
type MembershipStatusChange struct {
	ID           uint             `gorm:"primaryKey"`
	MembershipID uint             `gorm:"not null;index"`
	Status       MembershipStatus `gorm:"size:20;not null"`
	Since        Date             `gorm:"not null"`
	Reason       string           `gorm:"type:text;not null;default:''" sealed:"membership_status_changes"`
	ByID         uint             `gorm:"not null;default:0"` // 0: applied by the job on its date
	AppliedAt    *time.Time
	CancelledAt  *time.Time
	CreatedAt    time.Time
}

// Pending reports whether the change still waits for its date.
func (c MembershipStatusChange) Pending() bool { return c.AppliedAt == nil && c.CancelledAt == nil }

// errErased refuses any change to a membership whose person erased their data.
var errErased = fieldErr("status", "membership_erased")

// scheduleStatus records a status change dated after today: it takes effect
// on its date (ApplyDueStatusChanges). An earlier change still waiting for
// its date is withdrawn; the new one replaces it.
func scheduleStatus(tx *gorm.DB, v Viewer, m Membership, status MembershipStatus, since Date, reason string) error {
	now := nowOf(tx)
	if err := tx.Model(&MembershipStatusChange{}).Where("membership_id = ? AND applied_at IS NULL AND cancelled_at IS NULL", m.ID).
		Update("cancelled_at", now).Error; err != nil {
		return err
	}
	c := MembershipStatusChange{MembershipID: m.ID, Status: status, Since: since, Reason: reason, ByID: v.PersonID}
	if err := tx.Create(&c).Error; err != nil {
		return err
	}
	return auditDetail(tx, v.PersonID, AuditMembership, "membership", m.ID, "scheduled "+string(status)+" "+since.String())
}

// applyStatus moves a membership to status from since: the row, its
// history, the tenure that gives access, and, when the mentee stops taking
// part, their place in meetings still to come. byID 0 is the job; waiting
// is the scheduled change being applied, or 0.
func applyStatus(tx *gorm.DB, m *Membership, status MembershipStatus, since Date, reason string, byID, waiting uint) error {
	from := m.Status
	m.Status, m.StatusSince, m.StatusReason = status, since, reason
	if err := tx.Model(m).Select("status", "status_since", "status_reason", "discipline_exception").Updates(m).Error; err != nil {
		return err
	}
	at := tenureMoment(tx, since)
	now := nowOf(tx)
	if waiting != 0 {
		if err := tx.Model(&MembershipStatusChange{}).Where("id = ?", waiting).Update("applied_at", now).Error; err != nil {
			return err
		}
	} else if err := tx.Create(&MembershipStatusChange{MembershipID: m.ID, Status: status, Since: since, Reason: reason,
		ByID: byID, AppliedAt: &now}).Error; err != nil {
		return err
	}
	if err := memberTenureFor(tx, *m, from, at); err != nil {
		return err
	}
	if status != from && (status.Left() || status == StatusFrozen) {
		return leaveMeetings(tx, m.GroupID, m.PersonID, at)
	}
	return nil
}

// leaveMeetings takes a mentee who stops taking part out of the group's
// meetings that start after at and are not held: their roles there are
// freed and the cases they placed there go back to "submitted" without a
// meeting, so the mentor sees them again. Held meetings keep everything.
func leaveMeetings(tx *gorm.DB, groupID, personID uint, at time.Time) error {
	coming := tx.Model(&Meeting{}).Select("id").Where("group_id = ? AND starts_at > ? AND status <> ?", groupID, at, MeetingHeld)
	if err := tx.Where("person_id = ? AND meeting_id IN (?)", personID, coming).Delete(&MeetingRoleAssignment{}).Error; err != nil {
		return err
	}
	return tx.Model(&CaseQuestion{}).Where("author_id = ? AND group_id = ? AND status = ? AND meeting_id IN (?)",
		personID, groupID, CasePlanned, coming).
		Updates(map[string]any{"status": CaseSubmitted, "meeting_id": nil}).Error
}

// ApplyDueStatusChanges applies every status change whose date has come by
// today, oldest first, each in its own transaction; it returns how many it
// applied. A change that no longer fits (the person erased their data) is
// withdrawn. It is safe to run again.
func ApplyDueStatusChanges(ctx context.Context, db *gorm.DB, today Date) (int, error) {
	var due []MembershipStatusChange
	if err := db.WithContext(ctx).Where("applied_at IS NULL AND cancelled_at IS NULL AND since <= ?", today).
		Order("since, id").Find(&due).Error; err != nil {
		return 0, err
	}
	applied := 0
	for _, c := range due {
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := lockRow(tx, "memberships", c.MembershipID); err != nil {
				return err
			}
			var cur MembershipStatusChange
			if err := tx.First(&cur, c.ID).Error; err != nil || !cur.Pending() {
				return err // applied or withdrawn meanwhile
			}
			var m Membership
			if err := tx.First(&m, c.MembershipID).Error; err != nil {
				return err
			}
			if m.Status == StatusLeft {
				return tx.Model(&cur).Update("cancelled_at", nowOf(tx)).Error
			}
			if err := applyStatus(tx, &m, cur.Status, cur.Since, cur.Reason, 0, cur.ID); err != nil {
				return err
			}
			applied++
			return audit(tx, 0, AuditMembership, "membership", m.ID)
		})
		if err != nil {
			return applied, err
		}
	}
	return applied, nil
}

// MembershipHistory is a membership's statuses over time, oldest first, and
// the change still waiting for its date, if any.
type MembershipHistory struct {
	Applied []MembershipStatusChange
	Pending *MembershipStatusChange
}

// GetMembershipHistory returns the history of a membership for the group's
// mentor and L&D. Reasons are the mentor's and the mentee's alone.
func GetMembershipHistory(ctx context.Context, db *gorm.DB, v Viewer, membershipID uint) (MembershipHistory, error) {
	var h MembershipHistory
	tx := db.WithContext(ctx)
	var m Membership
	if err := tx.Select("id", "person_id").First(&m, membershipID).Error; err != nil {
		return h, notFound(err)
	}
	a, err := authorize(tx, v, MembershipStaff, membershipID)
	if err != nil {
		return h, err
	}
	var rows []MembershipStatusChange
	if err := tx.Where("membership_id = ? AND cancelled_at IS NULL", membershipID).Order("id").Find(&rows).Error; err != nil {
		return h, err
	}
	showReason := Decide(a, MembershipReason, Subject{OwnerID: m.PersonID})
	for i := range rows {
		if !showReason {
			rows[i].Reason = ""
		}
		if rows[i].Pending() {
			h.Pending = &rows[i]
		} else {
			h.Applied = append(h.Applied, rows[i])
		}
	}
	return h, nil
}

// membershipHistories returns the applied history and pending change of
// every membership of a group, by membership id, without reasons.
func membershipHistories(tx *gorm.DB, groupID uint) (map[uint]MembershipHistory, error) {
	var rows []MembershipStatusChange
	err := tx.Select("id", "membership_id", "status", "since", "by_id", "applied_at", "cancelled_at", "created_at").
		Where("cancelled_at IS NULL AND membership_id IN (?)", tx.Model(&Membership{}).Select("id").Where("group_id = ?", groupID)).
		Order("id").Find(&rows).Error
	out := map[uint]MembershipHistory{}
	for i := range rows {
		h := out[rows[i].MembershipID]
		if rows[i].Pending() {
			h.Pending = &rows[i]
		} else {
			h.Applied = append(h.Applied, rows[i])
		}
		out[rows[i].MembershipID] = h
	}
	return out, err
}

// LifecycleResult says what one pass of the lifecycle job did.
type LifecycleResult struct {
	StatusChanges int // membership status changes applied on their date
	GroupsClosed  int // groups closed at the end of their last meeting
}

// RunLifecycle applies the membership status changes whose date has come
// (the organisation's date at now) and closes the groups whose last meeting
// is over, and publishes the figures of a month that has closed (see
// PublishClosedPeriods). It is safe to run again.
func RunLifecycle(ctx context.Context, db *gorm.DB, now time.Time) (LifecycleResult, error) {
	var res LifecycleResult
	zone, err := organisationZone(db.WithContext(ctx))
	if err != nil {
		return res, err
	}
	if res.StatusChanges, err = ApplyDueStatusChanges(ctx, db, DateOf(now.In(zone))); err != nil {
		return res, err
	}
	if res.GroupsClosed, err = CloseEndedGroups(ctx, db, now); err != nil {
		return res, err
	}
	return res, PublishClosedPeriods(ctx, db, DateOf(now.In(zone)))
}
