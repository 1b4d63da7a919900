package models_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the binary carries the zones; so does this test

	"crossmentor/models"
)

// TestTimeZones: every zone offered loads, none twice, and the default
// and a few well-known ones are there.
func TestTimeZones(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range models.TimeZones {
		if len(g.Zones) == 0 {
			t.Errorf("region %s without zones", g.Region)
		}
		for _, z := range g.Zones {
			if seen[z] {
				t.Errorf("%s twice", z)
			}
			seen[z] = true
			if _, err := time.LoadLocation(z); err != nil {
				t.Errorf("%s: %v", z, err)
			}
		}
	}
	for _, z := range []string{"Europe/Amsterdam", "Europe/Brussels", "America/Curacao", "UTC"} {
		if !models.IsListedTimeZone(z) {
			t.Errorf("%s is not offered", z)
		}
	}
	if models.IsListedTimeZone("Mars/Olympus") || models.IsListedTimeZone("") {
		t.Error("an unknown zone is offered")
	}
}
