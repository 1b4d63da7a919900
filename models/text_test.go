package models

import "testing"

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"  Hoe zeg ik nee?  ":         "Hoe zeg ik nee?",
		"regel 1\r\nregel 2\rregel 3": "regel 1\nregel 2\nregel 3",
		"<b>vet</b> & 'quotes'":       "<b>vet</b> & 'quotes'",
		"nul\x00byte, bel\a, del\x7f": "nulbyte, bel, del",
		"factuur\u202Efdp.exe":        "factuurfdp.exe",
		"\xffkapot":                   "\uFFFDkapot",
		"👩\u200d💻 met\ttab":           "👩\u200d💻 met\ttab",
		"\u00a0\n\t ":                 "",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
