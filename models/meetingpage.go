package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// MeetingPageInput is everything the meeting page's one form may change.
// The page is one form, so that nothing typed in one part is lost when
// another part is saved; a nil part (or an empty map) is left as it is.
type MeetingPageInput struct {
	Details    *MeetingInput
	Minutes    *AgendaInput
	Roles      *RolesInput
	Notes      *NotesInput
	Attendance map[uint]string
	Status     *StatusChange
	Action     *ActionInput
	Entries    map[uint]EntryInput // first meeting: person id → their part
	// FirstRecord is the first meeting's working form and agreements.
	FirstRecord *FirstRecordInput
	Toggle      []uint // action items to mark done or open again
}

// SaveMeetingPage applies the parts of the meeting page's form in one
// transaction, each through its own function and so under its own
// permission: all parts are saved, or none when one is refused. The agenda
// minutes are saved before the details, so a new method or time lays the
// agenda out again.
func SaveMeetingPage(ctx context.Context, db *gorm.DB, v Viewer, id uint, in MeetingPageInput, now time.Time) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if in.Minutes != nil {
			if err := SaveAgenda(ctx, tx, v, id, *in.Minutes); err != nil {
				return err
			}
		}
		if in.Details != nil {
			if _, err := UpdateMeeting(ctx, tx, v, id, *in.Details); err != nil {
				return err
			}
		}
		if in.Roles != nil {
			if err := SaveRoles(ctx, tx, v, id, *in.Roles); err != nil {
				return err
			}
		}
		if in.FirstRecord != nil {
			if err := SaveFirstRecord(ctx, tx, v, id, *in.FirstRecord); err != nil {
				return err
			}
		}
		for person, e := range in.Entries {
			if err := SaveEntry(ctx, tx, v, id, person, e); err != nil {
				return err
			}
		}
		if in.Notes != nil {
			if err := SaveNotes(ctx, tx, v, id, *in.Notes); err != nil {
				return err
			}
		}
		if in.Attendance != nil {
			if err := SaveAttendance(ctx, tx, v, id, in.Attendance); err != nil {
				return err
			}
		}
		if in.Action != nil {
			if _, err := AddAction(ctx, tx, v, id, *in.Action); err != nil {
				return err
			}
		}
		for _, a := range in.Toggle {
			if _, err := ToggleAction(ctx, tx, v, a, now); err != nil {
				return err
			}
		}
		if in.Status != nil {
			if _, err := SetMeetingStatus(ctx, tx, v, id, *in.Status); err != nil {
				return err
			}
		}
		return nil
	})
}
