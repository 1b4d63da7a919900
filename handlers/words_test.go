package handlers_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"crossmentor/app/apptest"
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
