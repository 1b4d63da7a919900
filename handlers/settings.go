package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// settingsData is the settings page: the blackout periods and their form.
type settingsData struct {
	Blackouts []models.Blackout
	Blackout  models.BlackoutInput
	Kinds     []string // the reminder kinds to switch on or off
	Zones     []models.TimeZoneGroup
}

// ZoneListed reports whether zone is in the time-zone list; a zone that
// is not (set through the API, say) is offered as well.
func (settingsData) ZoneListed(zone string) bool { return zone == "" || models.IsListedTimeZone(zone) }

func (h *Handlers) settingsPage(c echo.Context, form any, blackout models.BlackoutInput, err error) error {
	ctx := c.Request().Context()
	data := settingsData{Blackout: blackout, Kinds: models.ReminderKinds, Zones: models.TimeZones}
	var lerr error
	if data.Blackouts, lerr = models.ListBlackouts(ctx, h.DB, mustViewer(c)); lerr != nil {
		return lerr
	}
	if form == nil {
		org, err := models.GetOrganisation(ctx, h.DB)
		if err != nil {
			return err
		}
		form = models.OrganisationInput{Name: org.Name, TimeZone: org.TimeZone, DefaultLanguage: org.DefaultLanguage,
			GoodFridayOff: org.GoodFridayOff, LiberationDayOff: org.LiberationDayOff, RemindersOn: org.RemindersOn(),
			LiberationDay: string(org.Liberation())}
	}
	if err != nil {
		return h.formFailed(c, err, "settings", "settings.title", form, data)
	}
	v := h.view(c, "settings.title", data)
	v.Form = form
	return c.Render(http.StatusOK, "settings", v)
}

// showSettings shows the organisation settings.
func (h *Handlers) showSettings(c echo.Context) error {
	return h.settingsPage(c, nil, models.BlackoutInput{}, nil)
}

// saveSettings saves the organisation settings.
func (h *Handlers) saveSettings(c echo.Context) error {
	var in models.OrganisationInput
	err := bind(c, &in)
	if err == nil {
		if err = models.UpdateOrganisation(c.Request().Context(), h.DB, mustViewer(c), in); err == nil {
			h.forgetOrganisation()
			return h.redirect(c, "/settings", "flash.saved")
		}
	}
	return h.settingsPage(c, in, models.BlackoutInput{}, err)
}

// addBlackout adds a period without meetings.
func (h *Handlers) addBlackout(c echo.Context) error {
	var in models.BlackoutInput
	err := bind(c, &in)
	if err == nil {
		if _, err = models.AddBlackout(c.Request().Context(), h.DB, mustViewer(c), in); err == nil {
			return h.redirect(c, "/settings", "flash.saved")
		}
	}
	return h.settingsPage(c, nil, in, err)
}

// deleteBlackout removes a blackout period.
func (h *Handlers) deleteBlackout(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := models.DeleteBlackout(c.Request().Context(), h.DB, mustViewer(c), id); err != nil {
		return err
	}
	return h.redirect(c, "/settings", "flash.removed")
}
