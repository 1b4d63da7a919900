package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// applyData is the page on which a person applies for a programme.
type applyData struct {
	Programmes []models.Programme
	Mine       []models.Application
}

func (h *Handlers) applyView(c echo.Context, form models.ApplicationInput) (View, error) {
	ctx, v := c.Request().Context(), mustViewer(c)
	var data applyData
	var err error
	if data.Programmes, err = models.OpenProgrammes(ctx, h.DB); err != nil {
		return View{}, err
	}
	if data.Mine, err = models.MyApplications(ctx, h.DB, v); err != nil {
		return View{}, err
	}
	if form.ProgrammeID == 0 && len(data.Programmes) > 0 {
		form.ProgrammeID = data.Programmes[0].ID
	}
	if form.Role == "" {
		form.Role = models.ApplyAsMentee
	}
	view := h.view(c, "apply.title", data)
	view.Form = form
	return view, nil
}

// showApply shows the application form and the viewer's own applications.
func (h *Handlers) showApply(c echo.Context) error {
	v, err := h.applyView(c, models.ApplicationInput{})
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "apply", v)
}

// apply records the viewer's application.
func (h *Handlers) apply(c echo.Context) error {
	var in models.ApplicationInput
	err := bind(c, &in)
	if err == nil {
		if _, err = models.Apply(c.Request().Context(), h.DB, mustViewer(c), in); err == nil {
			return h.redirect(c, "/apply", "flash.application_saved")
		}
	}
	v, verr := h.applyView(c, in)
	if verr != nil {
		return verr
	}
	return h.formFailed(c, err, "apply", "apply.title", v.Form, v.Data)
}

// withdrawApplication withdraws one of the viewer's open applications.
func (h *Handlers) withdrawApplication(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := models.WithdrawApplication(c.Request().Context(), h.DB, mustViewer(c), id); err != nil {
		return err
	}
	return h.redirect(c, "/apply", "flash.application_withdrawn")
}

// poolData is a programme's pool of applicants.
type poolData struct {
	Programme models.Programme
	Mentors   []models.PoolRow
	Mentees   []models.PoolRow
	Capacity  int
}

// showPool lists a programme's open applications for L&D.
func (h *Handlers) showPool(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx, v := c.Request().Context(), mustViewer(c)
	var data poolData
	if data.Programme, err = models.GetProgramme(ctx, h.DB, v, id); err != nil {
		return err
	}
	rows, err := models.ProgrammePool(ctx, h.DB, v, id)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.Role == models.ApplyAsMentor {
			data.Mentors = append(data.Mentors, r)
			data.Capacity += r.Capacity
		} else {
			data.Mentees = append(data.Mentees, r)
		}
	}
	view := h.view(c, "pool.title", data)
	return c.Render(http.StatusOK, "pool", view)
}
