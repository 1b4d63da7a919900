package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// TestListsArePaginated: the API's lists take limit and offset, refuse a
// window out of range with a field error, and answer an empty page past the end.
func TestListsArePaginated(t *testing.T) {
	_, db, srv := demo(t)
	mentor := as(t, srv, "mentor@demo.test")
	noord := groupID(t, db, "Groep Noord")
	size := func(path string) int {
		t.Helper()
		r := mentor.JSON(http.MethodGet, path, "", nil)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", path, r.Status, r.Body)
		}
		var list []json.RawMessage
		var wrapped struct {
			Meetings []json.RawMessage `json:"meetings"`
		}
		if json.Unmarshal([]byte(r.Body), &list) != nil {
			if err := json.Unmarshal([]byte(r.Body), &wrapped); err != nil {
				t.Fatal(err)
			}
			list = wrapped.Meetings
		}
		return len(list)
	}
	for _, path := range []string{"/api/v1/one-on-ones", fmt.Sprintf("/api/v1/groups/%d/meetings", noord),
		fmt.Sprintf("/api/v1/groups/%d/cases", noord)} {
		all := size(path)
		if all < 2 {
			t.Fatalf("%s: the demo should list at least two, got %d", path, all)
		}
		if n := size(path + "?limit=1"); n != 1 {
			t.Errorf("%s?limit=1: %d rows", path, n)
		}
		if n := size(fmt.Sprintf("%s?limit=500&offset=%d", path, all-1)); n != 1 {
			t.Errorf("%s last page: %d rows", path, n)
		}
		if n := size(path + "?offset=100000"); n != 0 {
			t.Errorf("%s past the end: %d rows", path, n)
		}
		for _, bad := range []string{"?limit=0", "?limit=501", "?offset=-1", "?limit=x"} {
			if r := mentor.JSON(http.MethodGet, path+bad, "", nil); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s%s: %d, want 422", path, bad, r.Status)
			}
		}
	}
}
