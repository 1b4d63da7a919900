package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// casesData is a group's case page: the cases the viewer may see and the form.
type casesData struct {
	Group  models.MentorGroup
	Cases  []models.CaseRow
	Access models.Access
}

func (h *Handlers) casesPage(c echo.Context, groupID uint, form models.CaseInput, err error) error {
	ctx, v := c.Request().Context(), mustViewer(c)
	cal, lerr := models.ListMeetings(ctx, h.DB, v, groupID)
	if lerr != nil {
		return lerr
	}
	data := casesData{Group: cal.Group, Access: cal.Access}
	if data.Cases, lerr = models.GroupCases(ctx, h.DB, v, groupID); lerr != nil {
		return lerr
	}
	return h.formPage(c, err, "cases", "cases.title", form, data)
}

// listCases shows a group's cases with the form to bring one in.
func (h *Handlers) listCases(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.casesPage(c, id, models.CaseInput{Visibility: "group"}, nil)
}

// submitCase brings in a case.
func (h *Handlers) submitCase(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.CaseInput
	var cq models.CaseQuestion
	if err = bind(c, &in); err == nil {
		cq, err = models.SubmitCase(c.Request().Context(), h.DB, mustViewer(c), id, in, h.Now())
	}
	if err != nil {
		return h.casesPage(c, id, in, err)
	}
	return h.redirect(c, "/cases/"+itoa(cq.ID), "flash.case_submitted")
}

// caseData is one case's page.
type caseData struct {
	Case     models.CaseRow
	Mentor   bool
	Author   bool
	Meetings []models.Meeting
	Statuses []models.CaseStatus
}

func (h *Handlers) casePage(c echo.Context, id uint, err error) error {
	ctx, v := c.Request().Context(), mustViewer(c)
	cq, lerr := models.GetCase(ctx, h.DB, v, id)
	if lerr != nil {
		return lerr
	}
	data := caseData{Case: cq, Author: cq.AuthorID == v.PersonID, Statuses: models.CaseStatuses}
	cal, lerr := models.ListMeetings(ctx, h.DB, v, cq.GroupID)
	if lerr != nil {
		return lerr
	}
	if data.Mentor = cal.Access.IsMentor(); data.Mentor {
		for _, m := range cal.Meetings {
			if m.Kind == models.KindIntervision && m.Status == models.MeetingPlanned && m.StartsAt.After(h.Now()) {
				data.Meetings = append(data.Meetings, m)
			}
		}
	}
	if err != nil {
		return h.formFailed(c, err, "case", "cases.title", models.TakeAwaysInput{TakeAways: cq.TakeAways}, data)
	}
	v2 := h.view(c, "", data)
	v2.Title = cq.Title
	v2.Form = models.TakeAwaysInput{TakeAways: cq.TakeAways}
	return c.Render(http.StatusOK, "case", v2)
}

// showCase shows one case.
func (h *Handlers) showCase(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.casePage(c, id, nil)
}

// afterCase goes back to the case, or shows its errors.
func (h *Handlers) afterCase(c echo.Context, id uint, err error) error {
	if err != nil {
		return h.casePage(c, id, err)
	}
	return h.redirect(c, "/cases/"+itoa(id), "flash.saved")
}

// placeCase puts a case on a meeting's agenda.
func (h *Handlers) placeCase(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.PlaceInput
	if err = bind(c, &in); err == nil {
		_, err = models.PlaceCase(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	return h.afterCase(c, id, err)
}

// setCaseStatus moves a case on.
func (h *Handlers) setCaseStatus(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.CaseStatusInput
	if err = bind(c, &in); err == nil {
		err = models.SetCaseStatus(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	return h.afterCase(c, id, err)
}

// saveTakeAways stores the author's private take-aways.
func (h *Handlers) saveTakeAways(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.TakeAwaysInput
	if err = bind(c, &in); err == nil {
		err = models.SaveTakeAways(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	return h.afterCase(c, id, err)
}

// apiGroupCases is GET /api/v1/groups/:id/cases.
func (h *Handlers) apiGroupCases(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cases, err := models.GroupCases(c.Request().Context(), h.DB, mustViewer(c), id)
	if err != nil {
		return err
	}
	if cases, err = windowOf(c, cases); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cases)
}

// apiSubmitCase is POST /api/v1/groups/:id/cases.
func (h *Handlers) apiSubmitCase(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.CaseInput
	if err := bind(c, &in); err != nil {
		return err
	}
	cq, err := models.SubmitCase(c.Request().Context(), h.DB, mustViewer(c), id, in, h.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cq)
}

// apiCase is GET /api/v1/cases/:id.
func (h *Handlers) apiCase(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cq, err := models.GetCase(c.Request().Context(), h.DB, mustViewer(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cq)
}
