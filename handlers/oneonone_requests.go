package handlers

import (
	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// One-on-one requests: a mentee asks, the mentor answers on the request's
// page; apologies for a meeting are sent and taken back from its page.

// requestPageData is a request's page.
type requestPageData struct {
	Request models.OneOnOneRequestRow
	Mentor  bool // the viewer answers it
	Steps   map[string]bool
	Planned bool // it became a one-on-one
}

// askOneOnOne files a mentee's request for a one-on-one.
func (h *Handlers) askOneOnOne(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.RequestInput
	var r models.OneOnOneRequest
	if err = bind(c, &in); err == nil {
		r, err = models.AskOneOnOne(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	if err != nil {
		return h.oneOnOnesPageAsking(c, id, in, err)
	}
	return h.redirect(c, "/one-on-one-requests/"+itoa(r.ID), "flash.request_sent")
}

func (h *Handlers) requestPage(c echo.Context, id uint, form any, err error) error {
	ctx, v := c.Request().Context(), mustViewer(c)
	r, lerr := models.GetRequest(ctx, h.DB, v, id)
	if lerr != nil {
		return lerr
	}
	party := models.ByMentee
	if r.MenteeID != v.PersonID {
		party = models.ByMentor
	}
	data := requestPageData{Request: r, Mentor: party == models.ByMentor, Steps: r.Status.Steps(party), Planned: r.OneOnOneID != nil}
	if form == nil {
		form = models.AnswerInput{Option: 1, Time: "12:00"}
	}
	return h.formPage(c, err, "oneonone_request", "request.title", form, data)
}

// showRequest shows a request to its mentee or the group's mentor.
func (h *Handlers) showRequest(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.requestPage(c, id, nil, nil)
}

// answerRequest takes a step on a request: accept, counter, decline,
// accept or refuse the counter-proposal, withdraw.
func (h *Handlers) answerRequest(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.AnswerInput
	var r models.OneOnOneRequest
	if err = bind(c, &in); err == nil {
		r, err = models.AnswerRequest(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	if err != nil {
		return h.requestPage(c, id, in, err)
	}
	if r.OneOnOneID != nil {
		return h.redirect(c, "/one-on-ones/"+itoa(*r.OneOnOneID), "flash.request_agreed")
	}
	return h.redirect(c, "/one-on-one-requests/"+itoa(id), "flash.saved")
}

// sendApology records the viewer's apologies for a coming meeting.
func (h *Handlers) sendApology(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.ApologyInput
	if err = bind(c, &in); err == nil {
		_, err = models.SendApology(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	if err != nil {
		return h.renderMeeting(c, id, "meeting", nil, err)
	}
	return h.redirect(c, "/meetings/"+itoa(id)+"#apologies", "flash.apology_sent")
}

// withdrawApology takes the viewer's apologies back.
func (h *Handlers) withdrawApology(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := models.WithdrawApology(c.Request().Context(), h.DB, mustViewer(c), id); err != nil {
		return h.renderMeeting(c, id, "meeting", nil, err)
	}
	return h.redirect(c, "/meetings/"+itoa(id)+"#apologies", "flash.apology_withdrawn")
}
