package handlers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"crossmentor/models"
)

// SSO signs people in with an OpenID Connect provider (Entra ID, Google,
// Keycloak, …). People are matched by verified email to those L&D entered;
// nobody is created by signing in.
type SSO struct {
	Issuer, ClientID, ClientSecret, RedirectURL string

	mu       sync.Mutex
	provider *oidc.Provider
}

// Enabled reports whether SSO is configured.
func (s *SSO) Enabled() bool { return s != nil && s.Issuer != "" }

// discover finds the provider's endpoints once; on failure it tries again next time.
func (s *SSO) discover(ctx context.Context) (*oidc.Provider, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.provider != nil {
		return s.provider, nil
	}
	p, err := oidc.NewProvider(ctx, s.Issuer)
	if err != nil {
		return nil, err
	}
	s.provider = p
	return p, nil
}

func (s *SSO) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: s.ClientID, ClientSecret: s.ClientSecret, RedirectURL: s.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

const ssoCookie = "cm_sso"

func randomString() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ssoStart sends the browser to the provider with a fresh state and nonce,
// kept in a short-lived cookie to compare on return.
func (h *Handlers) ssoStart(c echo.Context) error {
	if !h.SSO.Enabled() {
		return models.ErrNotFound
	}
	p, err := h.SSO.discover(c.Request().Context())
	if err != nil {
		h.Log.Error("single sign-on provider unreachable", "error", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable)
	}
	state, err := randomString()
	if err != nil {
		return err
	}
	nonce, err := randomString()
	if err != nil {
		return err
	}
	h.setCookie(c, ssoCookie, state+"."+nonce, "/signin/oidc", 600)
	return c.Redirect(http.StatusSeeOther, h.SSO.oauth(p).AuthCodeURL(state, oidc.Nonce(nonce)))
}

// errSSORefused is any failed single sign-on; the reason is logged, not shown.
var errSSORefused = errors.New("single sign-on refused")

// ssoCallback checks state, code, token and nonce, then signs in the
// person with that verified email.
func (h *Handlers) ssoCallback(c echo.Context) error {
	if !h.SSO.Enabled() {
		return models.ErrNotFound
	}
	ctx := c.Request().Context()
	p, err := h.SSO.discover(ctx)
	if err != nil {
		return echo.NewHTTPError(http.StatusServiceUnavailable)
	}
	h.setCookie(c, ssoCookie, "", "/signin/oidc", -1)
	refuse := func(reason string, err error) error {
		h.Log.Warn("single sign-on refused", "reason", reason, "error", err)
		v := h.view(c, "signin.title", nil)
		v.Form = signInForm{}
		v.Errors["_form"] = h.Catalog.T(lang(c), "error.sso_refused", nil)
		v.Data = h.signinOptions()
		return c.Render(http.StatusForbidden, "signin", v)
	}
	ck, err := c.Cookie(ssoCookie)
	if err != nil {
		return refuse("no state cookie", err)
	}
	state, nonce, _ := strings.Cut(ck.Value, ".")
	if state == "" || c.QueryParam("state") != state {
		return refuse("state mismatch", errSSORefused)
	}
	token, err := h.SSO.oauth(p).Exchange(ctx, c.QueryParam("code"))
	if err != nil {
		return refuse("code exchange", err)
	}
	raw, ok := token.Extra("id_token").(string)
	if !ok {
		return refuse("no id token", errSSORefused)
	}
	idToken, err := p.Verifier(&oidc.Config{ClientID: h.SSO.ClientID, Now: func() time.Time { return h.Now() }}).Verify(ctx, raw)
	if err != nil {
		return refuse("id token", err)
	}
	if idToken.Nonce != nonce {
		return refuse("nonce mismatch", errSSORefused)
	}
	var claims struct {
		Email    string `json:"email"`
		Verified bool   `json:"email_verified"`
	}
	if err := idToken.Claims(&claims); err != nil || claims.Email == "" || !claims.Verified {
		return refuse("no verified email", err)
	}
	person, err := models.PersonByEmail(ctx, h.DB, claims.Email)
	if err != nil {
		return refuse("unknown person", err)
	}
	if err := models.Audit(ctx, h.DB, person.ID, models.AuditSignIn, "person", person.ID); err != nil {
		return err
	}
	if err := h.startSession(c, person.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/")
}

// signinOptions says which ways of signing in the sign-in page offers.
type signinOptions struct {
	SSO       bool
	Passwords bool
}

func (h *Handlers) signinOptions() signinOptions {
	return signinOptions{SSO: h.SSO.Enabled(), Passwords: !h.NoPasswords}
}
