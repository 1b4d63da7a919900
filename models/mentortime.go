package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// MentorHours is a mentor's time in one month: planned (everything not
// cancelled) and actual (what was held, meetings by their real start and
// end when they were run), with intakes, preparation and one-on-ones.
type MentorHours struct {
	Month      string    `json:"month"` // 2027-01
	MonthStart time.Time `json:"-"`     // its first day, for display
	Meetings   float64   `json:"meetings"`
	OneOnOnes  float64   `json:"one_on_ones"`
	Intakes    float64   `json:"intakes"`
	Preparing  float64   `json:"preparation"`
	Total      float64   `json:"total"`  // planned
	Actual     float64   `json:"actual"` // held so far
	Guideline  float64   `json:"guideline"`
	OverBudget bool      `json:"over_guideline"`
}

// MentorGuidelineHours is the usual time a mentor spends a month.
const MentorGuidelineHours = 6

// Time the planner counts beside what is scheduled.
const (
	preparationHours = 0.5  // per group meeting
	intakeHours      = 0.75 // an intake takes 30 to 60 minutes
	// farAboveGuideline is how far above the guideline L&D is warned.
	farAboveGuideline = 1.5
)

// PlannedMentorHours sums the viewer's hours in the month of day
// (organisation zone): meetings with half an hour of preparation each,
// one-on-ones and intakes, planned and actual, against the guideline of
// six hours.
func PlannedMentorHours(ctx context.Context, db *gorm.DB, v Viewer, day time.Time) (MentorHours, error) {
	return mentorHours(db.WithContext(ctx), v.PersonID, day)
}

// mentorHours sums one mentor's hours in the month of day.
func mentorHours(tx *gorm.DB, mentorID uint, day time.Time) (MentorHours, error) {
	start := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, day.Location())
	end := start.AddDate(0, 1, 0)
	h := MentorHours{Month: start.Format("2006-01"), MonthStart: start, Guideline: MentorGuidelineHours}
	var meetings []struct {
		Meeting
		RunStart *time.Time
		RunEnd   *time.Time
	}
	if err := tx.Model(&Meeting{}).Select("meetings.*, r.started_at AS run_start, r.ended_at AS run_end").
		Joins("JOIN mentor_groups g ON g.id = meetings.group_id").
		Joins("LEFT JOIN meeting_runs r ON r.meeting_id = meetings.id").
		Where("g.mentor_id = ? AND meetings.status <> ? AND meetings.starts_at >= ? AND meetings.starts_at < ?",
			mentorID, MeetingCancelled, start.UTC(), end.UTC()).Scan(&meetings).Error; err != nil {
		return h, err
	}
	for _, m := range meetings {
		planned := m.EndsAt.Sub(m.StartsAt).Hours()
		h.Meetings += planned
		h.Preparing += preparationHours
		if m.Status == MeetingHeld {
			if m.RunStart != nil && m.RunEnd != nil && m.RunEnd.After(*m.RunStart) {
				planned = m.RunEnd.Sub(*m.RunStart).Hours()
			}
			h.Actual += planned + preparationHours
		}
	}
	var talks []OneOnOne
	if err := tx.Select("id", "starts_at", "ends_at", "status").Where("mentor_id = ? AND status <> 'cancelled' AND starts_at >= ? AND starts_at < ?",
		mentorID, start.UTC(), end.UTC()).Find(&talks).Error; err != nil {
		return h, err
	}
	for _, o := range talks {
		d := o.EndsAt.Sub(o.StartsAt).Hours()
		h.OneOnOnes += d
		if o.Status == "held" {
			h.Actual += d
		}
	}
	var intakes []Intake
	if err := tx.Select("intakes.id", "intakes.held_on").Joins("JOIN memberships m ON m.id = intakes.membership_id").
		Joins("JOIN mentor_groups g ON g.id = m.group_id").
		Where("g.mentor_id = ? AND intakes.held_on >= ? AND intakes.held_on < ?", mentorID, DateOf(start), DateOf(end)).
		Find(&intakes).Error; err != nil {
		return h, err
	}
	today := DateOf(nowOf(tx))
	for _, it := range intakes {
		h.Intakes += intakeHours
		if !it.HeldOn.After(today) {
			h.Actual += intakeHours
		}
	}
	h.Total = h.Meetings + h.OneOnOnes + h.Intakes + h.Preparing
	h.OverBudget = h.Total > h.Guideline
	return h, nil
}

// MentorLoad is one mentor's hours in a month, for L&D: hours only, nothing
// about the mentees.
type MentorLoad struct {
	MentorID uint    `json:"mentor_id"`
	Name     string  `json:"name"`
	Planned  float64 `json:"planned"`
	Actual   float64 `json:"actual"`
	FarAbove bool    `json:"far_above_guideline"` // planned far above the guideline
}

// MentorLoads returns the hours of every mentor of a group that is not
// closed in the month of day, by name; admins only.
func MentorLoads(ctx context.Context, db *gorm.DB, v Viewer, day time.Time) ([]MentorLoad, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	tx := db.WithContext(ctx)
	var mentors []struct {
		ID   uint
		Name string
	}
	if err := tx.Model(&MentorGroup{}).Select("DISTINCT p.id, p.name").
		Joins("JOIN people p ON p.id = mentor_groups.mentor_id").Where("mentor_groups.status <> ?", GroupClosed).
		Order("p.name").Scan(&mentors).Error; err != nil {
		return nil, err
	}
	out := make([]MentorLoad, 0, len(mentors))
	for _, m := range mentors {
		h, err := mentorHours(tx, m.ID, day)
		if err != nil {
			return nil, err
		}
		out = append(out, MentorLoad{MentorID: m.ID, Name: m.Name, Planned: h.Total, Actual: h.Actual,
			FarAbove: h.Total > MentorGuidelineHours*farAboveGuideline})
	}
	return out, nil
}
