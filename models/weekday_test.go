package models

import (
	"encoding/json"
	"testing"
)

// TestWeekdayInputJSON: the API takes the weekday as a number (as the
// OpenAPI document types it), still reads a string, and refuses fractions.
func TestWeekdayInputJSON(t *testing.T) {
	for _, c := range []struct {
		body string
		want WeekdayInput
		ok   bool
	}{
		{`{"weekday": 2}`, "2", true},
		{`{"weekday": "4"}`, "4", true},
		{`{"weekday": null}`, "", true},
		{`{}`, "", true},
		{`{"weekday": 2.5}`, "", false},
		{`{"weekday": true}`, "", false},
	} {
		var in SeriesInput
		err := json.Unmarshal([]byte(c.body), &in)
		if (err == nil) != c.ok || in.Weekday != c.want {
			t.Errorf("%s: %q, %v", c.body, in.Weekday, err)
		}
	}
}
