package models

import (
	"context"

	"gorm.io/gorm"
)

// ChartPoint is one month of a chart; a point resting on fewer than
// MinAggregatePeople people is suppressed and has no value. A rate has a
// band, and its value is the middle of the band.
type ChartPoint struct {
	Month      Date
	Value      float64
	Band       string
	Suppressed bool
	Empty      bool // kept for the chart drawer; published figures are never empty
	raw        float64
}

// ChartSeries is one line of figures in a chart, such as "held".
type ChartSeries struct {
	Key    string
	Points []ChartPoint
}

// Chart is a monthly chart of the dashboard.
type Chart struct {
	Key     string // participation, attendance, meetings, one_on_ones
	Percent bool   // values are shares 0..1, shown as bands
	Series  []ChartSeries
}

// Dashboard is the programme overview for L&D, and its subset for managers:
// the published monthly figures of closed months only.
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

// BuildDashboard shows the published figures of the twelve closed months
// before today (or the closed months of the chosen programme) for admins
// (everything) and managers (participation, attendance and evaluation
// means, and only programmes with at least MinAggregatePeople participants).
func BuildDashboard(ctx context.Context, db *gorm.DB, v Viewer, f DashboardFilter, today Date) (Dashboard, error) {
	if !v.Can(FiguresRead) {
		return Dashboard{}, ErrNotFound
	}
	tx := db.WithContext(ctx)
	d := Dashboard{ProgrammeID: f.Programme, Full: v.Can(FiguresDetail)}
	var all []Programme
	if err := tx.Order("starts_on DESC, id DESC").Find(&all).Error; err != nil {
		return d, err
	}
	drawn := []figRow{{byTotal, ""}} // the rows the charts draw
	for _, p := range all {
		if p.ID == f.Programme && f.Programme != 0 {
			drawn = append(drawn, figRow{ByProgramme, p.Name})
		}
	}
	figs, err := publishedFigures(ctx, db, today, func([]Period) []Period {
		first, last := monthStart(today).AddMonths(-12), monthStart(today)
		for _, p := range all {
			if p.ID == f.Programme && f.Programme != 0 {
				first = monthStart(p.StartsOn)
				if end := monthStart(p.EndsOn).AddMonths(1); end.Before(last) {
					last = end
				}
			}
		}
		var months []Period // the months the charts show
		for m := first; m.Before(last); m = m.AddMonths(1) {
			months = append(months, MonthPeriod(m.Year(), m.Month()))
		}
		return months
	}, drawn...)
	if err != nil {
		return d, err
	}
	for _, p := range all {
		if v.Can(FiguresDetail) || figs.programmeLarge(p.Name) {
			d.Programmes = append(d.Programmes, p)
		}
	}
	by, row := byTotal, ""
	first := monthStart(today).AddMonths(-12)
	last := monthStart(today) // exclusive: the current month is not closed
	if f.Programme != 0 {
		var chosen *Programme
		for i := range d.Programmes {
			if d.Programmes[i].ID == f.Programme {
				chosen = &d.Programmes[i]
			}
		}
		if chosen == nil {
			return d, fieldErr("programme", "unknown_choice")
		}
		by, row = ByProgramme, chosen.Name
		first = monthStart(chosen.StartsOn)
		if end := monthStart(chosen.EndsOn).AddMonths(1); end.Before(last) {
			last = end
		}
	}
	for m := first; m.Before(last); m = m.AddMonths(1) {
		if figs.Published(MonthPeriod(m.Year(), m.Month())) {
			d.Months = append(d.Months, m)
		}
	}
	series := func(col, key string) ChartSeries {
		s := ChartSeries{Key: key}
		for _, m := range d.Months {
			c := figs.Cell(col, by, row, MonthPeriod(m.Year(), m.Month()))
			s.Points = append(s.Points, ChartPoint{Month: m, Value: c.Value, Band: c.Band, Suppressed: c.Suppressed, raw: c.raw})
		}
		return s
	}
	d.Charts = append(d.Charts, Chart{Key: "participation", Series: []ChartSeries{series(FigParticipants, "participants")}},
		Chart{Key: "attendance", Percent: true, Series: []ChartSeries{series(FigAttendance, "rate")}})
	if v.Can(FiguresDetail) {
		d.Charts = append(d.Charts,
			Chart{Key: "meetings", Series: []ChartSeries{series(FigMeetingsPlanned, "planned"), series(FigMeetingsHeld, "held")}},
			Chart{Key: "one_on_ones", Series: []ChartSeries{series(FigOneOnOnes, "held")}})
	}
	d.Evaluations, err = ProgrammeEvaluations(ctx, db, v, f.Programme, today)
	return d, err
}

// programmeLarge reports whether a programme had at least
// MinAggregatePeople participants in one of its published periods.
func (f *Figures) programmeLarge(name string) bool {
	return f.programmePeople[name] >= MinAggregatePeople
}
