package handlers

import (
	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// consentsData is the page where a mentee shares a text and sees what they shared.
type consentsData struct {
	Consents   []models.ConsentRow
	Recipients recipientPicker
	Goals      []models.GoalRow
	Today      models.Date
}

func (h *Handlers) consentsPage(c echo.Context, form models.ConsentInput, err error) error {
	ctx, v := c.Request().Context(), mustViewer(c)
	data := consentsData{Today: h.today(c)}
	var lerr error
	if data.Consents, lerr = models.OwnConsents(ctx, h.DB, v); lerr != nil {
		return lerr
	}
	if data.Recipients, lerr = h.recipients(c, form.RecipientID); lerr != nil {
		return lerr
	}
	goals, lerr := models.ListGoals(ctx, h.DB, v, 0)
	if lerr != nil {
		return lerr
	}
	for _, g := range goals {
		if g.Mine {
			data.Goals = append(data.Goals, g)
		}
	}
	return h.formPage(c, err, "consents", "consents.title", form, data)
}

// recipientPicker is what the recipient_picker partial renders: a select
// of the people listed and, when that is not everyone, an email field.
type recipientPicker struct {
	People   []models.PersonChoice
	Complete bool
	Chosen   uint
}

// recipients lists whom the viewer can pick to share a text with.
func (h *Handlers) recipients(c echo.Context, chosen uint) (recipientPicker, error) {
	limit := h.SelectLimit
	if limit <= 0 {
		limit = models.DefaultSelectLimit
	}
	people, complete, err := models.ConsentRecipients(c.Request().Context(), h.DB, mustViewer(c), limit)
	return recipientPicker{People: people, Complete: complete, Chosen: chosen}, err
}

// listConsents shows what the viewer shared and the form to share.
func (h *Handlers) listConsents(c echo.Context) error {
	return h.consentsPage(c, models.ConsentInput{Until: h.today(c).AddMonths(1).String()}, nil)
}

// grantConsent shares one text with one person, storing the wording agreed to.
func (h *Handlers) grantConsent(c echo.Context) error {
	var in models.ConsentInput
	err := bind(c, &in)
	if err == nil {
		ctx, v := c.Request().Context(), mustViewer(c)
		name := ""
		if p, perr := models.PersonName(ctx, h.DB, in.RecipientID); perr == nil && in.RecipientID != v.PersonID {
			name = p
		}
		until, _ := models.ParseDate(in.Until)
		view := h.view(c, "", nil)
		wording := view.T("consent.wording", "Name", name, "Purpose", in.Purpose, "Until", view.Date(until))
		if _, err = models.GrantConsent(ctx, h.DB, v, in, wording, h.today(c)); err == nil {
			return h.redirect(c, "/consents", "flash.consent_granted")
		}
	}
	return h.consentsPage(c, in, err)
}

// revokeConsent ends a consent at once.
func (h *Handlers) revokeConsent(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := models.RevokeConsent(c.Request().Context(), h.DB, mustViewer(c), id, h.Now()); err != nil {
		return err
	}
	return h.redirect(c, "/consents", "flash.consent_revoked")
}

// listShared shows the texts others shared with the viewer.
func (h *Handlers) listShared(c echo.Context) error {
	ctx, v := c.Request().Context(), mustViewer(c)
	rows, err := models.SharedWithMe(ctx, h.DB, v, h.today(c))
	if err != nil {
		return err
	}
	inputs, err := models.InputSharedWithMe(ctx, h.DB, v, h.today(c), 0)
	if err != nil {
		return err
	}
	return h.page(c, "shared", "shared.title", sharedData{Consents: rows, Inputs: inputs})
}

// showShared shows one text shared with the viewer; gone once revoked.
func (h *Handlers) showShared(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	row, err := models.GetShared(c.Request().Context(), h.DB, mustViewer(c), id, h.today(c))
	if err != nil {
		return err
	}
	return h.page(c, "shared", "shared.title", sharedData{Consents: []models.ConsentRow{row}})
}
