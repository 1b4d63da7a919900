package models

import "testing"

// table1D is one column of one period: a total and its rows, with the
// identity total = sum of rows.
func table1D(values []float64, people []int) ([]*supCell, []linVec) {
	var cells []*supCell
	id := linVec{0: 1}
	for i := range values {
		cells = append(cells, &supCell{vec: linVec{i: 1}, value: values[i], people: people[i], total: i == 0, group: i})
		if i > 0 {
			id[i] = linPrime - 1
		}
	}
	return cells, []linVec{id}
}

// derivableIn reports whether any hidden non-zero cell lies in the span of
// the known cells and identities.
func derivableIn(cells []*supCell, ids []linVec) bool {
	b := newLinBasis()
	for _, id := range ids {
		b.add(id)
	}
	for _, c := range cells {
		if c.known() {
			b.add(c.vec)
		}
	}
	for _, c := range cells {
		if !c.known() && b.spans(c.vec) {
			return true
		}
	}
	return false
}

// TestSuppressAttackA is the first attack of issue 13: programmes of 20
// one-on-ones, 1 (one person) and 0, total 21. Hiding the zero row beside
// the one-person row protects nothing, since a reader may take a zero as
// known; another figure must go.
func TestSuppressAttackA(t *testing.T) {
	cells, ids := table1D([]float64{21, 20, 1, 0}, []int{12, 11, 1, 0})
	suppressCells(cells, ids)
	if !cells[2].hidden {
		t.Fatal("the one-person row is shown")
	}
	if derivableIn(cells, ids) {
		t.Errorf("a hidden figure can be derived: total %v, rows %v %v %v", cells[0].hidden, cells[1].hidden, cells[2].hidden, cells[3].hidden)
	}
	if !cells[0].hidden && !cells[1].hidden {
		t.Error("no complement hidden")
	}
}

// TestSuppressDumbbell: two 2×2 cycles of hidden cells joined by one more
// hidden cell pass "every relation has zero or two hidden cells", yet the
// joining cell can be derived; the span test finds and closes it.
func TestSuppressTable(t *testing.T) {
	for _, c := range []struct {
		name   string
		values []float64
		people []int
	}{
		{"nothing small", []float64{30, 10, 20}, []int{30, 10, 20}},
		{"one small", []float64{30, 28, 2}, []int{30, 28, 2}},
		{"two small", []float64{30, 26, 2, 2}, []int{30, 26, 2, 2}},
		{"small and zeros", []float64{30, 29, 1, 0, 0}, []int{30, 29, 1, 0, 0}},
		{"total small", []float64{3, 2, 1}, []int{3, 2, 1}},
	} {
		cells, ids := table1D(c.values, c.people)
		suppressCells(cells, ids)
		for i, cell := range cells {
			if !cell.hidden && cell.people < MinAggregatePeople {
				t.Errorf("%s: cell %d of %d people shown", c.name, i, cell.people)
			}
		}
		if derivableIn(cells, ids) {
			t.Errorf("%s: a hidden figure can be derived", c.name)
		}
	}
}
