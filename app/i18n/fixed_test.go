package i18n

import (
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"

	"crossmentor/templates"
)

// TestFixedMessagesReadAsLocalized: every message T answers from its table
// of plain texts reads exactly as the localizer would format it, with and
// without a count; and messages with placeholders are not in that table.
func TestFixedMessagesReadAsLocalized(t *testing.T) {
	c, err := Load(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, lang := range Languages {
		for id, text := range c.fixed[lang] {
			got, err := c.localizers[lang].Localize(&goi18n.LocalizeConfig{MessageID: id})
			if err != nil || got != text {
				t.Errorf("%s %s: table %q, localizer %q (%v)", lang, id, text, got, err)
			}
			if got := c.T(lang, id, map[string]any{"Count": 1}); got != text {
				t.Errorf("%s %s with a count: %q, want %q", lang, id, got, text)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no message is plain text")
	}
	if _, ok := c.fixed["nl"]["home.active_mentees"]; ok {
		t.Error("a message with plural forms is in the table of plain texts")
	}
}
