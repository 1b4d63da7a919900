package models

import (
	"fmt"
	"math/rand"
	"testing"
)

// randomFacts makes an organisation of people in groups over programmes and teams.
func randomFacts(rng *rand.Rand) ReportFacts {
	var f ReportFacts
	programmes := 1 + rng.Intn(4)
	teams := 1 + rng.Intn(6)
	people := rng.Intn(40)
	groups := 1 + rng.Intn(8)
	for p := 1; p <= people; p++ {
		g := uint(1 + rng.Intn(groups))
		f.Participants = append(f.Participants, ParticipantFact{PersonID: uint(p), GroupID: g,
			Programme: fmt.Sprintf("P%d", int(g)%programmes), Team: fmt.Sprintf("T%d", rng.Intn(teams))})
		if recorded := rng.Intn(5); recorded > 0 {
			f.Attendance = append(f.Attendance, AttendanceFact{PersonID: uint(p), Recorded: recorded, Present: rng.Intn(recorded + 1)})
		}
		if held := rng.Intn(3); held > 0 {
			f.OneOnOnes = append(f.OneOnOnes, TalkFact{PersonID: uint(p), Held: held})
		}
	}
	for g := 1; g <= groups; g++ {
		if held := rng.Intn(8); held > 0 {
			f.MeetingsHeld = append(f.MeetingsHeld, MeetingFact{GroupID: uint(g), Held: held})
		}
	}
	return f
}

// distinctPeople counts the people behind a row, recomputed from the facts.
func distinctPeople(f ReportFacts, by, name string) int {
	seen := map[uint]bool{}
	for _, p := range f.Participants {
		k := p.Programme
		if by == "department" {
			k = p.Team
		}
		if k == name {
			seen[p.PersonID] = true
		}
	}
	return len(seen)
}

// TestReportSuppressionProperty: for random organisations and both
// groupings, no shown figure rests on fewer than five people, a hidden
// total hides its column, and no column has exactly one hidden row figure
// beside a shown total, so no hidden figure follows by subtraction.
func TestReportSuppressionProperty(t *testing.T) {
	rng := rand.New(rand.NewSource(20261122))
	for i := 0; i < 3000; i++ {
		facts := randomFacts(rng)
		for _, by := range []string{"programme", "department"} {
			rows, total := BuildReport(facts, by)
			for col := range total.cells() {
				hidden := 0
				for _, r := range rows {
					c := r.cells()[col]
					if c.Suppressed {
						hidden++
						if c.Value != 0 {
							t.Fatal("a hidden figure carries its value")
						}
					} else if c.people < MinAggregatePeople {
						t.Fatalf("case %d by %s: %s column %d shown resting on %d people", i, by, r.Name, col, c.people)
					}
				}
				tc := total.cells()[col]
				if tc.Suppressed {
					if hidden != len(rows) {
						t.Fatalf("case %d: column %d shows rows under a hidden total", i, col)
					}
					continue
				}
				if tc.people < MinAggregatePeople {
					t.Fatalf("case %d: total of column %d shown resting on %d people", i, col, tc.people)
				}
				if hidden == 1 {
					t.Fatalf("case %d by %s: column %d has one hidden figure beside a shown total", i, by, col)
				}
			}
			// The participants of a department are counted once (one team each):
			// check that recomputing from the facts agrees with each shown row.
			for _, r := range rows {
				if !r.Participants.Suppressed && int(r.Participants.Value) != distinctPeople(facts, by, r.Name) {
					t.Fatalf("row %s: %v participants, facts say %d", r.Name, r.Participants.Value, distinctPeople(facts, by, r.Name))
				}
			}
		}
	}
}

func TestReportFigures(t *testing.T) {
	var f ReportFacts
	for p := uint(1); p <= 6; p++ {
		f.Participants = append(f.Participants, ParticipantFact{PersonID: p, GroupID: 1, Programme: "A", Team: fmt.Sprint("T", p%2)})
		present := 1
		if p == 6 {
			present = 0
		}
		f.Attendance = append(f.Attendance, AttendanceFact{PersonID: p, Recorded: 1, Present: present})
	}
	f.MeetingsHeld = []MeetingFact{{GroupID: 1, Held: 2}}
	f.OneOnOnes = []TalkFact{{PersonID: 1, Held: 2}, {PersonID: 2, Held: 1}}
	rows, total := BuildReport(f, "programme")
	if len(rows) != 1 || rows[0].Participants.Value != 6 || rows[0].MeetingsHeld.Value != 2 {
		t.Fatalf("rows %+v", rows)
	}
	if r := rows[0].AttendanceRate.Value; r < 0.83 || r > 0.84 {
		t.Fatalf("attendance rate %v, want 5/6", r)
	}
	if total.Participants.Value != 6 {
		t.Fatalf("total %+v", total)
	}
	// One-on-ones rest on two people only: hidden, here and in the total.
	if !rows[0].OneOnOnesHeld.Suppressed || !total.OneOnOnesHeld.Suppressed {
		t.Fatalf("one-on-ones of two people shown: %+v", rows[0].OneOnOnesHeld)
	}
	// By department: two teams of three, both hidden; the total of six shows.
	rows, total = BuildReport(f, "department")
	for _, r := range rows {
		if !r.Participants.Suppressed {
			t.Fatalf("team of three shown: %+v", r)
		}
	}
	if total.Participants.Suppressed {
		t.Fatal("total of six hidden")
	}
}
