package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"crossmentor/app/mailer"
	"crossmentor/models"
)

// calendarFeed serves a person's private ICS feed at /calendar/<token>.ics.
// It holds what, when and where; never notes, cases or goals.
func (h *Handlers) calendarFeed(c echo.Context) error {
	token, ok := strings.CutSuffix(c.Param("file"), ".ics")
	if !ok || token == "" {
		return models.ErrNotFound
	}
	events, lang, err := models.FeedFor(c.Request().Context(), h.DB, token, h.Now())
	if err != nil {
		return err
	}
	org, err := h.organisation(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]mailer.Event, len(events))
	for i, e := range events {
		out[i] = mailer.Event{UID: e.UID, Summary: mailer.Summary(h.Catalog, lang, e.Kind, e.GroupName, e.With), Location: e.Location,
			StartsAt: e.StartsAt, EndsAt: e.EndsAt, Updated: e.Updated, Sequence: e.Sequence, Cancelled: e.Cancelled}
	}
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8",
		mailer.ICS(out, org.Location(), mailer.Host(h.BaseURL), "crossmentor", mailer.MethodPublish, h.Now()))
}

// renewCalendar makes a new feed address (the old one stops working).
func (h *Handlers) renewCalendar(c echo.Context) error {
	if _, err := models.RenewCalendarToken(c.Request().Context(), h.DB, mustViewer(c)); err != nil {
		return err
	}
	return h.redirect(c, "/account", "flash.calendar_renewed")
}

// revokeCalendar removes the feed.
func (h *Handlers) revokeCalendar(c echo.Context) error {
	if err := models.RevokeCalendarToken(c.Request().Context(), h.DB, mustViewer(c)); err != nil {
		return err
	}
	return h.redirect(c, "/account", "flash.calendar_revoked")
}

// calendarURL is the feed address for a token.
func (h *Handlers) calendarURL(token string) string {
	return strings.TrimSuffix(h.BaseURL, "/") + "/calendar/" + token + ".ics"
}
