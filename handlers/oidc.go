package handlers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"crossmentor/models"
)

// SSO signs people in with an OpenID Connect provider (Entra ID, Google,
// Keycloak, …). A person is linked to the provider's subject at the first
// sign-in (matched then on the trusted address, among those L&D entered)
// and matched on that subject afterwards; nobody is created by signing in.
type SSO struct {
	Issuer, ClientID, ClientSecret, RedirectURL string
	// EmailClaim names the claim that carries the trusted address: "email"
	// (only with email_verified true), or "preferred_username" or "upn"
	// for providers such as Entra ID that vouch for those of work accounts.
	EmailClaim string
	// SignedOutURL is where the provider sends the browser after signing
	// out there (RP-initiated logout).
	SignedOutURL string

	mu         sync.Mutex
	provider   *oidc.Provider
	endSession string
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
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(ctx, s.Issuer)
	if err != nil {
		return nil, err
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&meta); err == nil {
		s.endSession = meta.EndSession
	}
	s.provider = p
	return p, nil
}

// logoutURL is the provider's end-session address with our client and
// return address, or "" when the provider offers none.
func (s *SSO) logoutURL(ctx context.Context) string {
	if _, err := s.discover(ctx); err != nil || s.endSession == "" {
		return ""
	}
	u, err := url.Parse(s.endSession)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("client_id", s.ClientID)
	if s.SignedOutURL != "" {
		q.Set("post_logout_redirect_uri", s.SignedOutURL)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// trustedEmail reads the address the configured claim vouches for.
func (s *SSO) trustedEmail(tok *oidc.IDToken) (string, error) {
	var claims map[string]any
	if err := tok.Claims(&claims); err != nil {
		return "", err
	}
	claim := s.EmailClaim
	if claim == "" {
		claim = "email"
	}
	value, _ := claims[claim].(string)
	if claim == "email" {
		if verified, _ := claims["email_verified"].(bool); !verified {
			return "", errSSORefused
		}
	}
	if value == "" || !strings.Contains(value, "@") {
		return "", errSSORefused
	}
	return value, nil
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
		return h.ssoPage(c, http.StatusServiceUnavailable, "signin.sso_unavailable")
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

// ssoPage shows the sign-in page with a message about single sign-on.
func (h *Handlers) ssoPage(c echo.Context, status int, messageID string) error {
	if status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "60")
	}
	v := h.view(c, "signin.title", h.signinOptions())
	v.Form = signInForm{}
	v.Errors["_form"] = h.Catalog.T(lang(c), messageID, nil)
	return c.Render(status, "signin", v)
}

// errSSORefused is any failed single sign-on; the reason is logged, not shown.
var errSSORefused = errors.New("single sign-on refused")

// ssoCallback checks state, code, token and nonce, then signs in the
// person linked to the token's subject (linking them the first time).
// Every refusal is audited.
func (h *Handlers) ssoCallback(c echo.Context) error {
	if !h.SSO.Enabled() {
		return models.ErrNotFound
	}
	ctx := c.Request().Context()
	p, err := h.SSO.discover(ctx)
	if err != nil {
		h.Log.Error("single sign-on provider unreachable", "error", err)
		return h.ssoPage(c, http.StatusServiceUnavailable, "signin.sso_unavailable")
	}
	h.setCookie(c, ssoCookie, "", "/signin/oidc", -1)
	refuse := func(reason string, err error) error {
		h.Log.Warn("single sign-on refused", "reason", reason, "error", err)
		if aerr := models.RefuseSSO(ctx, h.DB, 0); !errors.Is(aerr, models.ErrSSORefused) {
			return aerr
		}
		return h.ssoPage(c, http.StatusForbidden, "error.sso_refused")
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
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) {
			h.Log.Error("single sign-on provider unreachable", "error", err)
			return h.ssoPage(c, http.StatusServiceUnavailable, "signin.sso_unavailable")
		}
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
	email, err := h.SSO.trustedEmail(idToken)
	if err != nil {
		return refuse("no trusted email", err)
	}
	person, err := models.SSOSignIn(ctx, h.DB, models.SSOIdentity{Issuer: idToken.Issuer, Subject: idToken.Subject, Email: email})
	if errors.Is(err, models.ErrSSORefused) {
		h.Log.Warn("single sign-on refused", "reason", "no account for this subject")
		return h.ssoPage(c, http.StatusForbidden, "error.sso_refused")
	}
	if err != nil {
		return err
	}
	if err := h.startSessionVia(c, person.ID, true); err != nil {
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
