package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// setupPage shows the first-run form; once the organisation exists it is gone (404).
func (h *Handlers) setupPage(c echo.Context) error {
	needed, err := models.NeedsSetup(c.Request().Context(), h.DB)
	if err != nil {
		return err
	}
	if !needed {
		return models.ErrNotFound
	}
	v := h.view(c, "setup.title", nil)
	v.Form = models.SetupInput{Language: lang(c)}
	return c.Render(http.StatusOK, "setup", v)
}

// setup creates the organisation and the first admin, and signs them in.
func (h *Handlers) setup(c echo.Context) error {
	var in models.SetupInput
	if err := bind(c, &in); err != nil {
		in.Password, in.PasswordConfirm = "", ""
		return h.formFailed(c, err, "setup", "setup.title", in, nil)
	}
	admin, err := models.Setup(c.Request().Context(), h.DB, in)
	if err != nil {
		in.Password, in.PasswordConfirm = "", ""
		return h.formFailed(c, err, "setup", "setup.title", in, nil)
	}
	h.setupDone.Store(true)
	if err := h.startSession(c, admin.ID); err != nil {
		return err
	}
	return h.redirect(c, "/", "flash.setup_done")
}
