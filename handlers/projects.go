package handlers

import (
	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// listProjects shows the projects with a form for a new one.
func (h *Handlers) listProjects(c echo.Context) error {
	projects, err := models.ListProjects(c.Request().Context(), h.DB, mustViewer(c))
	if err != nil {
		return err
	}
	return h.page(c, "projects", "projects.title", projects)
}

// createProject adds a project.
func (h *Handlers) createProject(c echo.Context) error {
	var in models.ProjectInput
	err := bind(c, &in)
	if err == nil {
		if _, err = models.CreateProject(c.Request().Context(), h.DB, mustViewer(c), in); err == nil {
			return h.redirect(c, "/projects", "flash.saved")
		}
	}
	projects, lerr := models.ListProjects(c.Request().Context(), h.DB, mustViewer(c))
	if lerr != nil {
		return lerr
	}
	return h.formFailed(c, err, "projects", "projects.title", in, projects)
}
