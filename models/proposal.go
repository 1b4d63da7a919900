package models

import (
	"math/bits"
	"sort"
	"strings"
)

// Applicant is a person in the pool as the group proposal sees them: the
// composition facts of a mentee plus the soft preferences of the application.
type Applicant struct {
	CompositionMentee
	Themes          []string
	Weekdays        []int // ISO weekdays 1–5 the person can make
	ExperienceYears *int
	Capacity        int // mentors: how many groups they take on

	themeBits uint64 // themes as bits of the pool's theme index, for scoring
	dayBits   uint8  // weekdays as bits; zero means any day
}

// allDays are the bits of Monday to Friday.
const allDays = 0x3e

// prepared returns a copy of the pool with the scoring bits of everyone set.
func (pool Pool) prepared() Pool {
	index := map[string]uint{}
	set := func(list []Applicant) []Applicant {
		out := append([]Applicant(nil), list...)
		for i := range out {
			out[i].themeBits, out[i].dayBits = 0, 0
			for _, t := range out[i].Themes {
				n, ok := index[t]
				if !ok {
					n = uint(len(index))
					index[t] = n
				}
				if n < 64 {
					out[i].themeBits |= 1 << n
				}
			}
			for _, d := range out[i].Weekdays {
				if d >= 1 && d <= 5 {
					out[i].dayBits |= 1 << d
				}
			}
		}
		return out
	}
	pool.Mentors, pool.Mentees = set(pool.Mentors), set(pool.Mentees)
	return pool
}

// Pool is everyone who applied for a programme and is not placed yet.
type Pool struct {
	ProgrammeStart Date
	ProgrammeEnd   Date
	Mentors        []Applicant
	Mentees        []Applicant
}

// ProposedGroup is one group of a proposal: a mentor, their mentees, the
// checklist of the composition rules and the soft preferences it meets or gives up.
type ProposedGroup struct {
	Mentor    Applicant
	Mentees   []Applicant
	Checklist Checklist
	Fits      []Preference
	GivesUp   []Preference
}

// Preference is a soft preference a group meets or gives up, with the
// people or values it concerns.
type Preference struct {
	Kind    string // discipline, themes, weekday, experience
	Subject string
}

// Unplaced is an applicant the proposal leaves out, and why.
type Unplaced struct {
	Applicant Applicant
	Reason    string // already_in_group, too_few, no_capacity, conflicts
	Subject   string // for conflicts: the rules every group breaks
}

// Proposal is a set of proposed groups for a programme.
type Proposal struct {
	Groups   []ProposedGroup
	Unplaced []Unplaced
}

// Soft-preference weights of the proposal's score.
const (
	scoreDiscipline = 6
	scoreTheme      = 1
	scoreWeekday    = 3
	scoreExperience = 1
	maxThemeScore   = 3
)

// proposalGroup is a group while the proposal is being built.
type proposalGroup struct {
	comp    Composition
	mentor  Applicant
	mentees []Applicant
}

// Propose forms mentor groups from a pool: every group it returns meets
// every hard composition rule, checked by Composition.Check, and prefers the
// same discipline, shared themes, a common weekday and a mix of experience.
// It is deterministic for a given pool.
func Propose(pool Pool) Proposal {
	pool = pool.prepared()
	var out Proposal
	mentees := make([]Applicant, 0, len(pool.Mentees))
	for _, m := range pool.Mentees {
		if len(m.OtherGroups) > 0 {
			out.Unplaced = append(out.Unplaced, Unplaced{Applicant: m, Reason: "already_in_group",
				Subject: strings.Join(m.OtherGroups, ", ")})
			continue
		}
		mentees = append(mentees, m)
	}
	sort.SliceStable(mentees, func(i, j int) bool { return mentees[i].Name < mentees[j].Name })
	groups := openGroups(pool, mentees)
	if len(groups) == 0 {
		reason := "too_few"
		if len(mentees) >= MinMentees {
			reason = "no_capacity"
		}
		for _, m := range mentees {
			out.Unplaced = append(out.Unplaced, Unplaced{Applicant: m, Reason: reason})
		}
		return out
	}
	target := (len(mentees) + len(groups) - 1) / len(groups)
	left := placeAll(groups, mentees, min(target, MaxMentees))
	left = placeAll(groups, left, MaxMentees)
	more, dissolved := fillSmallGroups(&groups)
	left = append(left, more...)
	improve(groups)
	for _, m := range left {
		out.Unplaced = append(out.Unplaced, unplacedReason(groups, dissolved, m))
	}
	for _, g := range groups {
		out.Groups = append(out.Groups, finish(g))
	}
	return out
}

// openGroups picks the mentor slots to use: enough groups for everyone at
// about five each, spreading over mentors first and following demand per discipline.
func openGroups(pool Pool, mentees []Applicant) []*proposalGroup {
	n := len(mentees)
	if n < MinMentees {
		return nil
	}
	want := min((n+4)/5, n/MinMentees)
	demand := map[string]int{}
	for _, m := range mentees {
		demand[strings.ToLower(m.Discipline)]++
	}
	type slot struct {
		mentor Applicant
		index  int
	}
	var slots []slot
	for _, m := range pool.Mentors {
		for i := 0; i < max(m.Capacity, 1); i++ {
			slots = append(slots, slot{m, i})
		}
	}
	var groups []*proposalGroup
	for len(groups) < want && len(slots) > 0 {
		best := 0
		for i, s := range slots {
			b := slots[best]
			ps := demand[strings.ToLower(s.mentor.Discipline)] - 100*s.index
			pb := demand[strings.ToLower(b.mentor.Discipline)] - 100*b.index
			if ps > pb || (ps == pb && s.mentor.Name < b.mentor.Name) {
				best = i
			}
		}
		s := slots[best]
		slots = append(slots[:best], slots[best+1:]...)
		demand[strings.ToLower(s.mentor.Discipline)] -= 5
		groups = append(groups, &proposalGroup{mentor: s.mentor, comp: Composition{
			GroupDiscipline: s.mentor.Discipline, ProgrammeStart: pool.ProgrammeStart, ProgrammeEnd: pool.ProgrammeEnd,
			MentorID: s.mentor.PersonID, MentorName: s.mentor.Name}})
	}
	return groups
}

// fits says whether a mentee can join the group without breaking a hard
// rule, using the same pair rules as the checklist.
func (g *proposalGroup) fits(m Applicant) bool { return g.fitsWithout(m, -1) }

// fitsWithout is fits with mentee skip left out of the group.
func (g *proposalGroup) fitsWithout(m Applicant, skip int) bool {
	if m.PersonID == g.comp.MentorID || (m.ManagerID != nil && *m.ManagerID == g.comp.MentorID) || len(m.OtherGroups) > 0 {
		return false
	}
	for i, o := range g.mentees {
		if i == skip {
			continue
		}
		if o.PersonID == m.PersonID || sameTeam(o.CompositionMentee, m.CompositionMentee) != "" ||
			g.comp.sharedProject(o.CompositionMentee, m.CompositionMentee) != "" {
			return false
		}
	}
	return true
}

// gain is how much the group's score grows when m joins it.
func (g *proposalGroup) gain(m Applicant) int { return g.gainWithout(m, -1) }

// gainWithout is gain with mentee skip left out of the group.
func (g *proposalGroup) gainWithout(m Applicant, skip int) int {
	s := 0
	if g.mentor.Discipline == "" || strings.EqualFold(m.Discipline, g.mentor.Discipline) {
		s += scoreDiscipline
	}
	themes := bits.OnesCount64(g.mentor.themeBits & m.themeBits)
	days := uint8(allDays)
	if g.mentor.dayBits != 0 {
		days = g.mentor.dayBits
	}
	fresh := m.ExperienceYears != nil
	for i, o := range g.mentees {
		if i == skip {
			continue
		}
		themes += bits.OnesCount64(o.themeBits & m.themeBits)
		if o.dayBits != 0 {
			days &= o.dayBits
		}
		if fresh && o.ExperienceYears != nil && experienceBand(*o.ExperienceYears) == experienceBand(*m.ExperienceYears) {
			fresh = false
		}
	}
	s += min(themes, maxThemeScore) * scoreTheme
	if m.dayBits == 0 || days&m.dayBits != 0 {
		s += scoreWeekday
	}
	if fresh {
		s += scoreExperience
	}
	return s
}

// weekdays returns the days everyone in the group can make so far (nil: any day).
func (g *proposalGroup) weekdays() []int {
	var days []int
	for _, m := range append([]Applicant{g.mentor}, g.mentees...) {
		if len(m.Weekdays) == 0 {
			continue
		}
		if days == nil {
			days = append([]int(nil), m.Weekdays...)
		} else {
			days = commonDays(days, m.Weekdays)
		}
	}
	return days
}

// placeAll places the mentees that have the fewest options first, each in
// the group where they add the most, up to size per group; it returns those left.
func placeAll(groups []*proposalGroup, mentees []Applicant, size int) []Applicant {
	options := make([]int, len(mentees))
	for i, m := range mentees {
		for _, g := range groups {
			if g.fits(m) {
				options[i]++
			}
		}
	}
	order := make([]int, len(mentees))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return options[order[a]] < options[order[b]] })
	var left []Applicant
	for _, i := range order {
		m := mentees[i]
		var best *proposalGroup
		bestScore := 0
		for _, g := range groups {
			if len(g.mentees) >= size || !g.fits(m) {
				continue
			}
			score := 10*g.gain(m) - 5*len(g.mentees)
			if best == nil || score > bestScore {
				best, bestScore = g, score
			}
		}
		if best == nil {
			left = append(left, m)
			continue
		}
		best.mentees = append(best.mentees, m)
	}
	return left
}

// fillSmallGroups tops up groups under the minimum from groups that can
// spare someone; a group that stays too small is dissolved and its mentees
// placed elsewhere where they fit. It returns the mentees left without a
// group and the groups it dissolved, as they were.
func fillSmallGroups(groups *[]*proposalGroup) ([]Applicant, []*proposalGroup) {
	var left []Applicant
	var dissolved []*proposalGroup
	for {
		small := -1
		for i, g := range *groups {
			if len(g.mentees) < MinMentees {
				small = i
				break
			}
		}
		if small < 0 {
			return left, dissolved
		}
		g := (*groups)[small]
		for _, donor := range *groups {
			for j := 0; j < len(donor.mentees) && len(donor.mentees) > MinMentees && len(g.mentees) < MinMentees; {
				if m := donor.mentees[j]; g.fits(m) {
					g.mentees = append(g.mentees, m)
					donor.mentees = append(donor.mentees[:j], donor.mentees[j+1:]...)
					continue
				}
				j++
			}
		}
		if len(g.mentees) >= MinMentees {
			continue
		}
		*groups = append((*groups)[:small], (*groups)[small+1:]...)
		dissolved = append(dissolved, g)
		left = append(left, placeAll(*groups, g.mentees, MaxMentees)...)
	}
}

// improve swaps mentees between groups while that raises the total score
// and keeps every group within the rules; a few passes are enough.
func improve(groups []*proposalGroup) {
	for pass := 0; pass < 3; pass++ {
		changed := false
		for a := range groups {
			for b := a + 1; b < len(groups); b++ {
				for i := range groups[a].mentees {
					for j := range groups[b].mentees {
						if trySwap(groups[a], groups[b], i, j) {
							changed = true
						}
					}
				}
			}
		}
		if !changed {
			return
		}
	}
}

// trySwap exchanges mentee i of a with mentee j of b when both fit and the
// score rises; it reports whether it did.
func trySwap(a, b *proposalGroup, i, j int) bool {
	x, y := a.mentees[i], b.mentees[j]
	if a.gainWithout(y, i)+b.gainWithout(x, j) <= a.gainWithout(x, i)+b.gainWithout(y, j) ||
		!a.fitsWithout(y, i) || !b.fitsWithout(x, j) {
		return false
	}
	a.mentees[i], b.mentees[j] = y, x
	return true
}

// unplacedReason says why a mentee is left out: every group with room
// breaks a rule with them (named); or no group has room, and either a
// group that could not reach the minimum breaks a rule with them, or there
// are too few people, or too few mentors.
func unplacedReason(groups, dissolved []*proposalGroup, m Applicant) Unplaced {
	room := false
	rules := map[Rule]bool{}
	brokenWith := func(g *proposalGroup) {
		c := g.composition()
		c.Mentees = append(c.Mentees, activeMentee(m))
		for _, r := range c.Check().Broken() {
			rules[r.Rule] = true
		}
	}
	for _, g := range groups {
		if len(g.mentees) < MaxMentees {
			room = true
			brokenWith(g)
		}
	}
	if !room {
		for _, g := range dissolved {
			rest := &proposalGroup{comp: g.comp, mentor: g.mentor}
			for _, o := range g.mentees {
				if o.PersonID != m.PersonID {
					rest.mentees = append(rest.mentees, o)
				}
			}
			brokenWith(rest)
		}
	}
	var names []string
	for _, r := range Rules {
		if rules[r] {
			names = append(names, string(r))
		}
	}
	switch {
	case len(names) > 0:
		return Unplaced{Applicant: m, Reason: "conflicts", Subject: strings.Join(names, ",")}
	case !room && len(dissolved) > 0:
		return Unplaced{Applicant: m, Reason: "too_few"}
	case !room:
		return Unplaced{Applicant: m, Reason: "no_capacity"}
	}
	return Unplaced{Applicant: m, Reason: "conflicts"}
}

func activeMentee(a Applicant) CompositionMentee {
	m := a.CompositionMentee
	m.Status = StatusActive
	return m
}

// composition returns the group as the composition rules see it.
func (g *proposalGroup) composition() Composition {
	c := g.comp
	c.Mentees = make([]CompositionMentee, len(g.mentees))
	for i, m := range g.mentees {
		c.Mentees[i] = activeMentee(m)
	}
	return c
}
