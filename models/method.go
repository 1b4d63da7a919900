package models

// Phase is one step of an intervision method with its usual length. A fixed
// phase keeps its minutes whatever the meeting's length ("tell in a few
// minutes" stays short); only flexible phases stretch or shrink to fit.
type Phase struct {
	Key     string
	Minutes int
	Fixed   bool
}

// Method is an intervision method: ordered phases with default minutes.
// Names and descriptions are in the locale files under method.<key>.
type Method struct {
	Key    string
	Phases []Phase
}

// fixed and flex make the library below readable.
func fixed(key string, min int) Phase { return Phase{Key: key, Minutes: min, Fixed: true} }
func flex(key string, min int) Phase  { return Phase{Key: key, Minutes: min} }

// Methods is the library of intervision methods. The phases and minutes
// follow the usual published descriptions of each method; the wording of
// the phases is ours (locale files, phase.<key>).
func Methods() []Method {
	return []Method{
		{Key: "incident", Phases: []Phase{fixed("incident_telling", 5), flex("incident_questions", 15), fixed("incident_question", 5),
			flex("incident_advice", 20), fixed("incident_reaction", 10)}},
		{Key: "balint", Phases: []Phase{fixed("balint_story", 10), flex("balint_facts", 10), flex("balint_associations", 25),
			fixed("balint_bringer", 10), flex("balint_reflection", 10)}},
		{Key: "gossip", Phases: []Phase{fixed("gossip_case", 10), flex("gossip_questions", 10), flex("gossip_talk", 20),
			fixed("gossip_reaction", 10), flex("gossip_lessons", 10)}},
		{Key: "five_phase", Phases: []Phase{fixed("five_question", 10), flex("five_inquiry", 20), flex("five_core", 10),
			flex("five_advice", 20), fixed("five_evaluation", 10)}},
		{Key: "socratic", Phases: []Phase{fixed("socratic_statement", 10), fixed("socratic_example", 15), flex("socratic_judgement", 20),
			flex("socratic_principle", 20), flex("socratic_reflection", 10)}},
		// The U-procedure goes down the left leg of the U (facts, behaviour,
		// beliefs) to the values at the bottom and up the right leg (new
		// beliefs, new behaviour, first steps): seven steps.
		{Key: "u_procedure", Phases: []Phase{fixed("u_facts", 10), flex("u_patterns", 15), flex("u_beliefs", 15),
			flex("u_values", 15), flex("u_new_beliefs", 10), flex("u_alternatives", 15), fixed("u_actions", 10)}},
		{Key: "free", Phases: []Phase{flex("free_round", 15), flex("free_topics", 60), fixed("free_wrapup", 10)}},
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

// AgendaItem is one block of a meeting's running order.
type AgendaItem struct {
	Key     string `json:"key"` // "welcome", a phase key, "break" or "closing"
	Start   int    `json:"start"`
	Minutes int    `json:"minutes"`
	// Fixed says the block keeps its minutes; flexible blocks were fitted.
	Fixed bool `json:"fixed,omitempty"`
	// Round is the method round (one per case presenter) a phase belongs
	// to, from 1; 0 for the welcome and closing.
	Round int `json:"round,omitempty"`
}

// Fixed blocks around the method.
const (
	welcomeMinutes = 10
	closingMinutes = 10
	agendaStep     = 5
)

// MethodMinimum is the least time rounds of a method need: its fixed
// minutes plus one step for every flexible phase.
func MethodMinimum(m Method, rounds int) int {
	need := 0
	for _, p := range m.Phases {
		if p.Fixed {
			need += p.Minutes
		} else {
			need += agendaStep
		}
	}
	return need * max(rounds, 1)
}

// LayAgenda lays out one round of a method over a meeting of total
// minutes; nil when the method does not fit (see LayRounds).
func LayAgenda(m Method, total int) []AgendaItem {
	items, _ := LayRounds(m, total, 1)
	return items
}

// LayRounds lays out rounds of a method (one per case presenter) over a
// meeting of total minutes: a welcome, each round's phases, and a closing.
// Fixed phases keep their minutes; flexible phases share the time that is
// left by their usual share, in steps of five minutes and at least five
// each, odd minutes to the longest. The welcome and closing are left out
// when only the rounds fit. When not even the rounds fit, it refuses with
// a field error on "method" (method_too_long: Need, Max, Rounds).
func LayRounds(m Method, total, rounds int) ([]AgendaItem, error) {
	rounds = max(rounds, 1)
	need := MethodMinimum(m, rounds)
	frame := welcomeMinutes + closingMinutes
	switch {
	case need+frame <= total:
	case need <= total:
		frame = 0
	default:
		return nil, &ValidationError{Fields: []FieldError{{Field: "method", Code: "method_too_long",
			Args: map[string]any{"Need": need, "Max": total, "Rounds": rounds}}}}
	}
	var items []AgendaItem
	if frame > 0 {
		items = append(items, AgendaItem{Key: "welcome", Minutes: welcomeMinutes, Fixed: true})
	}
	left := total - frame
	base := 0
	var flexIdx []int // positions of the flexible phases in items
	for r := 1; r <= rounds; r++ {
		for _, p := range m.Phases {
			it := AgendaItem{Key: p.Key, Minutes: p.Minutes, Fixed: p.Fixed, Round: r}
			if p.Fixed {
				left -= p.Minutes
			} else {
				base += p.Minutes
				flexIdx = append(flexIdx, len(items))
			}
			items = append(items, it)
		}
	}
	spreadFlexible(items, flexIdx, left, base)
	if frame > 0 {
		items = append(items, AgendaItem{Key: "closing", Minutes: closingMinutes, Fixed: true})
	}
	start := 0
	for i := range items {
		items[i].Start = start
		start += items[i].Minutes
	}
	return items, nil
}

// spreadFlexible shares left minutes over the flexible items at idx by their
// default minutes (base is their sum): every one gets one step, the other
// steps go by share (largest remainder first), odd minutes to the longest.
func spreadFlexible(items []AgendaItem, idx []int, left, base int) {
	n := len(idx)
	if n == 0 {
		return
	}
	units, odd := left/agendaStep, left%agendaStep
	rest := max(units-n, 0)
	alloc := make([]int, n)
	remainders := make([]int, n)
	given := 0
	for k, i := range idx {
		share := 0
		if base > 0 {
			share = rest * items[i].Minutes / base
			remainders[k] = rest * items[i].Minutes % base
		}
		alloc[k] = 1 + share
		given += share
	}
	for ; given < rest; given++ {
		best := 0
		for k := range remainders {
			if remainders[k] > remainders[best] {
				best = k
			}
		}
		alloc[best]++
		remainders[best] = -1
	}
	largest := 0
	for k, i := range idx {
		items[i].Minutes = alloc[k] * agendaStep
		if alloc[k] > alloc[largest] {
			largest = k
		}
	}
	items[idx[largest]].Minutes += odd
}

// AgendaRounds is the number of method rounds in a running order.
func AgendaRounds(items []AgendaItem) int {
	n := 0
	for _, it := range items {
		n = max(n, it.Round)
	}
	if n == 0 && len(items) > 0 {
		return 1 // laid out before rounds were recorded
	}
	return n
}
