package handlers_test

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"crossmentor/models"
)

// hostile are values that have made databases and parsers fail before:
// out-of-range numbers, wrong types, impossible dates, long and odd text.
var hostile = []any{nil, "", strings.Repeat("x", 5000), -1, 0, 1e20, 2147483648, int64(9223372036854775807), 1.5, true,
	[]any{}, map[string]any{}, []any{1, "2", nil}, "2027-02-30", "0000-01-01", "9999-12-31", "25:00", "-1", "\u202e",
	"' OR 1=1 --", "😀", "９", "2027-03-28T02:30", map[string]any{"1": "yes", "-5": "no", "x": 1}}

// mutate returns body with some fields replaced by hostile values or dropped.
func mutate(r *rand.Rand, body map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range body {
		switch r.Intn(4) {
		case 0:
			out[k] = hostile[r.Intn(len(hostile))]
		case 1:
			// dropped
		default:
			out[k] = v
		}
	}
	if r.Intn(5) == 0 {
		out["unexpected"] = hostile[r.Intn(len(hostile))]
	}
	return out
}

// TestJSONEndpointsNeverFail: every JSON endpoint that takes a body gets
// 40 bodies with hostile values (fixed seed, so a failure can be
// replayed); none answers 5xx, on either database.
func TestJSONEndpointsNeverFail(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	ms := meetingIDs(t, db, noord)
	sanne := membershipOf(t, db, "mentee@demo.test")
	var prog models.Programme
	db.First(&prog)
	person := personID(t, db, "emma.bos@demo.test")
	calls := []struct {
		who, method, path string
		body              map[string]any
	}{
		{"", "POST", "/api/v1/session", map[string]any{"email": "mentor@demo.test", "password": "demo-demo"}},
		{"admin@demo.test", "POST", "/api/v1/people", map[string]any{"name": "Nieuw", "email": "nieuw@demo.test", "team_id": 1, "manager_id": 1}},
		{"admin@demo.test", "PUT", fmt.Sprintf("/api/v1/people/%d", person), map[string]any{"name": "Emma", "email": "emma.bos@demo.test", "active": true}},
		{"admin@demo.test", "POST", "/api/v1/programmes", map[string]any{"name": "Cohort", "starts_on": "2028-01-10", "months": 12}},
		{"admin@demo.test", "POST", fmt.Sprintf("/api/v1/programmes/%d/groups", prog.ID), map[string]any{"name": "Groep", "mentor_id": person}},
		{"admin@demo.test", "PUT", fmt.Sprintf("/api/v1/groups/%d", noord), map[string]any{"name": "Groep Noord", "status": "active"}},
		{"admin@demo.test", "POST", fmt.Sprintf("/api/v1/groups/%d/members", noord), map[string]any{"person_id": person, "status": "active", "reason": "x"}},
		{"mentor@demo.test", "PUT", fmt.Sprintf("/api/v1/memberships/%d/status", sanne.ID), map[string]any{"status": "frozen", "reason": "Reis"}},
		{"mentor@demo.test", "POST", fmt.Sprintf("/api/v1/groups/%d/series/preview", noord), map[string]any{"first_on": "2027-03-02", "start_time": "14:00", "cadence_weeks": 4, "duration_min": 150, "policy": "skip", "work_visits": "3", "guests": "5"}},
		{"mentor@demo.test", "PUT", fmt.Sprintf("/api/v1/groups/%d/series", noord), map[string]any{"first_on": "2027-03-02", "start_time": "14:00", "cadence_weeks": 4, "until": "2027-12-31"}},
		{"mentee@demo.test", "PUT", fmt.Sprintf("/api/v1/groups/%d/poll/answers", noord), map[string]any{"answers": map[string]any{"1": "yes"}}},
		{"mentor@demo.test", "POST", fmt.Sprintf("/api/v1/groups/%d/one-on-ones", noord), map[string]any{"mentee_id": sanne.PersonID, "starts_at": "2027-04-01T10:00", "duration_min": 45}},
		{"mentee@demo.test", "POST", fmt.Sprintf("/api/v1/groups/%d/goals", noord), map[string]any{"what": "Plannen", "why": "x", "due_on": "2027-06-01", "shared": true}},
		{"mentor@demo.test", "PUT", fmt.Sprintf("/api/v1/meetings/%d/roles", ms[len(ms)-1].ID), map[string]any{"facilitator": sanne.PersonID, "case_bringers": []any{sanne.PersonID}}},
		{"mentor@demo.test", "PUT", fmt.Sprintf("/api/v1/meetings/%d/attendance", ms[3].ID), map[string]any{"attendance": map[string]any{fmt.Sprint(sanne.PersonID): "present"}}},
		{"mentee@demo.test", "POST", fmt.Sprintf("/api/v1/groups/%d/cases", noord), map[string]any{"title": "Vraag", "question": "Hoe?", "visibility": "group"}},
	}
	r := rand.New(rand.NewSource(14))
	fails := 0
	for _, c := range calls {
		cl := as(t, srv, "admin@demo.test")
		if c.who != "" {
			cl = as(t, srv, c.who)
		}
		for i := 0; i < 40; i++ {
			body := mutate(r, c.body)
			resp := cl.JSON(c.method, c.path, "", body)
			if resp.Status >= 500 {
				fails++
				data, _ := json.Marshal(body)
				t.Errorf("%s %s with %s: %d", c.method, c.path, data, resp.Status)
			}
		}
	}
	t.Logf("%d endpoints × 40 hostile bodies: %d answered 5xx", len(calls), fails)
}
