package i18n_test

import (
	"testing"

	"crossmentor/app/i18n"
	"crossmentor/templates"
)

// TestPluralForms: a number under Count chooses "one" or "other" in both
// languages; without a count the "other" form is used.
func TestPluralForms(t *testing.T) {
	cat, err := i18n.Load(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang  string
		count any
		want  string
	}{
		{"nl", 1, "1 actieve mentee"},
		{"nl", 2, "2 actieve mentees"},
		{"nl", 0, "0 actieve mentees"},
		{"en", 1, "1 active mentee"},
		{"en", int64(5), "5 active mentees"},
	} {
		if got := cat.T(c.lang, "home.active_mentees", map[string]any{"Count": c.count}); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.lang, c.count, got, c.want)
		}
	}
	// A message without plural forms is used as it is, whatever the count.
	if got := cat.T("nl", "todo.cases", map[string]any{"Count": 1}); got == "todo.cases" {
		t.Error("a count broke a message without plural forms")
	}
	if got := cat.T("nl", "series.kept", map[string]any{"Count": 1}); got[:26] != "1 bijeenkomst blijft zoals" {
		t.Errorf("series.kept: %q", got)
	}
}
