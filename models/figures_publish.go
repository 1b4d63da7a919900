package models

// figRow is one row of the published table: a programme, a department or
// the total.
type figRow struct{ by, row string }

// publish turns the stored figures into the published cells of every
// period, with suppression per column (see suppress.go). Periods decided
// before keep their decisions; it returns the periods decided now and the
// ids of their stored figures that are hidden.
func (f *Figures) publish(stored map[figKey]figValue, months []Date) (decided []Period, hidden []uint) {
	undecided := map[Period]bool{}
	for k, v := range stored {
		if !v.decided {
			undecided[k.Period] = true
		}
	}
	for _, p := range f.Periods {
		if undecided[p] {
			decided = append(decided, p)
		}
	}
	rows := []figRow{{byTotal, ""}}
	for _, by := range []string{ByProgramme, ByDepartment} {
		for _, r := range f.Rows[by] {
			rows = append(rows, figRow{by, r})
		}
	}
	monthIdx := map[Date]int{}
	for i, m := range months {
		monthIdx[m] = i
	}
	periodIdx := map[Period]int{}
	for i, p := range f.Periods {
		periodIdx[p] = i
	}
	rowIdx := map[figRow]int{}
	for i, r := range rows {
		rowIdx[r] = i
	}
	// Identities: in every period where it holds, the total equals the sum
	// of the programmes, or of the departments. It does not always hold (a
	// group's meeting counts for each department of its members, a person
	// may be in two programmes); where it does not, a reader cannot use it.
	identities := func(col string, vec func(figRow, Period) linVec) []linVec {
		var ids []linVec
		if len(undecided) == 0 {
			return nil // nothing to decide: the stored decisions stand
		}
		for _, p := range f.Periods {
			for _, by := range []string{ByProgramme, ByDepartment} {
				sum := 0
				id := linVec{}
				for k, c := range vec(rows[0], p) {
					id[k] = c
				}
				for _, r := range rows {
					if r.by != by {
						continue
					}
					sum += stored[figKey{col, by, r.row, p}].value
					for k, c := range vec(r, p) {
						id[k] = (id[k] + linPrime - c) % linPrime
					}
				}
				if sum == stored[figKey{col, byTotal, "", p}].value {
					ids = append(ids, id)
				}
			}
		}
		return ids
	}
	for _, col := range flowColumns {
		// Counts that add up over time: one unknown per row and month.
		varOf := func(r figRow, m int) int { return rowIdx[r]*len(months) + m }
		vec := func(r figRow, p Period) linVec {
			v := linVec{}
			for _, m := range p.Months() {
				v[varOf(r, monthIdx[m])] = 1
			}
			return v
		}
		hidden = append(hidden, f.suppressColumn(col, rows, stored, vec, identities(col, vec), monthIdx, periodIdx, rowIdx, undecided)...)
	}
	for _, col := range stockColumns {
		// Counts of distinct things: one unknown per row and period.
		vec := func(r figRow, p Period) linVec { return linVec{rowIdx[r]*len(f.Periods) + periodIdx[p]: 1} }
		hidden = append(hidden, f.suppressColumn(col, rows, stored, vec, identities(col, vec), monthIdx, periodIdx, rowIdx, undecided)...)
	}
	// Rates: hidden under the threshold, otherwise shown as a band.
	for _, r := range rows {
		for _, p := range f.Periods {
			s := stored[figKey{FigAttendance, r.by, r.row, p}]
			c := Cell{people: s.people}
			if s.people < MinAggregatePeople || s.denominator == 0 {
				c.Suppressed = true
			} else {
				c.raw = float64(s.value) / float64(s.denominator)
				c.Value, c.Band = RateBand(c.raw)
			}
			f.cells[figKey{FigAttendance, r.by, r.row, p}] = c
		}
	}
	return decided, hidden
}

// suppressColumn builds one column's suppression problem, solves it for
// the undecided periods and keeps the cells; it returns the ids of the
// stored figures of undecided periods that are hidden.
func (f *Figures) suppressColumn(col string, rows []figRow, stored map[figKey]figValue,
	vec func(figRow, Period) linVec, ids []linVec, monthIdx map[Date]int, periodIdx map[Period]int, rowIdx map[figRow]int,
	undecided map[Period]bool) []uint {
	var cells []*supCell
	keys := map[*supCell]figKey{}
	for _, r := range rows {
		for _, p := range f.Periods {
			k := figKey{col, r.by, r.row, p}
			s := stored[k]
			var v linVec
			if len(undecided) > 0 {
				v = vec(r, p)
			}
			c := &supCell{vec: v, value: float64(s.value), people: s.people, step: monthIdx[p.End.AddMonths(-1)],
				total: r.by == byTotal, group: rowIdx[r], period: periodIdx[p],
				fixed: s.decided, hidden: s.decided && (s.hidden || s.id == 0)}
			cells = append(cells, c)
			keys[c] = k
		}
	}
	if len(undecided) > 0 {
		suppressCells(cells, ids)
	}
	var hidden []uint
	for _, c := range cells {
		out := Cell{Value: c.value, people: c.people, raw: c.value}
		if c.hidden || c.people < MinAggregatePeople {
			out = Cell{Suppressed: true, people: c.people, raw: c.value}
		}
		f.cells[keys[c]] = out
		if s := stored[keys[c]]; out.Suppressed && s.id != 0 && undecided[keys[c].Period] {
			hidden = append(hidden, s.id)
		}
	}
	return hidden
}
