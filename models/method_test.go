package models

import "testing"

func TestMethodsLibrary(t *testing.T) {
	want := []string{"incident", "balint", "gossip", "five_phase", "socratic", "free"}
	for _, k := range want {
		m, ok := MethodByKey(k)
		if !ok || len(m.Phases) < 3 {
			t.Fatalf("method %s missing or without phases", k)
		}
	}
	if _, ok := MethodByKey("nonsense"); ok {
		t.Fatal("unknown method found")
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
			if items[0].Key != "welcome" || items[len(items)-1].Key != "closing" {
				t.Fatalf("%s %d: no welcome and closing: %v", m.Key, total, items)
			}
			for i, p := range m.Phases {
				if items[i+1].Key != p.Key {
					t.Fatalf("%s: phase %d is %s, want %s", m.Key, i, items[i+1].Key, p.Key)
				}
			}
		}
	}
	// Longer meetings give the phases more time, in proportion.
	m, _ := MethodByKey("incident")
	short, long := LayAgenda(m, 90), LayAgenda(m, 180)
	if long[4].Minutes <= short[4].Minutes {
		t.Fatalf("advice phase: %d min in 90, %d in 180", short[4].Minutes, long[4].Minutes)
	}
}
