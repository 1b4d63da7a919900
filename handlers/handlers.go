// Package handlers turns HTTP requests into calls of models funcs and
// renders the result as HTML pages or JSON. Every route is in routes.go.
package handlers

import (
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"crossmentor/app/i18n"
	"crossmentor/models"
)

// Handlers carries what every handler needs; app builds it.
type Handlers struct {
	DB            *gorm.DB
	Log           *slog.Logger
	Catalog       *i18n.Catalog
	Renderer      *Renderer
	Sessions      models.SessionPolicy
	SignInLimits  models.SignInLimits
	BaseURL       string
	SecureCookies bool
	Version       string
	Now           func() time.Time
	Ready         func(*http.Request) error

	setupDone atomic.Bool
}

// Context keys.
const (
	keyViewer = "viewer"
	keyLang   = "lang"
	keyToken  = "session_token"
	keyCSRF   = "csrf"
)

// Cookie names.
const (
	sessionCookie = "cm_session"
	langCookie    = "cm_lang"
	flashCookie   = "cm_flash"
)

// viewer returns who is signed in, if anyone.
func viewer(c echo.Context) (models.Viewer, bool) {
	v, ok := c.Get(keyViewer).(models.Viewer)
	return v, ok
}

// mustViewer returns the signed-in viewer; routes behind requireSignIn have one.
func mustViewer(c echo.Context) models.Viewer {
	v, _ := viewer(c)
	return v
}

// lang returns the language of the request.
func lang(c echo.Context) string {
	if l, ok := c.Get(keyLang).(string); ok {
		return l
	}
	return i18n.Languages[0]
}

// today returns the organisation's current date.
func (h *Handlers) today(c echo.Context) models.Date {
	org, err := models.GetOrganisation(c.Request().Context(), h.DB)
	if err != nil {
		return models.DateOf(h.Now())
	}
	return models.DateOf(h.Now().In(org.Location()))
}

// View is the data every page template receives.
type View struct {
	Lang    string
	Path    string
	CSRF    string
	Viewer  *models.Viewer
	MeName  string
	OrgName string
	Demo    bool
	Title   string
	Flash   string
	Errors  map[string]string
	Form    any
	Data    any
	Query   url.Values
	Refused []RuleMessage // composition rules a refused change would break

	catalog *i18n.Catalog
}

// T translates a message id; kv are alternating placeholder names and values.
func (v View) T(id string, kv ...any) string {
	return v.catalog.T(v.Lang, id, pairs(kv...))
}

// Err returns the translated error of a field, or "".
func (v View) Err(field string) string { return v.Errors[field] }

// Invalid marks an input as invalid and ties it to its error text.
func (v View) Invalid(field string) template.HTMLAttr {
	if v.Errors[field] == "" {
		return ""
	}
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="err-` + template.HTMLEscapeString(field) + `"`)
}

// ErrorFor renders the error text of a field next to it, or nothing.
func (v View) ErrorFor(field string) template.HTML {
	msg := v.Errors[field]
	if msg == "" {
		return ""
	}
	return template.HTML(`<p class="field-error" id="err-` + template.HTMLEscapeString(field) + `">` +
		template.HTMLEscapeString(msg) + `</p>`)
}

// Is reports whether the viewer holds a role.
func (v View) Is(role string) bool {
	return v.Viewer != nil && contains(v.Viewer.Roles(), role)
}

// LangURL returns the current page in another language.
func (v View) LangURL(lang string) string {
	q := url.Values{}
	for k, vals := range v.Query {
		if k != "lang" {
			q[k] = vals
		}
	}
	q.Set("lang", lang)
	return v.Path + "?" + q.Encode()
}

// view builds the page data for a request.
func (h *Handlers) view(c echo.Context, titleID string, data any) View {
	v := View{Lang: lang(c), Path: c.Request().URL.Path, Data: data, Errors: map[string]string{},
		Query: c.QueryParams(), catalog: h.Catalog}
	if tok, ok := c.Get(keyCSRF).(string); ok {
		v.CSRF = tok
	}
	ctx := c.Request().Context()
	if org, err := models.GetOrganisation(ctx, h.DB); err == nil {
		v.OrgName, v.Demo = org.Name, org.Demo
	}
	if vw, ok := viewer(c); ok {
		v.Viewer = &vw
		h.DB.WithContext(ctx).Model(&models.Person{}).Where("id = ?", vw.PersonID).Pluck("name", &v.MeName)
	}
	if titleID != "" {
		v.Title = v.T(titleID)
	}
	if ck, err := c.Cookie(flashCookie); err == nil && strings.HasPrefix(ck.Value, "flash.") {
		v.Flash = v.T(ck.Value)
		c.SetCookie(&http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true})
	}
	return v
}

// page renders a page with status 200.
func (h *Handlers) page(c echo.Context, name, titleID string, data any) error {
	return c.Render(http.StatusOK, name, h.view(c, titleID, data))
}

// redirect sends the browser on after a successful change, with a flash message id.
func (h *Handlers) redirect(c echo.Context, to, flashID string) error {
	if flashID != "" {
		c.SetCookie(&http.Cookie{Name: flashCookie, Value: flashID, Path: "/", MaxAge: 60, HttpOnly: true,
			Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// formFailed re-renders a form with its field errors (422) when err is a
// validation or rule error; other errors go on to the error handler.
func (h *Handlers) formFailed(c echo.Context, err error, name, titleID string, form, data any) error {
	var ve *models.ValidationError
	var rv *models.RuleViolation
	v := h.view(c, titleID, data)
	v.Form = form
	switch {
	case errors.As(err, &ve):
		v.Errors = h.fieldMessages(lang(c), ve)
	case errors.As(err, &rv):
		v.Refused = h.ruleMessages(lang(c), rv.Results)
	default:
		return err
	}
	return c.Render(http.StatusUnprocessableEntity, name, v)
}

// fieldMessages translates field errors; the form-wide ones are under "_form".
func (h *Handlers) fieldMessages(lang string, ve *models.ValidationError) map[string]string {
	out := map[string]string{}
	for _, f := range ve.Fields {
		if _, seen := out[f.Field]; !seen {
			out[f.Field] = h.Catalog.T(lang, "error."+f.Code, f.Args)
		}
	}
	return out
}

// RuleMessage is one composition rule result in words.
type RuleMessage struct {
	Rule     string
	Severity string
	Title    string
	Findings []string
}

// ruleMessages puts rule results into words in lang.
func (h *Handlers) ruleMessages(lang string, results []models.RuleResult) []RuleMessage {
	out := make([]RuleMessage, len(results))
	for i, r := range results {
		m := RuleMessage{Rule: string(r.Rule), Severity: string(r.Severity),
			Title: h.Catalog.T(lang, "rule."+string(r.Rule)+".title", nil)}
		for _, f := range r.Findings {
			m.Findings = append(m.Findings, h.Catalog.T(lang, "rule."+string(r.Rule)+"."+string(f.Severity),
				map[string]any{"People": joinNames(lang, f.People), "Subject": f.Subject,
					"Min": models.MinMentees, "Max": models.MaxMentees}))
		}
		out[i] = m
	}
	return out
}

// joinNames lists names as "A, B and C" in lang.
func joinNames(lang string, names []string) string {
	and := " en "
	if lang == "en" {
		and = " and "
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + and + names[len(names)-1]
}

// idParam reads a numeric path parameter; anything else is a 404.
func idParam(c echo.Context, name string) (uint, error) {
	n, err := strconv.ParseUint(c.Param(name), 10, 32)
	if err != nil || n == 0 {
		return 0, models.ErrNotFound
	}
	return uint(n), nil
}

// pageParam reads the page number from the query.
func pageParam(c echo.Context) models.Page {
	n, _ := strconv.Atoi(c.QueryParam("page"))
	return models.NewPage(n, 50)
}
