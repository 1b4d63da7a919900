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
	// MaxTimeMonths is the most months one time table shows.
	MaxTimeMonths = 12
)

// firstOfMonth is the first moment of the month of day, in day's zone.
func firstOfMonth(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, day.Location())
}

// ParseMonth reads "2027-01" as the first moment of that month in loc; a
// field error on field otherwise.
func ParseMonth(s, field string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01", s, loc)
	if err != nil || t.Year() < 2000 || t.Year() > 2999 {
		return time.Time{}, fieldErr(field, "month")
	}
	return t, nil
}

// PlannedMentorHours sums the viewer's hours in the month of day
// (organisation zone): meetings with half an hour of preparation each,
// one-on-ones and intakes, planned and actual, against the guideline of
// six hours.
func PlannedMentorHours(ctx context.Context, db *gorm.DB, v Viewer, day time.Time) (MentorHours, error) {
	all, err := mentorMonths(db.WithContext(ctx), []uint{v.PersonID}, firstOfMonth(day), 1)
	return all[v.PersonID][0], err
}

// MyMentorTime returns the viewer's own hours per month for months months
// from the month of from; for people who mentor a group (others get
// ErrNotFound).
func MyMentorTime(ctx context.Context, db *gorm.DB, v Viewer, from time.Time, months int) ([]MentorHours, error) {
	tx := db.WithContext(ctx)
	var n int64
	if err := tx.Model(&MentorGroup{}).Where("mentor_id = ?", v.PersonID).Count(&n).Error; err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, ErrNotFound
	}
	all, err := mentorMonths(tx, []uint{v.PersonID}, firstOfMonth(from), min(max(months, 1), MaxTimeMonths))
	return all[v.PersonID], err
}

// mentorMonths sums the hours of mentors per month, for months months from
// first (a month's first moment, in the organisation's zone). Meetings
// count for their group's mentor with half an hour of preparation and, once
// held, by their real length where the run recorded it; one-on-ones by
// their planned length; intakes by their scheduled length, or the usual
// three quarters of an hour when only the day was recorded.
func mentorMonths(tx *gorm.DB, mentorIDs []uint, first time.Time, months int) (map[uint][]MentorHours, error) {
	loc := first.Location()
	end := first.AddDate(0, months, 0)
	out := make(map[uint][]MentorHours, len(mentorIDs))
	for _, id := range mentorIDs {
		row := make([]MentorHours, months)
		for i := range row {
			s := first.AddDate(0, i, 0)
			row[i] = MentorHours{Month: s.Format("2006-01"), MonthStart: s, Guideline: MentorGuidelineHours}
		}
		out[id] = row
	}
	at := func(mentor uint, t time.Time) *MentorHours {
		t = t.In(loc)
		i := (t.Year()-first.Year())*12 + int(t.Month()) - int(first.Month())
		if row, ok := out[mentor]; ok && i >= 0 && i < len(row) {
			return &row[i]
		}
		return nil
	}
	if len(mentorIDs) == 0 {
		return out, nil
	}
	var meetings []struct {
		MentorID         uint
		Status           MeetingStatus
		StartsAt, EndsAt time.Time
		RunStart         *time.Time
		RunEnd           *time.Time
	}
	if err := tx.Model(&Meeting{}).Select("g.mentor_id, meetings.status, meetings.starts_at, meetings.ends_at, r.started_at AS run_start, r.ended_at AS run_end").
		Joins("JOIN mentor_groups g ON g.id = meetings.group_id").
		Joins("LEFT JOIN meeting_runs r ON r.meeting_id = meetings.id").
		Where("g.mentor_id IN ? AND meetings.status <> ? AND meetings.starts_at >= ? AND meetings.starts_at < ?",
			mentorIDs, MeetingCancelled, first.UTC(), end.UTC()).Scan(&meetings).Error; err != nil {
		return nil, err
	}
	for _, m := range meetings {
		h := at(m.MentorID, m.StartsAt)
		if h == nil {
			continue
		}
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
	if err := tx.Select("id", "mentor_id", "starts_at", "ends_at", "status").Where("mentor_id IN ? AND status <> 'cancelled' AND starts_at >= ? AND starts_at < ?",
		mentorIDs, first.UTC(), end.UTC()).Find(&talks).Error; err != nil {
		return nil, err
	}
	for _, o := range talks {
		h := at(o.MentorID, o.StartsAt)
		if h == nil {
			continue
		}
		d := o.EndsAt.Sub(o.StartsAt).Hours()
		h.OneOnOnes += d
		if o.Status == "held" {
			h.Actual += d
		}
	}
	if err := addIntakeHours(tx, mentorIDs, first, end, at); err != nil {
		return nil, err
	}
	for _, row := range out {
		for i := range row {
			h := &row[i]
			h.Total = h.Meetings + h.OneOnOnes + h.Intakes + h.Preparing
			h.OverBudget = h.Total > h.Guideline
		}
	}
	return out, nil
}

// addIntakeHours counts intakes into the months of their group's mentor:
// a scheduled intake by its length (done once its record exists), and a
// recorded intake that was never scheduled as three quarters of an hour on
// the day it was held.
func addIntakeHours(tx *gorm.DB, mentorIDs []uint, first, end time.Time, at func(uint, time.Time) *MentorHours) error {
	// One statement: each membership with its live appointment and its record.
	var rows []struct {
		MentorID         uint
		StartsAt, EndsAt *time.Time
		HeldOn           *Date
	}
	if err := tx.Table("memberships m").Select("g.mentor_id, a.starts_at, a.ends_at, i.held_on").
		Joins("JOIN mentor_groups g ON g.id = m.group_id").
		Joins("LEFT JOIN intake_appointments a ON a.membership_id = m.id AND a.status <> ?", IntakeCancelled).
		Joins("LEFT JOIN intakes i ON i.membership_id = m.id").
		Where("g.mentor_id IN ?", mentorIDs).
		Where("(a.id IS NOT NULL AND a.starts_at >= ? AND a.starts_at < ?) OR (a.id IS NULL AND i.id IS NOT NULL AND i.held_on >= ? AND i.held_on < ?)",
			first.UTC(), end.UTC(), DateOf(first), DateOf(end)).
		Scan(&rows).Error; err != nil {
		return err
	}
	today := DateOf(nowOf(tx))
	loc := first.Location()
	for _, r := range rows {
		if r.StartsAt != nil && r.EndsAt != nil {
			if h := at(r.MentorID, *r.StartsAt); h != nil {
				d := r.EndsAt.Sub(*r.StartsAt).Hours()
				h.Intakes += d
				if r.HeldOn != nil {
					h.Actual += d
				}
			}
			continue
		}
		if r.HeldOn == nil {
			continue
		}
		h := at(r.MentorID, time.Date(r.HeldOn.Year(), r.HeldOn.Month(), r.HeldOn.Day(), 12, 0, 0, 0, loc))
		if h == nil {
			continue
		}
		h.Intakes += intakeHours
		if !r.HeldOn.After(today) {
			h.Actual += intakeHours
		}
	}
	return nil
}

// MentorLoad is one mentor's hours in a month, for L&D: hours only, nothing
// about the mentees.
type MentorLoad struct {
	MentorID uint    `json:"mentor_id"`
	Name     string  `json:"name"`
	Month    string  `json:"month"`
	Planned  float64 `json:"planned"`
	Actual   float64 `json:"actual"`
	FarAbove bool    `json:"far_above_guideline"` // planned far above the guideline
}

// MentorLoadRow is one mentor's hours over a run of months, for L&D.
type MentorLoadRow struct {
	MentorID uint         `json:"mentor_id"`
	Name     string       `json:"name"`
	Months   []MentorLoad `json:"months"`
}

// MentorLoads returns the hours of every mentor of a group that is not
// closed in the month of day, by name; admins only.
func MentorLoads(ctx context.Context, db *gorm.DB, v Viewer, day time.Time) ([]MentorLoad, error) {
	rows, _, err := MentorLoadMonths(ctx, db, v, day, 1)
	out := make([]MentorLoad, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.Months[0])
	}
	return out, err
}

// MentorLoadMonths returns, for L&D, every mentor's planned and actual
// hours per month for months months from the month of from: mentors of a
// group that is not closed, and anyone else with hours in those months;
// by name. Nothing about mentees is read. Admins only.
func MentorLoadMonths(ctx context.Context, db *gorm.DB, v Viewer, from time.Time, months int) ([]MentorLoadRow, []time.Time, error) {
	if !v.Can(OrgManage) {
		return nil, nil, ErrNotFound
	}
	months = min(max(months, 1), MaxTimeMonths)
	first := firstOfMonth(from)
	tx := db.WithContext(ctx)
	var mentors []struct {
		ID   uint
		Name string
		Open bool
	}
	if err := tx.Model(&MentorGroup{}).Select("p.id, p.name, MAX(CASE WHEN mentor_groups.status <> ? THEN 1 ELSE 0 END) = 1 AS open", GroupClosed).
		Joins("JOIN people p ON p.id = mentor_groups.mentor_id").Group("p.id, p.name").
		Order("p.name").Scan(&mentors).Error; err != nil {
		return nil, nil, err
	}
	ids := make([]uint, len(mentors))
	for i, m := range mentors {
		ids[i] = m.ID
	}
	hours, err := mentorMonths(tx, ids, first, months)
	if err != nil {
		return nil, nil, err
	}
	heads := make([]time.Time, months)
	for i := range heads {
		heads[i] = first.AddDate(0, i, 0)
	}
	out := make([]MentorLoadRow, 0, len(mentors))
	for _, m := range mentors {
		row := MentorLoadRow{MentorID: m.ID, Name: m.Name}
		busy := false
		for _, h := range hours[m.ID] {
			row.Months = append(row.Months, MentorLoad{MentorID: m.ID, Name: m.Name, Month: h.Month, Planned: h.Total, Actual: h.Actual,
				FarAbove: h.Total > MentorGuidelineHours*farAboveGuideline})
			busy = busy || h.Total > 0
		}
		if m.Open || busy {
			out = append(out, row)
		}
	}
	return out, heads, nil
}
