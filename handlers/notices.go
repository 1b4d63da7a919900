package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// noticesShown is how many notices the list shows.
const noticesShown = 100

// listNotices shows the viewer's notices, newest first.
func (h *Handlers) listNotices(c echo.Context) error {
	rows, err := models.ListNotices(c.Request().Context(), h.DB, mustViewer(c), noticesShown)
	if err != nil {
		return err
	}
	return h.page(c, "notices", "notices.title", rows)
}

// openNotice marks one of the viewer's notices read and goes where it leads.
func (h *Handlers) openNotice(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	to, err := models.OpenNotice(c.Request().Context(), h.DB, mustViewer(c), id, h.Now())
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// readAllNotices marks all of the viewer's notices read.
func (h *Handlers) readAllNotices(c echo.Context) error {
	if err := models.ReadAllNotices(c.Request().Context(), h.DB, mustViewer(c), h.Now()); err != nil {
		return err
	}
	return h.redirect(c, "/notices", "")
}

// saveNoticeModes stores how the viewer wants each kind of notice: the
// form has one field mode_<kind> per kind.
func (h *Handlers) saveNoticeModes(c echo.Context) error {
	modes := map[string]string{}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	for _, k := range models.NoticeKinds {
		if v := form.Get("mode_" + k); v != "" {
			modes[k] = v
		}
	}
	if err := models.SetNoticeModes(c.Request().Context(), h.DB, mustViewer(c), modes); err != nil {
		return h.accountPage(c, 0, "", nil, err)
	}
	return h.redirect(c, "/account", "flash.saved")
}
