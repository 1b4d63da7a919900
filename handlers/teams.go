package handlers

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// listTeams shows the teams with a form for a new one.
func (h *Handlers) listTeams(c echo.Context) error {
	teams, err := models.ListTeams(c.Request().Context(), h.DB, mustViewer(c))
	if err != nil {
		return err
	}
	return h.page(c, "teams", "teams.title", teams)
}

// createTeam adds a team.
func (h *Handlers) createTeam(c echo.Context) error {
	var in models.TeamInput
	err := bind(c, &in)
	if err == nil {
		if _, err = models.CreateTeam(c.Request().Context(), h.DB, mustViewer(c), in); err == nil {
			return h.redirect(c, "/teams", "flash.saved")
		}
	}
	teams, lerr := models.ListTeams(c.Request().Context(), h.DB, mustViewer(c))
	if lerr != nil {
		return lerr
	}
	return h.formFailed(c, err, "teams", "teams.title", in, teams)
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }
