package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// reportData is the participation report page with its filter.
type reportData struct {
	Report models.ParticipationReport
	Filter models.ReportFilter
}

// showParticipation shows the aggregate report to L&D and managers.
func (h *Handlers) showParticipation(c echo.Context) error {
	var f models.ReportFilter
	err := bind(c, &f)
	var r models.ParticipationReport
	if err == nil {
		r, err = models.Participation(c.Request().Context(), h.DB, mustViewer(c), f, h.today(c))
	}
	if err != nil {
		if _, ok := viewer(c); ok && !mustViewer(c).Admin && !mustViewer(c).Manager {
			return models.ErrNotFound
		}
		return h.formFailed(c, err, "report", "report.title", f, reportData{Report: r, Filter: f})
	}
	v := h.view(c, "report.title", reportData{Report: r, Filter: f})
	v.Form = f
	return c.Render(http.StatusOK, "report", v)
}

// apiParticipation is GET /api/v1/reports/participation.
func (h *Handlers) apiParticipation(c echo.Context) error {
	var f models.ReportFilter
	if err := bind(c, &f); err != nil {
		return err
	}
	r, err := models.Participation(c.Request().Context(), h.DB, mustViewer(c), f, h.today(c))
	if err != nil {
		return err
	}
	if r.Rows == nil {
		r.Rows = []models.ReportRow{}
	}
	return c.JSON(http.StatusOK, r)
}
