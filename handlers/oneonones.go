package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// oneOnOnesData is the one-on-ones page: the list and the form for a new one.
type oneOnOnesData struct {
	Talks    []models.OneOnOneRow
	Mentored []models.GroupSummary
	MemberOf []models.GroupSummary
	Mentees  map[uint][]models.PersonChoice
	Themes   []string
	// Requests are the one-on-one requests the viewer asked or answers.
	Requests []models.OneOnOneRequestRow
	// Ask is the request form of the group AskGroup, as posted.
	Ask      models.RequestInput
	AskGroup uint
}

func (h *Handlers) oneOnOnesPage(c echo.Context, form any, err error) error {
	return h.oneOnOnesPageWith(c, oneOnOnesData{Ask: models.RequestInput{DurationMin: 60}}, form, err)
}

// oneOnOnesPageAsking is the one-on-ones page with a refused request form.
func (h *Handlers) oneOnOnesPageAsking(c echo.Context, groupID uint, in models.RequestInput, err error) error {
	return h.oneOnOnesPageWith(c, oneOnOnesData{Ask: in, AskGroup: groupID}, nil, err)
}

func (h *Handlers) oneOnOnesPageWith(c echo.Context, data oneOnOnesData, form any, err error) error {
	ctx, v := c.Request().Context(), mustViewer(c)
	data.Themes, data.Mentees = models.OneOnOneThemes, map[uint][]models.PersonChoice{}
	var lerr error
	if data.Requests, lerr = models.ListRequests(ctx, h.DB, v); lerr != nil {
		return lerr
	}
	if data.Talks, lerr = models.ListOneOnOnes(ctx, h.DB, v); lerr != nil {
		return lerr
	}
	if data.Mentored, lerr = models.MentoredGroups(ctx, h.DB, v); lerr != nil {
		return lerr
	}
	for _, g := range data.Mentored {
		page, err := models.GroupRoster(ctx, h.DB, v, g.ID)
		if err != nil {
			return err
		}
		data.Mentees[g.ID] = page
	}
	if data.MemberOf, lerr = models.MemberGroups(ctx, h.DB, v); lerr != nil {
		return lerr
	}
	if form == nil {
		form = models.OneOnOneInput{Date: h.today(c).String(), StartTime: "12:00", DurationMin: 60, Theme: "other"}
	}
	return h.formPage(c, err, "oneonones", "oneonones.title", form, data)
}

// listOneOnOnes shows the viewer's one-on-ones.
func (h *Handlers) listOneOnOnes(c echo.Context) error { return h.oneOnOnesPage(c, nil, nil) }

// createOneOnOne plans a one-on-one in a group.
func (h *Handlers) createOneOnOne(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.OneOnOneInput
	var o models.OneOnOne
	if err = bind(c, &in); err == nil {
		o, err = models.CreateOneOnOne(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	if err != nil {
		return h.oneOnOnesPage(c, in, err)
	}
	return h.redirect(c, "/one-on-ones/"+itoa(o.ID), "flash.saved")
}

func oneOnOneInput(v View, o models.OneOnOne) models.OneOnOneInput {
	return models.OneOnOneInput{MenteeID: o.MenteeID, Date: v.LocalDate(o.StartsAt).String(), StartTime: v.Clock(o.StartsAt),
		DurationMin: int(o.EndsAt.Sub(o.StartsAt).Minutes()), AdHoc: o.AdHoc, Theme: o.Theme, Urgent: o.Urgent,
		Notes: o.Notes, FollowUps: o.FollowUps, Status: o.Status}
}

func (h *Handlers) oneOnOnePage(c echo.Context, id uint, form any, err error) error {
	o, lerr := models.GetOneOnOne(c.Request().Context(), h.DB, mustViewer(c), id)
	if lerr != nil {
		return lerr
	}
	if err != nil {
		return h.formFailed(c, err, "oneonone", "oneonone.title", form, o)
	}
	v := h.view(c, "oneonone.title", o)
	v.Form = oneOnOneInput(v, o.OneOnOne)
	return c.Render(http.StatusOK, "oneonone", v)
}

// showOneOnOne shows one of the viewer's one-on-ones.
func (h *Handlers) showOneOnOne(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.oneOnOnePage(c, id, nil, nil)
}

// updateOneOnOne saves a one-on-one.
func (h *Handlers) updateOneOnOne(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.OneOnOneInput
	if err = bind(c, &in); err == nil {
		_, err = models.UpdateOneOnOne(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	if err != nil {
		return h.oneOnOnePage(c, id, in, err)
	}
	return h.redirect(c, "/one-on-ones/"+itoa(id), "flash.saved")
}

// apiOneOnOnes is GET /api/v1/one-on-ones.
func (h *Handlers) apiOneOnOnes(c echo.Context) error {
	talks, err := models.ListOneOnOnes(c.Request().Context(), h.DB, mustViewer(c))
	if err != nil {
		return err
	}
	if talks, err = windowOf(c, talks); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, talks)
}

// apiOneOnOne is GET /api/v1/one-on-ones/:id.
func (h *Handlers) apiOneOnOne(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	o, err := models.GetOneOnOne(c.Request().Context(), h.DB, mustViewer(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

// apiCreateOneOnOne is POST /api/v1/groups/:id/one-on-ones.
func (h *Handlers) apiCreateOneOnOne(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.OneOnOneInput
	if err := bind(c, &in); err != nil {
		return err
	}
	o, err := models.CreateOneOnOne(c.Request().Context(), h.DB, mustViewer(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, o)
}
