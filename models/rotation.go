package models

// MeetingRole is a role someone takes in an intervision meeting.
type MeetingRole string

// Meeting roles, in the order they are handed out.
const (
	RoleFacilitator MeetingRole = "facilitator"
	RoleTimekeeper  MeetingRole = "timekeeper"
	RoleNoteTaker   MeetingRole = "note_taker"
	RoleCaseBringer MeetingRole = "case_bringer"
)

// MeetingRoles lists the roles of a meeting.
var MeetingRoles = []MeetingRole{RoleFacilitator, RoleTimekeeper, RoleNoteTaker, RoleCaseBringer}

// RoleTurn is one past (or fixed) turn: who had which role at which meeting.
type RoleTurn struct {
	Seq      int // the meeting's place in the series
	Role     MeetingRole
	PersonID uint
}

// ProposeRoles hands out the roles of meeting seq by fair rotation. roster
// is every member in a fixed order; those in skip (frozen, excused) get no
// role. Each role passes along the roster: it goes to the first member after
// its last holder who is not skipped and has no role yet in this meeting, so
// over a series everyone has each role in turn and the least recent holder
// is next. fixed holds roles set by hand for this meeting; they are kept.
// With fewer members than roles, people double up.
func ProposeRoles(seq int, roster []uint, skip map[uint]bool, history []RoleTurn, fixed map[MeetingRole]uint) map[MeetingRole]uint {
	out := map[MeetingRole]uint{}
	var present []uint
	for _, id := range roster {
		if !skip[id] {
			present = append(present, id)
		}
	}
	if len(present) == 0 {
		return out
	}
	pos := map[uint]int{}
	for i, id := range roster {
		pos[id] = i
	}
	lastSeq := map[MeetingRole]int{}
	lastHolder := map[MeetingRole]uint{}
	for _, h := range history {
		if _, known := pos[h.PersonID]; !known || h.Seq >= seq || h.Seq < lastSeq[h.Role] {
			continue
		}
		lastSeq[h.Role], lastHolder[h.Role] = h.Seq, h.PersonID
	}
	busy := map[uint]bool{}
	for r, id := range fixed {
		out[r] = id
		busy[id] = true
	}
	for i, r := range MeetingRoles {
		if _, done := out[r]; done {
			continue
		}
		start := i % len(roster) // nobody had it yet: spread the roles out
		if id, ok := lastHolder[r]; ok {
			start = (pos[id] + 1) % len(roster)
		}
		var choice uint
		found := false
		for step := 0; step < len(roster) && !found; step++ {
			id := roster[(start+step)%len(roster)]
			if !skip[id] && !busy[id] {
				choice, found = id, true
			}
		}
		if !found { // everyone present has a role already
			for step := 0; step < len(roster) && !found; step++ {
				if id := roster[(start+step)%len(roster)]; !skip[id] {
					choice, found = id, true
				}
			}
		}
		out[r] = choice
		busy[choice] = true
	}
	return out
}
