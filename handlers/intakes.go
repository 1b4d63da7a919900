package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// intakeData is the intake page.
type intakeData struct {
	models.IntakePage
	Kinds    []models.MenteeKind
	Outcomes []models.IntakeOutcome
}

func (h *Handlers) loadIntake(c echo.Context, id uint) (intakeData, error) {
	p, err := models.GetIntake(c.Request().Context(), h.DB, mustViewer(c), id)
	return intakeData{IntakePage: p, Kinds: models.MenteeKinds, Outcomes: models.IntakeOutcomes}, err
}

// showIntake shows the intake form of a membership to the group's mentor.
func (h *Handlers) showIntake(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	data, err := h.loadIntake(c, id)
	if err != nil {
		return err
	}
	in := models.IntakeInput{HeldOn: h.today(c).String(), Kind: string(models.KindShopper), Outcome: string(models.OutcomeAdmit)}
	if data.Recorded {
		it := data.Intake
		in = models.IntakeInput{HeldOn: it.HeldOn.String(), Click: it.Click, Learnable: it.Learnable, HasGoal: it.HasGoal,
			CanReflect: it.CanReflect, Kind: string(it.Kind), Outcome: string(it.Outcome), Notes: it.Notes}
	}
	v := h.view(c, "intake.title", data)
	v.Form = in
	return c.Render(http.StatusOK, "intake", v)
}

// saveIntake records the intake and applies its outcome.
func (h *Handlers) saveIntake(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	data, err := h.loadIntake(c, id)
	if err != nil {
		return err
	}
	var in models.IntakeInput
	if err = bind(c, &in); err == nil {
		if _, err = models.SaveIntake(c.Request().Context(), h.DB, mustViewer(c), id, in, h.today(c)); err == nil {
			return h.redirect(c, "/groups/"+itoa(data.Group.ID), "flash.intake_saved")
		}
	}
	return h.formFailed(c, err, "intake", "intake.title", in, data)
}
