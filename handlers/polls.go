package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// pollPage renders the group's date poll, with a form's errors when err is set.
func (h *Handlers) pollPage(c echo.Context, id uint, form any, err error) error {
	page, perr := models.GetPoll(c.Request().Context(), h.DB, mustViewer(c), id)
	if perr != nil {
		return perr
	}
	if form == nil {
		form = models.PollInput{DurationMin: models.DefaultDurationMin, Options: make([]string, 4)}
	}
	if err != nil {
		return h.formFailed(c, err, "poll", "poll.title", form, page)
	}
	v := h.view(c, "poll.title", page)
	v.Form = form
	return c.Render(http.StatusOK, "poll", v)
}

// showPoll shows the date poll for the first meeting.
func (h *Handlers) showPoll(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.pollPage(c, id, nil, nil)
}

// createPoll proposes candidate dates.
func (h *Handlers) createPoll(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.PollInput
	if err = bind(c, &in); err == nil {
		_, err = models.CreatePoll(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	if err != nil {
		for len(in.Options) < 4 {
			in.Options = append(in.Options, "")
		}
		return h.pollPage(c, id, in, err)
	}
	return h.redirect(c, "/groups/"+itoa(id)+"/poll", "flash.poll_created")
}

// answerPoll stores the viewer's answers.
func (h *Handlers) answerPoll(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	answers, err := idMap(c, "answer_")
	if err == nil {
		err = models.AnswerPoll(c.Request().Context(), h.DB, mustViewer(c), id, answers)
	}
	if err != nil {
		return h.pollPage(c, id, nil, err)
	}
	return h.redirect(c, "/groups/"+itoa(id)+"/poll", "flash.poll_answered")
}

// pickForm is the chosen candidate date.
type pickForm struct {
	OptionID uint `form:"option_id" json:"option_id" validate:"required"`
}

// pickPollDate makes a candidate date the first meeting.
func (h *Handlers) pickPollDate(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in pickForm
	var m models.Meeting
	if err = bind(c, &in); err == nil {
		m, err = models.PickPollDate(c.Request().Context(), h.DB, mustViewer(c), id, in.OptionID)
	}
	if err != nil {
		return h.pollPage(c, id, nil, err)
	}
	return h.redirect(c, "/meetings/"+itoa(m.ID), "flash.first_meeting_planned")
}

// apiPoll is GET /api/v1/groups/:id/poll.
func (h *Handlers) apiPoll(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	page, err := models.GetPoll(c.Request().Context(), h.DB, mustViewer(c), id)
	if err != nil {
		return err
	}
	out := map[string]any{"group_id": id, "open": page.Poll != nil && page.Poll.Status == "open", "members": page.Members,
		"options": page.Options}
	if page.Options == nil {
		out["options"] = []models.OptionTally{}
	}
	return c.JSON(http.StatusOK, out)
}

// answersJSON is the body of PUT /api/v1/groups/:id/poll/answers.
type answersJSON struct {
	Answers map[uint]string `json:"answers"`
}

// apiAnswerPoll is PUT /api/v1/groups/:id/poll/answers.
func (h *Handlers) apiAnswerPoll(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in answersJSON
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := models.AnswerPoll(c.Request().Context(), h.DB, mustViewer(c), id, in.Answers); err != nil {
		return err
	}
	return h.apiPoll(c)
}
