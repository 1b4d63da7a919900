package handlers_test

import (
	"html"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"crossmentor/app/apptest"
	"crossmentor/app/i18n"
	"crossmentor/templates"
)

// TestWordsPage: the glossary is public, in the page's language, each term
// with its explanation, and linked from the footer of every page.
func TestWordsPage(t *testing.T) {
	_, _, srv := demo(t)
	anonymous := apptest.NewClient(t, srv)
	for _, c := range []struct {
		path               string
		word, explain, not string
	}{
		{"/words", "casusinbrenger", "De mentee die in een bijeenkomst zijn of haar casus inbrengt", "case presenter</dfn>"},
		{"/words?lang=en", "case presenter", "The mentee who brings their case to a meeting", "casusinbrenger</dfn>"},
		{"/words?lang=en", "running order", "The order of the parts of one meeting", "agenda"},
		{"/words", "vakgebied", "een groep is normaal van één vakgebied", "vakdiscipline"},
	} {
		r := anonymous.Get(c.path)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", c.path, r.Status)
		}
		body := html.UnescapeString(r.Body)
		if !strings.Contains(body, "<dfn>"+c.word+"</dfn>") || !strings.Contains(body, c.explain) {
			t.Errorf("%s: no %q with %q", c.path, c.word, c.explain)
		}
		if strings.Contains(body, c.not) {
			t.Errorf("%s: shows %q", c.path, c.not)
		}
	}
	// A wording rule is no term of the page.
	if r := anonymous.Get("/words?lang=en"); strings.Contains(r.Body, "<dfn>until</dfn>") {
		t.Error("the page shows the wording rule 'until'")
	}
	// The footer links to it, for anyone signed in too.
	mentee := as(t, srv, "mentee@demo.test")
	if r := mentee.Get("/"); !strings.Contains(r.Body, `<a href="/words">Woordenlijst</a>`) {
		t.Error("no link to the glossary in the footer")
	}
}

// jobKind finds the kind a River job declares: Kind() string { return "x" }.
var jobKind = regexp.MustCompile(`Kind\(\) string\s*\{\s*return\s+"([^"]+)"`)

// TestLocaleJobKinds: every job kind the jobs page can show has a label in
// both languages (jobs.kind.<kind>).
func TestLocaleJobKinds(t *testing.T) {
	cat, err := i18n.Load(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../jobs/*.go")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range jobKind.FindAllStringSubmatch(string(b), -1) {
			found++
			for _, lang := range i18n.Languages {
				if id := "jobs.kind." + m[1]; !cat.Has(lang, id) {
					t.Errorf("%s: job kind %q has no label %s in %s", f, m[1], id, lang)
				}
			}
		}
	}
	if found < 5 {
		t.Fatalf("found %d job kinds in ../jobs", found)
	}
}

// monthWord is an English or Dutch month name written in Go code.
var monthWord = regexp.MustCompile(`(?i)"(january|february|march|april|may|june|july|august|september|october|november|december|januari|februari|maart|mei|juni|juli|augustus|oktober)"|\.Month\(\)\.String\(\)`)

// TestLocaleMonthNamesFromLocale: the handlers write no month name of their
// own; they come from the locale files (month.N, finish.date.month.N).
func TestLocaleMonthNamesFromLocale(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := monthWord.FindString(string(b)); m != "" {
			t.Errorf("%s writes a month name in Go: %s", f, m)
		}
	}
}
