package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// auditData is the audit log page.
type auditData struct {
	Events  []models.AuditRow
	Page    models.Page
	Action  string
	Actions []string
	Query   string
}

// showAudit shows the audit log to admins, filtered by action, a page at a time.
func (h *Handlers) showAudit(c echo.Context) error {
	page := pageParam(c)
	f := models.AuditFilter{Action: c.QueryParam("action")}
	if n, err := strconv.ParseUint(c.QueryParam("actor"), 10, 32); err == nil {
		f.ActorID = uint(n)
	}
	events, err := models.ListAudit(c.Request().Context(), h.DB, mustViewer(c), f, &page)
	if err != nil {
		return err
	}
	data := auditData{Events: events, Page: page, Action: f.Action, Actions: models.AuditActions, Query: "action=" + f.Action}
	return c.Render(http.StatusOK, "audit", h.view(c, "audit.title", data))
}
