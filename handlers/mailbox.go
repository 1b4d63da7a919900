package handlers

import (
	"errors"
	"strconv"

	"github.com/labstack/echo/v4"

	"crossmentor/app/mailer"
	"crossmentor/models"
)

// mailboxData is the admins' view of the mail queue.
type mailboxData struct {
	Deliveries []models.DeliveryRow
	Page       models.Page
	Status     string
	Problem    string
	Only       bool // no SMTP server configured
	Preview    *mailer.Message
}

// showMailbox lists the mail deliveries; with ?view=<id> it shows one as it
// would be sent now.
func (h *Handlers) showMailbox(c echo.Context) error {
	ctx, v := c.Request().Context(), mustViewer(c)
	page := pageParam(c)
	status := c.QueryParam("status")
	rows, err := models.ListDeliveries(ctx, h.DB, v, status, &page)
	if err != nil {
		return err
	}
	data := mailboxData{Deliveries: rows, Page: page, Status: status, Problem: h.MailProblem, Only: h.MailboxOnly}
	if view := c.QueryParam("view"); view != "" {
		n, err := strconv.ParseUint(view, 10, 32)
		if err != nil {
			return models.ErrNotFound
		}
		id := uint(n)
		for _, d := range rows {
			if d.ID == id && d.Kind != models.MailKindPrivate {
				out, err := models.ComposePreview(ctx, h.DB, d.MailDelivery)
				if err != nil && !errors.Is(err, models.ErrStale) {
					return err
				}
				if err == nil {
					msg, err := h.MailRenderer.Render(out, d.Key)
					if err != nil {
						return err
					}
					data.Preview = &msg
				}
			}
		}
	}
	return h.page(c, "mailbox", "mailbox.title", data)
}

// retryDelivery puts a failed delivery back in the queue.
func (h *Handlers) retryDelivery(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := models.RetryDelivery(c.Request().Context(), h.DB, mustViewer(c), id, h.Now()); err != nil {
		return err
	}
	return h.redirect(c, "/mailbox?status=pending", "flash.mail_retry")
}
