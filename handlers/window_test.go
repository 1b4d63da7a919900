package handlers_test

import (
	"fmt"
	"net/http"
	"testing"
)

// TestGoalsArePaged: GET /api/v1/goals returns one window of the list;
// pages put together are the whole list; a bad limit is a field error.
func TestGoalsArePaged(t *testing.T) {
	_, _, srv := demo(t)
	mentor := as(t, srv, "mentor@demo.test")
	var all []map[string]any
	mentor.JSON("GET", "/api/v1/goals", "", nil).Decode(t, &all)
	if len(all) < 2 {
		t.Fatalf("%d goals in the demo; the test needs two", len(all))
	}
	var paged []map[string]any
	for offset := 0; ; offset++ {
		var page []map[string]any
		r := mentor.JSON("GET", fmt.Sprintf("/api/v1/goals?limit=1&offset=%d", offset), "", nil)
		r.Decode(t, &page)
		if len(page) > 1 {
			t.Fatalf("limit 1 gave %d", len(page))
		}
		if len(page) == 0 {
			break
		}
		paged = append(paged, page...)
	}
	if len(paged) != len(all) {
		t.Fatalf("pages hold %d goals, the list %d", len(paged), len(all))
	}
	for i := range all {
		if all[i]["id"] != paged[i]["id"] {
			t.Fatalf("page %d holds goal %v, the list %v", i, paged[i]["id"], all[i]["id"])
		}
	}
	for _, q := range []string{"limit=0", "limit=501", "limit=x", "offset=-1"} {
		if r := mentor.JSON("GET", "/api/v1/goals?"+q, "", nil); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("?%s: %d, want 422", q, r.Status)
		}
	}
}
