package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// listProgrammes shows every programme.
func (h *Handlers) listProgrammes(c echo.Context) error {
	list, err := models.ListProgrammes(c.Request().Context(), h.DB, mustViewer(c))
	if err != nil {
		return err
	}
	return h.page(c, "programmes", "programmes.title", list)
}

// newProgramme shows the form for a programme, starting on the first of next month.
func (h *Handlers) newProgramme(c echo.Context) error {
	today := h.today(c)
	start := models.NewDate(today.Year(), today.Month()+1, 1)
	v := h.view(c, "programmes.new", nil)
	v.Form = models.ProgrammeInput{StartsOn: start.String(), CadenceWeeks: models.DefaultCadenceWeeks}
	return c.Render(http.StatusOK, "programme_form", v)
}

// createProgramme adds a programme.
func (h *Handlers) createProgramme(c echo.Context) error {
	var in models.ProgrammeInput
	err := bind(c, &in)
	if err == nil {
		var p models.Programme
		if p, err = models.CreateProgramme(c.Request().Context(), h.DB, mustViewer(c), in); err == nil {
			h.forgetFigures() // an earlier programme publishes earlier periods
			return h.redirect(c, "/programmes/"+itoa(p.ID), "flash.saved")
		}
	}
	return h.formFailed(c, err, "programme_form", "programmes.new", in, nil)
}

// programmeData is a programme's page.
type programmeData struct {
	Programme models.Programme
	Groups    []models.GroupSummary
	Mentors   []models.PersonChoice
	Statuses  []models.ProgrammeStatus
	Series    models.SeriesInput // the form to plan all groups' series
	Planned   *models.ProgrammeSeriesResult
}

func (h *Handlers) loadProgramme(c echo.Context, id uint) (programmeData, error) {
	ctx, v := c.Request().Context(), mustViewer(c)
	p, err := models.GetProgramme(ctx, h.DB, v, id)
	if err != nil {
		return programmeData{}, err
	}
	data := programmeData{Programme: p, Statuses: models.ProgrammeStatuses,
		Series: models.SeriesInput{FirstOn: p.StartsOn.String(), StartTime: "14:00", DurationMin: models.DefaultDurationMin,
			CadenceWeeks: p.CadenceWeeks, Policy: string(models.PolicyShift)}}
	if data.Groups, err = models.ProgrammeGroups(ctx, h.DB, v, id); err != nil {
		return data, err
	}
	data.Mentors, err = h.peopleChoices(c)
	return data, err
}

// showProgramme shows a programme with its groups and a form for a new group.
func (h *Handlers) showProgramme(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	data, err := h.loadProgramme(c, id)
	if err != nil {
		return err
	}
	v := h.view(c, "", data)
	v.Title = data.Programme.Name
	v.Form = models.GroupInput{}
	return c.Render(http.StatusOK, "programme", v)
}

// editProgramme shows the programme form filled in.
func (h *Handlers) editProgramme(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := models.GetProgramme(c.Request().Context(), h.DB, mustViewer(c), id)
	if err != nil {
		return err
	}
	v := h.view(c, "programmes.edit", p)
	v.Form = models.ProgrammeInput{Name: p.Name, StartsOn: p.StartsOn.String(), EndsOn: p.EndsOn.String(),
		CadenceWeeks: p.CadenceWeeks, Status: string(p.Status)}
	return c.Render(http.StatusOK, "programme_form", v)
}

// updateProgramme saves the programme form.
func (h *Handlers) updateProgramme(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := models.GetProgramme(c.Request().Context(), h.DB, mustViewer(c), id)
	if err != nil {
		return err
	}
	var in models.ProgrammeInput
	if err = bind(c, &in); err == nil {
		if _, err = models.UpdateProgramme(c.Request().Context(), h.DB, mustViewer(c), id, in); err == nil {
			h.forgetFigures()
			return h.redirect(c, "/programmes/"+itoa(id), "flash.saved")
		}
	}
	return h.formFailed(c, err, "programme_form", "programmes.edit", in, p)
}

// createGroup adds a group to a programme.
func (h *Handlers) createGroup(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.GroupInput
	if err = bind(c, &in); err == nil {
		var g models.MentorGroup
		if g, err = models.CreateGroup(c.Request().Context(), h.DB, mustViewer(c), id, in); err == nil {
			return h.redirect(c, "/groups/"+itoa(g.ID), "flash.saved")
		}
	}
	data, derr := h.loadProgramme(c, id)
	if derr != nil {
		return derr
	}
	return h.formFailed(c, err, "programme", "programmes.title", in, data)
}

// programmeJSON is a programme in the API.
type programmeJSON struct {
	ID           uint        `json:"id"`
	Name         string      `json:"name"`
	StartsOn     models.Date `json:"starts_on"`
	EndsOn       models.Date `json:"ends_on"`
	CadenceWeeks int         `json:"cadence_weeks"`
	Status       string      `json:"status"`
}

func toProgrammeJSON(p models.Programme) programmeJSON {
	return programmeJSON{ID: p.ID, Name: p.Name, StartsOn: p.StartsOn, EndsOn: p.EndsOn,
		CadenceWeeks: p.CadenceWeeks, Status: string(p.Status)}
}

// apiListProgrammes is GET /api/v1/programmes.
func (h *Handlers) apiListProgrammes(c echo.Context) error {
	list, err := models.ListProgrammes(c.Request().Context(), h.DB, mustViewer(c))
	if err != nil {
		return err
	}
	out := make([]programmeJSON, len(list))
	for i, p := range list {
		out[i] = toProgrammeJSON(p.Programme)
	}
	if out, err = windowOf(c, out); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}

// apiCreateProgramme is POST /api/v1/programmes.
func (h *Handlers) apiCreateProgramme(c echo.Context) error {
	var in models.ProgrammeInput
	if err := bind(c, &in); err != nil {
		return err
	}
	p, err := models.CreateProgramme(c.Request().Context(), h.DB, mustViewer(c), in)
	if err != nil {
		return err
	}
	h.forgetFigures()
	return c.JSON(http.StatusCreated, toProgrammeJSON(p))
}

// apiCreateGroup is POST /api/v1/programmes/:id/groups.
func (h *Handlers) apiCreateGroup(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.GroupInput
	if err := bind(c, &in); err != nil {
		return err
	}
	g, err := models.CreateGroup(c.Request().Context(), h.DB, mustViewer(c), id, in)
	if err != nil {
		return err
	}
	return h.groupJSONResponse(c, g.ID, http.StatusCreated)
}

// planProgrammeSeries plans one series for every group of the programme
// that has none yet.
func (h *Handlers) planProgrammeSeries(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.SeriesInput
	if err = bind(c, &in); err == nil {
		if _, err = models.PlanProgrammeSeries(c.Request().Context(), h.DB, mustViewer(c), id, in); err == nil {
			return h.redirect(c, "/programmes/"+itoa(id), "flash.series_saved")
		}
	}
	data, lerr := h.loadProgramme(c, id)
	if lerr != nil {
		return lerr
	}
	data.Series = in
	return h.formFailed(c, err, "programme", "programmes.title", models.GroupInput{}, data)
}
