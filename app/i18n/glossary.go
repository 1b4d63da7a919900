package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"unicode"
)

// GlossaryPath is where the glossary lives in the templates file system.
const GlossaryPath = "locales/glossary.json"

// Glossary is the shared list of domain words: which word each language
// uses for a term, what it means, and which words not to use instead.
type Glossary struct {
	Terms []Term `json:"terms"`
}

// Term is one domain term in every language.
type Term struct {
	ID string `json:"id"`
	// Wording marks a style rule ("until", not "up to and including")
	// rather than a domain term; it is checked but not shown on /words.
	Wording bool `json:"wording"`
	NL      Word `json:"nl"`
	EN      Word `json:"en"`
}

// Word is a term in one language.
type Word struct {
	Word    string   `json:"word"`
	Explain string   `json:"explain"`
	Avoid   []string `json:"avoid"`
}

// In returns the term's word in lang; the default language for others.
func (t Term) In(lang string) Word {
	if lang == "en" {
		return t.EN
	}
	return t.NL
}

// Shown returns the terms for the glossary page, without the wording rules.
func (g *Glossary) Shown() []Term {
	var out []Term
	for _, t := range g.Terms {
		if !t.Wording {
			out = append(out, t)
		}
	}
	return out
}

// LoadGlossary reads the glossary from fsys and checks that every term has
// an id and, unless it is a wording rule, a word and explanation in both
// languages.
func LoadGlossary(fsys fs.FS) (*Glossary, error) {
	raw, err := fs.ReadFile(fsys, GlossaryPath)
	if err != nil {
		return nil, err
	}
	var g Glossary
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, fmt.Errorf("%s: %w", GlossaryPath, err)
	}
	seen := map[string]bool{}
	for i, t := range g.Terms {
		if t.ID == "" || seen[t.ID] {
			return nil, fmt.Errorf("%s: term %d has no id or a duplicate id %q", GlossaryPath, i+1, t.ID)
		}
		seen[t.ID] = true
		for _, lang := range Languages {
			w := t.In(lang)
			if w.Word == "" || (!t.Wording && w.Explain == "") {
				return nil, fmt.Errorf("%s: term %q lacks its %s word or explanation", GlossaryPath, t.ID, lang)
			}
		}
	}
	return &g, nil
}

// Avoided is a word a text must not use, with the word to use instead.
type Avoided struct {
	Word, Use, Term string
}

// Avoided returns the words lang must not use, each with its replacement.
func (g *Glossary) Avoided(lang string) []Avoided {
	var out []Avoided
	for _, t := range g.Terms {
		w := t.In(lang)
		for _, a := range w.Avoid {
			out = append(out, Avoided{Word: a, Use: w.Word, Term: t.ID})
		}
	}
	return out
}

// ContainsWord reports whether text holds word as a whole word, ignoring
// case: the characters around it are no letters, digits or hyphens, so
// "agenda" is found in "the agenda." but not in "agendas" or
// "self-discipline". word may hold spaces or punctuation ("L&D").
func ContainsWord(text, word string) bool {
	if word == "" {
		return false
	}
	lt, lw := []rune(strings.ToLower(text)), []rune(strings.ToLower(word))
	for i := 0; i+len(lw) <= len(lt); i++ {
		if string(lt[i:i+len(lw)]) != string(lw) {
			continue
		}
		if i > 0 && wordRune(lt[i-1]) {
			continue
		}
		if end := i + len(lw); end < len(lt) && wordRune(lt[end]) {
			continue
		}
		return true
	}
	return false
}

// wordRune is a character that belongs to a word.
func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-'
}
