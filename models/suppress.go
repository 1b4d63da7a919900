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
// at the pivot and no other pivot variable.
type linBasis struct {
	rows map[int]linVec
}

func newLinBasis() *linBasis { return &linBasis{rows: map[int]linVec{}} }

func (b *linBasis) clone() *linBasis {
	c := &linBasis{rows: make(map[int]linVec, len(b.rows))}
	for k, r := range b.rows {
		c.rows[k] = r // rows are never changed in place
	}
	return c
}

// reduce returns v minus its projection on the basis.
func (b *linBasis) reduce(v linVec) linVec {
	out := linVec{}
	for k, c := range v {
		if c%linPrime != 0 {
			out[k] = c % linPrime
		}
	}
	for k, c := range v {
		row, ok := b.rows[k]
		if !ok || c%linPrime == 0 {
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
	inv := powMod(r[pivot], linPrime-2)
	for k, c := range r {
		r[k] = mulMod(c, inv)
	}
	for k, row := range b.rows {
		f, ok := row[pivot]
		if !ok {
			continue
		}
		nr := linVec{}
		for j, c := range row {
			nr[j] = c
		}
		for j, c := range r {
			nv := (nr[j] + linPrime - mulMod(f, c)) % linPrime
			if nv == 0 {
				delete(nr, j)
			} else {
				nr[j] = nv
			}
		}
		b.rows[k] = nr
	}
	b.rows[pivot] = r
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
	base := newLinBasis()
	for _, id := range identities {
		base.add(id)
	}
	for _, step := range order {
		if !open[step] {
			for _, c := range cells {
				if c.step == step && c.known() {
					base.add(c.vec)
				}
			}
			continue
		}
		// settled: what a reader knows from earlier steps and the zeros of
		// this one, whatever else this step hides.
		settled := base.clone()
		for _, c := range cells {
			if c.step == step && c.value == 0 {
				settled.add(c.vec)
			}
		}
		for {
			// Earlier steps are settled and already in base.
			b := base.clone()
			for _, c := range cells {
				if c.step == step && c.known() {
					b.add(c.vec)
				}
			}
			var leak *supCell
			for _, c := range cells {
				if c.step <= step && !c.known() && b.spans(c.vec) {
					leak = c
					break
				}
			}
			if leak == nil {
				base = b
				break
			}
			if !leak.primary && leak.step == step && settled.spans(leak.vec) {
				// A complement of this step that follows from what was
				// settled before protects nothing: show it again and never
				// pick it again.
				leak.hidden, leak.public = false, true
				continue
			}
			partner := complement(cells, leak, step)
			if partner == nil {
				base = b // nothing left to hide in this step
				break
			}
			partner.hidden = true
		}
	}
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
