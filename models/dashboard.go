package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// ChartPoint is one month of a chart; a point resting on fewer than
// MinAggregatePeople people is suppressed and has no value.
type ChartPoint struct {
	Month      Date
	Value      float64
	Suppressed bool
	Empty      bool // a rate with nothing to divide: no point at all
	people     int
}

// ChartSeries is one line of figures in a chart, such as "held".
type ChartSeries struct {
	Key    string
	Points []ChartPoint
}

// Chart is a monthly chart of the dashboard.
type Chart struct {
	Key     string // participation, attendance, meetings, one_on_ones
	Percent bool   // values are shares 0..1
	Series  []ChartSeries
}

// Dashboard is the programme overview for L&D, and its subset for managers:
// monthly aggregates only, every point suppressed under MinAggregatePeople.
type Dashboard struct {
	Programmes  []Programme // the filter's choices
	ProgrammeID uint        // 0: all programmes
	Months      []Date
	Charts      []Chart
	Evaluations []ScoreSummary
	Full        bool // the admin's view; managers get participation, attendance and evaluations
}

// DashboardFilter chooses the programme; empty means all.
type DashboardFilter struct {
	Programme uint `query:"programme"`
}

// monthFacts gathers, per month, the distinct people behind a figure and the figure.
type monthFacts struct {
	people map[int]map[uint]bool
	value  map[int]float64
	total  map[int]float64 // for rates: the denominator
}

func newMonthFacts() monthFacts {
	return monthFacts{people: map[int]map[uint]bool{}, value: map[int]float64{}, total: map[int]float64{}}
}

func (f monthFacts) add(month int, person uint, value, total float64) {
	if f.people[month] == nil {
		f.people[month] = map[uint]bool{}
	}
	if person != 0 {
		f.people[month][person] = true
	}
	f.value[month] += value
	f.total[month] += total
}

// series turns the facts into points, suppressing thin ones.
func (f monthFacts) series(key string, months []Date, rate bool) ChartSeries {
	s := ChartSeries{Key: key}
	for i, m := range months {
		p := ChartPoint{Month: m, people: len(f.people[i]), Value: f.value[i]}
		if rate {
			p.Value = 0
			if f.total[i] > 0 {
				p.Value = f.value[i] / f.total[i]
			}
		}
		switch {
		case p.people == 0:
			p.Value, p.Empty = 0, rate // nobody: a count of zero reveals no one
		case p.people < MinAggregatePeople:
			p.Value, p.Suppressed = 0, true
		}
		s.Points = append(s.Points, p)
	}
	return s
}

// monthIndex returns the index of t's month in months, or -1.
func monthIndex(months []Date, t time.Time) int {
	for i := len(months) - 1; i >= 0; i-- {
		if !t.Before(months[i].Time) {
			if t.Before(months[i].AddMonths(1).Time) {
				return i
			}
			return -1
		}
	}
	return -1
}

// BuildDashboard computes the dashboard for admins (everything) and
// managers (participation, attendance and evaluation means), over the
// twelve months up to today or the span of the chosen programme.
func BuildDashboard(ctx context.Context, db *gorm.DB, v Viewer, f DashboardFilter, today Date) (Dashboard, error) {
	if !v.Admin && !v.Manager {
		return Dashboard{}, ErrNotFound
	}
	tx := db.WithContext(ctx)
	d := Dashboard{ProgrammeID: f.Programme, Full: v.Admin}
	if err := tx.Order("starts_on DESC, id DESC").Find(&d.Programmes).Error; err != nil {
		return d, err
	}
	first := NewDate(today.Year(), today.Month()-11, 1)
	last := NewDate(today.Year(), today.Month(), 1)
	if f.Programme != 0 {
		var p Programme
		if err := tx.First(&p, f.Programme).Error; err != nil {
			return d, fieldErr("programme", "unknown_choice")
		}
		first = NewDate(p.StartsOn.Year(), p.StartsOn.Month(), 1)
		if end := NewDate(p.EndsOn.Year(), p.EndsOn.Month(), 1); end.Before(last) {
			last = end
		}
		if last.Before(first) {
			last = first
		}
	}
	for m := first; !m.After(last); m = m.AddMonths(1) {
		d.Months = append(d.Months, m)
	}
	from, to := first.Time, last.AddMonths(1).Time
	groups := tx.Model(&MentorGroup{}).Select("id")
	if f.Programme != 0 {
		groups = groups.Where("programme_id = ?", f.Programme)
	}

	participation, err := participationFacts(tx, d.Months, groups)
	if err != nil {
		return d, err
	}
	d.Charts = append(d.Charts, Chart{Key: "participation", Series: []ChartSeries{participation.series("participants", d.Months, false)}})

	var att []struct {
		PersonID uint
		Status   AttendanceStatus
		StartsAt time.Time
	}
	if err := tx.Model(&Attendance{}).Select("attendances.person_id, attendances.status, m.starts_at").
		Joins("JOIN meetings m ON m.id = attendances.meeting_id").
		Where("m.group_id IN (?) AND m.starts_at >= ? AND m.starts_at < ?", groups, from, to).Scan(&att).Error; err != nil {
		return d, err
	}
	attendance := newMonthFacts()
	for _, a := range att {
		if i := monthIndex(d.Months, a.StartsAt); i >= 0 {
			present := 0.0
			if a.Status == Present {
				present = 1
			}
			attendance.add(i, a.PersonID, present, 1)
		}
	}
	d.Charts = append(d.Charts, Chart{Key: "attendance", Percent: true, Series: []ChartSeries{attendance.series("rate", d.Months, true)}})

	if v.Admin {
		meetings, err := meetingFacts(tx, d.Months, groups, from, to)
		if err != nil {
			return d, err
		}
		d.Charts = append(d.Charts, meetings)
		var talks []struct {
			MenteeID uint
			StartsAt time.Time
		}
		if err := tx.Model(&OneOnOne{}).Select("mentee_id, starts_at").
			Where("status = 'held' AND group_id IN (?) AND starts_at >= ? AND starts_at < ?", groups, from, to).Scan(&talks).Error; err != nil {
			return d, err
		}
		oneOnOnes := newMonthFacts()
		for _, t := range talks {
			if i := monthIndex(d.Months, t.StartsAt); i >= 0 {
				oneOnOnes.add(i, t.MenteeID, 1, 0)
			}
		}
		d.Charts = append(d.Charts, Chart{Key: "one_on_ones", Series: []ChartSeries{oneOnOnes.series("held", d.Months, false)}})
	}
	d.Evaluations, err = ProgrammeEvaluations(ctx, db, v, f.Programme)
	return d, err
}

// participationFacts counts, per month, the mentees taking part: in a
// group whose programme runs that month, active or frozen, or stopped
// after the month began.
func participationFacts(tx *gorm.DB, months []Date, groups *gorm.DB) (monthFacts, error) {
	var rows []struct {
		PersonID    uint
		Status      MembershipStatus
		StatusSince Date
		StartsOn    Date
		EndsOn      Date
		ClosedOn    *Date
	}
	err := tx.Model(&Membership{}).Select(`memberships.person_id, memberships.status, memberships.status_since,
		p.starts_on, p.ends_on, g.closed_on`).
		Joins("JOIN mentor_groups g ON g.id = memberships.group_id").
		Joins("JOIN programmes p ON p.id = g.programme_id").
		Where("memberships.group_id IN (?) AND memberships.status IN ('active','frozen','stopped','referred','left')", groups).
		Scan(&rows).Error
	facts := newMonthFacts()
	for _, r := range rows {
		end := r.EndsOn
		if r.ClosedOn != nil && r.ClosedOn.After(end) {
			end = *r.ClosedOn
		}
		if r.Status == StatusStopped || r.Status == StatusReferred || r.Status == StatusLeft {
			end = r.StatusSince
		}
		for i, m := range months {
			monthEnd := m.AddMonths(1)
			if r.StartsOn.Before(monthEnd) && !end.Before(m) {
				facts.add(i, r.PersonID, 1, 0)
			}
		}
	}
	return facts, err
}

// meetingFacts counts, per month, the group meetings planned (not
// cancelled) and held; each point rests on the members of the groups meeting.
func meetingFacts(tx *gorm.DB, months []Date, groups *gorm.DB, from, to time.Time) (Chart, error) {
	var rows []struct {
		GroupID  uint
		Status   MeetingStatus
		StartsAt time.Time
	}
	chart := Chart{Key: "meetings"}
	if err := tx.Model(&Meeting{}).Select("group_id, status, starts_at").
		Where("group_id IN (?) AND status <> ? AND starts_at >= ? AND starts_at < ?", groups, MeetingCancelled, from, to).
		Scan(&rows).Error; err != nil {
		return chart, err
	}
	var members []struct {
		GroupID  uint
		PersonID uint
	}
	if err := tx.Model(&Membership{}).Select("group_id, person_id").
		Where("group_id IN (?) AND status IN ('active','frozen')", groups).Scan(&members).Error; err != nil {
		return chart, err
	}
	byGroup := map[uint][]uint{}
	for _, m := range members {
		byGroup[m.GroupID] = append(byGroup[m.GroupID], m.PersonID)
	}
	planned, held := newMonthFacts(), newMonthFacts()
	for _, r := range rows {
		i := monthIndex(months, r.StartsAt)
		if i < 0 {
			continue
		}
		planned.add(i, 0, 1, 0)
		if r.Status == MeetingHeld {
			held.add(i, 0, 1, 0)
		}
		for _, p := range byGroup[r.GroupID] {
			planned.add(i, p, 0, 0)
			if r.Status == MeetingHeld {
				held.add(i, p, 0, 0)
			}
		}
	}
	chart.Series = []ChartSeries{planned.series("planned", months, false), held.series("held", months, false)}
	return chart, nil
}
