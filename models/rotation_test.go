package models

import "testing"

// rotate proposes roles for n meetings in a row, feeding each into the history.
func rotate(n int, roster []uint, skip func(seq int) map[uint]bool, overrides map[int]map[MeetingRole]uint) []RoleTurn {
	var history []RoleTurn
	for seq := 1; seq <= n; seq++ {
		for r, id := range ProposeRoles(seq, roster, skip(seq), history, overrides[seq]) {
			history = append(history, RoleTurn{Seq: seq, Role: r, PersonID: id})
		}
	}
	return history
}

func spread(history []RoleTurn, members []uint, role MeetingRole) (int, int) {
	count := map[uint]int{}
	for _, h := range history {
		if h.Role == role {
			count[h.PersonID]++
		}
	}
	lo, hi := 1<<30, 0
	for _, id := range members {
		lo, hi = min(lo, count[id]), max(hi, count[id])
	}
	return lo, hi
}

func TestRotationIsFair(t *testing.T) {
	for size := 4; size <= 6; size++ {
		members := make([]uint, size)
		for i := range members {
			members[i] = uint(10 + i)
		}
		for meetings := 1; meetings <= 24; meetings++ {
			history := rotate(meetings, members, func(int) map[uint]bool { return nil }, nil)
			for _, role := range MeetingRoles {
				if lo, hi := spread(history, members, role); hi-lo > 1 {
					t.Fatalf("%d members, %d meetings, %s: turns from %d to %d", size, meetings, role, lo, hi)
				}
			}
			// Nobody holds two roles in one meeting.
			seen := map[[2]uint]bool{}
			for _, h := range history {
				key := [2]uint{uint(h.Seq), h.PersonID}
				if seen[key] {
					t.Fatalf("%d members: person %d has two roles in meeting %d", size, h.PersonID, h.Seq)
				}
				seen[key] = true
			}
		}
	}
}

func TestRotationSkipsFrozen(t *testing.T) {
	all := []uint{1, 2, 3, 4, 5}
	frozen := uint(3)
	history := rotate(8, all, func(seq int) map[uint]bool {
		if seq >= 3 && seq <= 6 {
			return map[uint]bool{frozen: true}
		}
		return nil
	}, nil)
	for _, h := range history {
		if h.PersonID == frozen && h.Seq >= 3 && h.Seq <= 6 {
			t.Fatalf("frozen member got %s in meeting %d", h.Role, h.Seq)
		}
	}
	// Back from being frozen, the member is first in line.
	next := ProposeRoles(9, all, nil, history, nil)
	has := false
	for _, id := range next {
		has = has || id == frozen
	}
	if !has {
		t.Fatalf("member back from freezing gets no role: %v", next)
	}
}

func TestRotationRespectsOverrides(t *testing.T) {
	members := []uint{1, 2, 3, 4}
	overrides := map[int]map[MeetingRole]uint{2: {RoleFacilitator: 1, RoleNoteTaker: 1}}
	history := rotate(6, members, func(int) map[uint]bool { return nil }, overrides)
	got := map[MeetingRole]uint{}
	for _, h := range history {
		if h.Seq == 2 {
			got[h.Role] = h.PersonID
		}
	}
	if got[RoleFacilitator] != 1 || got[RoleNoteTaker] != 1 {
		t.Fatalf("overrides not kept: %v", got)
	}
	for r, id := range got {
		if r != RoleFacilitator && r != RoleNoteTaker && id == 1 {
			t.Fatalf("person 1 also got %s", r)
		}
	}
	if len(ProposeRoles(1, nil, nil, nil, nil)) != 0 {
		t.Fatal("roles handed out to nobody")
	}
}

func TestRotationSmallGroup(t *testing.T) {
	got := ProposeRoles(1, []uint{7, 8, 9}, nil, nil, nil)
	if len(got) != len(MeetingRoles) {
		t.Fatalf("three members, roles %v", got)
	}
	for _, id := range got {
		if id != 7 && id != 8 && id != 9 {
			t.Fatalf("role for a stranger: %v", got)
		}
	}
}
