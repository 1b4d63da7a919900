package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// peopleData is the people list page.
type peopleData struct {
	People []models.PersonRow
	Page   models.Page
	Query  string
	Filter models.PeopleListFilter
	Teams  []models.TeamWithCount
	Roles  []string
	Params string // the filters as a query string, for the pager's links
}

// listPeople shows a paged list of everyone with their team, roles, group
// and status, searched and filtered on role, team and "in no group".
func (h *Handlers) listPeople(c echo.Context) error {
	ctx, v := c.Request().Context(), mustViewer(c)
	page := pageParam(c)
	f := models.PeopleListFilter{Query: c.QueryParam("q"), NoGroup: c.QueryParam("nogroup") == "1"}
	if role := c.QueryParam("role"); contains(models.PeopleRoles, role) {
		f.Role = role
	}
	if team, err := strconv.ParseUint(c.QueryParam("team"), 10, 32); err == nil {
		f.TeamID = uint(team)
	}
	people, err := models.ListPeopleRows(ctx, h.DB, v, f, &page)
	if err != nil {
		return err
	}
	teams, err := models.ListTeams(ctx, h.DB, v)
	if err != nil {
		return err
	}
	params := url.Values{}
	for k, val := range map[string]string{"q": f.Query, "role": f.Role} {
		if val != "" {
			params.Set(k, val)
		}
	}
	if f.TeamID != 0 {
		params.Set("team", strconv.FormatUint(uint64(f.TeamID), 10))
	}
	if f.NoGroup {
		params.Set("nogroup", "1")
	}
	return h.page(c, "people", "people.title", peopleData{People: people, Page: page, Query: f.Query, Filter: f,
		Teams: teams, Roles: models.PeopleRoles, Params: params.Encode()})
}

// personFormData is what the person form needs to offer.
type personFormData struct {
	Person       models.Person
	Teams        []models.TeamWithCount
	Managers     []models.PersonChoice // nil: the manager is typed as an email
	ManagerEmail string
}

func (h *Handlers) personFormData(c echo.Context, p models.Person) (personFormData, error) {
	ctx, v := c.Request().Context(), mustViewer(c)
	teams, err := models.ListTeams(ctx, h.DB, v)
	if err != nil {
		return personFormData{}, err
	}
	managers, err := h.peopleChoices(c)
	data := personFormData{Person: p, Teams: teams, Managers: managers}
	if err == nil && managers == nil && p.ManagerID != nil {
		var manager models.Person
		if manager, err = models.GetPerson(ctx, h.DB, v, *p.ManagerID); err == nil {
			data.ManagerEmail = manager.Email
		}
	}
	return data, err
}

// newPerson shows an empty person form.
func (h *Handlers) newPerson(c echo.Context) error {
	data, err := h.personFormData(c, models.Person{})
	if err != nil {
		return err
	}
	v := h.view(c, "people.new", personData{Edit: data})
	v.Form = models.PersonInput{Language: "nl"}
	return c.Render(http.StatusOK, "person_form", v)
}

// createPerson adds a person and goes to their page.
func (h *Handlers) createPerson(c echo.Context) error {
	var in models.PersonInput
	err := bind(c, &in)
	if err == nil {
		var p models.Person
		if p, err = models.CreatePerson(c.Request().Context(), h.DB, mustViewer(c), in); err == nil {
			h.forgetPeopleCount()
			return h.redirect(c, "/people/"+itoa(p.ID), "flash.saved")
		}
	}
	data, derr := h.personFormData(c, models.Person{})
	if derr != nil {
		return derr
	}
	return h.formFailed(c, err, "person_form", "people.new", in, personData{Edit: data})
}

// personData is a person's page for an admin.
type personData struct {
	Person      models.Person
	Assignments []models.Assignment
	Projects    []models.ProjectWithCount
	Edit        personFormData
}

// showPerson shows a person with their projects and the edit form.
func (h *Handlers) showPerson(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.personPage(c, id, http.StatusOK, nil)
}

func (h *Handlers) loadPersonData(c echo.Context, id uint) (personData, error) {
	ctx, v := c.Request().Context(), mustViewer(c)
	p, err := models.GetPerson(ctx, h.DB, v, id)
	if err != nil {
		return personData{}, err
	}
	data := personData{Person: p}
	if data.Assignments, err = models.AssignmentsOf(ctx, h.DB, v, id); err != nil {
		return data, err
	}
	if data.Projects, err = models.ListProjects(ctx, h.DB, v); err != nil {
		return data, err
	}
	data.Edit, err = h.personFormData(c, p)
	return data, err
}

// personPage shows a person's page; refused, when set, is a refusal of an
// action on it (a validation error), shown above the page.
func (h *Handlers) personPage(c echo.Context, id uint, status int, refused *models.ValidationError) error {
	data, err := h.loadPersonData(c, id)
	if err != nil {
		return err
	}
	v := h.view(c, "", data)
	v.Title = data.Person.Name
	v.Form = personInput(data.Person)
	if refused != nil {
		v.Errors = h.fieldMessages(lang(c), refused)
	}
	return c.Render(status, "person", v)
}

func personInput(p models.Person) models.PersonInput {
	in := models.PersonInput{Name: p.Name, Email: p.Email, Discipline: p.Discipline, Admin: p.Admin, Language: p.Language}
	if p.TeamID != nil {
		in.TeamID = *p.TeamID
	}
	if p.ManagerID != nil {
		in.ManagerID = *p.ManagerID
	}
	return in
}

// updatePerson saves the person form.
func (h *Handlers) updatePerson(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.PersonInput
	if err = bind(c, &in); err == nil {
		if _, err = models.UpdatePerson(c.Request().Context(), h.DB, mustViewer(c), id, in); err == nil {
			return h.redirect(c, "/people/"+itoa(id), "flash.saved")
		}
	}
	data, derr := h.loadPersonData(c, id)
	if derr != nil {
		return derr
	}
	return h.formFailed(c, err, "person", "", in, data)
}

// addAssignment puts a person on a project.
func (h *Handlers) addAssignment(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.AssignmentInput
	if err = bind(c, &in); err == nil {
		if _, err = models.AddAssignment(c.Request().Context(), h.DB, mustViewer(c), id, in); err == nil {
			return h.redirect(c, "/people/"+itoa(id), "flash.saved")
		}
	}
	data, derr := h.loadPersonData(c, id)
	if derr != nil {
		return derr
	}
	return h.formFailed(c, err, "person", "", personInput(data.Person), data)
}

// removeAssignment takes a person off a project.
func (h *Handlers) removeAssignment(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	aid, err := idParam(c, "assignment")
	if err != nil {
		return err
	}
	if err := models.RemoveAssignment(c.Request().Context(), h.DB, mustViewer(c), id, aid); err != nil {
		return err
	}
	return h.redirect(c, "/people/"+itoa(id), "flash.removed")
}

// personJSON is a person in the API.
type personJSON struct {
	ID         uint   `json:"id"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	TeamID     *uint  `json:"team_id"`
	Discipline string `json:"discipline"`
	ManagerID  *uint  `json:"manager_id"`
	Admin      bool   `json:"admin"`
	Language   string `json:"language"`
}

func toPersonJSON(p models.Person) personJSON {
	return personJSON{ID: p.ID, Name: p.Name, Email: p.Email, TeamID: p.TeamID, Discipline: p.Discipline,
		ManagerID: p.ManagerID, Admin: p.Admin, Language: p.Language}
}

// apiListPeople is GET /api/v1/people.
func (h *Handlers) apiListPeople(c echo.Context) error {
	page := pageParam(c)
	people, err := models.ListPeople(c.Request().Context(), h.DB, mustViewer(c), models.PeopleFilter{Query: c.QueryParam("q")}, &page)
	if err != nil {
		return err
	}
	out := make([]personJSON, len(people))
	for i, p := range people {
		out[i] = toPersonJSON(p)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "page": page.Number, "pages": page.Pages(), "total": page.Total})
}

// apiCreatePerson is POST /api/v1/people.
func (h *Handlers) apiCreatePerson(c echo.Context) error {
	var in models.PersonInput
	if err := bind(c, &in); err != nil {
		return err
	}
	p, err := models.CreatePerson(c.Request().Context(), h.DB, mustViewer(c), in)
	if err != nil {
		return err
	}
	h.forgetPeopleCount()
	return c.JSON(http.StatusCreated, toPersonJSON(p))
}

// apiGetPerson is GET /api/v1/people/:id.
func (h *Handlers) apiGetPerson(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v := mustViewer(c)
	if !v.Admin {
		return models.ErrNotFound
	}
	p, err := models.GetPerson(c.Request().Context(), h.DB, v, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toPersonJSON(p))
}

// apiUpdatePerson is PUT /api/v1/people/:id.
func (h *Handlers) apiUpdatePerson(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.PersonInput
	if err := bind(c, &in); err != nil {
		return err
	}
	p, err := models.UpdatePerson(c.Request().Context(), h.DB, mustViewer(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toPersonJSON(p))
}
