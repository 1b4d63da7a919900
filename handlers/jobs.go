package handlers

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"crossmentor/jobs"
	"crossmentor/models"
)

// jobsData is the jobs page: the latest runs of the periodic work.
type jobsData struct {
	Runs    []jobs.JobRun
	Running bool
}

// showJobs lists the latest job runs for admins.
func (h *Handlers) showJobs(c echo.Context) error {
	data := jobsData{Running: h.Jobs != nil}
	if h.Jobs != nil {
		runs, err := h.Jobs.Runs(c.Request().Context(), 50)
		if err != nil {
			return err
		}
		data.Runs = runs
	}
	return h.page(c, "jobs", "jobs.title", data)
}

// retryJob runs a job again.
func (h *Handlers) retryJob(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || h.Jobs == nil {
		return models.ErrNotFound
	}
	if err := h.Jobs.Retry(c.Request().Context(), id); err != nil {
		return models.ErrNotFound
	}
	return h.redirect(c, "/jobs", "flash.job_retry")
}
