package app

import "runtime/debug"

// GCSettings are the garbage collector settings serve runs with.
type GCSettings struct {
	Percent int   // GOGC; 0 when left to Go or to the GOGC variable
	Limit   int64 // soft memory limit in bytes; 0 when left to Go or to GOMEMLIMIT
}

// TuneGC applies the configured garbage collection target and soft memory
// limit, each unless Go's own variable (GOGC, GOMEMLIMIT) is set, which
// the runtime has then applied already. A higher target than Go's 100
// spends less CPU on collection per request; the limit bounds the heap
// that target would otherwise let grow with the live data.
func TuneGC(cfg Config, lookup func(string) (string, bool)) GCSettings {
	var s GCSettings
	if _, set := lookup("GOGC"); !set && cfg.GCPercent > 0 {
		s.Percent = cfg.GCPercent
		debug.SetGCPercent(s.Percent)
	}
	if _, set := lookup("GOMEMLIMIT"); !set && cfg.MemoryLimitMB > 0 {
		s.Limit = int64(cfg.MemoryLimitMB) << 20
		debug.SetMemoryLimit(s.Limit)
	}
	return s
}
