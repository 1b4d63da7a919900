package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// accountData is the person's own account page.
type accountData struct {
	Tokens   []models.APIToken
	NewToken string
}

func (h *Handlers) accountPage(c echo.Context, status int, newToken string, form any, err error) error {
	tokens, lerr := models.ListAPITokens(c.Request().Context(), h.DB, mustViewer(c))
	if lerr != nil {
		return lerr
	}
	data := accountData{Tokens: tokens, NewToken: newToken}
	if err != nil {
		return h.formFailed(c, err, "account", "account.title", form, data)
	}
	v := h.view(c, "account.title", data)
	v.Form = form
	return c.Render(status, "account", v)
}

// showAccount shows the language choice and personal API tokens.
func (h *Handlers) showAccount(c echo.Context) error {
	return h.accountPage(c, http.StatusOK, "", models.APITokenInput{}, nil)
}

// createToken makes a personal API token and shows it once.
func (h *Handlers) createToken(c echo.Context) error {
	var in models.APITokenInput
	if err := bind(c, &in); err != nil {
		return h.accountPage(c, 0, "", in, err)
	}
	_, token, err := models.CreateAPIToken(c.Request().Context(), h.DB, mustViewer(c), in)
	if err != nil {
		return err
	}
	return h.accountPage(c, http.StatusCreated, token, models.APITokenInput{}, nil)
}

// revokeToken deletes a personal API token.
func (h *Handlers) revokeToken(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := models.RevokeAPIToken(c.Request().Context(), h.DB, mustViewer(c), id); err != nil {
		return err
	}
	return h.redirect(c, "/account", "flash.token_revoked")
}
