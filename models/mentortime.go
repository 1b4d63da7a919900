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
	if err != nil {
		return MentorHours{}, err
	}
	return all[v.PersonID][0], nil
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
	rows, err := mentorWork(tx, mentorIDs, first, end)
	if err != nil {
		return nil, err
	}
	today := DateOf(nowOf(tx))
	for _, w := range rows {
		w.count(at, today, loc)
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

// workRow is one piece of a mentor's work in a month: a group meeting, a
// one-on-one or an intake.
type workRow struct {
	Kind             string
	MentorID         uint
	Status           string
	StartsAt, EndsAt *time.Time // an intake recorded without an appointment has none
	RunStart         *time.Time // a meeting's run, when recorded
	RunEnd           *time.Time
	HeldOn           *Date // an intake's record
}

// Kinds of workRow, written into mentorWork's statement.
const (
	workMeeting  = "meeting"
	workOneOnOne = "one_on_one"
	workIntake   = "intake"
)

// mentorWork reads the mentors' meetings, one-on-ones and intakes starting
// in [first, end) in one statement. An intake is each membership with its
// live appointment and its record; one recorded without an appointment
// counts on the day it was held.
func mentorWork(tx *gorm.DB, mentorIDs []uint, first, end time.Time) ([]workRow, error) {
	var rows []workRow
	err := tx.Raw(`SELECT '`+workMeeting+`' AS kind, g.mentor_id, mt.status, mt.starts_at, mt.ends_at,
			r.started_at AS run_start, r.ended_at AS run_end, CAST(NULL AS DATE) AS held_on
			FROM meetings mt JOIN mentor_groups g ON g.id = mt.group_id
			LEFT JOIN meeting_runs r ON r.meeting_id = mt.id
			WHERE g.mentor_id IN @mentors AND mt.status <> @cancelled AND mt.starts_at >= @first AND mt.starts_at < @end
		UNION ALL
		SELECT '`+workOneOnOne+`', o.mentor_id, o.status, o.starts_at, o.ends_at, NULL, NULL, NULL
			FROM one_on_ones o
			WHERE o.mentor_id IN @mentors AND o.status <> 'cancelled' AND o.starts_at >= @first AND o.starts_at < @end
		UNION ALL
		SELECT '`+workIntake+`', g.mentor_id, '', a.starts_at, a.ends_at, NULL, NULL, i.held_on
			FROM memberships m JOIN mentor_groups g ON g.id = m.group_id
			LEFT JOIN intake_appointments a ON a.membership_id = m.id AND a.status <> @intakeCancelled
			LEFT JOIN intakes i ON i.membership_id = m.id
			WHERE g.mentor_id IN @mentors AND ((a.id IS NOT NULL AND a.starts_at >= @first AND a.starts_at < @end)
				OR (a.id IS NULL AND i.id IS NOT NULL AND i.held_on >= @firstDay AND i.held_on < @endDay))`,
		map[string]any{"mentors": mentorIDs, "cancelled": MeetingCancelled, "intakeCancelled": IntakeCancelled,
			"first": first.UTC(), "end": end.UTC(), "firstDay": DateOf(first), "endDay": DateOf(end)}).Scan(&rows).Error
	return rows, err
}

// count adds the row's hours to its month: a meeting with half an hour of
// preparation and, once held, by its real length where the run recorded
// it; a one-on-one by its planned length; a scheduled intake by its length
// (done once its record exists), one recorded without an appointment as
// three quarters of an hour on the day it was held.
func (w workRow) count(at func(uint, time.Time) *MentorHours, today Date, loc *time.Location) {
	if w.StartsAt == nil || w.EndsAt == nil {
		if w.Kind != workIntake || w.HeldOn == nil {
			return
		}
		if h := at(w.MentorID, time.Date(w.HeldOn.Year(), w.HeldOn.Month(), w.HeldOn.Day(), 12, 0, 0, 0, loc)); h != nil {
			h.Intakes += intakeHours
			if !w.HeldOn.After(today) {
				h.Actual += intakeHours
			}
		}
		return
	}
	h := at(w.MentorID, *w.StartsAt)
	if h == nil {
		return
	}
	d := w.EndsAt.Sub(*w.StartsAt).Hours()
	switch w.Kind {
	case workMeeting:
		h.Meetings += d
		h.Preparing += preparationHours
		if MeetingStatus(w.Status) == MeetingHeld {
			if w.RunStart != nil && w.RunEnd != nil && w.RunEnd.After(*w.RunStart) {
				d = w.RunEnd.Sub(*w.RunStart).Hours()
			}
			h.Actual += d + preparationHours
		}
	case workOneOnOne:
		h.OneOnOnes += d
		if w.Status == "held" {
			h.Actual += d
		}
	case workIntake:
		h.Intakes += d
		if w.HeldOn != nil {
			h.Actual += d
		}
	}
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
