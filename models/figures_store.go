package models

import (
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// FigureCell is one counted figure of one closed period: what a programme,
// a department or the whole organisation counted, with the number of
// distinct people behind it. It holds no person and is never changed.
type FigureCell struct {
	ID          uint   `gorm:"primaryKey"`
	Period      string `gorm:"size:10;not null;uniqueIndex:idx_figure_cell"`
	Figure      string `gorm:"size:20;not null;uniqueIndex:idx_figure_cell"`
	Breakdown   string `gorm:"size:12;not null;uniqueIndex:idx_figure_cell"`
	RowName     string `gorm:"size:200;not null;uniqueIndex:idx_figure_cell"`
	Value       int    `gorm:"not null"`
	Denominator int    `gorm:"not null"` // rates: the records the value is a share of
	People      int    `gorm:"not null"`
	// Decided: suppression has been worked out for the period; Hidden is
	// then what is published, for good.
	Decided   bool `gorm:"not null;default:false"`
	Hidden    bool `gorm:"not null;default:false"`
	CreatedAt time.Time
}

// figValue is a stored figure.
type figValue struct {
	id                         uint
	value, denominator, people int
	decided, hidden            bool
}

// periodNames are the periods' names, as stored.
func periodNames(periods []Period) []string {
	names := make([]string, 0, len(periods))
	for _, p := range periods {
		names = append(names, p.String())
	}
	return names
}

// storedFigures reads the stored figures of the periods.
func storedFigures(tx *gorm.DB, periods []Period) (map[figKey]figValue, error) {
	var rows []FigureCell
	if err := tx.Where("period IN ?", periodNames(periods)).Find(&rows).Error; err != nil {
		return nil, err
	}
	return storedValues(rows, periods), nil
}

// allDecided reports whether every period is counted and its suppression
// decided (its total row says so: a period is decided all at once).
func allDecided(tx *gorm.DB, periods []Period) (bool, error) {
	var n int64
	err := tx.Model(&FigureCell{}).Where("period IN ? AND figure = ? AND breakdown = ? AND row_name = '' AND decided",
		periodNames(periods), FigParticipants, "total").Count(&n).Error
	return n == int64(len(periods)), err
}

// readDecided fills f with the decided cells of the periods in want and
// each programme's largest number of participants over all periods,
// without working anything out again: a stored cell is shown unless it was
// hidden or rests on too few people; rates are shown in bands. Of the
// periods in want only the rows in only are read; a row of a breakdown
// with no name stands for all of its rows.
func (f *Figures) readDecided(tx *gorm.DB, want []Period, only []figRow) error {
	var largest []struct {
		RowName string
		People  int
	}
	err := tx.Model(&FigureCell{}).Select("row_name, MAX(people) AS people").
		Where("figure = ? AND breakdown = ? AND period IN ?", FigParticipants, ByProgramme, periodNames(f.Periods)).
		Group("row_name").Scan(&largest).Error
	if err != nil {
		return err
	}
	rowSet := map[string]map[string]bool{ByProgramme: {}, ByDepartment: {}}
	for _, r := range largest {
		f.programmePeople[r.RowName] = r.People
		rowSet[ByProgramme][r.RowName] = true
	}
	if err := f.readCells(tx, want, only, rowSet); err != nil {
		return err
	}
	for by, set := range rowSet {
		for r := range set {
			f.Rows[by] = append(f.Rows[by], r)
		}
		sort.Strings(f.Rows[by])
	}
	return nil
}

// readCells reads the decided cells of the rows in only of the periods in
// want into f, noting each row in rowSet; scanned by hand, since a
// breakdown by department is thousands of cells.
func (f *Figures) readCells(tx *gorm.DB, want []Period, only []figRow, rowSet map[string]map[string]bool) error {
	if len(want) == 0 || len(only) == 0 {
		return nil
	}
	var which []string
	args := []any{periodNames(want)}
	for _, r := range only {
		breakdown := r.by
		if breakdown == byTotal {
			breakdown = "total"
		}
		if r.row == "" && r.by != byTotal { // every row of the breakdown
			which = append(which, "breakdown = ?")
			args = append(args, breakdown)
			continue
		}
		which = append(which, "(breakdown = ? AND row_name = ?)")
		args = append(args, breakdown, r.row)
	}
	rows, err := tx.Model(&FigureCell{}).Select("period, figure, breakdown, row_name, value, denominator, people, hidden").
		Where("period IN ? AND ("+strings.Join(which, " OR ")+")", args...).Rows()
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	byName := map[string]Period{}
	for _, p := range f.Periods {
		byName[p.String()] = p
	}
	for rows.Next() {
		var k figKey
		var period string
		var s figValue
		if err := rows.Scan(&period, &k.Column, &k.By, &k.Row, &s.value, &s.denominator, &s.people, &s.hidden); err != nil {
			return err
		}
		k.Period = byName[period]
		if k.By == "total" {
			k.By = byTotal
		} else {
			rowSet[k.By][k.Row] = true
		}
		f.cells[k] = decidedCell(k.Column, s)
	}
	return rows.Err()
}

// decidedCell is what a decided figure shows: nothing when it was hidden
// or rests on too few people, a rate in its band.
func decidedCell(column string, s figValue) Cell {
	c := Cell{Value: float64(s.value), people: s.people, raw: float64(s.value)}
	switch {
	case column == FigAttendance && (s.people < MinAggregatePeople || s.denominator == 0):
		c = Cell{Suppressed: true, people: s.people}
	case column == FigAttendance:
		c.raw = float64(s.value) / float64(s.denominator)
		c.Value, c.Band = RateBand(c.raw)
	case s.hidden || s.people < MinAggregatePeople:
		c = Cell{Suppressed: true, people: s.people, raw: float64(s.value)}
	}
	return c
}

// storedValues keys stored rows by figure, breakdown, row and period.
func storedValues(rows []FigureCell, periods []Period) map[figKey]figValue {
	byName := map[string]Period{}
	for _, p := range periods {
		byName[p.String()] = p
	}
	out := make(map[figKey]figValue, len(rows))
	for _, r := range rows {
		by := r.Breakdown
		if by == "total" {
			by = byTotal
		}
		out[figKey{r.Figure, by, r.RowName, byName[r.Period]}] = figValue{r.ID, r.Value, r.Denominator, r.People, r.Decided, r.Hidden}
	}
	return out
}

// periodMonths is a derived table pairing each month ("2006-01", as the
// roll-ups keep them) with the name of each period it belongs to, and the
// first month and the month after the last of all the periods.
func periodMonths(periods []Period) (table string, args []any, lo, hi string) {
	parts := make([]string, 0, 3*len(periods))
	for _, p := range periods {
		for _, m := range p.Months() {
			parts = append(parts, "SELECT CAST(? AS varchar(7)) AS month, CAST(? AS varchar(10)) AS name")
			args = append(args, m.Format("2006-01"), p.String())
		}
		if s := p.Start.Format("2006-01"); lo == "" || s < lo {
			lo = s
		}
		if e := p.End.Format("2006-01"); e > hi {
			hi = e
		}
	}
	return "(" + strings.Join(parts, " UNION ALL ") + ")", args, lo, hi
}

// breakdownSQL is how a breakdown finds a roll-up row's name: its joins
// from participation_months x, and the name.
var breakdownSQL = map[string][2]string{
	ByProgramme:  {"JOIN mentor_groups g ON g.id = x.group_id JOIN programmes pr ON pr.id = g.programme_id", "pr.name"},
	ByDepartment: {"LEFT JOIN people pe ON pe.id = x.person_id LEFT JOIN teams t ON t.id = pe.team_id", "COALESCE(t.name, '')"},
	byTotal:      {"", "''"},
}

// periodCounts is what one row counted in one period, read from the
// roll-ups.
type periodCounts struct {
	Period, RowName                      string
	Participants, GroupCount, MeetPeople int
	Present, Recorded, AttPeople, Talks  int
	TalkPeople, Planned, Held            int
}

// countPeriods aggregates the roll-ups in SQL: per period and row of each
// breakdown, the distinct people and groups taking part (members that
// month), the meetings of their groups in the months they had members
// (once per group and row), the attendance and the one-on-ones held.
// People are counted once per period and row by first adding up each
// person's months.
func countPeriods(tx *gorm.DB, periods []Period) (map[figRow]map[string]*periodCounts, error) {
	pm, pmArgs, lo, hi := periodMonths(periods)
	args := append(append([]any{}, pmArgs...), lo, hi)
	out := map[figRow]map[string]*periodCounts{}
	for _, by := range []string{byTotal, ByProgramme, ByDepartment} {
		join, key := breakdownSQL[by][0], breakdownSQL[by][1]
		keyed := ""
		if by != byTotal {
			keyed = ", " + key
		}
		var people []periodCounts
		// #nosec G202 -- the joins and names are the constants above
		q := `SELECT period, row_name, SUM(mem) AS participants, SUM(mp) AS meet_people,
			SUM(pres) AS present, SUM(rec) AS recorded, SUM(CASE WHEN rec > 0 THEN 1 ELSE 0 END) AS att_people,
			SUM(tk) AS talks, SUM(CASE WHEN tk > 0 THEN 1 ELSE 0 END) AS talk_people
			FROM (SELECT pm.name AS period, ` + key + ` AS row_name, x.person_id, MAX(x.member) AS mem,
				MAX(CASE WHEN x.member = 1 AND gm.planned > 0 THEN 1 ELSE 0 END) AS mp,
				SUM(x.present) AS pres, SUM(x.recorded) AS rec, SUM(x.talks) AS tk
				FROM participation_months x JOIN ` + pm + ` pm ON pm.month = x.month
				LEFT JOIN group_months gm ON gm.group_id = x.group_id AND gm.month = x.month ` + join + `
				WHERE x.month >= ? AND x.month < ?
				GROUP BY pm.name` + keyed + `, x.person_id) s
			GROUP BY period, row_name`
		if err := tx.Raw(q, args...).Scan(&people).Error; err != nil {
			return nil, err
		}
		var meetings []periodCounts
		// #nosec G202 -- the joins and names are the constants above
		q = `SELECT pm.name AS period, gk.k AS row_name, COUNT(DISTINCT gk.group_id) AS group_count,
			COALESCE(SUM(gm.planned), 0) AS planned, COALESCE(SUM(gm.held), 0) AS held
			FROM (SELECT DISTINCT x.group_id, x.month, ` + key + ` AS k FROM participation_months x ` + join + `
				WHERE x.member = 1 AND x.month >= ? AND x.month < ?) gk
			JOIN ` + pm + ` pm ON pm.month = gk.month
			LEFT JOIN group_months gm ON gm.group_id = gk.group_id AND gm.month = gk.month
			GROUP BY pm.name, gk.k`
		margs := append([]any{lo, hi}, pmArgs...)
		if err := tx.Raw(q, margs...).Scan(&meetings).Error; err != nil {
			return nil, err
		}
		get := func(name, period string) *periodCounts {
			r := figRow{by, name}
			if out[r] == nil {
				out[r] = map[string]*periodCounts{}
			}
			if out[r][period] == nil {
				out[r][period] = &periodCounts{Period: period, RowName: name}
			}
			return out[r][period]
		}
		for _, p := range people {
			c := get(p.RowName, p.Period)
			c.Participants, c.MeetPeople, c.Present, c.Recorded = p.Participants, p.MeetPeople, p.Present, p.Recorded
			c.AttPeople, c.Talks, c.TalkPeople = p.AttPeople, p.Talks, p.TalkPeople
		}
		for _, m := range meetings {
			c := get(m.RowName, m.Period)
			c.GroupCount, c.Planned, c.Held = m.GroupCount, m.Planned, m.Held
		}
	}
	return out, nil
}

// freezePeriods counts the missing periods from the roll-ups as they are
// now and stores them, each period in its own transaction. The period's
// total row is stored first: a replica that finds it already there (the
// unique index decides) leaves the period to whoever stored it.
func freezePeriods(db *gorm.DB, missing []Period) error {
	var counts map[figRow]map[string]*periodCounts
	err := db.Transaction(func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" {
			// The people of a year's months are grouped in memory, not on disk.
			if err := tx.Exec("SET LOCAL work_mem = '64MB'").Error; err != nil {
				return err
			}
		}
		var err error
		counts, err = countPeriods(tx, missing)
		return err
	})
	if err != nil {
		return err
	}
	if counts[figRow{byTotal, ""}] == nil {
		counts[figRow{byTotal, ""}] = map[string]*periodCounts{} // the total row is always stored
	}
	for _, p := range missing {
		var cells []FigureCell
		var marker FigureCell
		for r, byPeriod := range counts {
			s := byPeriod[p.String()]
			if s == nil {
				s = &periodCounts{}
			}
			by := r.by
			if by == byTotal {
				by = "total"
			}
			add := func(fig string, value, denominator, people int) {
				c := FigureCell{Period: p.String(), Figure: fig, Breakdown: by, RowName: r.row, Value: value, Denominator: denominator, People: people}
				switch {
				case r.by == byTotal && fig == FigParticipants:
					marker = c
				case value != 0 || denominator != 0 || people != 0:
					cells = append(cells, c)
				}
			}
			add(FigParticipants, s.Participants, 0, s.Participants)
			add(FigGroups, s.GroupCount, 0, s.Participants)
			add(FigMeetingsHeld, s.Held, 0, s.MeetPeople)
			add(FigMeetingsPlanned, s.Planned, 0, s.MeetPeople)
			add(FigOneOnOnes, s.Talks, 0, s.TalkPeople)
			add(FigAttendance, s.Present, s.Recorded, s.AttPeople)
		}
		if marker.Figure == "" {
			marker = FigureCell{Period: p.String(), Figure: FigParticipants, Breakdown: "total"}
		}
		err = db.Transaction(func(tx *gorm.DB) error {
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&marker)
			if res.Error != nil || res.RowsAffected == 0 || len(cells) == 0 {
				return res.Error
			}
			return tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(cells, BatchRows(tx, &FigureCell{}, 200)).Error
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// storeDecisions records, for good, which stored figures of the newly
// decided periods are hidden. Replicas deciding at once write the same.
func storeDecisions(db *gorm.DB, periods []Period, hidden []uint) error {
	if len(periods) == 0 {
		return nil
	}
	names := make([]string, 0, len(periods))
	for _, p := range periods {
		names = append(names, p.String())
	}
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&FigureCell{}).Where("period IN ? AND NOT decided", names).
			Updates(map[string]any{"decided": true, "hidden": false}).Error; err != nil {
			return err
		}
		for i := 0; i < len(hidden); i += 500 {
			end := min(i+500, len(hidden))
			if err := tx.Model(&FigureCell{}).Where("id IN ?", hidden[i:end]).Update("hidden", true).Error; err != nil {
				return err
			}
		}
		return nil
	})
}
