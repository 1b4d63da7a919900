package handlers

import (
	"io/fs"
	"mime"
	"net/http"
	"path"

	"github.com/labstack/echo/v4"
)

// healthz says the process is up.
func (h *Handlers) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": h.Version})
}

// readyz says whether the database is reachable and the schema current.
func (h *Handlers) readyz(c echo.Context) error {
	if err := h.Ready(c.Request()); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// static serves an embedded asset by its content-hashed name, cached for a year.
func (h *Handlers) static(c echo.Context) error {
	name, ok := h.Renderer.StaticFile(c.Param("file"))
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	b, err := fs.ReadFile(h.Renderer.fsys, "static/"+name)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, mime.TypeByExtension(path.Ext(name)), b)
}

// favicon answers browsers that ask for /favicon.ico with the app's icon.
func (h *Handlers) favicon(c echo.Context) error {
	b, err := fs.ReadFile(h.Renderer.fsys, "static/favicon.svg")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, "image/svg+xml", b)
}

// openAPI serves the OpenAPI 3 document of /api/v1.
func (h *Handlers) openAPI(c echo.Context) error {
	doc, err := fs.ReadFile(h.Files, "api/openapi.yaml")
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", doc)
}
