package models

import (
	"sort"
	"strconv"
	"strings"
)

// finish checks the group with the rule code and names the preferences it
// meets and gives up.
func finish(g *proposalGroup) ProposedGroup {
	sort.SliceStable(g.mentees, func(i, j int) bool { return g.mentees[i].Name < g.mentees[j].Name })
	out := ProposedGroup{Mentor: g.mentor, Mentees: g.mentees, Checklist: g.composition().Check()}
	var other []string
	for _, m := range g.mentees {
		if g.mentor.Discipline != "" && !strings.EqualFold(m.Discipline, g.mentor.Discipline) {
			other = append(other, m.Name)
		}
	}
	if len(other) == 0 {
		out.Fits = append(out.Fits, Preference{Kind: "discipline", Subject: g.mentor.Discipline})
	} else {
		out.GivesUp = append(out.GivesUp, Preference{Kind: "discipline", Subject: strings.Join(other, ", ")})
	}
	if themes := sharedThemes(g); len(themes) > 0 {
		out.Fits = append(out.Fits, Preference{Kind: "themes", Subject: strings.Join(themes, ", ")})
	} else {
		out.GivesUp = append(out.GivesUp, Preference{Kind: "themes"})
	}
	if days := g.weekdays(); days == nil || len(days) > 0 {
		out.Fits = append(out.Fits, Preference{Kind: "weekday", Subject: joinDays(days)})
	} else {
		out.GivesUp = append(out.GivesUp, Preference{Kind: "weekday"})
	}
	bands := map[int]bool{}
	for _, m := range g.mentees {
		if m.ExperienceYears != nil {
			bands[experienceBand(*m.ExperienceYears)] = true
		}
	}
	if len(bands) > 1 {
		out.Fits = append(out.Fits, Preference{Kind: "experience"})
	} else if len(bands) == 1 {
		out.GivesUp = append(out.GivesUp, Preference{Kind: "experience"})
	}
	return out
}

// sharedThemes lists themes that at least two people of the group share.
func sharedThemes(g *proposalGroup) []string {
	seen := map[string]int{}
	for _, m := range append([]Applicant{g.mentor}, g.mentees...) {
		for _, t := range uniqueStrings(m.Themes) {
			seen[t]++
		}
	}
	var out []string
	for t, n := range seen {
		if n >= 2 {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// experienceBand puts years of experience in bands: under 2, 2–5, over 5.
func experienceBand(years int) int {
	switch {
	case years < 2:
		return 0
	case years <= 5:
		return 1
	}
	return 2
}

func commonDays(a, b []int) []int {
	out := []int{}
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

func uniqueStrings(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func joinDays(days []int) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ",")
}

// ArrangedGroup is a proposed group reduced to who is in it.
type ArrangedGroup struct {
	Mentor  uint   `json:"mentor"`
	Mentees []uint `json:"mentees"`
}

// Arrangement is a proposal reduced to who is where, as it is stored while
// L&D reviews it.
type Arrangement []ArrangedGroup

// Arrangement returns who is where in the proposal.
func (p Proposal) Arrangement() Arrangement {
	out := make(Arrangement, len(p.Groups))
	for i, g := range p.Groups {
		out[i].Mentor = g.Mentor.PersonID
		for _, m := range g.Mentees {
			out[i].Mentees = append(out[i].Mentees, m.PersonID)
		}
	}
	return out
}

// Arrange rebuilds a proposal from an arrangement on the current pool:
// people who left the pool drop out, mentees in no group are listed as
// unplaced with the reason, and every group is checked again.
func (pool Pool) Arrange(a Arrangement) Proposal {
	pool = pool.prepared()
	mentors, mentees := map[uint]Applicant{}, map[uint]Applicant{}
	for _, m := range pool.Mentors {
		mentors[m.PersonID] = m
	}
	for _, m := range pool.Mentees {
		mentees[m.PersonID] = m
	}
	placed := map[uint]bool{}
	var groups []*proposalGroup
	for _, ag := range a {
		mentor, ok := mentors[ag.Mentor]
		if !ok {
			continue
		}
		g := &proposalGroup{mentor: mentor, comp: Composition{GroupDiscipline: mentor.Discipline,
			ProgrammeStart: pool.ProgrammeStart, ProgrammeEnd: pool.ProgrammeEnd, MentorID: mentor.PersonID, MentorName: mentor.Name}}
		for _, id := range ag.Mentees {
			if m, ok := mentees[id]; ok && !placed[id] {
				placed[id] = true
				g.mentees = append(g.mentees, m)
			}
		}
		groups = append(groups, g)
	}
	var out Proposal
	for _, m := range pool.Mentees {
		if placed[m.PersonID] {
			continue
		}
		if len(m.OtherGroups) > 0 {
			out.Unplaced = append(out.Unplaced, Unplaced{Applicant: m, Reason: "already_in_group", Subject: strings.Join(m.OtherGroups, ", ")})
			continue
		}
		out.Unplaced = append(out.Unplaced, unplacedReason(groups, nil, m))
	}
	for _, g := range groups {
		mentees := append([]Applicant(nil), g.mentees...)
		out.Groups = append(out.Groups, finish(&proposalGroup{comp: g.comp, mentor: g.mentor, mentees: mentees}))
	}
	return out
}
