package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// reportData is the participation report page with its filter.
type reportData struct {
	Report  models.ParticipationReport
	Filter  models.ReportFilter
	Choices []periodChoice
	Label   string // the chosen period in words
}

// periodChoice is one published period in the report's period list.
type periodChoice struct {
	Kind, Value, Label string
	Selected           bool
}

// periodLabel names a period in the page's language.
func periodLabel(v View, p models.Period) string {
	switch p.Kind {
	case models.PeriodMonth:
		return monthName(v, p.Start) + " " + itoa(uint(p.Start.Year()))
	case models.PeriodQuarter:
		return v.T("figures.period_quarter", "Q", (int(p.Start.Month())+2)/3, "Year", p.Start.Year())
	case models.PeriodYear:
		return v.T("figures.period_year", "From", p.Start.Year(), "To", p.Start.Year()+1)
	}
	return ""
}

// reportView fills the page data: the periods newest first, grouped by kind.
func reportView(v View, r models.ParticipationReport, f models.ReportFilter) reportData {
	d := reportData{Report: r, Filter: f, Label: periodLabel(v, r.Period)}
	for _, kind := range []string{models.PeriodMonth, models.PeriodQuarter, models.PeriodYear} {
		for i := len(r.Periods) - 1; i >= 0; i-- {
			if p := r.Periods[i]; p.Kind == kind {
				d.Choices = append(d.Choices, periodChoice{Kind: kind, Value: p.String(), Label: periodLabel(v, p), Selected: p == r.Period})
			}
		}
	}
	return d
}

// showParticipation shows the aggregate report to L&D and managers.
func (h *Handlers) showParticipation(c echo.Context) error {
	var f models.ReportFilter
	err := bind(c, &f)
	var r models.ParticipationReport
	if err == nil {
		r, err = h.participation(c.Request().Context(), mustViewer(c), f, h.today(c))
	}
	if err != nil {
		if _, ok := viewer(c); ok && !mustViewer(c).Admin && !mustViewer(c).Manager {
			return models.ErrNotFound
		}
		return h.formFailed(c, err, "report", "report.title", f, reportView(h.view(c, "report.title", nil), r, f))
	}
	v := h.view(c, "report.title", nil)
	v.Data = reportView(v, r, f)
	v.Form = f
	return c.Render(http.StatusOK, "report", v)
}

// apiParticipation is GET /api/v1/reports/participation.
func (h *Handlers) apiParticipation(c echo.Context) error {
	var f models.ReportFilter
	if err := bind(c, &f); err != nil {
		return err
	}
	r, err := h.participation(c.Request().Context(), mustViewer(c), f, h.today(c))
	if err != nil {
		return err
	}
	if r.Rows == nil {
		r.Rows = []models.ReportRow{}
	}
	if r.Periods == nil {
		r.Periods = []models.Period{}
	}
	return c.JSON(http.StatusOK, r)
}

// monthName is a month's full name in the page's language, from the
// locale files ("month.1" … "month.12").
func monthName(v View, d models.Date) string {
	return v.T("month." + strconv.Itoa(int(d.Month())))
}
