package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Apology is a member's word that they cannot come to a meeting, with an
// optional reason that only the group's mentor reads (sealed). Attendance
// for the member starts as excused; the member can take it back until the
// meeting starts.
type Apology struct {
	ID        uint   `gorm:"primaryKey" json:"id"`
	MeetingID uint   `gorm:"not null" json:"meeting_id"`
	PersonID  uint   `gorm:"not null" json:"person_id"`
	Reason    string `gorm:"type:text;not null;default:''" json:"reason,omitempty" sealed:"apologies"`
	CreatedAt time.Time
}

// ApologyInput is a member's apologies, with an optional reason.
type ApologyInput struct {
	Reason string `form:"reason" json:"reason" validate:"max=2000"`
}

// apologyMeeting loads a meeting a member may send apologies for, or take
// them back: planned and not started yet.
func apologyMeeting(tx *gorm.DB, v Viewer, id uint) (Meeting, Access, error) {
	m, a, err := meetingFor(tx, v, MeetingApology, id)
	if err != nil {
		return m, a, err
	}
	if m.Status != MeetingPlanned || !m.StartsAt.After(nowOf(tx)) {
		return m, a, fieldErr("reason", "apology_closed")
	}
	return m, a, nil
}

// SendApology records the viewer's apologies for a coming meeting of their
// group and tells the mentor (the mail says only that there is news about
// the meeting, with its date and a link). Sending again replaces
// the reason.
func SendApology(ctx context.Context, db *gorm.DB, v Viewer, meetingID uint, in ApologyInput) (Apology, error) {
	var ap Apology
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockRow(tx, "meetings", meetingID); err != nil {
			return err
		}
		m, a, err := apologyMeeting(tx, v, meetingID)
		if err != nil {
			return err
		}
		res := tx.Where("meeting_id = ? AND person_id = ?", m.ID, v.PersonID).Limit(1).Find(&ap)
		if res.Error != nil {
			return res.Error
		}
		ap.MeetingID, ap.PersonID, ap.Reason = m.ID, v.PersonID, strings.TrimSpace(CleanText(in.Reason))
		if res.RowsAffected > 0 {
			return tx.Save(&ap).Error
		}
		if err := tx.Create(&ap).Error; err != nil {
			return err
		}
		// A neutral notice about the meeting: neither its kind nor its
		// subject says that it is apologies.
		return Notify(tx, NoticeMeetingNote, NoticeAbout{Type: "meeting", ID: m.ID, GroupID: m.GroupID, OtherID: v.PersonID,
			Path: "/meetings/" + itoaU(m.ID), Occurrence: nowOf(tx)}, []uint{a.Group.MentorID})
	})
	return ap, err
}

// WithdrawApology takes the viewer's apologies back, before the meeting starts.
func WithdrawApology(ctx context.Context, db *gorm.DB, v Viewer, meetingID uint) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockRow(tx, "meetings", meetingID); err != nil {
			return err
		}
		m, _, err := apologyMeeting(tx, v, meetingID)
		if err != nil {
			return err
		}
		res := tx.Where("meeting_id = ? AND person_id = ?", m.ID, v.PersonID).Delete(&Apology{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fieldErr("reason", "no_apology")
		}
		return nil
	})
}

// MeetingApologies is what a viewer sees of the apologies for a meeting:
// the mentor every member's (with the reasons), a member their own.
type MeetingApologies struct {
	Sent    map[uint]bool   // who sent apologies
	Reasons map[uint]string // person → reason ("" when none given; the mentor's view only)
	Mine    bool            // the viewer sent apologies
}

// fillApologies fills the page's apologies from the people's rows; for the
// mentor a member who sent apologies and has no attendance recorded starts
// as excused.
func fillApologies(tx *gorm.DB, v Viewer, page *MeetingPage, people []meetingPersonRow, mentor bool) error {
	page.Apologies = MeetingApologies{Sent: map[uint]bool{}, Reasons: map[uint]string{}}
	if !mentor && (page.Meeting.Status != MeetingPlanned || !page.Meeting.StartsAt.After(nowOf(tx))) {
		return nil // a member sends or takes back apologies only before the meeting
	}
	for _, r := range people {
		if r.ApologyID == 0 {
			continue
		}
		if mentor && (r.ApologyAt == nil || !page.Access.Covers(*r.ApologyAt)) {
			r.Reason = "" // given to the former mentor (or of no known date)
		}
		page.Apologies.Sent[r.PersonID] = true
		page.Apologies.Reasons[r.PersonID] = r.Reason
		page.Apologies.Mine = page.Apologies.Mine || r.PersonID == v.PersonID
		if r.Reason != "" && r.PersonID != v.PersonID {
			if err := audit(tx, v.PersonID, AuditRead, "apology", r.ApologyID); err != nil {
				return err
			}
		}
		if _, ok := page.Attendance[r.PersonID]; mentor && !ok && page.Meeting.Status != MeetingCancelled {
			page.Attendance[r.PersonID] = Excused
		}
	}
	return nil
}
