package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"text/template/parse"
	"time"

	"github.com/labstack/echo/v4"

	"crossmentor/app/i18n"
	"crossmentor/models"
)

// Renderer holds every page template, parsed once at start, and the
// content-hashed names of the static assets.
type Renderer struct {
	fsys  fs.FS
	pages map[string]*template.Template
	// translated holds the pages per language, with the fixed translations
	// and asset addresses written in (see foldTree); pages is then the
	// default language's.
	translated map[string]map[string]*template.Template
	assets     map[string]string // logical name -> hashed name
	files      map[string]string // hashed name -> logical name
}

// NewRenderer parses layouts, partials and every page of fsys. A template
// error fails here, at start, never at request time. With a catalog, each
// page is also prepared per language, the translations that take no
// placeholder resolved once.
func NewRenderer(fsys fs.FS, catalog *i18n.Catalog) (*Renderer, error) {
	r := &Renderer{fsys: fsys, pages: map[string]*template.Template{}, translated: map[string]map[string]*template.Template{},
		assets: map[string]string{}, files: map[string]string{}}
	statics, err := fs.Glob(fsys, "static/*")
	if err != nil {
		return nil, err
	}
	for _, name := range statics {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		base := path.Base(name)
		ext := path.Ext(base)
		hashed := strings.TrimSuffix(base, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		r.assets[base], r.files[hashed] = hashed, base
	}
	funcs := template.FuncMap{
		"asset": func(name string) (string, error) {
			h, ok := r.assets[name]
			if !ok {
				return "", fmt.Errorf("unknown asset %q", name)
			}
			return "/static/" + h, nil
		},
		"join":             strings.Join,
		"splitList":        func(s string) []string { return strings.Split(s, ",") },
		"add":              func(a, b int) int { return a + b },
		"pct":              func(f float64) float64 { return f * 100 },
		"has":              func(list []string, s string) bool { return contains(list, s) },
		"pairs":            pairs,
		"list":             func(s ...string) []string { return s },
		"suggestedOutcome": models.SuggestedOutcome,
		"mins":             func(n int) time.Duration { return time.Duration(n) * time.Minute },
		"role":             func(s string) models.MeetingRole { return models.MeetingRole(s) },
		"hasID": func(ids []uint, id uint) bool {
			for _, x := range ids {
				if x == id {
					return true
				}
			}
			return false
		},
		// roleHolder is who has a role, or who is proposed for it.
		"roleHolder": func(set map[models.MeetingRole][]uint, proposed map[models.MeetingRole]uint, r string) uint {
			if ids := set[models.MeetingRole(r)]; len(ids) > 0 {
				return ids[0]
			}
			return proposed[models.MeetingRole(r)]
		},
		"field":   formField,
		"picker":  picker,
		"percent": func(f float64) float64 { return f * 100 },
		"neg":     func(n int) int { return -n },
		"append": func(rows []models.ReportRow, r models.ReportRow) []models.ReportRow {
			return append(append([]models.ReportRow(nil), rows...), r)
		},
		"goalForm": models.GoalInputOf,
		"deref": func(p *uint) uint {
			if p == nil {
				return 0
			}
			return *p
		},
	}
	base, err := template.New("base").Funcs(funcs).ParseFS(fsys, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, err
	}
	pages, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		t, err := template.Must(base.Clone()).ParseFS(fsys, p)
		if err != nil {
			return nil, err
		}
		r.pages[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	if catalog != nil {
		for _, lang := range i18n.Languages {
			if err := r.translate(catalog, lang); err != nil {
				return nil, err
			}
		}
		// The pages as parsed are only the source of the translated ones.
		r.pages = r.translated[i18n.Languages[0]]
	}
	return r, nil
}

// translate prepares every page for lang: a copy in which each X.T "id"
// without placeholders and each asset "name" is the text it gives.
func (r *Renderer) translate(catalog *i18n.Catalog, lang string) error {
	fold := func(args []parse.Node) (string, bool) {
		if name, ok := functionArg(args, "asset"); ok {
			h, known := r.assets[name]
			return "/static/" + h, known
		}
		if id, ok := translationID(args); ok {
			return catalog.T(lang, id, nil), true
		}
		return "", false
	}
	pages := map[string]*template.Template{}
	for name, t := range r.pages {
		c, err := t.Clone()
		if err != nil {
			return err
		}
		for _, x := range c.Templates() {
			foldTree(x.Tree, fold)
		}
		// html/template escapes a page at its first execution; nil data
		// stops that execution at its first field, after the escaping.
		var escErr *template.Error
		if err := c.ExecuteTemplate(io.Discard, "layout", nil); errors.As(err, &escErr) {
			return fmt.Errorf("page %s: %w", name, err)
		}
		for _, x := range c.Templates() {
			foldEscaped(x.Tree)
		}
		pages[name] = c
	}
	r.translated[lang] = pages
	return nil
}

// Render writes the named page within the layout, from the page prepared
// for the view's language (the default language's for data that is not a
// View, which has no T to call).
func (r *Renderer) Render(w io.Writer, name string, data any, _ echo.Context) error {
	pages := r.pages
	if v, ok := data.(View); ok && r.translated[v.Lang] != nil {
		pages = r.translated[v.Lang]
	}
	t, ok := pages[name]
	if !ok {
		return fmt.Errorf("unknown page %q", name)
	}
	return t.ExecuteTemplate(w, "layout", data)
}

// Has reports whether a page exists.
func (r *Renderer) Has(name string) bool { _, ok := r.pages[name]; return ok }

// StaticFile maps a hashed asset name to its file name under static/.
func (r *Renderer) StaticFile(hashed string) (string, bool) {
	name, ok := r.files[hashed]
	return name, ok
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// pairs builds a map from alternating keys and values, for T's arguments.
func pairs(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// formField reads a string field of a form struct by its form tag.
func formField(form any, name string) string {
	v := reflect.Indirect(reflect.ValueOf(form))
	if v.Kind() != reflect.Struct {
		return ""
	}
	for i := 0; i < v.NumField(); i++ {
		if strings.Split(v.Type().Field(i).Tag.Get("form"), ",")[0] == name && v.Field(i).Kind() == reflect.String {
			return v.Field(i).String()
		}
	}
	return ""
}
