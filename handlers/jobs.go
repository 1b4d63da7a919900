package handlers

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// jobsData is the jobs page: the latest runs of the periodic work.
type jobsData struct {
	Runs    []models.JobRun
	Running bool
}

// showJobs lists the latest job runs for admins.
func (h *Handlers) showJobs(c echo.Context) error {
	runs, err := models.ListJobRuns(c.Request().Context(), h.Jobs, mustViewer(c), 50)
	if err != nil {
		return err
	}
	data := jobsData{Running: h.Jobs != nil, Runs: runs}
	return h.page(c, "jobs", "jobs.title", data)
}

// retryJob runs a job again.
func (h *Handlers) retryJob(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	if err := models.RetryJobRun(c.Request().Context(), h.Jobs, mustViewer(c), id); err != nil {
		return err
	}
	return h.redirect(c, "/jobs", "flash.job_retry")
}
