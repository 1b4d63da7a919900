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
	// Schedule is the form that plans the intake's date, time and place.
	Schedule models.IntakeScheduleInput
}

func (h *Handlers) loadIntake(c echo.Context, id uint) (intakeData, error) {
	p, err := models.GetIntake(c.Request().Context(), h.DB, mustViewer(c), id)
	d := intakeData{IntakePage: p, Kinds: models.MenteeKinds, Outcomes: models.IntakeOutcomes,
		Schedule: models.IntakeScheduleInput{DurationMin: models.DefaultIntakeMinutes}}
	if a := p.Appointment; a != nil && a.Status == models.IntakePlanned {
		v := h.view(c, "", nil)
		d.Schedule = models.IntakeScheduleInput{Date: v.LocalDate(a.StartsAt).String(), StartTime: v.Clock(a.StartsAt),
			DurationMin: int(a.EndsAt.Sub(a.StartsAt).Minutes()), Location: a.Location}
	}
	return d, err
}

// intakeForm is the record form as it stands.
func (h *Handlers) intakeForm(c echo.Context, data intakeData) models.IntakeInput {
	in := models.IntakeInput{HeldOn: h.today(c).String(), Kind: string(models.KindShopper), Outcome: string(models.OutcomeAdmit)}
	if a := data.Appointment; a != nil && a.Status == models.IntakePlanned {
		in.HeldOn = h.view(c, "", nil).LocalDate(a.StartsAt).String()
	}
	if data.Recorded {
		it := data.Intake
		in = models.IntakeInput{HeldOn: it.HeldOn.String(), Click: it.Click, Learnable: it.Learnable, HasGoal: it.HasGoal,
			CanReflect: it.CanReflect, Kind: string(it.Kind), Outcome: string(it.Outcome), Notes: it.Notes}
	}
	return in
}

// intakeOf reads the membership id from the path and loads its intake for
// the viewer (not found for anyone but the group's mentor).
func (h *Handlers) intakeOf(c echo.Context) (uint, intakeData, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return 0, intakeData{}, err
	}
	data, err := h.loadIntake(c, id)
	return id, data, err
}

// scheduleIntake plans or moves the intake: date, time, length and place,
// which reach the mentor's and the candidate's calendars.
func (h *Handlers) scheduleIntake(c echo.Context) error {
	id, data, err := h.intakeOf(c)
	if err != nil {
		return err
	}
	var in models.IntakeScheduleInput
	if err = bind(c, &in); err == nil {
		if _, err = models.ScheduleIntake(c.Request().Context(), h.DB, mustViewer(c), id, in); err == nil {
			return h.redirect(c, "/memberships/"+itoa(id)+"/intake", "flash.intake_scheduled")
		}
	}
	data.Schedule = in
	return h.formFailed(c, err, "intake", "intake.title", h.intakeForm(c, data), data)
}

// cancelIntake calls off the planned intake.
func (h *Handlers) cancelIntake(c echo.Context) error {
	id, data, err := h.intakeOf(c)
	if err != nil {
		return err
	}
	if err := models.CancelIntake(c.Request().Context(), h.DB, mustViewer(c), id); err != nil {
		return h.formFailed(c, err, "intake", "intake.title", h.intakeForm(c, data), data)
	}
	return h.redirect(c, "/memberships/"+itoa(id)+"/intake", "flash.intake_cancelled")
}

// showIntake shows the intake form of a membership to the group's mentor.
func (h *Handlers) showIntake(c echo.Context) error {
	_, data, err := h.intakeOf(c)
	if err != nil {
		return err
	}
	v := h.view(c, "intake.title", data)
	v.Form = h.intakeForm(c, data)
	return c.Render(http.StatusOK, "intake", v)
}

// saveIntake records the intake and applies its outcome.
func (h *Handlers) saveIntake(c echo.Context) error {
	id, data, err := h.intakeOf(c)
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
