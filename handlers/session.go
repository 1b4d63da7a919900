package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// signInForm is the sign-in form and API body.
type signInForm struct {
	Email    string `form:"email" json:"email" validate:"required,max=254"`
	Password string `form:"password" json:"password" validate:"required,max=200"`
	Next     string `form:"next" json:"-"`
}

// signInPage shows the sign-in form.
func (h *Handlers) signInPage(c echo.Context) error {
	if _, ok := viewer(c); ok {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	v := h.view(c, "signin.title", h.signinOptions())
	v.Form = signInForm{Next: safeNext(c.QueryParam("next"))}
	return c.Render(http.StatusOK, "signin", v)
}

// signIn checks the credentials and starts a fresh session.
func (h *Handlers) signIn(c echo.Context) error {
	if h.NoPasswords {
		return models.ErrNotFound
	}
	var in signInForm
	if err := bind(c, &in); err != nil {
		return h.formFailed(c, err, "signin", "signin.title", in, nil)
	}
	p, err := models.SignIn(c.Request().Context(), h.DB, h.PasswordGate, in.Email, in.Password, c.RealIP(), h.SignInLimits, h.Now())
	if err != nil {
		code := "bad_credentials"
		status := http.StatusUnauthorized
		switch {
		case errors.Is(err, models.ErrRateLimited):
			code, status = "rate_limited", http.StatusTooManyRequests
			retryAfter(c, err)
		case errors.Is(err, models.ErrBusy):
			code, status = "busy", http.StatusServiceUnavailable
			retryAfter(c, err)
		case !errors.Is(err, models.ErrBadCredentials):
			return err
		}
		v := h.view(c, "signin.title", h.signinOptions())
		in.Password = ""
		v.Form = in
		v.Errors["_form"] = h.Catalog.T(lang(c), "error."+code, nil)
		return c.Render(status, "signin", v)
	}
	if err := h.startSession(c, p.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, safeNext(in.Next))
}

// startSession ends any session of this browser and starts a new one, so a
// session id planted before sign-in is never carried over.
func (h *Handlers) startSession(c echo.Context, personID uint) error {
	return h.startSessionVia(c, personID, false)
}

// startSessionVia is startSession remembering whether single sign-on began it.
func (h *Handlers) startSessionVia(c echo.Context, personID uint, viaSSO bool) error {
	ctx := c.Request().Context()
	if ck, err := h.cookie(c, sessionCookie); err == nil {
		if err := models.EndSession(ctx, h.DB, ck.Value); err != nil {
			return err
		}
	}
	token, err := models.StartSessionVia(ctx, h.DB, personID, viaSSO, h.Sessions, h.Now())
	if err != nil {
		return err
	}
	h.setCookie(c, sessionCookie, token, "/", int(h.Sessions.Absolute.Seconds()))
	return nil
}

func (h *Handlers) clearSessionCookie(c echo.Context) {
	h.setCookie(c, sessionCookie, "", "/", -1)
}

// signOut ends the session on the server and in the browser; a session
// begun with single sign-on also ends at the provider when it offers an
// end-session endpoint (RP-initiated logout).
func (h *Handlers) signOut(c echo.Context) error {
	ctx := c.Request().Context()
	viaSSO := false
	if tok, ok := c.Get(keyToken).(string); ok {
		var err error
		if viaSSO, err = models.SessionViaSSO(ctx, h.DB, tok); err != nil {
			return err
		}
		if err := models.EndSession(ctx, h.DB, tok); err != nil {
			return err
		}
	}
	h.clearSessionCookie(c)
	if viaSSO && h.SSO.Enabled() {
		if to := h.SSO.logoutURL(ctx); to != "" {
			h.setCookie(c, flashCookie, "flash.signed_out", "/", 60)
			return c.Redirect(http.StatusSeeOther, to)
		}
	}
	return h.redirect(c, "/signin", "flash.signed_out")
}

// apiSignIn is POST /api/v1/session: it answers with the person and sets the session cookie.
func (h *Handlers) apiSignIn(c echo.Context) error {
	if h.NoPasswords {
		return models.ErrNotFound
	}
	var in signInForm
	if err := bind(c, &in); err != nil {
		return err
	}
	p, err := models.SignIn(c.Request().Context(), h.DB, h.PasswordGate, in.Email, in.Password, c.RealIP(), h.SignInLimits, h.Now())
	if err != nil {
		return err
	}
	if err := h.startSession(c, p.ID); err != nil {
		return err
	}
	v, err := models.ViewerFor(c.Request().Context(), h.DB, p.ID)
	if err != nil {
		return err
	}
	c.Set(keyViewer, v)
	return h.apiMe(c)
}

// apiSignOut is DELETE /api/v1/session.
func (h *Handlers) apiSignOut(c echo.Context) error {
	if tok, ok := c.Get(keyToken).(string); ok {
		if err := models.EndSession(c.Request().Context(), h.DB, tok); err != nil {
			return err
		}
	}
	h.clearSessionCookie(c)
	return c.NoContent(http.StatusNoContent)
}

// meJSON is the signed-in person as GET /api/v1/me shows them.
type meJSON struct {
	ID          uint     `json:"id"`
	Name        string   `json:"name"`
	Email       string   `json:"email"`
	Roles       []string `json:"roles"`
	Language    string   `json:"language"`
	CalendarURL *string  `json:"calendar_url"`
}

// apiMe is GET /api/v1/me.
func (h *Handlers) apiMe(c echo.Context) error {
	v := mustViewer(c)
	p, err := models.GetPerson(c.Request().Context(), h.DB, v, v.PersonID)
	if err != nil {
		return err
	}
	out := meJSON{ID: p.ID, Name: p.Name, Email: p.Email, Roles: v.Roles(), Language: p.Language}
	// Reading who one is makes no feed and revives none: a revoked feed
	// stays revoked until its owner makes a new one under My account.
	token, err := models.CalendarToken(c.Request().Context(), h.DB, v, false)
	if err != nil {
		return err
	}
	if token != "" {
		feed := h.calendarURL(token)
		out.CalendarURL = &feed
	}
	return c.JSON(http.StatusOK, out)
}
