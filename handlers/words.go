package handlers

import "github.com/labstack/echo/v4"

// wordsPage is the data of the glossary page.
type wordsPage struct {
	Terms []wordsTerm
}

// wordsTerm is one glossary term in the page's language, with its word in
// the other language beside it.
type wordsTerm struct {
	ID, Word, Explain, Other, OtherLang string
}

// words shows the glossary in the page's language: the words crossmentor
// uses for its domain and what each means. Public, like the sign-in page.
func (h *Handlers) words(c echo.Context) error {
	l := lang(c)
	other := "en"
	if l == "en" {
		other = "nl"
	}
	var page wordsPage
	for _, t := range h.Catalog.Glossary().Shown() {
		w := t.In(l)
		page.Terms = append(page.Terms, wordsTerm{ID: t.ID, Word: w.Word, Explain: w.Explain,
			Other: t.In(other).Word, OtherLang: other})
	}
	return h.page(c, "words", "words.title", page)
}
