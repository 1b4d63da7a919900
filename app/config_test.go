package app_test

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
)

// TestREADMEListsEveryVariable keeps the README's configuration table true
// to the Config struct.
func TestREADMEListsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range app.Fields() {
		def := "(empty)"
		if f.Default != "" {
			def = "`" + f.Default + "`"
		}
		row := "| `" + f.Env + "` | " + def + " | " + f.Description + " |"
		if !strings.Contains(string(readme), row) {
			t.Errorf("README lacks the row\n%s", row)
		}
	}
}

func TestLoadConfig(t *testing.T) {
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	cfg, err := app.LoadConfig(env(nil))
	if err != nil || cfg.Addr != ":8080" || cfg.Postgres() || cfg.SecureCookies() {
		t.Fatalf("defaults: %+v, %v", cfg, err)
	}
	cfg, err = app.LoadConfig(env(map[string]string{"CROSSMENTOR_BASE_URL": "https://mentor.example.org", "CROSSMENTOR_SESSION_IDLE": "30m"}))
	if err != nil || !cfg.SecureCookies() || cfg.SessionIdle.Minutes() != 30 {
		t.Fatalf("https: %+v, %v", cfg, err)
	}
	for name, bad := range map[string]map[string]string{
		"duration":   {"CROSSMENTOR_SESSION_IDLE": "two hours"},
		"bool":       {"CROSSMENTOR_AUTO_MIGRATE": "maybe"},
		"base url":   {"CROSSMENTOR_BASE_URL": "mentor.example.org"},
		"proxy":      {"CROSSMENTOR_TRUSTED_PROXIES": "10.0.0.1"},
		"log level":  {"CROSSMENTOR_LOG_LEVEL": "loud"},
		"idle > max": {"CROSSMENTOR_SESSION_IDLE": "24h"},
	} {
		if _, err := app.LoadConfig(env(bad)); err == nil {
			t.Errorf("%s: accepted %v", name, bad)
		} else if !strings.Contains(err.Error(), "CROSSMENTOR_") {
			t.Errorf("%s: error does not name the variable: %v", name, err)
		}
	}
}

// TestBadSMTPSettings: a wrong mail server setting does not stop the app
// (no crash loop); mail waits in the mailbox and admins see why.
func TestBadSMTPSettings(t *testing.T) {
	for _, bad := range []string{"smtp://", "ftp://mail.example.org", "::not a url"} {
		cfg, err := app.LoadConfig(func(k string) (string, bool) {
			if k == "CROSSMENTOR_SMTP_URL" {
				return bad, true
			}
			return "", false
		})
		if err != nil {
			t.Fatal(err)
		}
		cfg.Jobs = false
		a, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), apptest.DB(t), "test")
		if err != nil {
			t.Fatalf("%q stops the app: %v", bad, err)
		}
		if !strings.Contains(a.Handlers.MailProblem, "SMTP_URL") {
			t.Fatalf("%q: problem shown to admins: %q", bad, a.Handlers.MailProblem)
		}
	}
}

// TestLogFormat: text for people when set so, JSON otherwise (also with
// auto when the output is no terminal); an unknown format is refused.
func TestLogFormat(t *testing.T) {
	for format, want := range map[string]string{"text": "level=INFO msg=hello", "json": `"msg":"hello"`, "auto": `"msg":"hello"`} {
		cfg, err := app.LoadConfig(func(name string) (string, bool) { return format, name == app.EnvPrefix+"LOG_FORMAT" })
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		app.NewLogger(cfg, &buf).Info("hello")
		if !strings.Contains(buf.String(), want) {
			t.Errorf("%s: %s", format, buf.String())
		}
	}
	if _, err := app.LoadConfig(func(name string) (string, bool) { return "xml", name == app.EnvPrefix+"LOG_FORMAT" }); err == nil {
		t.Error("LOG_FORMAT=xml accepted")
	}
}
