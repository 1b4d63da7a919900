package models

import (
	"context"

	"gorm.io/gorm"
)

// FirstRecordInput is what the first meeting records for the group: its
// preferred working form (part 3) and its working agreements (part 5):
// how often and how long it meets, work visits wanted and with whom, and
// other agreements. Zero minutes or weeks means not agreed yet.
type FirstRecordInput struct {
	WorkingForm  string `form:"working_form" json:"working_form" validate:"max=1000"`
	CadenceWeeks int    `form:"agreed_cadence_weeks" json:"agreed_cadence_weeks" validate:"min=0,max=26"`
	DurationMin  int    `form:"agreed_duration_min" json:"agreed_duration_min" validate:"omitempty,min=15,max=480"`
	Visits       string `form:"agreed_visits" json:"agreed_visits" validate:"max=1000"`
	Agreements   string `form:"agreements" json:"agreements" validate:"max=5000"`
}

// FirstRecordOf is the record form as a first meeting holds it.
func FirstRecordOf(m Meeting) FirstRecordInput {
	return FirstRecordInput{WorkingForm: m.WorkingForm, CadenceWeeks: m.AgreedCadenceWeeks, DurationMin: m.AgreedDurationMin,
		Visits: m.AgreedVisits, Agreements: m.Agreements}
}

// SaveFirstRecord stores what the first meeting agreed; the group's mentor
// only, and only on the first meeting.
func SaveFirstRecord(ctx context.Context, db *gorm.DB, v Viewer, id uint, in FirstRecordInput) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, _, err := lockedMentorsMeeting(tx, v, id)
		if err != nil {
			return err
		}
		if m.Kind != KindFirstMeeting {
			return ErrNotFound
		}
		ve := &ValidationError{}
		if in.CadenceWeeks < 0 || in.CadenceWeeks > MaxCadence {
			ve.Add("agreed_cadence_weeks", "out_of_range", map[string]any{"Min": 0, "Max": MaxCadence})
		}
		if in.DurationMin != 0 && (in.DurationMin < MinDurationMin || in.DurationMin > MaxDurationMin) {
			ve.Add("agreed_duration_min", "out_of_range", map[string]any{"Min": MinDurationMin, "Max": MaxDurationMin})
		}
		if err := ve.OrNil(); err != nil {
			return err
		}
		m.WorkingForm, m.AgreedCadenceWeeks, m.AgreedDurationMin = CleanText(in.WorkingForm), in.CadenceWeeks, in.DurationMin
		m.AgreedVisits, m.Agreements = CleanText(in.Visits), CleanText(in.Agreements)
		return tx.Save(&m).Error
	})
}
