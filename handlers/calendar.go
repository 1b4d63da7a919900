package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

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
	out := mailer.FeedEvents(h.Catalog, lang, events)
	var modified time.Time
	for _, e := range events {
		if e.Updated.After(modified) {
			modified = e.Updated
		}
	}
	host := mailer.Host(h.BaseURL)
	// The tag covers everything but the time the file is made (DTSTAMP).
	sum := sha256.Sum256(mailer.ICS(out, org.Location(), host, "crossmentor", mailer.MethodPublish, time.Time{}))
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	hd := c.Response().Header()
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", "private, no-cache")
	if !modified.IsZero() {
		hd.Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	}
	if c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	if since, err := http.ParseTime(c.Request().Header.Get("If-Modified-Since")); err == nil && c.Request().Header.Get("If-None-Match") == "" &&
		!modified.IsZero() && !modified.Truncate(time.Second).After(since) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8",
		mailer.ICS(out, org.Location(), host, "crossmentor", mailer.MethodPublish, h.Now()))
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
