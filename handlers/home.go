package handlers

import (
	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// homeData holds a section for each role the viewer has.
type homeData struct {
	Programmes    []models.ProgrammeSummary
	Mentored      []models.GroupSummary
	MemberOf      []models.GroupSummary
	Participation []models.Participation
	People        int64
}

// home shows what each of the viewer's roles needs first.
func (h *Handlers) home(c echo.Context) error {
	ctx, v := c.Request().Context(), mustViewer(c)
	var data homeData
	var err error
	if v.Admin {
		if data.Programmes, err = models.ListProgrammes(ctx, h.DB, v); err != nil {
			return err
		}
		if data.People, err = models.CountPeople(ctx, h.DB); err != nil {
			return err
		}
	}
	if v.Mentor {
		if data.Mentored, err = models.MentoredGroups(ctx, h.DB, v); err != nil {
			return err
		}
	}
	if v.Mentee {
		if data.MemberOf, err = models.MemberGroups(ctx, h.DB, v); err != nil {
			return err
		}
	}
	if v.Manager || v.Admin {
		if data.Participation, err = models.ProgrammeParticipation(ctx, h.DB, v); err != nil {
			return err
		}
	}
	return h.page(c, "home", "home.title", data)
}
