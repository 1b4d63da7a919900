package handlers

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"crossmentor/app/i18n"
	"crossmentor/models"
)

// contentSecurityPolicy allows only the app's own assets; no inline script.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders sets the headers every response carries; HSTS when the
// app is served over TLS.
func (hs *Handlers) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		if hs.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if !strings.HasPrefix(c.Request().URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// authenticate finds the viewer from a bearer token or the session cookie.
// It never fails the request: routes that need a viewer say so. A request
// that may change something empties the viewer cache when it is done (see
// viewerTTL).
func (h *Handlers) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if !reading(c.Request().Method) {
			defer h.viewers.clear()
		}
		if auth := c.Request().Header.Get(echo.HeaderAuthorization); strings.HasPrefix(auth, "Bearer ") {
			id, err := models.PersonForAPIToken(ctx, h.DB, strings.TrimPrefix(auth, "Bearer "), h.Now())
			if err != nil {
				return echo.NewHTTPError(http.StatusUnauthorized)
			}
			v, err := models.ViewerFor(ctx, h.DB, id)
			if err != nil && !errors.Is(err, models.ErrNotFound) {
				return err
			}
			if err == nil {
				c.Set(keyViewer, v)
			}
		} else if ck, err := h.cookie(c, sessionCookie); err == nil && ck.Value != "" {
			v, err := h.signedIn(ctx, c.Request().Method, ck.Value)
			switch {
			case err == nil:
				c.Set(keyViewer, v)
				c.Set(keyToken, ck.Value)
			case errors.Is(err, models.ErrNotFound):
				h.clearSessionCookie(c)
			default:
				return err
			}
		}
		return next(c)
	}
}

// chooseLanguage settles the request's language: ?lang= (for this page
// only: a GET changes nothing stored), else the person's preference, the
// language cookie, or the organisation's default. The choice is stored by
// POST /language.
func (h *Handlers) chooseLanguage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		v, signedIn := viewer(c)
		chosen := i18n.Supported(c.QueryParam("lang"))
		if chosen == "" && signedIn {
			chosen = i18n.Supported(v.Language)
		}
		if chosen == "" {
			if ck, err := h.cookie(c, langCookie); err == nil {
				chosen = i18n.Supported(ck.Value)
			}
		}
		if chosen == "" {
			if org, err := h.organisation(c.Request().Context()); err == nil {
				chosen = i18n.Supported(org.DefaultLanguage)
			}
		}
		if chosen == "" {
			chosen = i18n.Languages[0]
		}
		c.Set(keyLang, chosen)
		return next(c)
	}
}

// requireSetup sends every page to the set-up page until the organisation exists.
func (h *Handlers) requireSetup(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if h.setupDone.Load() {
			return next(c)
		}
		needed, err := models.NeedsSetup(c.Request().Context(), h.DB)
		if err != nil {
			return err
		}
		if !needed {
			h.setupDone.Store(true)
			return next(c)
		}
		if c.Path() == "/setup" {
			return next(c)
		}
		if isAPI(c) {
			return echo.NewHTTPError(http.StatusServiceUnavailable)
		}
		return c.Redirect(http.StatusSeeOther, "/setup")
	}
}

// requireSignIn refuses anonymous requests: a 401 for the API, the sign-in
// page for browsers.
func requireSignIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := viewer(c); ok {
			return next(c)
		}
		if isAPI(c) {
			return echo.NewHTTPError(http.StatusUnauthorized)
		}
		return c.Redirect(http.StatusSeeOther, "/signin?next="+urlPathEscape(c.Request().URL.RequestURI()))
	}
}

// requireAdmin lets only admins through; others get a 404, as if the page did not exist.
func requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if v, ok := viewer(c); ok && v.Admin {
			return next(c)
		}
		return models.ErrNotFound
	}
}

// requireJSON refuses API writes that are not JSON. Browsers cannot send
// JSON across sites without asking first, so this also guards the API
// against cross-site requests.
func requireJSON(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch:
			mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
			if mt != echo.MIMEApplicationJSON {
				return echo.NewHTTPError(http.StatusUnsupportedMediaType)
			}
		}
		return next(c)
	}
}

func urlPathEscape(s string) string {
	if safeNext(s) != s {
		return "/"
	}
	return strings.NewReplacer("&", "%26", "?", "%3F", "#", "%23", "+", "%2B").Replace(s)
}

// safeNext returns a local path to go on to after sign-in: a plain path
// on this site, else "/". Control characters, spaces and backslashes are
// refused outright, because browsers drop or reinterpret them
// ("/\t/evil.test" is read as "//evil.test").
func safeNext(s string) string {
	if len(s) > 2000 || !strings.HasPrefix(s, "/") {
		return "/"
	}
	for _, r := range s {
		if r < 0x21 || r == 0x7f || r == '\\' || (r >= 0x80 && r <= 0x9f) || r == '\u2028' || r == '\u2029' {
			return "/"
		}
	}
	if strings.HasPrefix(s, "//") {
		return "/"
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return s
}

// allow lets a request through only when the viewer has the permission for
// the record named by the path parameter; anyone else gets a 404. It is the
// route's side of models.Authorize.
func (h *Handlers) allow(p models.Permission, param string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			v, ok := viewer(c)
			if !ok {
				return next(c) // requireSignIn answers first
			}
			id, err := idParam(c, param)
			if err != nil {
				return err
			}
			if err := models.Authorize(c.Request().Context(), h.DB, v, p, id); err != nil {
				if errors.Is(err, models.ErrNotFound) {
					if aerr := models.Audit(c.Request().Context(), h.DB, v.PersonID, models.AuditDenied, string(p), id); aerr != nil {
						return aerr
					}
				}
				return err
			}
			return next(c)
		}
	}
}

// requestInfo gives the models the client address and clock for the audit
// log and, for a reading request, a memo of the access worked out.
func (h *Handlers) requestInfo(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := models.WithRequest(c.Request().Context(), c.RealIP(), func() time.Time { return h.Now() })
		if m := c.Request().Method; m == http.MethodGet || m == http.MethodHead {
			ctx = models.WithAccessMemo(ctx)
		}
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}
