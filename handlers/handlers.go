// Package handlers turns HTTP requests into calls of models funcs and
// renders the result as HTML pages or JSON. Every route is in routes.go.
package handlers

import (
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gorm.io/gorm"

	"crossmentor/app/i18n"
	"crossmentor/app/live"
	"crossmentor/app/mailer"
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
	PasswordGate  *models.PasswordGate // bounds concurrent password checks
	BaseURL       string
	SecureCookies bool
	Version       string
	Now           func() time.Time
	Ready         func(*http.Request) error
	MailRenderer  *mailer.Renderer
	MailProblem   string // why mail is not sent, for the mailbox page
	MailboxOnly   bool   // no SMTP server configured: mail stays in the mailbox page
	Jobs          JobRuns
	Imports       ImportQueue // queues import runs (the job runner, or a queue-only client)
	Files         fs.FS       // the embedded templates, for the OpenAPI document
	SSO           *SSO        // single sign-on; nil or empty when not configured
	NoPasswords   bool        // local passwords switched off (single sign-on only)
	SelectLimit   int         // most people in a select list; 0: models.DefaultSelectLimit
	Live          *live.Hub   // fans out changes of running meetings to their viewers

	setupDone      atomic.Bool
	org            orgCache
	figures        figuresCache
	people         peopleCount
	viewers        viewerCache // signed-in viewers by session, for reading requests
	importProgress sync.Map    // import run id → [2]int{done, total}, for runs in this process
}

// JobRuns lists and retries the runs of the periodic jobs.
type JobRuns = models.JobQueue

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
	org, err := h.organisation(c.Request().Context())
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
	Unread  int64 // the viewer's unread notices
	OrgName string
	Demo    bool
	Title   string
	Flash   string
	Errors  map[string]string
	Form    any
	Data    any
	Query   url.Values
	Posted  url.Values    // the submitted form, for fields not in Form
	Refused []RuleMessage // composition rules a refused change would break
	// RefusedConfirm offers to make the refused change anyway (L&D, a change to a person).
	RefusedConfirm bool
	Zone           *time.Location // the organisation's time zone
	Now            time.Time

	catalog *i18n.Catalog
}

// T translates a message id; kv are alternating placeholder names and values.
func (v View) T(id string, kv ...any) string {
	if len(kv) == 0 {
		return v.catalog.T(v.Lang, id, nil)
	}
	return v.catalog.T(v.Lang, id, pairs(kv...))
}

// AuditSubject names the kind of record an audit line is about ("Groep"
// for group.content, a permission that names its record kind first), or
// returns s when it has no name.
func (v View) AuditSubject(s string) string {
	kind, _, _ := strings.Cut(s, ".")
	if id := "finish.audit.kind." + kind; v.catalog != nil && v.catalog.Has(v.Lang, id) {
		return v.catalog.T(v.Lang, id, nil)
	}
	return s
}

// Decimal writes x with places decimals as the page's language writes
// numbers: "2,5" in Dutch, "2.5" in English.
func (v View) Decimal(x float64, places int) string {
	tag := language.English
	if v.Lang == "nl" {
		tag = language.Dutch
	}
	return message.NewPrinter(tag).Sprintf("%.*f", places, x)
}

// Err returns the translated error of a field, or "".
func (v View) Err(field string) string { return v.Errors[field] }

// Invalid marks an input as invalid and ties it to its error text.
func (v View) Invalid(field string) template.HTMLAttr {
	if v.Errors[field] == "" {
		return ""
	}
	// #nosec G203 -- the field name is escaped
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="err-` + template.HTMLEscapeString(field) + `"`)
}

// ErrorFor renders the error text of a field next to it, or nothing.
func (v View) ErrorFor(field string) template.HTML {
	msg := v.Errors[field]
	if msg == "" {
		return ""
	}
	// #nosec G203 -- field name and message are escaped
	return template.HTML(`<p class="field-error" id="err-` + template.HTMLEscapeString(field) + `">` +
		template.HTMLEscapeString(msg) + `</p>`)
}

// Date writes a date the way readers of the page's language expect, such
// as "8 sep. 2026"; an empty date is "".
func (v View) Date(d models.Date) string {
	if d.IsZero() {
		return ""
	}
	month := v.T("finish.date.month." + strconv.Itoa(int(d.Month())))
	return strconv.Itoa(d.Day()) + " " + month + " " + strconv.Itoa(d.Year())
}

// Today is the organisation's current date.
func (v View) Today() models.Date { return models.DateOf(v.Now.In(v.Zone)) }

// Clock writes the local wall-clock time of an instant, "14:00".
func (v View) Clock(t time.Time) string { return t.In(v.Zone).Format("15:04") }

// LocalDate is the organisation's calendar day of an instant.
func (v View) LocalDate(t time.Time) models.Date { return models.DateOf(t.In(v.Zone)) }

// Weekday names a day of the week in the page's language.
func (v View) Weekday(d time.Weekday) string {
	return v.T("finish.weekday." + strconv.Itoa(int(d)))
}

// When writes an instant as day, date and local time: "maandag 11 jan. 2027, 14:00".
func (v View) When(t time.Time) string {
	local := t.In(v.Zone)
	return v.Weekday(local.Weekday()) + " " + v.Date(models.DateOf(local)) + ", " + local.Format("15:04")
}

// Is reports whether the viewer holds a role.
func (v View) Is(role string) bool {
	if v.Viewer == nil {
		return false
	}
	switch role {
	case "admin":
		return v.Viewer.Admin
	case "mentor":
		return v.Viewer.Mentor
	case "mentee":
		return v.Viewer.Mentee
	case "manager":
		return v.Viewer.Manager
	}
	return false
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

// BackURL returns the current page without ?lang=, to come back to after
// switching the language.
func (v View) BackURL() string {
	q := url.Values{}
	for k, vals := range v.Query {
		if k != "lang" {
			q[k] = vals
		}
	}
	if len(q) == 0 {
		return v.Path
	}
	return v.Path + "?" + q.Encode()
}

// setCookie sets (or, with maxAge -1, removes) one of the app's cookies:
// always HttpOnly and SameSite=Lax, Secure when the site is served over TLS.
// Over TLS a cookie for the whole site takes the __Host- prefix, so no
// other host (a sibling subdomain) and no plain-HTTP page can set it.
func (h *Handlers) setCookie(c echo.Context, name, value, path string, maxAge int) {
	// #nosec G124 -- Secure follows the site's scheme (CROSSMENTOR_BASE_URL); a plain-HTTP intranet needs it off
	c.SetCookie(&http.Cookie{Name: h.cookieName(name, path), Value: value, Path: path, MaxAge: maxAge, HttpOnly: true,
		Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// cookieName is the name a cookie has on the wire.
func (h *Handlers) cookieName(name, path string) string {
	if h.SecureCookies && path == "/" {
		return hostPrefix + name
	}
	return name
}

// hostPrefix marks a cookie bound to this host, secure and for every path.
const hostPrefix = "__Host-"

// cookie reads one of the app's site-wide cookies by its plain name.
func (h *Handlers) cookie(c echo.Context, name string) (*http.Cookie, error) {
	return c.Cookie(h.cookieName(name, "/"))
}

// view builds the page data for a request.
func (h *Handlers) view(c echo.Context, titleID string, data any) View {
	v := View{Lang: lang(c), Path: c.Request().URL.Path, Data: data, Errors: map[string]string{},
		Query: c.QueryParams(), Posted: c.Request().PostForm, catalog: h.Catalog}
	if tok, ok := c.Get(keyCSRF).(string); ok {
		v.CSRF = tok
	}
	ctx := c.Request().Context()
	v.Zone, v.Now = time.UTC, h.Now()
	if org, err := h.organisation(ctx); err == nil {
		v.OrgName, v.Demo, v.Zone = org.Name, org.Demo, org.Location()
	}
	if vw, ok := viewer(c); ok {
		v.Viewer, v.MeName, v.Unread = &vw, vw.Name, vw.Unread
	}
	if titleID != "" {
		v.Title = v.T(titleID)
	}
	if ck, err := h.cookie(c, flashCookie); err == nil && strings.HasPrefix(ck.Value, "flash.") {
		v.Flash = v.T(ck.Value)
		h.setCookie(c, flashCookie, "", "/", -1)
	}
	return v
}

// formPage renders a page with its form: 200, or 422 with the field errors
// when err is a validation or rule error (other errors go on).
func (h *Handlers) formPage(c echo.Context, err error, name, titleID string, form, data any) error {
	if err != nil {
		return h.formFailed(c, err, name, titleID, form, data)
	}
	v := h.view(c, titleID, data)
	v.Form = form
	return c.Render(http.StatusOK, name, v)
}

// page renders a page with status 200.
func (h *Handlers) page(c echo.Context, name, titleID string, data any) error {
	return c.Render(http.StatusOK, name, h.view(c, titleID, data))
}

// redirect sends the browser on after a successful change, with a flash message id.
func (h *Handlers) redirect(c echo.Context, to, flashID string) error {
	if flashID != "" {
		h.setCookie(c, flashCookie, flashID, "/", 60)
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
		v.Refused, v.RefusedConfirm = h.violationMessages(lang(c), rv), rv.Confirmable
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
	// Said is the severity in words, for screen readers ("voldaan").
	Said string `json:"-"`
}

// ruleMessages puts rule results into words in lang.
func (h *Handlers) ruleMessages(lang string, results []models.RuleResult) []RuleMessage {
	out := make([]RuleMessage, len(results))
	for i, r := range results {
		m := RuleMessage{Rule: string(r.Rule), Severity: string(r.Severity),
			Title: h.Catalog.T(lang, "rule."+string(r.Rule)+".title", nil),
			Said:  h.Catalog.T(lang, "finish.severity."+string(r.Severity), nil)}
		for _, f := range r.Findings {
			data := map[string]any{"People": joinNames(h.Catalog, lang, f.People), "Subject": f.Subject,
				"Min": models.MinMentees, "Max": models.MaxMentees}
			if n, err := strconv.Atoi(f.Subject); err == nil {
				data["Count"] = n // a number of people chooses the plural form
			}
			m.Findings = append(m.Findings, h.Catalog.T(lang, "rule."+string(r.Rule)+"."+string(f.Severity), data))
		}
		out[i] = m
	}
	return out
}

// violationMessages puts a refusal into words, each rule with the group it
// concerns when the change was to a person.
func (h *Handlers) violationMessages(lang string, rv *models.RuleViolation) []RuleMessage {
	out := h.ruleMessages(lang, rv.Results)
	if rv.Group != "" {
		for i := range out {
			out[i].Title = rv.Group + ": " + out[i].Title
		}
	}
	return out
}

// joinNames lists names as "A, B and C" in lang.
func joinNames(cat *i18n.Catalog, lang string, names []string) string {
	and := " " + cat.T(lang, "finish.list.and", nil) + " "
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
