package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// MinAggregatePeople is the fewest distinct people a shown figure may rest on.
const MinAggregatePeople = 5

// Cell is one figure of a report; a suppressed cell has no value. A rate
// has a band instead of an exact value.
type Cell struct {
	Value      float64 `json:"value"`
	Suppressed bool    `json:"suppressed"`
	Band       string  `json:"band,omitempty"` // rates only, such as "80–100%"
	people     int     // the distinct people the figure rests on
	raw        float64 // the value before suppression, never shown
}

// rateBands are the bands a rate is shown in. The outer bands are closed
// on both sides (0–20% holds 0% and 20%, 80–100% holds 80% and 100%), so
// with at least MinAggregatePeople records neither none nor all of them is
// ever given away: 1 of 5 and 4 of 5 fall into the same bands as 0 and 5.
var rateBands = [5][2]int{{0, 20}, {20, 40}, {40, 60}, {60, 80}, {80, 100}}

// RateBand returns the band holding the share r (0..1): the middle of the
// band as a share, and its text form such as "80–100%".
func RateBand(r float64) (float64, string) {
	i := 0
	switch {
	case r <= 0.2:
		i = 0
	case r >= 0.8:
		i = 4
	default:
		i = int(r * 5)
	}
	b := rateBands[i]
	return float64(b[0]+b[1]) / 200, fmt.Sprintf("%d–%d%%", b[0], b[1])
}

// ReportRow is one programme or department with its figures.
type ReportRow struct {
	Name           string `json:"name"`
	Total          bool   `json:"total,omitempty"`
	Participants   Cell   `json:"participants"`
	Groups         Cell   `json:"groups"`
	MeetingsHeld   Cell   `json:"meetings_held"`
	AttendanceRate Cell   `json:"attendance_rate"` // a band
	OneOnOnesHeld  Cell   `json:"one_on_ones_held"`
}

// ParticipationReport is the aggregate report for managers and L&D, for
// one fixed, closed period.
type ParticipationReport struct {
	By      string      `json:"by"` // programme or department
	Period  Period      `json:"period"`
	From    Date        `json:"from"` // the period's first day
	To      Date        `json:"to"`   // the period's last day
	Periods []Period    `json:"periods"`
	Rows    []ReportRow `json:"rows"`
	Total   ReportRow   `json:"total"`
}

// ReportFilter chooses the grouping and the period of the report. From
// and To are read only to refuse them: the report has no free date window.
type ReportFilter struct {
	By     string `query:"by" json:"by" validate:"omitempty,oneof=programme department"`
	Period string `query:"period" json:"period"`
	From   string `query:"from" json:"from"`
	To     string `query:"to" json:"to"`
}

// DefaultPeriod is the newest closed quarter, or else the newest closed
// month, or no period when nothing has closed.
func (f *Figures) DefaultPeriod() Period {
	var month Period
	for i := len(f.Periods) - 1; i >= 0; i-- {
		switch f.Periods[i].Kind {
		case PeriodQuarter:
			return f.Periods[i]
		case PeriodMonth:
			if month.IsZero() {
				month = f.Periods[i]
			}
		}
	}
	return month
}

// Participation returns the aggregate report for one published period;
// admins and managers only. Managers see only the programmes or
// departments with at least MinAggregatePeople participants in the period.
// It holds programme and team names and counts, never a person.
func Participation(ctx context.Context, db *gorm.DB, v Viewer, f ReportFilter, today Date) (ParticipationReport, error) {
	if !v.Can(FiguresRead) {
		return ParticipationReport{}, ErrNotFound
	}
	r := ParticipationReport{By: f.By}
	if r.By == "" {
		r.By = ByProgramme
	}
	if f.From != "" {
		return r, fieldErr("from", "period_only")
	}
	if f.To != "" {
		return r, fieldErr("to", "period_only")
	}
	figs, err := publishedFigures(ctx, db, today, func(published []Period) []Period {
		p := (&Figures{Periods: published}).DefaultPeriod()
		if q, err := ParsePeriod(f.Period); f.Period != "" && err == nil {
			p = q
		}
		return []Period{p} // the one period shown
	}, figRow{byTotal, ""}, figRow{r.By, ""}) // the total and every row of the breakdown shown
	if err != nil {
		return r, err
	}
	r.Periods = figs.Periods
	r.Period = figs.DefaultPeriod()
	if f.Period != "" {
		p, err := ParsePeriod(f.Period)
		if err != nil || !figs.Published(p) {
			return r, fieldErr("period", "period")
		}
		r.Period = p
	}
	if r.Period.IsZero() {
		return r, nil
	}
	r.From, r.To = r.Period.Start, Date{r.Period.End.AddDate(0, 0, -1)}
	row := func(by, name string) ReportRow {
		return ReportRow{Name: name, Total: by == byTotal,
			Participants:   figs.Cell(FigParticipants, by, name, r.Period),
			Groups:         figs.Cell(FigGroups, by, name, r.Period),
			MeetingsHeld:   figs.Cell(FigMeetingsHeld, by, name, r.Period),
			AttendanceRate: figs.Cell(FigAttendance, by, name, r.Period),
			OneOnOnesHeld:  figs.Cell(FigOneOnOnes, by, name, r.Period)}
	}
	for _, name := range figs.Rows[r.By] {
		x := row(r.By, name)
		if !v.Can(FiguresDetail) && x.Participants.people < MinAggregatePeople {
			continue
		}
		r.Rows = append(r.Rows, x)
	}
	r.Total = row(byTotal, "")
	return r, nil
}
