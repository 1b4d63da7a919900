package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// showMentorTime shows L&D the hours of each mentor this month: planned and
// done, with those far above the guideline marked; no mentee data.
func (h *Handlers) showMentorTime(c echo.Context) error {
	loads, err := models.MentorLoads(c.Request().Context(), h.DB, mustViewer(c), h.Now())
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "mentor_time", h.view(c, "dashboard.mentor_time", loads))
}
