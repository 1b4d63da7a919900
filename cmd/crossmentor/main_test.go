package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestConfigCommand: `crossmentor config` prints the table the README holds.
func TestConfigCommand(t *testing.T) {
	var out, errs bytes.Buffer
	if err := run([]string{"config"}, &out, &errs); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 10 {
		t.Fatalf("config printed %d lines", len(lines))
	}
	for _, line := range lines {
		if !strings.Contains(string(readme), line) {
			t.Errorf("README lacks %q", line)
		}
	}
	if err := run([]string{"nonsense"}, &out, &errs); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("unknown command: %v", err)
	}
}
