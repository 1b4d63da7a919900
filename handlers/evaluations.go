package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// evaluationsData is the viewer's evaluation rounds, and for mentors their groups' aggregates.
type evaluationsData struct {
	Rounds    []models.OpenEvaluation
	Items     map[string][4]string
	Mentored  []groupScores
	Threshold int
}

type groupScores struct {
	Group  models.GroupSummary
	Scores []models.ScoreSummary
}

func (h *Handlers) evaluationsView(c echo.Context) (View, error) {
	ctx, v := c.Request().Context(), mustViewer(c)
	data := evaluationsData{Items: models.EvaluationItems, Threshold: models.MinAggregatePeople}
	var err error
	if data.Rounds, err = models.MyEvaluations(ctx, h.DB, v, h.today(c)); err != nil {
		return View{}, err
	}
	groups, err := models.MentoredGroups(ctx, h.DB, v)
	if err != nil {
		return View{}, err
	}
	for _, g := range groups {
		scores, err := models.GroupEvaluation(ctx, h.DB, v, g.ID, h.today(c))
		if err != nil {
			return View{}, err
		}
		data.Mentored = append(data.Mentored, groupScores{Group: g, Scores: scores})
	}
	return h.view(c, "evaluations.title", data), nil
}

// listEvaluations shows the rounds the viewer can answer or has answered.
func (h *Handlers) listEvaluations(c echo.Context) error {
	v, err := h.evaluationsView(c)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "evaluations", v)
}

// submitEvaluation stores the viewer's answers to a round of their group's evaluation.
func (h *Handlers) submitEvaluation(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.EvaluationInput
	if err = bind(c, &in); err == nil {
		if err = models.SubmitEvaluation(c.Request().Context(), h.DB, mustViewer(c), id, c.Param("round"), in, h.today(c)); err == nil {
			return h.redirect(c, "/evaluations", "flash.evaluation_saved")
		}
	}
	v, verr := h.evaluationsView(c)
	if verr != nil {
		return verr
	}
	return h.formFailed(c, err, "evaluations", "evaluations.title", in, v.Data)
}
