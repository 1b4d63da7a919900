package models

// Phase is one step of an intervision method with its usual length.
type Phase struct {
	Key     string
	Minutes int
}

// Method is an intervision method: ordered phases with default minutes.
// Names and descriptions are in the locale files under method.<key>.
type Method struct {
	Key    string
	Phases []Phase
}

// Methods is the library of intervision methods.
func Methods() []Method {
	return []Method{
		{Key: "incident", Phases: []Phase{{"incident_telling", 5}, {"incident_questions", 15}, {"incident_question", 5},
			{"incident_advice", 20}, {"incident_reaction", 10}}},
		{Key: "balint", Phases: []Phase{{"balint_story", 10}, {"balint_facts", 10}, {"balint_associations", 25},
			{"balint_bringer", 10}, {"balint_reflection", 10}}},
		{Key: "gossip", Phases: []Phase{{"gossip_case", 10}, {"gossip_questions", 10}, {"gossip_talk", 20},
			{"gossip_reaction", 10}, {"gossip_lessons", 10}}},
		{Key: "five_phase", Phases: []Phase{{"five_question", 10}, {"five_inquiry", 20}, {"five_core", 10},
			{"five_advice", 20}, {"five_evaluation", 10}}},
		{Key: "socratic", Phases: []Phase{{"socratic_statement", 10}, {"socratic_example", 15}, {"socratic_judgement", 20},
			{"socratic_principle", 20}, {"socratic_reflection", 10}}},
		{Key: "u_procedure", Phases: []Phase{{"u_facts", 15}, {"u_patterns", 15}, {"u_values", 15},
			{"u_alternatives", 15}, {"u_actions", 15}}},
		{Key: "free", Phases: []Phase{{"free_round", 15}, {"free_topics", 60}, {"free_wrapup", 10}}},
	}
}

// MethodByKey returns a method of the library.
func MethodByKey(key string) (Method, bool) {
	for _, m := range Methods() {
		if m.Key == key {
			return m, true
		}
	}
	return Method{}, false
}

// AgendaItem is one block of a meeting's agenda.
type AgendaItem struct {
	Key     string `json:"key"` // "welcome", a phase key, "break" or "closing"
	Start   int    `json:"start"`
	Minutes int    `json:"minutes"`
}

// Fixed blocks around the method.
const (
	welcomeMinutes = 10
	closingMinutes = 10
	agendaStep     = 5
)

// LayAgenda spreads a method over a meeting of total minutes: a welcome,
// the phases scaled to the time that is left (in steps of five minutes, at
// least five each), and a closing round. The blocks add up to total.
func LayAgenda(m Method, total int) []AgendaItem {
	items := []AgendaItem{{Key: "welcome", Minutes: welcomeMinutes}}
	left := total - welcomeMinutes - closingMinutes
	base := 0
	for _, p := range m.Phases {
		base += p.Minutes
	}
	if base == 0 || left < agendaStep*len(m.Phases) {
		// Too short for the fixed blocks: only the phases, evenly.
		items, left = nil, total
	}
	// Every phase gets one step; the other steps go by the phases' usual
	// share (largest remainder first); odd minutes go to the longest phase.
	n := len(m.Phases)
	units, odd := left/agendaStep, left%agendaStep
	rest := max(units-n, 0)
	alloc := make([]int, n)
	remainders := make([]int, n)
	given := 0
	for i, p := range m.Phases {
		share := 0
		if base > 0 {
			share = rest * p.Minutes / base
			remainders[i] = rest * p.Minutes % base
		}
		alloc[i] = 1 + share
		given += share
	}
	for ; given < rest; given++ {
		best := 0
		for i := range remainders {
			if remainders[i] > remainders[best] {
				best = i
			}
		}
		alloc[best]++
		remainders[best] = -1
	}
	largest := 0
	for i, p := range m.Phases {
		items = append(items, AgendaItem{Key: p.Key, Minutes: alloc[i] * agendaStep})
		if alloc[i] > alloc[largest] {
			largest = i
		}
	}
	if n > 0 {
		items[len(items)-n+largest].Minutes += odd
	}
	if len(items) > len(m.Phases) {
		items = append(items, AgendaItem{Key: "closing", Minutes: closingMinutes})
	}
	start := 0
	for i := range items {
		items[i].Start = start
		start += items[i].Minutes
	}
	return items
}
