package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// showSettings shows the organisation settings.
func (h *Handlers) showSettings(c echo.Context) error {
	org, err := models.GetOrganisation(c.Request().Context(), h.DB)
	if err != nil {
		return err
	}
	v := h.view(c, "settings.title", nil)
	v.Form = models.OrganisationInput{Name: org.Name, TimeZone: org.TimeZone, DefaultLanguage: org.DefaultLanguage}
	return c.Render(http.StatusOK, "settings", v)
}

// saveSettings saves the organisation settings.
func (h *Handlers) saveSettings(c echo.Context) error {
	var in models.OrganisationInput
	err := bind(c, &in)
	if err == nil {
		if err = models.UpdateOrganisation(c.Request().Context(), h.DB, mustViewer(c), in); err == nil {
			return h.redirect(c, "/settings", "flash.saved")
		}
	}
	return h.formFailed(c, err, "settings", "settings.title", in, nil)
}
