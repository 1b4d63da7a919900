package handlers_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"crossmentor/app/i18n"
	"crossmentor/models"
	"crossmentor/templates"
)

// TestLocales: nl and en hold the same messages, none empty, and every
// message id the templates and the Go code ask for exists in both.
func TestLocales(t *testing.T) {
	cat, err := i18n.Load(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	nl, en := cat.IDs("nl"), cat.IDs("en")
	for _, id := range nl {
		if !slices.Contains(en, id) {
			t.Errorf("%s is in nl but not in en", id)
		}
		if strings.TrimSpace(cat.T("nl", id, nil)) == "" || strings.TrimSpace(cat.T("en", id, nil)) == "" {
			t.Errorf("%s is empty", id)
		}
	}
	for _, id := range en {
		if !slices.Contains(nl, id) {
			t.Errorf("%s is in en but not in nl", id)
		}
	}

	wanted := map[string]string{} // id -> where it is asked for
	literal := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	err = fs.WalkDir(templates.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := fs.ReadFile(templates.FS(), path)
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			wanted[m[1]] = path
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goIDs := regexp.MustCompile(`"((?:flash|error|home|nav|people|programmes|groups|setup|signin|account|settings)\.[a-z0-9_.]+)"`)
	codes := regexp.MustCompile(`(?:fieldErr|\.Add)\("[a-z_]+", "([a-z_]+)"`)
	validatorCodes := regexp.MustCompile(`"[a-z]+": "([a-z_]+)"`)
	for _, dir := range []string{".", "../models", "../app"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range goIDs.FindAllStringSubmatch(string(b), -1) {
				wanted[m[1]] = f
			}
			for _, m := range codes.FindAllStringSubmatch(string(b), -1) {
				wanted["error."+m[1]] = f
			}
			if filepath.Base(f) == "errors.go" {
				for _, m := range validatorCodes.FindAllStringSubmatch(string(b), -1) {
					wanted["error."+m[1]] = f
				}
			}
		}
	}
	for _, r := range models.Rules {
		for _, part := range []string{"title", "met", "warning", "broken"} {
			wanted["rule."+string(r)+"."+part] = "models.Rules"
		}
	}
	for _, s := range models.GroupStatuses {
		wanted["group.status."+string(s)] = "models.GroupStatuses"
	}
	for _, s := range models.MembershipStatuses {
		wanted["membership.status."+string(s)] = "models.MembershipStatuses"
	}
	for _, k := range models.MenteeKinds {
		wanted["intake.kind."+string(k)] = "models.MenteeKinds"
	}
	for _, o := range models.IntakeOutcomes {
		wanted["intake.outcome."+string(o)] = "models.IntakeOutcomes"
	}
	for _, m := range models.Methods() {
		wanted["method."+m.Key+".name"], wanted["method."+m.Key+".summary"] = "models.Methods", "models.Methods"
		for _, p := range append(m.Phases, models.Phase{Key: "welcome"}, models.Phase{Key: "closing"}) {
			wanted["phase."+p.Key], wanted["phase."+p.Key+".text"] = "models.Methods", "models.Methods"
		}
	}
	for _, k := range append(models.MeetingKinds, models.KindFirstMeeting) {
		wanted["meeting.kind."+string(k)] = "models.MeetingKinds"
	}
	for _, r := range models.MeetingRoles {
		wanted["role."+string(r)] = "models.MeetingRoles"
	}
	for _, th := range models.OneOnOneThemes {
		wanted["theme."+th] = "models.OneOnOneThemes"
	}
	for _, f := range models.IntroFormats {
		wanted["first.intro."+f] = "models.IntroFormats"
	}
	for _, s := range []string{"planned", "held", "cancelled"} {
		wanted["meeting.status."+s] = "meeting statuses"
	}
	for i := 1; i <= 12; i++ {
		wanted[fmt.Sprintf("month.%d", i)] = "calendar"
	}
	for i := 0; i < 7; i++ {
		wanted[fmt.Sprintf("weekday.%d", i)] = "calendar"
	}
	codeLiteral := regexp.MustCompile(`Code: "([a-z_]+)"`)
	files, _ := filepath.Glob("../models/*.go")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, m := range codeLiteral.FindAllStringSubmatch(string(b), -1) {
			wanted["error."+m[1]] = f
		}
	}
	if len(wanted) < 100 {
		t.Fatalf("only %d message ids found in use; the scan is broken", len(wanted))
	}
	for id, where := range wanted {
		for _, lang := range []string{"nl", "en"} {
			if !cat.Has(lang, id) {
				t.Errorf("%s (used in %s) is missing in %s", id, where, lang)
			}
		}
	}
}
