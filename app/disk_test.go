package app

import (
	"errors"
	"testing"
)

// TestDiskReady: /readyz fails when the data folder's disk is (almost)
// full or cannot be measured, on the embedded database only.
func TestDiskReady(t *testing.T) {
	for _, tc := range []struct {
		name string
		pg   bool
		free uint64
		err  error
		want error
	}{
		{"plenty", false, 10 << 30, nil, nil},
		{"almost full", false, MinFreeBytes - 1, nil, errDiskFull},
		{"unmeasurable", false, 0, errors.New("statfs"), errDiskFull},
		{"PostgreSQL", true, 0, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{DataDir: t.TempDir()}
			if tc.pg {
				cfg.DatabaseURL = "postgres://x"
			}
			got := diskReady(cfg, func(string) (uint64, error) { return tc.free, tc.err })
			if !errors.Is(got, tc.want) {
				t.Fatalf("%v, want %v", got, tc.want)
			}
		})
	}
	if n, err := freeBytes(t.TempDir()); err != nil || n == 0 {
		t.Fatalf("free bytes of a temp dir: %d, %v", n, err)
	}
}
