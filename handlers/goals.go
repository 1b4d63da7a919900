package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// goalsData is the goals page: one's own goals and, for a mentor, the
// goals of their mentees; others' goals only when shared.
type goalsData struct {
	Goals    []models.GoalRow
	MemberOf []models.GroupSummary
	Group    uint
}

func (h *Handlers) goalsPage(c echo.Context, groupID uint, form any, err error) error {
	ctx, v := c.Request().Context(), mustViewer(c)
	data := goalsData{Group: groupID}
	var lerr error
	if data.Goals, lerr = models.ListGoals(ctx, h.DB, v, groupID); lerr != nil {
		return lerr
	}
	if data.MemberOf, lerr = models.MemberGroups(ctx, h.DB, v); lerr != nil {
		return lerr
	}
	if form == nil {
		form = models.GoalInput{}
	}
	title := "goals.title"
	if groupID != 0 {
		title = "goals.group_title"
	}
	return h.formPage(c, err, "goals", title, form, data)
}

// listGoals shows the goals the viewer may see.
func (h *Handlers) listGoals(c echo.Context) error { return h.goalsPage(c, 0, nil, nil) }

// groupGoals shows a group's goals as the viewer may see them.
func (h *Handlers) groupGoals(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if _, err := models.GroupActions(c.Request().Context(), h.DB, mustViewer(c), id); err != nil {
		return err // not a member or the mentor: 404
	}
	return h.goalsPage(c, id, nil, nil)
}

// createGoal adds a goal of the viewer's.
func (h *Handlers) createGoal(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.GoalInput
	if err = bind(c, &in); err == nil {
		_, err = models.CreateGoal(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	if err != nil {
		return h.goalsPage(c, 0, in, err)
	}
	return h.redirect(c, "/goals", "flash.saved")
}

// updateGoal changes one of the viewer's goals.
func (h *Handlers) updateGoal(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.GoalInput
	if err = bind(c, &in); err == nil {
		_, err = models.UpdateGoal(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	if err != nil {
		return h.goalsPage(c, 0, in, err)
	}
	return h.redirect(c, "/goals", "flash.saved")
}

// addProgress adds a progress entry to a goal.
func (h *Handlers) addProgress(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.ProgressInput
	if err = bind(c, &in); err == nil {
		_, err = models.AddProgress(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	if err != nil {
		return h.goalsPage(c, 0, nil, err)
	}
	return h.redirect(c, "/goals", "flash.saved")
}

// apiGoals is GET /api/v1/goals.
func (h *Handlers) apiGoals(c echo.Context) error {
	w, err := window(c)
	if err != nil {
		return err
	}
	goals, err := models.ListGoalsWindow(c.Request().Context(), h.DB, mustViewer(c), w)
	if err != nil {
		return err
	}
	if goals == nil {
		goals = []models.GoalRow{}
	}
	return c.JSON(http.StatusOK, goals)
}

// apiCreateGoal is POST /api/v1/groups/:id/goals.
func (h *Handlers) apiCreateGoal(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.GoalInput
	if err := bind(c, &in); err != nil {
		return err
	}
	g, err := models.CreateGoal(c.Request().Context(), h.DB, mustViewer(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, g)
}
