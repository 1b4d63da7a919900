package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// dashboardData is the dashboard in words and pictures.
type dashboardData struct {
	Dashboard models.Dashboard
	Programme string // the chosen programme's name, or ""
	Charts    []chartView
	Months    []string
	Items     map[string][4]string
	Threshold int
	MinOpen   int
}

// chartLegends names the series of each chart, in order.
var chartLegends = map[string][]string{
	"participation": {"dashboard.series.participants"},
	"attendance":    {"dashboard.series.rate"},
	"meetings":      {"dashboard.series.planned", "dashboard.series.held"},
	"one_on_ones":   {"dashboard.series.one_on_ones"},
}

func (h *Handlers) dashboardView(c echo.Context) (View, error) {
	var f models.DashboardFilter
	if err := bind(c, &f); err != nil {
		return View{}, err
	}
	d, err := models.BuildDashboard(c.Request().Context(), h.DB, mustViewer(c), f, h.today(c))
	if err != nil {
		return View{}, err
	}
	data := &dashboardData{Dashboard: d, Items: models.EvaluationItems, Threshold: models.MinAggregatePeople, MinOpen: models.MinOpenAnswers}
	v := h.view(c, "dashboard.title", data)
	for _, p := range d.Programmes {
		if p.ID == d.ProgrammeID {
			data.Programme = p.Name
		}
	}
	for _, m := range d.Months {
		data.Months = append(data.Months, monthLabel(v, m)+" "+itoa(uint(m.Year())))
	}
	for _, ch := range d.Charts {
		var legend []string
		for _, id := range chartLegends[ch.Key] {
			legend = append(legend, v.T(id))
		}
		title := v.T("dashboard.chart." + ch.Key)
		rows, suppressed := chartRows(ch, data.Months)
		data.Charts = append(data.Charts, chartView{Chart: ch, Title: title, Legend: legend, Rows: rows, Suppressed: suppressed,
			SVG: renderChart(v, "chart-"+ch.Key, title, ch, d.Months, legend)})
	}
	return v, nil
}

// showDashboard shows the programme dashboard to admins and managers.
func (h *Handlers) showDashboard(c echo.Context) error {
	v, err := h.dashboardView(c)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "dashboard", v)
}

// printDashboard shows the same figures as a report to print or save as PDF.
func (h *Handlers) printDashboard(c echo.Context) error {
	v, err := h.dashboardView(c)
	if err != nil {
		return err
	}
	v.Title = v.T("dashboard.report_title")
	return c.Render(http.StatusOK, "dashboard_print", v)
}
