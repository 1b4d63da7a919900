package models

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomPool builds a pool of mentors and mentees with teams, managers,
// projects, disciplines, themes and weekdays drawn from a seed.
func randomPool(seed uint64, mentors, mentees, teams int) Pool {
	r := rand.New(rand.NewPCG(seed, 1))
	disciplines := []string{"ICT", "Finance", "HR", "Legal"}
	themes := []string{"feedback", "grenzen", "presenteren", "plannen", "samenwerken", "leiderschap"}
	start := NewDate(2027, 1, 1)
	pool := Pool{ProgrammeStart: start, ProgrammeEnd: start.AddMonths(12)}
	person := func(id int) Applicant {
		team := uint(r.IntN(teams) + 1)
		a := Applicant{CompositionMentee: CompositionMentee{PersonID: uint(id), Name: fmt.Sprintf("P%04d", id),
			Status: StatusActive, TeamID: &team, TeamName: fmt.Sprintf("T%d", team),
			Discipline: disciplines[r.IntN(len(disciplines))]}, Capacity: 1}
		if r.IntN(10) == 0 {
			manager := uint(r.IntN(mentors) + 1) // some mentees are managed by a mentor
			a.ManagerID = &manager
		}
		if r.IntN(4) == 0 {
			p := uint(r.IntN(teams*2) + 1)
			a.Assignments = []Assignment{{ProjectID: p, Project: Project{Name: fmt.Sprintf("Project %d", p)}, StartsOn: start}}
		}
		for _, t := range themes {
			if r.IntN(3) == 0 {
				a.Themes = append(a.Themes, t)
			}
		}
		for d := 1; d <= 5; d++ {
			if r.IntN(2) == 0 {
				a.Weekdays = append(a.Weekdays, d)
			}
		}
		if r.IntN(2) == 0 {
			y := r.IntN(10)
			a.ExperienceYears = &y
		}
		return a
	}
	for i := 1; i <= mentors; i++ {
		m := person(i)
		m.ManagerID, m.Capacity = nil, 1+r.IntN(2)
		pool.Mentors = append(pool.Mentors, m)
	}
	for i := mentors + 1; i <= mentors+mentees; i++ {
		pool.Mentees = append(pool.Mentees, person(i))
	}
	return pool
}

// checkProposal asserts that every proposed group meets every hard rule by
// the checklist code, has 4–6 mentees, and that each mentee is placed at
// most once and either placed or listed with a reason.
func checkProposal(t *testing.T, pool Pool, p Proposal) {
	t.Helper()
	seen := map[uint]int{}
	mentorGroups := map[uint]int{}
	for i, g := range p.Groups {
		comp := Composition{GroupDiscipline: g.Mentor.Discipline, ProgrammeStart: pool.ProgrammeStart,
			ProgrammeEnd: pool.ProgrammeEnd, MentorID: g.Mentor.PersonID, MentorName: g.Mentor.Name}
		for _, m := range g.Mentees {
			comp.Mentees = append(comp.Mentees, m.CompositionMentee)
			seen[m.PersonID]++
		}
		if broken := comp.Check().Broken(); len(broken) > 0 {
			t.Errorf("group %d of %s breaks %v", i, g.Mentor.Name, broken)
		}
		if n := len(g.Mentees); n < MinMentees || n > MaxMentees {
			t.Errorf("group %d has %d mentees", i, n)
		}
		mentorGroups[g.Mentor.PersonID]++
	}
	for _, m := range pool.Mentors {
		if mentorGroups[m.PersonID] > max(m.Capacity, 1) {
			t.Errorf("%s leads %d groups, capacity %d", m.Name, mentorGroups[m.PersonID], m.Capacity)
		}
	}
	for _, u := range p.Unplaced {
		seen[u.Applicant.PersonID]++
		if u.Reason == "" {
			t.Errorf("%s unplaced without a reason", u.Applicant.Name)
		}
	}
	for _, m := range pool.Mentees {
		if seen[m.PersonID] != 1 {
			t.Errorf("%s appears %d times", m.Name, seen[m.PersonID])
		}
	}
}

func TestProposeMeetsEveryHardRule(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		pool := randomPool(seed, 8+int(seed%5), 20+int(seed*3%40), 6+int(seed%9))
		p := Propose(pool)
		checkProposal(t, pool, p)
		if len(p.Groups) == 0 {
			t.Errorf("seed %d: no groups from %d mentees", seed, len(pool.Mentees))
		}
	}
}

func TestProposeIsDeterministic(t *testing.T) {
	pool := randomPool(7, 10, 45, 12)
	a, b := Propose(pool).Arrangement(), Propose(pool).Arrangement()
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("two runs differ:\n%v\n%v", a, b)
	}
}

func TestProposeListsWhyPeopleAreLeftOut(t *testing.T) {
	team := uint(1)
	start := NewDate(2027, 1, 1)
	one := func(id uint, name string) Applicant {
		return Applicant{CompositionMentee: CompositionMentee{PersonID: id, Name: name, Status: StatusActive, TeamID: &team}}
	}
	t.Run("too few", func(t *testing.T) {
		p := Propose(Pool{ProgrammeStart: start, Mentors: []Applicant{one(1, "M")}, Mentees: []Applicant{one(2, "A"), one(3, "B")}})
		if len(p.Groups) != 0 || len(p.Unplaced) != 2 || p.Unplaced[0].Reason != "too_few" {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("no mentor", func(t *testing.T) {
		var mentees []Applicant
		for i := uint(2); i < 8; i++ {
			m := one(i, fmt.Sprint("A", i))
			tm := i
			m.TeamID = &tm
			mentees = append(mentees, m)
		}
		p := Propose(Pool{ProgrammeStart: start, Mentees: mentees})
		if len(p.Unplaced) != 6 || p.Unplaced[0].Reason != "no_capacity" {
			t.Fatalf("got %+v", p.Unplaced)
		}
	})
	t.Run("one team only", func(t *testing.T) {
		mentees := []Applicant{one(2, "A"), one(3, "B"), one(4, "C"), one(5, "D"), one(6, "E")}
		p := Propose(Pool{ProgrammeStart: start, Mentors: []Applicant{one(1, "M")}, Mentees: mentees})
		if len(p.Groups) != 0 {
			t.Fatalf("a group of one team was proposed: %+v", p.Groups)
		}
		named := 0
		for _, u := range p.Unplaced {
			if u.Reason != "conflicts" && u.Reason != "too_few" {
				t.Errorf("%s: reason %q", u.Applicant.Name, u.Reason)
			}
			if strings.Contains(u.Subject, string(RuleDifferentTeams)) {
				named++
			}
		}
		if len(p.Unplaced) != 5 || named < 4 {
			t.Errorf("the reasons do not name the team rule: %+v", p.Unplaced)
		}
	})
	t.Run("already in a group", func(t *testing.T) {
		m := one(2, "A")
		m.OtherGroups = []string{"Groep Noord"}
		p := Propose(Pool{ProgrammeStart: start, Mentors: []Applicant{one(1, "M")}, Mentees: []Applicant{m}})
		if len(p.Unplaced) != 1 || p.Unplaced[0].Reason != "already_in_group" || p.Unplaced[0].Subject != "Groep Noord" {
			t.Fatalf("got %+v", p.Unplaced)
		}
	})
}

func TestProposePrefersSameDisciplineAndWeekday(t *testing.T) {
	start := NewDate(2027, 1, 1)
	pool := Pool{ProgrammeStart: start, ProgrammeEnd: start.AddMonths(12)}
	id := uint(0)
	add := func(list *[]Applicant, discipline string, day int) {
		id++
		team := id
		*list = append(*list, Applicant{CompositionMentee: CompositionMentee{PersonID: id, Name: fmt.Sprintf("%s-%02d", discipline, id),
			Status: StatusActive, TeamID: &team, Discipline: discipline}, Weekdays: []int{day}, Capacity: 1})
	}
	add(&pool.Mentors, "ICT", 2)
	add(&pool.Mentors, "HR", 4)
	for i := 0; i < 5; i++ {
		add(&pool.Mentees, "HR", 4)
		add(&pool.Mentees, "ICT", 2)
	}
	p := Propose(pool)
	checkProposal(t, pool, p)
	for _, g := range p.Groups {
		for _, m := range g.Mentees {
			if m.Discipline != g.Mentor.Discipline {
				t.Errorf("%s placed with mentor %s", m.Name, g.Mentor.Name)
			}
		}
		if len(g.GivesUp) != 1 || g.GivesUp[0].Kind != "themes" {
			t.Errorf("group of %s gives up %+v, want only themes", g.Mentor.Name, g.GivesUp)
		}
	}
}

func TestArrangeRechecksMoves(t *testing.T) {
	pool := randomPool(3, 6, 30, 10)
	p := Propose(pool)
	a := p.Arrangement()
	again := pool.Arrange(a)
	if fmt.Sprint(again.Arrangement()) != fmt.Sprint(a) || len(again.Unplaced) != len(p.Unplaced) {
		t.Fatalf("rebuilding changed the proposal")
	}
	// Moving a mentee into a group with a teammate shows up as broken.
	var moved bool
	for _, m := range pool.Mentees {
		for gi, g := range again.Groups {
			for _, o := range g.Mentees {
				if o.PersonID != m.PersonID && o.TeamID != nil && m.TeamID != nil && *o.TeamID == *m.TeamID && !moved {
					b := pool.Arrange(a).Arrangement()
					b[gi].Mentees = append(b[gi].Mentees, m.PersonID)
					for i := range b {
						if i == gi {
							continue
						}
						for j, id := range b[i].Mentees {
							if id == m.PersonID {
								b[i].Mentees = append(b[i].Mentees[:j:j], b[i].Mentees[j+1:]...)
							}
						}
					}
					got := pool.Arrange(b).Groups[gi].Checklist
					if got.Worst() != Broken {
						t.Fatalf("a group with two of team %d is not broken", *m.TeamID)
					}
					moved = true
				}
			}
		}
	}
	if !moved {
		t.Fatal("found no mentee to move")
	}
}

// BenchmarkPropose600 forms groups from 600 applicants: 100 mentors and 500 mentees.
func BenchmarkPropose600(b *testing.B) {
	pool := randomPool(42, 100, 500, 60)
	var p Proposal
	for b.Loop() {
		p = Propose(pool)
	}
	placed := 0
	for _, g := range p.Groups {
		placed += len(g.Mentees)
	}
	b.ReportMetric(float64(len(p.Groups)), "groups")
	b.ReportMetric(float64(placed), "placed")
}
