package models

import (
	"errors"
	"testing"
)

func TestMethodsLibrary(t *testing.T) {
	want := []string{"incident", "balint", "gossip", "five_phase", "socratic", "u_procedure", "free"}
	for _, k := range want {
		m, ok := MethodByKey(k)
		if !ok || len(m.Phases) < 3 {
			t.Fatalf("method %s missing or without phases", k)
		}
		flexible := 0
		for _, p := range m.Phases {
			if !p.Fixed {
				flexible++
			}
		}
		if flexible == 0 {
			t.Fatalf("method %s has no flexible phase to fit the meeting", k)
		}
	}
	if _, ok := MethodByKey("nonsense"); ok {
		t.Fatal("unknown method found")
	}
	// The U-procedure: down the U to the values and up again, seven steps.
	u, _ := MethodByKey("u_procedure")
	var keys []string
	for _, p := range u.Phases {
		keys = append(keys, p.Key)
	}
	wantU := []string{"u_facts", "u_patterns", "u_beliefs", "u_values", "u_new_beliefs", "u_alternatives", "u_actions"}
	if len(keys) != len(wantU) {
		t.Fatalf("U-procedure has %d steps: %v", len(keys), keys)
	}
	for i := range wantU {
		if keys[i] != wantU[i] {
			t.Fatalf("U-procedure step %d is %s, want %s", i+1, keys[i], wantU[i])
		}
	}
}

func TestLayAgenda(t *testing.T) {
	for _, m := range Methods() {
		for _, total := range []int{60, 90, 120, 150, 180} {
			items := LayAgenda(m, total)
			sum, start := 0, 0
			for _, it := range items {
				if it.Start != start {
					t.Fatalf("%s %d: %s starts at %d, want %d", m.Key, total, it.Key, it.Start, start)
				}
				if it.Minutes < 5 {
					t.Fatalf("%s %d: %s gets %d minutes", m.Key, total, it.Key, it.Minutes)
				}
				sum += it.Minutes
				start += it.Minutes
			}
			if sum != total {
				t.Fatalf("%s over %d minutes adds up to %d", m.Key, total, sum)
			}
			framed := MethodMinimum(m, 1)+welcomeMinutes+closingMinutes <= total
			if framed != (items[0].Key == "welcome" && items[len(items)-1].Key == "closing") {
				t.Fatalf("%s %d: welcome and closing %v, want %v: %v", m.Key, total, !framed, framed, items)
			}
			phases := items
			if framed {
				phases = items[1 : len(items)-1]
			}
			for i, p := range m.Phases {
				if phases[i].Key != p.Key || phases[i].Fixed != p.Fixed || phases[i].Round != 1 {
					t.Fatalf("%s: phase %d is %+v, want %s (fixed %v) in round 1", m.Key, i, phases[i], p.Key, p.Fixed)
				}
				if p.Fixed && phases[i].Minutes != p.Minutes {
					t.Fatalf("%s %d: fixed phase %s got %d minutes, want %d", m.Key, total, p.Key, phases[i].Minutes, p.Minutes)
				}
			}
		}
	}
	// Longer meetings give the flexible phases more time; "tell in a few
	// minutes" stays five minutes.
	m, _ := MethodByKey("incident")
	short, long := LayAgenda(m, 90), LayAgenda(m, 180)
	if long[4].Minutes <= short[4].Minutes {
		t.Fatalf("advice phase: %d min in 90, %d in 180", short[4].Minutes, long[4].Minutes)
	}
	if short[1].Key != "incident_telling" || short[1].Minutes != 5 || long[1].Minutes != 5 {
		t.Fatalf("telling the incident: %+v in 90, %+v in 180", short[1], long[1])
	}
}

func TestLayRounds(t *testing.T) {
	incident, _ := MethodByKey("incident")
	long := Method{Key: "long", Phases: []Phase{fixed("a", 60), fixed("b", 60), fixed("c", 60), fixed("d", 60),
		fixed("e", 60), fixed("f", 60), fixed("g", 60), flex("h", 10)}}
	cases := []struct {
		name   string
		m      Method
		total  int
		rounds int
		need   int // > 0: refused, needing this many minutes
		framed bool
	}{
		{"one round in 90", incident, 90, 1, 0, true},
		{"two rounds in 120", incident, 120, 2, 0, true},
		{"two rounds in 60 without the frame", incident, 60, 2, 0, false},
		{"two rounds do not fit 45", incident, 45, 2, 60, false},
		{"fixed minutes above the meeting", incident, 15, 1, 30, false},
		{"seven hours in 150 minutes", long, 150, 1, 425, false},
		{"no rounds is one round", incident, 90, 0, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items, err := LayRounds(c.m, c.total, c.rounds)
			if c.need > 0 {
				var ve *ValidationError
				if !errors.As(err, &ve) || ve.Fields[0].Code != "method_too_long" || ve.Fields[0].Args["Need"] != c.need || ve.Fields[0].Args["Max"] != c.total {
					t.Fatalf("want refusal needing %d of %d, got %v %v", c.need, c.total, err, items)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rounds := max(c.rounds, 1)
			if AgendaRounds(items) != rounds {
				t.Fatalf("%d rounds laid, want %d: %v", AgendaRounds(items), rounds, items)
			}
			sum, perRound := 0, map[int]int{}
			for _, it := range items {
				sum += it.Minutes
				if it.Round > 0 {
					perRound[it.Round]++
				}
			}
			if sum != c.total {
				t.Fatalf("adds up to %d, want %d", sum, c.total)
			}
			for r := 1; r <= rounds; r++ {
				if perRound[r] != len(c.m.Phases) {
					t.Fatalf("round %d has %d phases, want %d", r, perRound[r], len(c.m.Phases))
				}
			}
			if (items[0].Key == "welcome") != c.framed {
				t.Fatalf("framed %v, want %v: %v", items[0].Key == "welcome", c.framed, items)
			}
		})
	}
}
