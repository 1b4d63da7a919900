package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// IntakeAppointment is when and where a candidate's intake takes place, as
// the group's mentor planned it. It holds no confidential text: it reaches
// both calendars.
type IntakeAppointment struct {
	ID           uint      `gorm:"primaryKey" json:"id"`
	MembershipID uint      `gorm:"not null;uniqueIndex" json:"membership_id"`
	StartsAt     time.Time `gorm:"not null" json:"starts_at"`
	EndsAt       time.Time `gorm:"not null" json:"ends_at"`
	Location     string    `gorm:"size:200;not null;default:''" json:"location"`
	Status       string    `gorm:"size:20;not null;default:'planned'" json:"status"` // planned or cancelled
	Sequence     int       `gorm:"not null;default:0" json:"sequence"`
	CreatedAt    time.Time `json:"-"`
	UpdatedAt    time.Time `json:"-"`
}

// Intake appointment states.
const (
	IntakePlanned   = "planned"
	IntakeCancelled = "cancelled"
)

// Limits of an intake's length in minutes (the handbook: 30 to 60).
const (
	MinIntakeMinutes     = 15
	MaxIntakeMinutes     = 120
	DefaultIntakeMinutes = 45
)

// IntakeScheduleInput plans an intake: day, time, length and place.
type IntakeScheduleInput struct {
	Date        string `form:"date" json:"date" validate:"required,date"`
	StartTime   string `form:"start_time" json:"start_time" validate:"required,max=5"`
	DurationMin int    `form:"duration_min" json:"duration_min" validate:"min=0,max=480"`
	Location    string `form:"location" json:"location" validate:"max=200"`
}

// intakeClosed are the statuses after which no intake is planned.
var intakeClosed = map[MembershipStatus]bool{StatusStopped: true, StatusReferred: true, StatusLeft: true}

// ScheduleIntake plans (or moves) the intake of a membership; the group's
// mentor only, in a group that is not closed, not in the past, and not for
// someone who stopped, was referred or left. A move raises the calendar
// sequence. The candidate and the mentor are told, with an invitation.
func ScheduleIntake(ctx context.Context, db *gorm.DB, v Viewer, membershipID uint, in IntakeScheduleInput) (IntakeAppointment, error) {
	var a IntakeAppointment
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, acc, err := mentorsMembership(tx, v, membershipID)
		if err != nil {
			return err
		}
		if acc.Group.Status == GroupClosed {
			return errGroupClosed
		}
		if intakeClosed[m.Status] {
			return fieldErr("date", "intake_not_open")
		}
		if in.DurationMin == 0 {
			in.DurationMin = DefaultIntakeMinutes
		}
		if in.DurationMin < MinIntakeMinutes || in.DurationMin > MaxIntakeMinutes {
			return &ValidationError{Fields: []FieldError{{Field: "duration_min", Code: "out_of_range",
				Args: map[string]any{"Min": MinIntakeMinutes, "Max": MaxIntakeMinutes}}}}
		}
		start, err := localStart(tx, in.Date, in.StartTime)
		if err != nil {
			return err
		}
		if !start.After(nowOf(tx)) {
			return fieldErr("date", "in_past")
		}
		end := start.Add(time.Duration(in.DurationMin) * time.Minute)
		if err := lockRow(tx, "memberships", m.ID); err != nil {
			return err
		}
		found := tx.Where("membership_id = ?", m.ID).Limit(1).Find(&a)
		if found.Error != nil {
			return found.Error
		}
		if found.RowsAffected > 0 {
			if a.StartsAt.Equal(start) && a.EndsAt.Equal(end) && a.Location == CleanText(in.Location) && a.Status == IntakePlanned {
				return nil
			}
			a.Sequence++
		}
		a.MembershipID, a.StartsAt, a.EndsAt, a.Location, a.Status = m.ID, start, end, CleanText(in.Location), IntakePlanned
		if err := tx.Save(&a).Error; err != nil {
			return err
		}
		return notifyIntake(tx, a)
	})
	return a, err
}

// CancelIntake calls off a planned intake; the group's mentor only. The
// calendars show it cancelled, and the candidate and the mentor are told.
func CancelIntake(ctx context.Context, db *gorm.DB, v Viewer, membershipID uint) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, _, err := mentorsMembership(tx, v, membershipID); err != nil {
			return err
		}
		res := tx.Model(&IntakeAppointment{}).Where("membership_id = ? AND status = ?", membershipID, IntakePlanned).
			Updates(map[string]any{"status": IntakeCancelled, "sequence": gorm.Expr("sequence + 1"), "updated_at": nowOf(tx)})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return fieldErr("date", "no_intake_planned")
		}
		a, err := intakeAppointmentOf(tx, membershipID)
		if err != nil || a == nil {
			return err
		}
		return notifyIntake(tx, *a)
	})
}

// intakeAppointmentOf returns a membership's intake appointment, if any.
func intakeAppointmentOf(tx *gorm.DB, membershipID uint) (*IntakeAppointment, error) {
	var a IntakeAppointment
	res := tx.Where("membership_id = ?", membershipID).Limit(1).Find(&a)
	if res.Error != nil || res.RowsAffected == 0 {
		return nil, res.Error
	}
	return &a, nil
}

// intakeEvents are the intakes in a person's calendar feed: those they
// hold as their group's mentor and their own as a candidate, from since
// on. The summary names the other person; no content is read.
func intakeEvents(tx *gorm.DB, personID uint, since time.Time) ([]CalendarEvent, error) {
	var rows []struct {
		ID                     uint
		StartsAt, EndsAt       time.Time
		Location, Status       string
		Sequence               int
		UpdatedAt              time.Time
		MentorID, MenteeID     uint
		MentorName, MenteeName string
	}
	err := tx.Model(&IntakeAppointment{}).Select("intake_appointments.id, intake_appointments.starts_at, intake_appointments.ends_at, "+
		"intake_appointments.location, intake_appointments.status, intake_appointments.sequence, intake_appointments.updated_at, "+
		"g.mentor_id, ms.person_id AS mentee_id, mr.name AS mentor_name, me.name AS mentee_name").
		Joins("JOIN memberships ms ON ms.id = intake_appointments.membership_id").
		Joins("JOIN mentor_groups g ON g.id = ms.group_id").
		Joins("JOIN people mr ON mr.id = g.mentor_id").Joins("JOIN people me ON me.id = ms.person_id").
		Where("(g.mentor_id = ? OR ms.person_id = ?) AND intake_appointments.starts_at >= ?", personID, personID, since).
		Order("intake_appointments.starts_at").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]CalendarEvent, 0, len(rows))
	for _, r := range rows {
		with := r.MentorName
		if r.MentorID == personID {
			with = r.MenteeName
		}
		out = append(out, CalendarEvent{UID: "intake-" + itoaU(r.ID), Kind: "intake", GroupName: with, With: with,
			StartsAt: r.StartsAt, EndsAt: r.EndsAt, Location: r.Location, Sequence: r.Sequence,
			Cancelled: r.Status == IntakeCancelled, Updated: r.UpdatedAt})
	}
	return out, nil
}
