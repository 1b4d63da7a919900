package models

import (
	"context"
	"sort"

	"gorm.io/gorm"
)

// Figure columns: what the report and the dashboard count.
const (
	FigParticipants    = "participants"     // distinct mentees taking part
	FigGroups          = "groups"           // distinct groups with members in the row
	FigMeetingsHeld    = "meetings_held"    // group meetings held
	FigMeetingsPlanned = "meetings_planned" // group meetings not cancelled
	FigOneOnOnes       = "one_on_ones"      // one-on-ones held
	FigAttendance      = "attendance"       // share of recorded attendance that was present
)

// Breakdowns of the published figures; the total row is shared by both.
const (
	ByProgramme  = "programme"
	ByDepartment = "department"
	byTotal      = ""
)

var (
	stockColumns = []string{FigParticipants, FigGroups}
	flowColumns  = []string{FigMeetingsHeld, FigMeetingsPlanned, FigOneOnOnes}
)

// figKey names one published figure.
type figKey struct {
	Column, By, Row string
	Period          Period
}

// Figures is everything the organisation publishes in aggregate: every
// column for every programme, every department and the total, for every
// closed month, quarter and programme year, with suppression applied
// across all of it at once. The report and the dashboard only read it.
type Figures struct {
	Periods []Period            // the published periods, in the order they ended
	Rows    map[string][]string // by → row names, sorted
	cells   map[figKey]Cell
	// programmePeople is, per programme, the most participants it had in
	// one published period: which programmes a manager may choose.
	programmePeople map[string]int
}

// Cell returns one published figure; one that was never published is hidden.
func (f *Figures) Cell(column, by, row string, p Period) Cell {
	c, ok := f.cells[figKey{column, by, row, p}]
	if !ok {
		return Cell{Suppressed: true}
	}
	return c
}

// Published reports whether p is one of the published periods.
func (f *Figures) Published(p Period) bool {
	for _, q := range f.Periods {
		if q == p {
			return true
		}
	}
	return false
}

// PublishedFigures returns the organisation's published figures as of
// today. Only periods that have ended are published, and each period's
// figures are counted once, when it is first asked for after it ended,
// and stored (figure_cells): later changes to the data (a late attendance
// record, a mentee added afterwards, an erasure) never change a published
// figure, so comparing the figures before and after a change reveals
// nothing. Suppression is then worked out over everything stored.
func PublishedFigures(ctx context.Context, db *gorm.DB, today Date) (*Figures, error) {
	return publishedFigures(ctx, db, today, nil)
}

// PublishClosedPeriods counts and decides the figures of every period that
// has ended by today and is not yet published, so that the first view after
// a month closes finds them ready; when all are published it only checks.
func PublishClosedPeriods(ctx context.Context, db *gorm.DB, today Date) error {
	_, err := publishedFigures(ctx, db, today, func([]Period) []Period { return nil })
	return err
}

// publishedFigures is PublishedFigures; when every period is counted and
// decided and want is set, it reads only the cells of the periods want
// picks from the published ones (and each programme's largest number of
// participants, which says whether a manager may choose it): a view of one
// period does not read the figures of all the others, and of those periods
// only the rows given (the dashboard draws one, the report one breakdown).
func publishedFigures(ctx context.Context, db *gorm.DB, today Date, want func([]Period) []Period, rows ...figRow) (*Figures, error) {
	tx := db.WithContext(ctx)
	f := &Figures{Rows: map[string][]string{}, cells: map[figKey]Cell{}, programmePeople: map[string]int{}}
	var programmes []Programme
	if err := tx.Order("starts_on").Limit(1).Find(&programmes).Error; err != nil {
		return nil, err
	}
	if len(programmes) == 0 {
		return f, nil
	}
	first := programmeYearOf(programmes[0].StartsOn)
	end := monthStart(today)
	if !first.Before(end) {
		return f, nil
	}
	f.Periods = periodsIn(first, end)
	if want != nil {
		decided, err := allDecided(tx, f.Periods)
		if err != nil {
			return nil, err
		}
		if decided {
			return f, f.readDecided(tx, want(f.Periods), rows)
		}
	}
	stored, err := storedFigures(tx, f.Periods)
	if err != nil {
		return nil, err
	}
	var missing []Period
	for _, p := range f.Periods {
		if _, ok := stored[figKey{FigParticipants, byTotal, "", p}]; !ok {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		if err := freezePeriods(tx, missing); err != nil {
			return nil, err
		}
		if stored, err = storedFigures(tx, f.Periods); err != nil {
			return nil, err
		}
	}
	rowSet := map[string]map[string]bool{ByProgramme: {}, ByDepartment: {}}
	for k, s := range stored {
		if k.By != byTotal {
			rowSet[k.By][k.Row] = true
		}
		if k.Column == FigParticipants && k.By == ByProgramme {
			f.programmePeople[k.Row] = max(f.programmePeople[k.Row], s.people)
		}
	}
	for by, set := range rowSet {
		for r := range set {
			f.Rows[by] = append(f.Rows[by], r)
		}
		sort.Strings(f.Rows[by])
	}
	var months []Date
	for m := first; m.Before(end); m = m.AddMonths(1) {
		months = append(months, m)
	}
	decided, hidden := f.publish(stored, months)
	if err := storeDecisions(tx, decided, hidden); err != nil {
		return nil, err
	}
	return f, nil
}
