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
		{"not made yet", false, 10 << 30, errors.New("no such folder"), nil},
		{"PostgreSQL", true, 0, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{DataDir: t.TempDir()}
			if tc.pg {
				cfg.DatabaseURL = "postgres://x"
			}
			if tc.name == "not made yet" {
				cfg.DataDir += "/data/sub"
			}
			got := diskReady(cfg, func(dir string) (uint64, error) {
				if tc.name == "not made yet" && dir != cfg.DataDir {
					return tc.free, nil
				}
				return tc.free, tc.err
			})
			if !errors.Is(got, tc.want) {
				t.Fatalf("%v, want %v", got, tc.want)
			}
		})
	}
	if n, err := freeBytes(t.TempDir()); err != nil || n == 0 {
		t.Fatalf("free bytes of a temp dir: %d, %v", n, err)
	}
}
