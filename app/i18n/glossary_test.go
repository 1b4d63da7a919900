package i18n_test

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"

	"crossmentor/app/i18n"
	"crossmentor/templates"
)

// templatePart is a {{…}} placeholder or action inside a message.
var templatePart = regexp.MustCompile(`\{\{.*?\}\}`)

// TestGlossaryHolds: no message of any locale file uses a word the
// glossary says to avoid in that language. A failure names the file, the
// message id, the word and the word to use instead.
func TestGlossaryHolds(t *testing.T) {
	g, err := i18n.LoadGlossary(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	paths, err := fs.Glob(templates.FS(), "locales/*.json")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, path := range paths {
		lang := localeLang(path)
		if lang == "" {
			continue // the glossary itself
		}
		raw, err := fs.ReadFile(templates.FS(), path)
		if err != nil {
			t.Fatal(err)
		}
		var messages map[string]json.RawMessage
		if err := json.Unmarshal(raw, &messages); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		ids := make([]string, 0, len(messages))
		for id := range messages {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		avoided := g.Avoided(lang)
		for _, id := range ids {
			for form, text := range messageTexts(t, path, id, messages[id]) {
				checked++
				plain := templatePart.ReplaceAllString(text, " ")
				for _, a := range avoided {
					if i18n.ContainsWord(plain, a.Word) {
						t.Errorf("%s: %s%s uses %q; the glossary (term %q) says %q: %q",
							path, id, form, a.Word, a.Term, a.Use, text)
					}
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d messages checked", checked)
	}
}

// localeLang is the language of a locale file: nl.json and x.nl.json are "nl".
func localeLang(path string) string {
	base := strings.TrimPrefix(path, "locales/")
	for _, lang := range i18n.Languages {
		if base == lang+".json" || strings.HasSuffix(base, "."+lang+".json") {
			return lang
		}
	}
	return ""
}

// messageTexts returns the texts of one message: the string, or each plural
// form keyed " (one)", " (other)".
func messageTexts(t *testing.T, path, id string, raw json.RawMessage) map[string]string {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return map[string]string{"": s}
	}
	var forms map[string]string
	if err := json.Unmarshal(raw, &forms); err != nil {
		t.Errorf("%s: %s is neither a text nor plural forms: %v", path, id, err)
		return nil
	}
	out := map[string]string{}
	for form, text := range forms {
		if form != "description" {
			out[" ("+form+")"] = text
		}
	}
	return out
}

// TestContainsWord: avoided words are found as whole words only, ignoring case.
func TestContainsWord(t *testing.T) {
	for _, c := range []struct {
		text, word string
		want       bool
	}{
		{"The case-bringer listens.", "case-bringer", true},
		{"the Case Bringer's question", "case bringer", true},
		{"On the agenda.", "agenda", true},
		{"agendas", "agenda", false},
		{"Self-discipline and time", "discipline", false},
		{"Alleen L&D leest het", "L&D", true},
		{"L&Dx", "L&D", false},
		{"Up to and including 3 May", "up to and including", true},
		{"vakdisciplines", "vakdiscipline", false},
		{"uit een andere vakdiscipline.", "vakdiscipline", true},
		{"Vakdiscipline", "vakdiscipline", true},
		{"casus", "", false},
		{"", "agenda", false},
	} {
		if got := i18n.ContainsWord(c.text, c.word); got != c.want {
			t.Errorf("ContainsWord(%q, %q) = %v, want %v", c.text, c.word, got, c.want)
		}
	}
}

// TestGlossaryLoads: the catalog carries the glossary, every shown term
// has its word and explanation in both languages.
func TestGlossaryLoads(t *testing.T) {
	cat, err := i18n.Load(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	shown := cat.Glossary().Shown()
	if len(shown) < 20 {
		t.Fatalf("%d terms shown", len(shown))
	}
	for _, term := range shown {
		if term.Wording || term.NL.Explain == "" || term.EN.Explain == "" {
			t.Errorf("term %s: %+v", term.ID, term)
		}
	}
}

// TestPluralCounts: a count under Count or N chooses the plural form of the
// messages that show a number of things.
func TestPluralCounts(t *testing.T) {
	cat, err := i18n.Load(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lang, id, key string
		n             any
		want          string
	}{
		{"nl", "proposal.size", "N", 1, "1 mentee"},
		{"nl", "proposal.size", "N", 5, "5 mentees"},
		{"en", "proposal.accept", "N", 1, "Create 1 group"},
		{"en", "proposal.accept", "N", 3, "Create 3 groups"},
		{"nl", "people.count", "Count", 1, "1 persoon"},
		{"nl", "people.count", "Count", int64(40), "40 mensen"},
		{"en", "people.count", "Count", int64(1), "1 person"},
		{"nl", "programmes.cadence", "Count", 1, "elke week"},
		{"en", "programmes.cadence", "Count", 6, "every 6 weeks"},
		{"nl", "mailbox.attempts", "Count", 1, "1 poging"},
		{"en", "series.preview_title", "Count", 1, "Preview: 1 meeting"},
		{"nl", "series.lost", "Count", 1, "1 bijeenkomst verliest haar plek in de reeks, terwijl er al iets op staat:"},
		{"en", "series.moves", "Count", 2, "2 meetings move to a new date, with everything on them:"},
		{"nl", "import.run_started", "Count", 1, "Het bestand met 1 regel wordt gecontroleerd…"},
		// N that is no count leaves a message without plural forms alone.
		{"nl", "poll.candidate", "N", 1, "Voorstel 1"},
	} {
		if got := cat.T(c.lang, c.id, map[string]any{c.key: c.n}); got != c.want {
			t.Errorf("%s %s %s=%v: %q, want %q", c.lang, c.id, c.key, c.n, got, c.want)
		}
	}
	if got := cat.T("nl", "poll.answered", map[string]any{"Count": 1, "Answered": 1, "Members": 6}); got != "1 van 6 gevraagden heeft geantwoord (de mentor telt mee)." {
		t.Errorf("poll.answered: %q", got)
	}
}

// TestGlossaryNamesLabels: the labels that name a term on their own say
// exactly the glossary's word for it, in both languages, so the product and
// the glossary page cannot drift apart.
func TestGlossaryNamesLabels(t *testing.T) {
	cat, err := i18n.Load(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	terms := map[string]i18n.Term{}
	for _, term := range cat.Glossary().Terms {
		terms[term.ID] = term
	}
	for id, term := range map[string]string{
		"role.case_bringer": "case_presenter", "role.facilitator": "facilitator", "role.timekeeper": "timekeeper",
		"role.note_taker": "note_taker", "meeting.kind.work_visit": "work_visit", "meeting.kind.first": "first_meeting",
		"meeting.kind.guest": "guest", "meeting.kind.intervision": "intervision", "poll.title": "date_poll",
		"meeting.agenda": "running_order", "field.discipline": "field", "oneonone.title": "one_on_one",
		"intake.title": "intake", "first.goal": "learning_goal", "cases.case": "case", "home.admin": "learning_development",
	} {
		g, ok := terms[term]
		if !ok {
			t.Errorf("no glossary term %q", term)
			continue
		}
		for _, lang := range i18n.Languages {
			if got, want := cat.T(lang, id, nil), g.In(lang).Word; !strings.EqualFold(got, want) {
				t.Errorf("%s %s is %q; the glossary (term %q) says %q", lang, id, got, term, want)
			}
		}
	}
}
