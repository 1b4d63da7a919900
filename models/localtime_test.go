package models

import (
	"errors"
	"testing"
	"time"
)

func TestParseLocalTime(t *testing.T) {
	zone, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ date, clock, want string }{
		{"2027-01-05", "14:00", "2027-01-05T13:00:00Z"}, // winter time, UTC+1
		{"2027-07-05", "14:00", "2027-07-05T12:00:00Z"}, // summer time, UTC+2
		{"2027-03-28", "03:00", "2027-03-28T01:00:00Z"}, // just after the skipped hour
	} {
		got, err := ParseLocalTime(tc.date, tc.clock, zone)
		if err != nil || got.Format(time.RFC3339) != tc.want {
			t.Errorf("%s %s: %v %v, want %s", tc.date, tc.clock, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ date, clock, field, code string }{
		{"2027-03-28", "02:30", "start_time", "time_missing"}, // does not exist in Amsterdam
		{"28-03-2027", "14:00", "date", "date"},
		{"2027-03-28", "2:3", "start_time", "time"},
	} {
		_, err := ParseLocalTime(tc.date, tc.clock, zone)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != tc.field || ve.Fields[0].Code != tc.code {
			t.Errorf("%s %s: %v, want %s at %s", tc.date, tc.clock, err, tc.code, tc.field)
		}
	}
}
