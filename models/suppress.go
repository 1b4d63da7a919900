package models

import (
	"math/bits"
	"sort"
)

// Complementary suppression, checked by linear algebra.
//
// Every published figure is a linear function of unknown base figures
// (for example: the one-on-ones of one programme in one month). A reader
// knows the value of every shown figure, so they know every linear
// combination of shown figures. A hidden figure can be worked out exactly
// when its function is such a combination: when its vector lies in the
// span of the shown figures' vectors (and of identities such as "the total
// of all programmes equals the total of all departments"). The suppressor
// decides what to hide period by period, in the order periods end, and
// hides further figures of the newest period until no hidden figure lies
// in that span. Figures hidden earlier stay hidden, so what was published
// once never changes as later periods are added.
//
// The span test runs over the integers modulo the prime 2^61−1; the
// vectors hold small integer coefficients, so a combination that exists
// over the rationals exists modulo the prime too. The differencing test
// checks the outcome again with exact rational arithmetic.

// linPrime is the modulus of the span test.
const linPrime = (1 << 61) - 1

// linVec is a sparse vector: variable → coefficient modulo linPrime.
type linVec map[int]uint64

func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	_, rem := bits.Div64(hi, lo, linPrime)
	return rem
}

func powMod(a, e uint64) uint64 {
	r := uint64(1)
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = mulMod(r, a)
		}
		a = mulMod(a, a)
	}
	return r
}

// linBasis is a reduced row echelon basis: pivot variable → row with a 1
// at the pivot and no other pivot variable. holders indexes, for each
// variable, the pivots of the rows in which it occurs, so that adding a row
// touches only the rows it changes.
type linBasis struct {
	rows    map[int]linVec
	holders map[int]map[int]struct{}
}

func newLinBasis() *linBasis {
	return &linBasis{rows: map[int]linVec{}, holders: map[int]map[int]struct{}{}}
}

// reduce returns v minus its projection on the basis: the result has no
// pivot variable, so two vectors are equal modulo the span exactly when
// their reductions are equal.
func (b *linBasis) reduce(v linVec) linVec {
	out := make(linVec, len(v))
	for k, c := range v {
		if c%linPrime != 0 {
			out[k] = c % linPrime
		}
	}
	for k := range v {
		row, ok := b.rows[k]
		if !ok {
			continue
		}
		f := out[k]
		if f == 0 {
			continue
		}
		for j, rc := range row {
			nv := (out[j] + linPrime - mulMod(f, rc)) % linPrime
			if nv == 0 {
				delete(out, j)
			} else {
				out[j] = nv
			}
		}
	}
	return out
}

// hold records that the row with the given pivot holds variable j, or no
// longer does.
func (b *linBasis) hold(j, pivot int, holds bool) {
	h := b.holders[j]
	if holds {
		if h == nil {
			h = map[int]struct{}{}
			b.holders[j] = h
		}
		h[pivot] = struct{}{}
	} else if h != nil {
		delete(h, pivot)
	}
}

// add puts v into the span.
func (b *linBasis) add(v linVec) {
	r := b.reduce(v)
	if len(r) == 0 {
		return
	}
	pivot := -1
	for k := range r {
		if pivot < 0 || k < pivot {
			pivot = k
		}
	}
	if lead := r[pivot]; lead != 1 {
		inv := powMod(lead, linPrime-2)
		for k, c := range r {
			r[k] = mulMod(c, inv)
		}
	}
	// Clear the new pivot from the rows that hold it, in place: r is
	// usually short, so this costs little even when those rows are long.
	touched := make([]int, 0, len(b.holders[pivot]))
	for k := range b.holders[pivot] {
		touched = append(touched, k)
	}
	for _, k := range touched {
		row := b.rows[k]
		f := row[pivot]
		for j, c := range r {
			nv := (row[j] + linPrime - mulMod(f, c)) % linPrime
			if nv == 0 {
				delete(row, j)
				b.hold(j, k, false)
			} else {
				row[j] = nv
				b.hold(j, k, true)
			}
		}
	}
	b.rows[pivot] = r
	for j := range r {
		b.hold(j, pivot, true)
	}
}

// spans reports whether v lies in the span.
func (b *linBasis) spans(v linVec) bool { return len(b.reduce(v)) == 0 }

// supCell is one figure in a suppression problem.
type supCell struct {
	vec    linVec
	value  float64
	people int
	step   int  // when it is published: the index of its period's last month
	total  bool // a total row: hidden only when needed
	group  int  // cells of one row and breakdown share a group
	period int  // cells of one period share this
	hidden bool
	// primary: hidden because it rests on too few people; public: hiding
	// it protects nothing, as it follows from other known figures anyway.
	primary, public bool
	// fixed: decided and published before; its hidden flag never changes.
	fixed bool
}

// known reports whether a reader may take the cell's value as known: it is
// shown, or it is zero, which a reader may guess (a programme that had not
// started yet), so hiding a zero protects nothing.
func (c *supCell) known() bool { return !c.hidden || c.value == 0 }

// suppressCells hides every cell resting on fewer than MinAggregatePeople
// people and then, step by step, further cells of the newest step until no
// hidden non-zero cell lies in the span of the known cells and identities.
//
// Within a step the span of everything earlier (base) stays fixed, so each
// vector is reduced against it once; whether a hidden cell follows from
// base and this step's known cells is then decided among the reductions
// alone, a handful of short vectors, however long the history.
func suppressCells(cells []*supCell, identities []linVec) {
	steps := map[int]bool{}
	open := map[int]bool{} // steps with a figure still to decide
	for _, c := range cells {
		steps[c.step] = true
		if c.people < MinAggregatePeople {
			c.primary = true
			if !c.fixed {
				c.hidden = true
			}
		}
		if !c.fixed && c.value != 0 {
			open[c.step] = true
		}
	}
	order := make([]int, 0, len(steps))
	for s := range steps {
		order = append(order, s)
	}
	sort.Ints(order)
	byStep := map[int][]*supCell{}
	for _, c := range cells {
		byStep[c.step] = append(byStep[c.step], c)
	}
	base := newLinBasis()
	for _, id := range identities {
		base.add(id)
	}
	for _, step := range order {
		if open[step] {
			decideStep(cells, byStep[step], step, base)
		}
		for _, c := range byStep[step] {
			if c.known() {
				base.add(c.vec)
			}
		}
	}
}

// decideStep hides complements among mine, the cells of step, until no
// hidden non-zero cell of this or an earlier step lies in the span of
// base (what is known from earlier steps and identities) and this step's
// known cells.
func decideStep(cells, mine []*supCell, step int, base *linBasis) {
	residual := map[*supCell]linVec{}
	// candidates: the cells that may be hidden and non-zero, in the order
	// of cells, so the first leak found is the same whatever the method.
	var candidates []*supCell
	for _, c := range cells {
		if c.step == step || (c.step < step && !c.known()) {
			residual[c] = base.reduce(c.vec)
			candidates = append(candidates, c)
		}
	}
	// settled: what a reader knows from earlier steps and the zeros of
	// this one, whatever else this step hides.
	settled := newLinBasis()
	for _, c := range mine {
		if c.value == 0 {
			settled.add(residual[c])
		}
	}
	// from: where the search for the next leak starts. Hiding a partner
	// only shrinks the span, so no candidate before the last leak can leak
	// now, but the partner itself; showing a cell again grows it, so the
	// search starts over.
	from := 0
	var partner *supCell
	for {
		known := newLinBasis()
		for _, c := range mine {
			if c.known() {
				known.add(residual[c])
			}
		}
		var leak *supCell
		if partner != nil {
			if i := indexOf(candidates, partner); i < from && known.spans(residual[partner]) {
				leak, from = partner, i
			}
		}
		for i := from; leak == nil && i < len(candidates); i++ {
			if c := candidates[i]; !c.known() && known.spans(residual[c]) {
				leak, from = c, i
			}
		}
		if leak == nil {
			return
		}
		if !leak.primary && leak.step == step && settled.spans(residual[leak]) {
			// A complement of this step that follows from what was
			// settled before protects nothing: show it again and never
			// pick it again.
			leak.hidden, leak.public = false, true
			from, partner = 0, nil
			continue
		}
		partner = complement(mine, leak, step)
		if partner == nil {
			return // nothing left to hide in this step
		}
		partner.hidden = true
	}
}

func indexOf(cells []*supCell, c *supCell) int {
	for i, x := range cells {
		if x == c {
			return i
		}
	}
	return -1
}

// complement picks the cell of this step to hide beside leak: first one
// of the same row or period, then any; rows before totals; the smallest
// value first, so as little as possible is lost.
func complement(cells []*supCell, leak *supCell, step int) *supCell {
	var best *supCell
	rank := func(c *supCell) (int, int, float64) {
		related := 1
		if c.group == leak.group || c.period == leak.period {
			related = 0
		}
		total := 0
		if c.total {
			total = 1
		}
		return related, total, c.value
	}
	for _, c := range cells {
		if c.step != step || c.hidden || c.public || c.value == 0 {
			continue
		}
		if best == nil {
			best = c
			continue
		}
		r1, t1, v1 := rank(c)
		r2, t2, v2 := rank(best)
		if r1 < r2 || (r1 == r2 && (t1 < t2 || (t1 == t2 && v1 < v2))) {
			best = c
		}
	}
	return best
}
