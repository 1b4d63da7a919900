package app_test

import (
	"math"
	"runtime/debug"
	"testing"

	"crossmentor/app"
)

// TestTuneGC: the configured target and limit apply when GOGC and
// GOMEMLIMIT are not set; each variable, when set, keeps Go's own value.
func TestTuneGC(t *testing.T) {
	oldPercent, oldLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(oldPercent); debug.SetMemoryLimit(oldLimit) })
	cfg := app.Config{GCPercent: 400, MemoryLimitMB: 256}
	none := func(string) (string, bool) { return "", false }

	if s := app.TuneGC(cfg, none); s.Percent != 400 || s.Limit != 256<<20 {
		t.Fatalf("settings %+v", s)
	}
	if p := debug.SetGCPercent(100); p != 400 {
		t.Errorf("GOGC is %d, want 400", p)
	}
	if l := debug.SetMemoryLimit(math.MaxInt64); l != 256<<20 {
		t.Errorf("memory limit is %d, want %d", l, 256<<20)
	}

	both := func(k string) (string, bool) { return "50", k == "GOGC" || k == "GOMEMLIMIT" }
	if s := app.TuneGC(cfg, both); s != (app.GCSettings{}) {
		t.Fatalf("with GOGC and GOMEMLIMIT set: %+v", s)
	}
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("GOGC changed to %d though the variable is set", p)
	}
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		t.Errorf("memory limit changed to %d though the variable is set", l)
	}

	if s := app.TuneGC(app.Config{}, none); s != (app.GCSettings{}) {
		t.Fatalf("zero settings changed the collector: %+v", s)
	}
}
