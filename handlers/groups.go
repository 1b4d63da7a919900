package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// groupData is a group's page.
type groupData struct {
	models.GroupPage
	Rules      []RuleMessage
	Candidates []models.PersonChoice
	Statuses   []models.GroupStatus
	Member     []models.MembershipStatus
	Today      models.Date
}

func (h *Handlers) loadGroup(c echo.Context, id uint) (groupData, error) {
	ctx, v := c.Request().Context(), mustViewer(c)
	gp, err := models.GetGroupPage(ctx, h.DB, v, id)
	if err != nil {
		return groupData{}, err
	}
	data := groupData{GroupPage: gp, Statuses: models.GroupStatuses, Member: models.MembershipStatuses, Today: h.today(c)}
	data.Rules = h.ruleMessages(lang(c), gp.Checklist)
	if v.Admin {
		data.Candidates, err = h.peopleChoices(c)
	}
	return data, err
}

func groupInput(g models.MentorGroup) models.GroupInput {
	return models.GroupInput{Name: g.Name, MentorID: g.MentorID, Discipline: g.Discipline, Status: string(g.Status)}
}

// showGroup shows a group: the roster, and for staff the rule checklist.
func (h *Handlers) showGroup(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	data, err := h.loadGroup(c, id)
	if err != nil {
		return err
	}
	v := h.view(c, "", data)
	v.Title = data.Group.Name
	v.Form = groupInput(data.Group)
	return c.Render(http.StatusOK, "group", v)
}

// groupFailed re-renders the group page with a form's errors.
func (h *Handlers) groupFailed(c echo.Context, id uint, err error, form any) error {
	data, derr := h.loadGroup(c, id)
	if derr != nil {
		return derr
	}
	if form == nil {
		form = groupInput(data.Group)
	}
	return h.formFailed(c, err, "group", "groups.title", form, data)
}

// updateGroup saves the group form.
func (h *Handlers) updateGroup(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.GroupInput
	if err = bind(c, &in); err == nil {
		if _, err = models.UpdateGroup(c.Request().Context(), h.DB, mustViewer(c), id, in); err == nil {
			return h.redirect(c, "/groups/"+itoa(id), "flash.saved")
		}
	}
	return h.groupFailed(c, id, err, in)
}

// addMember places a person in the group.
func (h *Handlers) addMember(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.MemberInput
	if err = bind(c, &in); err == nil {
		if _, err = models.AddMember(c.Request().Context(), h.DB, mustViewer(c), id, in, h.today(c)); err == nil {
			return h.redirect(c, "/groups/"+itoa(id), "flash.member_added")
		}
	}
	return h.groupFailed(c, id, err, nil)
}

// changeStatus moves a membership to another status.
func (h *Handlers) changeStatus(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.StatusInput
	if err := bind(c, &in); err != nil {
		return err
	}
	m, err := models.ChangeStatus(c.Request().Context(), h.DB, mustViewer(c), id, in, h.today(c))
	if err != nil {
		if m.GroupID == 0 {
			return err
		}
		return h.groupFailed(c, m.GroupID, err, nil)
	}
	return h.redirect(c, "/groups/"+itoa(m.GroupID), "flash.saved")
}

// closeForm confirms closing a group.
type closeForm struct {
	Confirm bool `form:"confirm"`
}

// closeGroup closes a group, for its mentor or L&D, once confirmed.
func (h *Handlers) closeGroup(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in closeForm
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := models.CloseGroup(c.Request().Context(), h.DB, mustViewer(c), id, in.Confirm); err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return err
		}
		return h.groupFailed(c, id, err, nil)
	}
	return h.redirect(c, "/groups/"+itoa(id), "flash.group_closed")
}

// removeMember deletes a membership that has not started.
func (h *Handlers) removeMember(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	groupID, err := idParam(c, "group")
	if err != nil {
		return err
	}
	if err := models.RemoveMember(c.Request().Context(), h.DB, mustViewer(c), groupID, id); err != nil {
		return h.groupFailed(c, groupID, err, nil)
	}
	return h.redirect(c, "/groups/"+itoa(groupID), "flash.removed")
}

// memberJSON is a membership as staff see it in the API.
type memberJSON struct {
	ID                  uint        `json:"id"`
	PersonID            uint        `json:"person_id"`
	Name                string      `json:"name"`
	Team                string      `json:"team"`
	Discipline          string      `json:"discipline"`
	Status              string      `json:"status"`
	StatusSince         models.Date `json:"status_since"`
	DisciplineException string      `json:"discipline_exception,omitempty"`
}

// groupJSON is a group in the API. Members and rules are for staff; the
// roster (names) for mentees of the group.
type groupJSON struct {
	ID          uint          `json:"id"`
	ProgrammeID uint          `json:"programme_id"`
	Name        string        `json:"name"`
	Discipline  string        `json:"discipline"`
	Status      string        `json:"status"`
	Mentor      string        `json:"mentor"`
	Members     []memberJSON  `json:"members,omitempty"`
	Roster      []string      `json:"roster,omitempty"`
	Rules       []RuleMessage `json:"rules,omitempty"`
}

func (h *Handlers) groupJSONResponse(c echo.Context, id uint, status int) error {
	gp, err := models.GetGroupPage(c.Request().Context(), h.DB, mustViewer(c), id)
	if err != nil {
		return err
	}
	out := groupJSON{ID: gp.Group.ID, ProgrammeID: gp.Group.ProgrammeID, Name: gp.Group.Name,
		Discipline: gp.Group.Discipline, Status: string(gp.Group.Status), Mentor: gp.Group.Mentor.Name, Roster: gp.Roster}
	for _, m := range gp.Members {
		out.Members = append(out.Members, memberJSON{ID: m.ID, PersonID: m.PersonID, Name: m.Name, Team: m.TeamName,
			Discipline: m.Discipline, Status: string(m.Status), StatusSince: m.StatusSince, DisciplineException: m.DisciplineException})
	}
	if gp.Staff {
		out.Rules = h.ruleMessages(lang(c), gp.Checklist)
	}
	return c.JSON(status, out)
}

// apiGetGroup is GET /api/v1/groups/:id.
func (h *Handlers) apiGetGroup(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.groupJSONResponse(c, id, http.StatusOK)
}

// apiUpdateGroup is PUT /api/v1/groups/:id.
func (h *Handlers) apiUpdateGroup(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.GroupInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if _, err := models.UpdateGroup(c.Request().Context(), h.DB, mustViewer(c), id, in); err != nil {
		return err
	}
	return h.groupJSONResponse(c, id, http.StatusOK)
}

// apiAddMember is POST /api/v1/groups/:id/members.
func (h *Handlers) apiAddMember(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.MemberInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if _, err := models.AddMember(c.Request().Context(), h.DB, mustViewer(c), id, in, h.today(c)); err != nil {
		return err
	}
	return h.groupJSONResponse(c, id, http.StatusCreated)
}

// apiChangeStatus is PUT /api/v1/memberships/:id/status.
func (h *Handlers) apiChangeStatus(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.StatusInput
	if err := bind(c, &in); err != nil {
		return err
	}
	m, err := models.ChangeStatus(c.Request().Context(), h.DB, mustViewer(c), id, in, h.today(c))
	if err != nil {
		return err
	}
	return h.groupJSONResponse(c, m.GroupID, http.StatusOK)
}
