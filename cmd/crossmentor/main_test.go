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

// TestKeysRefuseStart: with the key file gone, or holding another key,
// after the database has sealed text, the commands stop with a message
// that names the fix; no new key file is made.
func TestKeysRefuseStart(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CROSSMENTOR_DATA_DIR", dir)
	t.Setenv("CROSSMENTOR_DATABASE_URL", "")
	t.Setenv("CROSSMENTOR_DATA_KEYS", "")
	t.Setenv("CROSSMENTOR_LOG_LEVEL", "error")
	var out, errs bytes.Buffer
	if err := run([]string{"demo"}, &out, &errs); err != nil {
		t.Fatal(err)
	}
	keyFile := dir + "/keys"
	original, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(keyFile); err != nil {
		t.Fatal(err)
	}
	err = run([]string{"migrate"}, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "restore "+keyFile) {
		t.Fatalf("missing key file: %v", err)
	}
	if _, err := os.Stat(keyFile); err == nil {
		t.Fatal("a new key file was made while the database holds sealed text")
	}
	other := "k1:" + strings.Repeat("A", 43) + "=\n"
	if err := os.WriteFile(keyFile, []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}
	err = run([]string{"migrate"}, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "put the original key back") {
		t.Fatalf("wrong key: %v", err)
	}
	if err := os.WriteFile(keyFile, original, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"migrate"}, &out, &errs); err != nil {
		t.Fatalf("with the original key back: %v", err)
	}
}

// TestHelp: help, -h and --help list the commands and flags on standard
// output and succeed; an unknown flag points to the help.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"serve", "--help"}, {"backup", "-help"}} {
		var out, errs bytes.Buffer
		if err := run(args, &out, &errs); err != nil {
			t.Errorf("%v: %v", args, err)
		}
		for _, want := range []string{"rotate-keys", "backup", "-demo", "-out", "crossmentor config"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v: the help lacks %q", args, want)
			}
		}
		if errs.Len() > 0 {
			t.Errorf("%v: wrote to standard error: %s", args, errs.String())
		}
	}
	var out, errs bytes.Buffer
	if err := run([]string{"serve", "--bogus"}, &out, &errs); err == nil || !strings.Contains(err.Error(), "crossmentor help") {
		t.Errorf("unknown flag: %v", err)
	}
}
