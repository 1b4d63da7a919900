package models

import (
	"cmp"
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
)

// A meeting's state follows what happened: it is planned until attendance
// is recorded, held once it is, and cancelled only by the mentor, before
// anyone is recorded as there. Attendance is taken from the meeting's start.

// attendanceOpen reports whether attendance can be recorded for m at now.
func attendanceOpen(m Meeting, now time.Time) bool {
	return m.Status != MeetingCancelled && !now.Before(m.StartsAt)
}

// MeetingTransition checks a change of a meeting's status asked for by the
// mentor: from and to, whether the meeting has started, and whether
// attendance is recorded. Held follows from attendance, so it cannot be set
// without it nor left while attendance stands; a meeting with attendance
// cannot be cancelled. It returns a field error, or nil.
func MeetingTransition(from, to MeetingStatus, started, attended bool) error {
	switch to {
	case from:
		return nil
	case MeetingHeld:
		if !started {
			return fieldErr("status", "meeting_not_started")
		}
		if !attended {
			return fieldErr("status", "held_needs_attendance")
		}
	case MeetingCancelled:
		if attended {
			return fieldErr("status", "cancel_has_attendance")
		}
	case MeetingPlanned:
		if attended {
			return fieldErr("status", "planned_has_attendance")
		}
	default:
		return fieldErr("status", "unknown_choice")
	}
	return nil
}

// attendanceCount counts the attendance rows of a meeting.
func attendanceCount(tx *gorm.DB, meetingID uint) (int64, error) {
	var n int64
	err := tx.Model(&Attendance{}).Where("meeting_id = ?", meetingID).Count(&n).Error
	return n, err
}

// StatusChange cancels a meeting or plans it again.
type StatusChange struct {
	Status string `form:"status" json:"status" validate:"required,oneof=planned held cancelled"`
	Reason string `form:"reason" json:"reason" validate:"max=500"`
}

// SetMeetingStatus cancels a meeting (a reason is required) or plans a
// cancelled one again; "held" is accepted only when attendance is recorded
// (it is what recording attendance does). Mentor only.
func SetMeetingStatus(ctx context.Context, db *gorm.DB, v Viewer, id uint, in StatusChange) (Meeting, error) {
	var m Meeting
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if m, _, err = lockedMentorsMeeting(tx, v, id); err != nil {
			return err
		}
		if err := groupOpen(tx, m.GroupID); err != nil {
			return err
		}
		to := MeetingStatus(in.Status)
		if to == MeetingCancelled && CleanText(in.Reason) == "" {
			return fieldErr("reason", "required")
		}
		n, err := attendanceCount(tx, m.ID)
		if err != nil {
			return err
		}
		if err := MeetingTransition(m.Status, to, !nowOf(tx).Before(m.StartsAt), n > 0); err != nil {
			return err
		}
		if to != m.Status {
			m.Sequence++
		}
		cancelled := to == MeetingCancelled && m.Status != MeetingCancelled
		// A cancelled meeting planned again goes back into calendars.
		reinstated := to == MeetingPlanned && m.Status == MeetingCancelled
		m.Status, m.StatusReason, m.EditedByHand = to, CleanText(in.Reason), true
		if err := tx.Model(&m).Select("status", "status_reason", "edited_by_hand", "sequence").Updates(&m).Error; err != nil {
			return err
		}
		if cancelled || reinstated {
			return notifyMeeting(tx, m, nowOf(tx), reinstated)
		}
		return nil
	})
	return m, err
}

// formerAt returns the people recorded at a meeting (attendance or a role)
// who are not among current, the group's admitted members: former members,
// whom the record keeps.
func formerAt(tx *gorm.DB, meetingID uint, current []uint) ([]uint, error) {
	var ids []uint
	err := tx.Raw(`SELECT person_id FROM attendances WHERE meeting_id = ? AND person_id NOT IN ?
		UNION SELECT person_id FROM meeting_roles WHERE meeting_id = ? AND person_id NOT IN ?`,
		meetingID, append(current, 0), meetingID, append(current, 0)).Scan(&ids).Error
	return ids, err
}

// meetingPeople fills the page's people in one statement: the group's
// admitted mentees (ids, in name order; frozen ones marked) and the former
// members recorded at the meeting (attendance or a role), with the
// attendance the viewer may see (everyone's for the mentor, else their own),
// the apologies (everyone's with reasons for the mentor, else their own
// without) and the meeting's roles (a row for each role a person holds, in
// the order they were set). Find, not Scan, so the vault opens the reasons.
func meetingPeople(tx *gorm.DB, page *MeetingPage, v Viewer, mentor bool) (ids []uint, frozen map[uint]bool, err error) {
	var rows []meetingPersonRow
	err = tx.Raw(`SELECT p.id AS person_id, p.name, COALESCE(m.status, '') AS status, COALESCE(a.status, '') AS attendance,
			COALESCE(ap.id, 0) AS apology_id, CASE WHEN @mentor THEN COALESCE(ap.reason, '') ELSE '' END AS reason,
			ap.created_at AS apology_at, r.id AS role_id, r.role
		FROM people p
		LEFT JOIN memberships m ON m.person_id = p.id AND m.group_id = @group AND m.status IN @admitted
		LEFT JOIN attendances a ON a.person_id = p.id AND a.meeting_id = @meeting
		LEFT JOIN apologies ap ON ap.person_id = p.id AND ap.meeting_id = @meeting AND (@mentor OR ap.person_id = @viewer)
		LEFT JOIN meeting_roles r ON r.meeting_id = @meeting AND r.person_id = p.id
		WHERE p.id IN (SELECT person_id FROM memberships WHERE group_id = @group AND status IN @admitted
			UNION SELECT person_id FROM attendances WHERE meeting_id = @meeting
			UNION SELECT person_id FROM meeting_roles WHERE meeting_id = @meeting)
		ORDER BY p.name, p.id, r.id`,
		map[string]any{"group": page.Group.ID, "meeting": page.Meeting.ID, "admitted": AdmittedStatuses,
			"mentor": mentor, "viewer": v.PersonID}).Find(&rows).Error
	frozen, page.Former, page.People = map[uint]bool{}, map[uint]bool{}, []PersonChoice{}
	page.Roles = roleLists(rows)
	rows = slices.CompactFunc(rows, func(a, b meetingPersonRow) bool { return a.PersonID == b.PersonID })
	for _, r := range rows {
		page.People = append(page.People, PersonChoice{ID: r.PersonID, Name: r.Name})
		if r.Status == "" {
			page.Former[r.PersonID] = true
		} else {
			ids = append(ids, r.PersonID)
		}
		if r.Status == StatusFrozen {
			frozen[r.PersonID] = true
		}
		if r.Attendance != "" && (mentor || r.PersonID == v.PersonID) {
			page.Attendance[r.PersonID] = r.Attendance
		}
	}
	page.Frozen = frozen
	if err == nil {
		err = fillApologies(tx, v, page, rows, mentor)
	}
	return ids, frozen, err
}

// meetingPersonRow is one person on the meeting page, with their apology
// (ApologyID 0 when none, or none the viewer may see).
type meetingPersonRow struct {
	// ApologyID is the row's primary key to the vault, which opens Reason
	// as the apology of that id: renaming it or its tag breaks the opening.
	ApologyID  uint `gorm:"primaryKey"`
	PersonID   uint
	Name       string
	Status     MembershipStatus // "" when not an admitted mentee
	Attendance AttendanceStatus // "" when not recorded
	Reason     string           `sealed:"apologies"` // the mentor's view only
	ApologyAt  *time.Time
	RoleID     *uint // a role the person holds at the meeting: a row each
	Role       *MeetingRole
}

// roleLists is the meeting's roles from the people's rows: per role, its
// holders in the order they were set.
func roleLists(rows []meetingPersonRow) map[MeetingRole][]uint {
	held := make([]meetingPersonRow, 0, len(rows))
	for _, r := range rows {
		if r.RoleID != nil && r.Role != nil {
			held = append(held, r)
		}
	}
	slices.SortFunc(held, func(a, b meetingPersonRow) int { return cmp.Compare(*a.RoleID, *b.RoleID) })
	roles := map[MeetingRole][]uint{}
	for _, r := range held {
		roles[*r.Role] = append(roles[*r.Role], r.PersonID)
	}
	return roles
}

// addRecorded adds to set the people already recorded at a meeting, so
// that saving its form again keeps a former member's place in the record.
func addRecorded(tx *gorm.DB, meetingID uint, set map[uint]bool) error {
	ids, err := formerAt(tx, meetingID, nil)
	for _, id := range ids {
		set[id] = true
	}
	return err
}

// SaveAttendance records who came; mentor only. Statuses are present,
// excused or absent; "" leaves a person unrecorded. Attendance is taken from
// the meeting's start on and never for a cancelled meeting; the meeting is
// held while any attendance is recorded and planned again when it is
// cleared (a meeting still to come can only be cleared). A former
// member's record stays unless the form names them.
// People outside the group are refused.
func SaveAttendance(ctx context.Context, db *gorm.DB, v Viewer, id uint, statuses map[uint]string) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, g, err := lockedMentorsMeeting(tx, v, id)
		if err != nil {
			return err
		}
		if m.Status == MeetingCancelled {
			return fieldErr("attendance", "meeting_cancelled")
		}
		clearing := true
		for _, s := range statuses {
			clearing = clearing && s == ""
		}
		if !attendanceOpen(m, nowOf(tx)) {
			if !clearing {
				return fieldErr("attendance", "meeting_not_started")
			}
			// A meeting still to come holds no attendance: clearing it
			// (recorded before this rule, or moved since) plans it again.
			if err := tx.Where("meeting_id = ?", m.ID).Delete(&Attendance{}).Error; err != nil {
				return err
			}
			return tx.Model(&m).Update("status", MeetingPlanned).Error
		}
		current, err := memberSet(tx, g.ID)
		if err != nil {
			return err
		}
		allowed := map[uint]bool{}
		for id := range current {
			allowed[id] = true
		}
		if err := addRecorded(tx, m.ID, allowed); err != nil {
			return err
		}
		var rows []Attendance
		named := []uint{0}
		for pid, s := range statuses {
			switch AttendanceStatus(s) {
			case Present, Excused, Absent, "":
			default:
				return fieldErr("attendance", "unknown_choice")
			}
			if !allowed[pid] {
				return fieldErr("attendance", "unknown_choice")
			}
			named = append(named, pid)
			if s != "" {
				rows = append(rows, Attendance{MeetingID: m.ID, PersonID: pid, Status: AttendanceStatus(s)})
			}
		}
		for pid := range current {
			named = append(named, pid)
		}
		if err := tx.Where("meeting_id = ? AND person_id IN ?", m.ID, named).Delete(&Attendance{}).Error; err != nil {
			return err
		}
		if len(rows) > 0 {
			if err := tx.Create(&rows).Error; err != nil {
				return err
			}
		}
		n, err := attendanceCount(tx, m.ID)
		if err != nil {
			return err
		}
		status := MeetingPlanned
		if n > 0 {
			status = MeetingHeld
		}
		if status == m.Status {
			return nil
		}
		if err := tx.Model(&m).Update("status", status).Error; err != nil {
			return err
		}
		if status == MeetingHeld {
			return firstMeetingHeld(tx, g, m)
		}
		return nil
	})
}
