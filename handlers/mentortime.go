package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// timeMonths is how many months the time tables show.
const timeMonths = 6

// timeData is a time table page: the months shown and the way to other months.
type timeData struct {
	From       string // YYYY-MM of the first month shown
	Prev, Next string
	Months     []time.Time
	Mine       []models.MentorHours   // the mentor's own page
	Loads      []models.MentorLoadRow // L&D's page
}

// timeFrom reads ?from=YYYY-MM in the organisation's zone; without it, the
// months start two months back, so the past and the coming months show.
func (h *Handlers) timeFrom(c echo.Context) (time.Time, timeData, error) {
	loc := time.UTC
	if org, err := h.organisation(c.Request().Context()); err == nil {
		loc = org.Location()
	}
	now := h.Now().In(loc)
	from := time.Date(now.Year(), now.Month()-2, 1, 0, 0, 0, 0, loc)
	if s := c.QueryParam("from"); s != "" {
		t, err := models.ParseMonth(s, "from", loc)
		if err != nil {
			return from, timeData{}, err
		}
		from = t
	}
	d := timeData{From: from.Format("2006-01"), Prev: from.AddDate(0, -timeMonths, 0).Format("2006-01"),
		Next: from.AddDate(0, timeMonths, 0).Format("2006-01")}
	return from, d, nil
}

// showMyTime shows a mentor their own hours per month: meetings with
// preparation, one-on-ones and intakes, planned and done, against the
// guideline. Only for people who mentor a group.
func (h *Handlers) showMyTime(c echo.Context) error {
	from, d, err := h.timeFrom(c)
	if err != nil {
		return h.formFailed(c, err, "my_time", "time.mine_title", nil, d)
	}
	if d.Mine, err = models.MyMentorTime(c.Request().Context(), h.DB, mustViewer(c), from, timeMonths); err != nil {
		return err
	}
	return c.Render(http.StatusOK, "my_time", h.view(c, "time.mine_title", d))
}

// showMentorTime shows L&D the hours of each mentor per month (months ×
// mentors): planned and done, with those far above the guideline marked;
// no mentee data.
func (h *Handlers) showMentorTime(c echo.Context) error {
	from, d, err := h.timeFrom(c)
	if err != nil {
		return h.formFailed(c, err, "mentor_time", "time.ld_title", nil, d)
	}
	if d.Loads, d.Months, err = models.MentorLoadMonths(c.Request().Context(), h.DB, mustViewer(c), from, timeMonths); err != nil {
		return err
	}
	return c.Render(http.StatusOK, "mentor_time", h.view(c, "time.ld_title", d))
}
