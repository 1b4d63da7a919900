package models

import "testing"

func uid(n uint) *uint { return &n }

func TestCompositionRules(t *testing.T) {
	prog := Composition{GroupDiscipline: "ICT", ProgrammeStart: NewDate(2026, 9, 1), ProgrammeEnd: NewDate(2027, 9, 1), MentorID: 100, MentorName: "Mentor"}
	mentee := func(id uint, team uint) CompositionMentee {
		return CompositionMentee{PersonID: id, Name: string(rune('A' + id)), Status: StatusActive, TeamID: uid(team), Discipline: "ICT"}
	}
	proj := func(from, to Date) []Assignment {
		return []Assignment{{ProjectID: 1, Project: Project{Name: "P"}, StartsOn: from, EndsOn: to}}
	}
	cases := []struct {
		name    string
		mentees []CompositionMentee
		rule    Rule
		want    Severity
	}{
		{"four is fine", []CompositionMentee{mentee(1, 1), mentee(2, 2), mentee(3, 3), mentee(4, 4)}, RuleGroupSize, Met},
		{"three warns", []CompositionMentee{mentee(1, 1), mentee(2, 2), mentee(3, 3)}, RuleGroupSize, Warning},
		{"seven refused", []CompositionMentee{mentee(1, 1), mentee(2, 2), mentee(3, 3), mentee(4, 4), mentee(5, 5), mentee(6, 6), mentee(7, 7)}, RuleGroupSize, Broken},
		{"six is fine", []CompositionMentee{mentee(1, 1), mentee(2, 2), mentee(3, 3), mentee(4, 4), mentee(5, 5), mentee(6, 6)}, RuleGroupSize, Met},
		{"candidates do not count", func() []CompositionMentee {
			ms := []CompositionMentee{mentee(1, 1), mentee(2, 2), mentee(3, 3), mentee(4, 4), mentee(5, 5), mentee(6, 6), mentee(7, 1)}
			ms[6].Status = StatusCandidate
			return ms
		}(), RuleGroupSize, Met},
		{"same team as a stopped mentee is fine", func() []CompositionMentee {
			a, b := mentee(1, 1), mentee(2, 1)
			b.Status = StatusStopped
			return []CompositionMentee{a, b}
		}(), RuleDifferentTeams, Met},
		{"same team refused", []CompositionMentee{mentee(1, 1), mentee(2, 1)}, RuleDifferentTeams, Broken},
		{"different teams", []CompositionMentee{mentee(1, 1), mentee(2, 2)}, RuleDifferentTeams, Met},
		{"overlapping project", func() []CompositionMentee {
			a, b := mentee(1, 1), mentee(2, 2)
			a.Assignments, b.Assignments = proj(NewDate(2026, 1, 1), Date{}), proj(NewDate(2026, 10, 1), NewDate(2026, 12, 1))
			return []CompositionMentee{a, b}
		}(), RuleSeparateProjects, Broken},
		{"project one after the other", func() []CompositionMentee {
			a, b := mentee(1, 1), mentee(2, 2)
			a.Assignments, b.Assignments = proj(NewDate(2026, 1, 1), NewDate(2026, 6, 30)), proj(NewDate(2026, 7, 1), Date{})
			return []CompositionMentee{a, b}
		}(), RuleSeparateProjects, Met},
		{"project ended before the programme", func() []CompositionMentee {
			a, b := mentee(1, 1), mentee(2, 2)
			a.Assignments, b.Assignments = proj(NewDate(2025, 1, 1), NewDate(2025, 12, 31)), proj(NewDate(2025, 6, 1), NewDate(2026, 3, 1))
			return []CompositionMentee{a, b}
		}(), RuleSeparateProjects, Met},
		{"different projects at the same time", func() []CompositionMentee {
			a, b := mentee(1, 1), mentee(2, 2)
			a.Assignments, b.Assignments = proj(NewDate(2026, 1, 1), Date{}), proj(NewDate(2026, 1, 1), Date{})
			b.Assignments[0].ProjectID = 2
			return []CompositionMentee{a, b}
		}(), RuleSeparateProjects, Met},
		{"mentor manages someone else", func() []CompositionMentee { a := mentee(1, 1); a.ManagerID = uid(99); return []CompositionMentee{a} }(), RuleMentorNotManager, Met},
		{"mentor is manager", func() []CompositionMentee { a := mentee(1, 1); a.ManagerID = uid(100); return []CompositionMentee{a} }(), RuleMentorNotManager, Broken},
		{"mentor is mentee", []CompositionMentee{mentee(100, 1)}, RuleMentorNotMentee, Broken},
		{"other group in programme", func() []CompositionMentee {
			a := mentee(1, 1)
			a.OtherGroups = []string{"Zuid"}
			return []CompositionMentee{a}
		}(), RuleOneGroupPerCohort, Broken},
		{"other discipline warns", func() []CompositionMentee { a := mentee(1, 1); a.Discipline = "HR"; return []CompositionMentee{a} }(), RuleSameDiscipline, Warning},
		{"other discipline with reason", func() []CompositionMentee {
			a := mentee(1, 1)
			a.Discipline, a.DisciplineException = "HR", "bewust"
			return []CompositionMentee{a}
		}(), RuleSameDiscipline, Met},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := prog
			c.Mentees = tc.mentees
			found := false
			for _, r := range c.Check() {
				if r.Rule != tc.rule {
					continue
				}
				found = true
				if r.Severity != tc.want {
					t.Fatalf("%s: got %s, want %s (%+v)", tc.rule, r.Severity, tc.want, r.Findings)
				}
			}
			if !found {
				t.Fatalf("rule %s not in the checklist", tc.rule)
			}
		})
	}
}
