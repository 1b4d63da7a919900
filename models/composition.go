package models

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Rule names a composition rule of a mentor group.
type Rule string

// The composition rules, in the order the checklist shows them.
const (
	RuleGroupSize         Rule = "group_size"
	RuleDifferentTeams    Rule = "different_teams"
	RuleSeparateProjects  Rule = "separate_projects"
	RuleMentorNotManager  Rule = "mentor_not_manager"
	RuleNoManagerInGroup  Rule = "no_manager_in_group"
	RuleMentorNotMentee   Rule = "mentor_not_mentee"
	RuleOneGroupPerCohort Rule = "one_group_per_programme"
	RuleSameDiscipline    Rule = "same_discipline"
)

// Rules lists every rule in checklist order.
var Rules = []Rule{RuleGroupSize, RuleDifferentTeams, RuleSeparateProjects,
	RuleMentorNotManager, RuleNoManagerInGroup, RuleMentorNotMentee, RuleOneGroupPerCohort, RuleSameDiscipline}

// Severity says how a rule holds: met, a warning, or broken (refused).
type Severity string

// Severities of a rule result.
const (
	Met     Severity = "met"
	Warning Severity = "warning"
	Broken  Severity = "broken"
)

// Limits on the number of active mentees in a group.
const (
	MinMentees = 4
	MaxMentees = 6
)

// Finding is one concrete case of a rule: the people it concerns and what
// they share (a team, a project, another group, a count or a reason).
type Finding struct {
	Severity Severity
	People   []string
	Subject  string
}

// RuleResult is one line of the checklist.
type RuleResult struct {
	Rule     Rule
	Severity Severity
	Findings []Finding
}

// Checklist is the state of every composition rule for a group.
type Checklist []RuleResult

// CompositionMentee is a mentee as the rules see them.
type CompositionMentee struct {
	MembershipID        uint
	PersonID            uint
	Name                string
	Status              MembershipStatus
	TeamID              *uint
	TeamName            string
	ManagerID           *uint
	Managers            []uint `gorm:"-"` // every line manager above, direct first
	Discipline          string
	DisciplineException string
	Assignments         []Assignment `gorm:"-"`
	OtherGroups         []string     `gorm:"-"`
}

// Composition is everything the rules need to know about a group.
type Composition struct {
	GroupDiscipline string
	ProgrammeStart  Date
	ProgrammeEnd    Date
	MentorID        uint
	MentorName      string
	Mentees         []CompositionMentee
}

// placed returns the mentees who have a place in the group (every status but
// left): the protective rules hold for candidates and people in intake too.
func (c Composition) placed() []CompositionMentee {
	var out []CompositionMentee
	for _, m := range c.Mentees {
		if !m.Status.Left() {
			out = append(out, m)
		}
	}
	return out
}

// active returns the mentees whose status is active.
func (c Composition) active() []CompositionMentee {
	var out []CompositionMentee
	for _, m := range c.Mentees {
		if m.Status == StatusActive {
			out = append(out, m)
		}
	}
	return out
}

// Check evaluates every rule: the size, one group per programme and the
// discipline on the active mentees, the rules that protect people on everyone
// placed in the group. A line manager is refused at every status; a shared
// team or project is refused once both are admitted and a warning while one
// of them is still a candidate or in intake (candidates may compete for a place).
func (c Composition) Check() Checklist {
	active, placed := c.active(), c.placed()
	list := Checklist{
		checkSize(active),
		pairRule(RuleDifferentTeams, placed, sameTeam, admittedPair),
		pairRule(RuleSeparateProjects, placed, c.sharedProject, admittedPair),
		c.checkMentorNotManager(placed),
		pairRule(RuleNoManagerInGroup, placed, manages, always),
		c.checkMentorNotMentee(placed),
		checkOneGroup(active),
		c.checkDiscipline(active),
	}
	return list
}

// manages names the relation when one of two mentees is a line manager of
// the other, directly or higher up the chain.
func manages(a, b CompositionMentee) string {
	if slices.Contains(b.Managers, a.PersonID) || slices.Contains(a.Managers, b.PersonID) {
		return "manager"
	}
	return ""
}

func result(rule Rule, findings []Finding) RuleResult {
	r := RuleResult{Rule: rule, Severity: Met, Findings: findings}
	for _, f := range findings {
		if f.Severity == Broken || (f.Severity == Warning && r.Severity == Met) {
			r.Severity = f.Severity
		}
	}
	return r
}

func checkSize(active []CompositionMentee) RuleResult {
	n := len(active)
	var findings []Finding
	switch {
	case n > MaxMentees:
		findings = append(findings, Finding{Severity: Broken, People: names(active), Subject: strconv.Itoa(n)})
	case n < MinMentees:
		findings = append(findings, Finding{Severity: Warning, People: names(active), Subject: strconv.Itoa(n)})
	}
	return result(RuleGroupSize, findings)
}

// admittedPair is Broken when both mentees are admitted, else a Warning.
func admittedPair(a, b CompositionMentee) Severity {
	if a.Status.Admitted() && b.Status.Admitted() {
		return Broken
	}
	return Warning
}

// always is Broken whatever the statuses.
func always(_, _ CompositionMentee) Severity { return Broken }

// pairRule reports every pair of mentees for which shared returns a subject,
// with the severity that severity gives the pair.
func pairRule(rule Rule, active []CompositionMentee, shared func(a, b CompositionMentee) string,
	severity func(a, b CompositionMentee) Severity) RuleResult {
	var findings []Finding
	for i := range active {
		for j := i + 1; j < len(active); j++ {
			if s := shared(active[i], active[j]); s != "" {
				findings = append(findings, Finding{Severity: severity(active[i], active[j]),
					People: []string{active[i].Name, active[j].Name}, Subject: s})
			}
		}
	}
	return result(rule, findings)
}

func sameTeam(a, b CompositionMentee) string {
	if a.TeamID != nil && b.TeamID != nil && *a.TeamID == *b.TeamID {
		if a.TeamName == "" {
			return "#" + strconv.FormatUint(uint64(*a.TeamID), 10)
		}
		return a.TeamName
	}
	return ""
}

// sharedProject names a project both work on in periods that overlap each
// other and the programme.
func (c Composition) sharedProject(a, b CompositionMentee) string {
	for _, x := range a.Assignments {
		for _, y := range b.Assignments {
			if x.ProjectID != y.ProjectID {
				continue
			}
			from, to := laterDate(x.StartsOn, y.StartsOn), earlierEnd(x.EndsOn, y.EndsOn)
			if !to.IsZero() && to.Before(from) {
				continue
			}
			shared := Assignment{StartsOn: from, EndsOn: to}
			if shared.Overlaps(c.ProgrammeStart, c.ProgrammeEnd) {
				return x.Project.Name
			}
		}
	}
	return ""
}

func laterDate(a, b Date) Date {
	if a.After(b) {
		return a
	}
	return b
}

// earlierEnd returns the earlier of two end dates, where zero means open.
func earlierEnd(a, b Date) Date {
	switch {
	case a.IsZero():
		return b
	case b.IsZero():
		return a
	case a.Before(b):
		return a
	}
	return b
}

func (c Composition) checkMentorNotManager(active []CompositionMentee) RuleResult {
	var findings []Finding
	for _, m := range active {
		if slices.Contains(m.Managers, c.MentorID) || (m.ManagerID != nil && *m.ManagerID == c.MentorID) {
			findings = append(findings, Finding{Severity: Broken, People: []string{c.MentorName, m.Name}})
		}
	}
	return result(RuleMentorNotManager, findings)
}

func (c Composition) checkMentorNotMentee(active []CompositionMentee) RuleResult {
	var findings []Finding
	for _, m := range active {
		if m.PersonID == c.MentorID {
			findings = append(findings, Finding{Severity: Broken, People: []string{m.Name}})
		}
	}
	return result(RuleMentorNotMentee, findings)
}

func checkOneGroup(active []CompositionMentee) RuleResult {
	var findings []Finding
	for _, m := range active {
		if len(m.OtherGroups) > 0 {
			findings = append(findings, Finding{Severity: Broken, People: []string{m.Name},
				Subject: strings.Join(m.OtherGroups, ", ")})
		}
	}
	return result(RuleOneGroupPerCohort, findings)
}

func (c Composition) checkDiscipline(active []CompositionMentee) RuleResult {
	var findings []Finding
	for _, m := range active {
		if c.GroupDiscipline == "" || strings.EqualFold(m.Discipline, c.GroupDiscipline) {
			continue
		}
		f := Finding{Severity: Warning, People: []string{m.Name}, Subject: m.Discipline}
		if m.DisciplineException != "" {
			f.Severity, f.Subject = Met, m.DisciplineException
		}
		findings = append(findings, f)
	}
	return result(RuleSameDiscipline, findings)
}

func names(ms []CompositionMentee) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	return out
}

// Broken returns the results of the rules that are broken.
func (cl Checklist) Broken() []RuleResult {
	var out []RuleResult
	for _, r := range cl {
		if r.Severity == Broken {
			out = append(out, r)
		}
	}
	return out
}

// Worst returns the most serious severity on the list.
func (cl Checklist) Worst() Severity {
	worst := Met
	for _, r := range cl {
		if r.Severity == Broken {
			return Broken
		}
		if r.Severity == Warning {
			worst = Warning
		}
	}
	return worst
}

// NewlyBroken returns the broken findings of after that were not already in
// before, grouped by rule, so that a change is refused only for what it breaks.
func NewlyBroken(before, after Checklist) []RuleResult {
	seen := map[string]bool{}
	for _, r := range before {
		for _, f := range r.Findings {
			if f.Severity == Broken {
				seen[findingKey(r.Rule, f)] = true
			}
		}
	}
	var out []RuleResult
	for _, r := range after {
		var fresh []Finding
		for _, f := range r.Findings {
			if f.Severity == Broken && !seen[findingKey(r.Rule, f)] {
				fresh = append(fresh, f)
			}
		}
		if len(fresh) > 0 {
			out = append(out, RuleResult{Rule: r.Rule, Severity: Broken, Findings: fresh})
		}
	}
	return out
}

func findingKey(rule Rule, f Finding) string {
	people := append([]string(nil), f.People...)
	sort.Strings(people)
	if rule == RuleGroupSize {
		return string(rule) + "|" + f.Subject
	}
	return string(rule) + "|" + strings.Join(people, "|") + "|" + f.Subject
}

// RuleViolation refuses a change because it would break composition rules.
// Group names the group when the change was to a person rather than to the
// group; Confirmable says L&D may make the change anyway after confirming.
type RuleViolation struct {
	Results     []RuleResult
	Group       string
	Confirmable bool
}

func (e *RuleViolation) Error() string {
	rules := make([]string, len(e.Results))
	for i, r := range e.Results {
		rules[i] = string(r.Rule)
	}
	return "composition rules broken: " + strings.Join(rules, ", ")
}
