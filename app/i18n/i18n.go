// Package i18n translates message ids into Dutch and English from the
// locale files under templates/locales.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages are the supported languages; the first is the default.
var Languages = []string{"nl", "en"}

// Catalog holds the translations of every message.
type Catalog struct {
	localizers map[string]*goi18n.Localizer
	ids        map[string]map[string]bool
	// fixed holds, per language, the messages that are plain text (no
	// placeholder, no plural forms): they read the same whatever the data,
	// so T answers them without formatting anything.
	fixed    map[string]map[string]string
	glossary *Glossary
}

// Load reads locales/<lang>.json and locales/<topic>.<lang>.json for every
// language from fsys, and the glossary (locales/glossary.json).
func Load(fsys fs.FS) (*Catalog, error) {
	glossary, err := LoadGlossary(fsys)
	if err != nil {
		return nil, err
	}
	bundle := goi18n.NewBundle(language.Dutch)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{localizers: map[string]*goi18n.Localizer{}, ids: map[string]map[string]bool{},
		fixed: map[string]map[string]string{}, glossary: glossary}
	for _, lang := range Languages {
		// nl.json, plus one file per topic such as accounts.nl.json.
		paths, err := fs.Glob(fsys, "locales/*"+lang+".json")
		if err != nil {
			return nil, err
		}
		if len(paths) == 0 {
			return nil, fmt.Errorf("locales: no file for %s", lang)
		}
		c.ids[lang] = map[string]bool{}
		c.fixed[lang] = map[string]string{}
		for _, path := range paths {
			base := path[len("locales/"):]
			if base != lang+".json" && !strings.HasSuffix(base, "."+lang+".json") {
				continue
			}
			if err := c.parse(bundle, fsys, lang, path); err != nil {
				return nil, err
			}
		}
		c.localizers[lang] = goi18n.NewLocalizer(bundle, lang)
	}
	return c, nil
}

// parse adds one locale file to the bundle; a message id defined twice is an error.
func (c *Catalog) parse(bundle *goi18n.Bundle, fsys fs.FS, lang, path string) error {
	raw, err := fs.ReadFile(fsys, path)
	if err != nil {
		return err
	}
	// A message is a string, or its plural forms: {"one": …, "other": …}.
	var flat map[string]json.RawMessage
	if err := json.Unmarshal(raw, &flat); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, err := bundle.ParseMessageFileBytes(raw, path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for id, msg := range flat {
		if c.ids[lang][id] {
			return fmt.Errorf("%s: message %q is defined in another %s file too", path, id, lang)
		}
		c.ids[lang][id] = true
		var text string
		if json.Unmarshal(msg, &text) == nil && !strings.Contains(text, "{{") {
			c.fixed[lang][id] = text
		}
	}
	return nil
}

// Supported returns lang when it is supported, else "".
func Supported(lang string) string {
	for _, l := range Languages {
		if l == lang {
			return l
		}
	}
	return ""
}

// T translates id into lang, filling placeholders from data. A number
// under "Count" (or, without one, under "N") chooses the plural form of a
// message that has them ("one", "other"). An unknown id is returned as it
// is, so a gap shows rather than breaking the page.
func (c *Catalog) T(lang, id string, data map[string]any) string {
	loc, ok := c.localizers[lang]
	if !ok {
		lang = Languages[0]
		loc = c.localizers[lang]
	}
	if s, ok := c.fixed[lang][id]; ok {
		return s
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: pluralCount(data)}
	s, err := loc.Localize(cfg)
	if err != nil && cfg.PluralCount != nil {
		// A message without plural forms reads the same for every count.
		cfg.PluralCount = nil
		s, err = loc.Localize(cfg)
	}
	if err != nil {
		return id
	}
	return s
}

// Glossary returns the domain words loaded with the catalog.
func (c *Catalog) Glossary() *Glossary { return c.glossary }

// pluralCount is the number that chooses a plural form: data's Count, else
// its N, when that is a number; nil otherwise.
func pluralCount(data map[string]any) any {
	for _, key := range []string{"Count", "N"} {
		switch n := data[key].(type) {
		case int, int64, uint, int32, uint32, uint64, float64:
			return n
		}
	}
	return nil
}

// Has reports whether lang has a message id.
func (c *Catalog) Has(lang, id string) bool { return c.ids[lang][id] }

// IDs returns the message ids of lang, sorted.
func (c *Catalog) IDs(lang string) []string {
	out := make([]string, 0, len(c.ids[lang]))
	for id := range c.ids[lang] {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
