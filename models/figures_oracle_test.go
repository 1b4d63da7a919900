package models_test

import (
	"fmt"
	"math/big"
	"sort"

	"crossmentor/models"
)

// seenCell is what the readers learnt of one published figure.
type seenCell struct {
	visible bool
	value   float64 // shown value
	raw     float64 // the value behind it (hidden or not)
}

// cellKey names a published figure as a reader sees it.
type cellKey struct {
	column, by, row string // by "" is the total row
	period          string
}

// knowledge is everything every reader saw, over all requests and times.
type knowledge struct {
	cells   map[cellKey]seenCell
	periods map[string]models.Period
	rows    map[string]map[string]bool // by → rows
}

func newKnowledge() *knowledge {
	return &knowledge{cells: map[cellKey]seenCell{}, periods: map[string]models.Period{},
		rows: map[string]map[string]bool{models.ByProgramme: {}, models.ByDepartment: {}}}
}

// see records one published cell; it returns an error when the same figure
// was published differently before (a published figure must never change).
func (k *knowledge) see(key cellKey, p models.Period, c models.Cell) error {
	k.periods[key.period] = p
	if key.by != "" {
		k.rows[key.by][key.row] = true
	}
	s := seenCell{visible: !c.Suppressed, value: c.Value, raw: models.CellRaw(c)}
	if old, ok := k.cells[key]; ok && (old.visible != s.visible || old.value != s.value) {
		return fmt.Errorf("%+v was %+v and is now %+v", key, old, s)
	}
	k.cells[key] = s
	return nil
}

// derivable returns the hidden, non-zero cells of a count column that
// follow, exactly, from the shown cells and the relations every reader
// knows: per period the total is the sum of the programmes and the sum of
// the departments, and for counts that add up over time a quarter or a
// programme year is the sum of its months. A reader is also given every
// hidden cell whose value is zero. Exact rational Gaussian elimination: a
// hidden cell is derivable when its unit vector lies in the row space of
// the relations restricted to the unknown cells.
func (k *knowledge) derivable(column string, additiveInTime bool) []cellKey {
	var system []map[cellKey]int64
	for name, p := range k.periods {
		for _, by := range []string{models.ByProgramme, models.ByDepartment} {
			// Only where it holds: a reader who assumes it elsewhere
			// works out wrong figures.
			terms := map[cellKey]int64{{column, "", "", name}: 1}
			sum, verifiable := 0.0, true
			for r := range k.rows[by] {
				key := cellKey{column, by, r, name}
				terms[key] -= 1
				c, seen := k.cells[key]
				verifiable = verifiable && seen
				sum += c.raw
			}
			if verifiable && sum == k.cells[cellKey{column, "", "", name}].raw {
				system = append(system, terms)
			}
		}
		if !additiveInTime || p.Kind == models.PeriodMonth {
			continue
		}
		rows := [][2]string{{"", ""}}
		for _, by := range []string{models.ByProgramme, models.ByDepartment} {
			for r := range k.rows[by] {
				rows = append(rows, [2]string{by, r})
			}
		}
		for _, r := range rows {
			terms := map[cellKey]int64{{column, r[0], r[1], name}: 1}
			for _, m := range p.Months() {
				terms[cellKey{column, r[0], r[1], models.MonthPeriod(m.Year(), m.Month()).String()}] -= 1
			}
			system = append(system, terms)
		}
	}
	// Unknown: hidden figures that are not zero, and figures never published.
	isUnknown := func(key cellKey) bool {
		c, seen := k.cells[key]
		return !seen || (!c.visible && c.raw != 0)
	}
	unknown := map[cellKey]int{}
	var keys []cellKey
	for _, terms := range system {
		for key := range terms {
			if _, ok := unknown[key]; !ok && isUnknown(key) {
				unknown[key] = -1
				keys = append(keys, key)
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
	for i, key := range keys {
		unknown[key] = i
	}
	if len(keys) == 0 {
		return nil
	}
	var eqs [][]*big.Rat
	for _, terms := range system {
		row := make([]*big.Rat, len(keys))
		nonzero := false
		for i := range row {
			row[i] = new(big.Rat)
		}
		for key, coef := range terms {
			if i, ok := unknown[key]; ok && coef != 0 {
				row[i].Add(row[i], big.NewRat(coef, 1))
				nonzero = true
			}
		}
		if nonzero {
			eqs = append(eqs, row)
		}
	}
	// Reduced row echelon form.
	pivotRow := 0
	pivots := map[int]int{}
	for col := 0; col < len(keys) && pivotRow < len(eqs); col++ {
		sel := -1
		for r := pivotRow; r < len(eqs); r++ {
			if eqs[r][col].Sign() != 0 {
				sel = r
				break
			}
		}
		if sel < 0 {
			continue
		}
		eqs[pivotRow], eqs[sel] = eqs[sel], eqs[pivotRow]
		inv := new(big.Rat).Inv(eqs[pivotRow][col])
		for j := range eqs[pivotRow] {
			eqs[pivotRow][j].Mul(eqs[pivotRow][j], inv)
		}
		for r := range eqs {
			if r == pivotRow || eqs[r][col].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(eqs[r][col])
			for j := range eqs[r] {
				if eqs[pivotRow][j].Sign() == 0 {
					continue
				}
				eqs[r][j].Sub(eqs[r][j], new(big.Rat).Mul(f, eqs[pivotRow][j]))
			}
		}
		pivots[col] = pivotRow
		pivotRow++
	}
	var out []cellKey
	for col, r := range pivots {
		if _, seen := k.cells[keys[col]]; !seen {
			continue // never published: nothing to protect here
		}
		unit := true
		for j, v := range eqs[r] {
			if j != col && v.Sign() != 0 {
				unit = false
				break
			}
		}
		if unit {
			out = append(out, keys[col])
		}
	}
	return out
}
