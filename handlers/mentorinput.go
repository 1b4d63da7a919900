package handlers

import (
	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// inputListData is the page of requests for input: the mentee's own, with
// the form to ask, and those waiting for the viewer as mentor.
type inputListData struct {
	models.InputLists
	Mentors    []models.InputMentorChoice
	Recipients recipientPicker
	Today      models.Date
}

func (h *Handlers) inputListPage(c echo.Context, form models.InputAskInput, err error) error {
	ctx, v := c.Request().Context(), mustViewer(c)
	data := inputListData{Today: h.today(c)}
	var lerr error
	if data.InputLists, lerr = models.ListInputRequests(ctx, h.DB, v); lerr != nil {
		return lerr
	}
	if data.Mentors, lerr = models.InputMentors(ctx, h.DB, v); lerr != nil {
		return lerr
	}
	if len(data.Mentors) > 0 {
		if data.Recipients, lerr = h.recipients(c, form.RecipientID); lerr != nil {
			return lerr
		}
	}
	return h.formPage(c, err, "input", "input.title", form, data)
}

// listInput shows the viewer's requests for input and the form to ask.
func (h *Handlers) listInput(c echo.Context) error {
	return h.inputListPage(c, models.InputAskInput{Until: h.today(c).AddMonths(1).String()}, nil)
}

// askInput records a mentee's request for input from their mentor.
func (h *Handlers) askInput(c echo.Context) error {
	var in models.InputAskInput
	err := bind(c, &in)
	if err == nil {
		var r models.InputRequest
		if r, err = models.AskForInput(c.Request().Context(), h.DB, mustViewer(c), in, h.today(c)); err == nil {
			return h.redirect(c, "/input/"+itoa(r.ID), "flash.input_asked")
		}
	}
	return h.inputListPage(c, in, err)
}

// inputForm is what the request page's forms send back after a refusal.
type inputForm struct {
	Text    string
	Comment string
	Until   string
}

func (h *Handlers) inputPage(c echo.Context, form inputForm, err error) error {
	id, ierr := idParam(c, "id")
	if ierr != nil {
		return ierr
	}
	data, gerr := models.GetInputRequest(c.Request().Context(), h.DB, mustViewer(c), id, h.today(c))
	if gerr != nil {
		return gerr
	}
	if form.Text == "" {
		form.Text = data.Draft
	}
	if form.Until == "" {
		form.Until = data.Until.String()
	}
	return h.formPage(c, err, "input_request", "input.request_title", form, data)
}

// showInput shows one request to its mentee or to the mentor it was asked of.
func (h *Handlers) showInput(c echo.Context) error {
	return h.inputPage(c, inputForm{}, nil)
}

// draftInput sends the mentor's draft to the mentee.
func (h *Handlers) draftInput(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.InputDraftInput
	if err = bind(c, &in); err == nil {
		if err = models.SendInputDraft(c.Request().Context(), h.DB, mustViewer(c), id, in); err == nil {
			return h.redirect(c, "/input/"+itoa(id), "flash.input_drafted")
		}
	}
	return h.inputPage(c, inputForm{Text: in.Text}, err)
}

// inputStep is the mentee's answer act on their own request.
func (h *Handlers) inputStep(act models.InputAction, flash string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var in models.InputReviewInput
		if err = bind(c, &in); err == nil {
			if err = models.ReviewInput(c.Request().Context(), h.DB, mustViewer(c), id, act, in, h.today(c)); err == nil {
				return h.redirect(c, "/input/"+itoa(id), flash)
			}
		}
		return h.inputPage(c, inputForm{Comment: in.Comment, Until: in.Until}, err)
	}
}

// showSharedInput shows one approved text to its recipient; gone once
// revoked, expired or edited.
func (h *Handlers) showSharedInput(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	rows, err := models.InputSharedWithMe(c.Request().Context(), h.DB, mustViewer(c), h.today(c), id)
	if err != nil {
		return err
	}
	return h.page(c, "shared", "shared.title", sharedData{Inputs: rows})
}

// sharedData is what others shared with the viewer: texts of their own,
// and input of their mentor that they approved.
type sharedData struct {
	Consents []models.ConsentRow
	Inputs   []models.SharedInput
}
