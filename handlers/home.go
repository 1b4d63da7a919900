package handlers

import (
	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// homeData holds a section for each role the viewer has.
type homeData struct {
	Programmes []models.ProgrammeSummary
	AdminTodo  []models.AdminTodoItem // what L&D has to do now
	Mentored   []models.GroupSummary
	MemberOf   []models.GroupSummary
	// Participants is the organisation's participants in ReportFor, the
	// newest published period, for managers.
	Participants models.Cell
	ReportFor    string // the period in words
	People       int64
	Upcoming     []models.MeetingWithGroup
	Hours        models.MentorHours
	Todo         []models.TodoItem // as mentor, then as mentee
	Next         *models.TodoItem  // the most pressing item of Todo
	InputTodo    []models.TodoItem // requests for input waiting for the viewer
	// Urgent are the urgent one-on-one requests waiting for the mentor.
	Urgent []models.OneOnOneRequestRow
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
		if data.People, err = h.countPeople(ctx); err != nil {
			return err
		}
		if data.AdminTodo, err = models.AdminTodo(ctx, h.DB, v, h.today(c)); err != nil {
			return err
		}
	}
	org, err := h.organisation(ctx)
	if err != nil {
		return err
	}
	now := h.Now().In(org.Location()) // due dates and months are the organisation's
	if v.Mentor || v.Mentee {
		if data.Upcoming, err = models.UpcomingMeetings(ctx, h.DB, v, now, 5); err != nil {
			return err
		}
	}
	// The groups' statements count the requests waiting for the viewer, so
	// that their lists are read only when there are any.
	inputWaits := false
	if v.Mentor {
		if data.Hours, err = models.PlannedMentorHours(ctx, h.DB, v, now); err != nil {
			return err
		}
		mentor, err := models.MentorHome(ctx, h.DB, v, now)
		if err != nil {
			return err
		}
		data.Mentored, data.Todo = mentor.Groups, mentor.Todo
		inputWaits = mentor.InputWaiting > 0
		if mentor.RequestsAsked > 0 {
			if data.Urgent, err = models.UrgentRequests(ctx, h.DB, v); err != nil {
				return err
			}
		}
	}
	if v.Mentee {
		mentee, err := models.MenteeHome(ctx, h.DB, v, now)
		if err != nil {
			return err
		}
		data.MemberOf, data.Todo = mentee.Groups, append(data.Todo, mentee.Todo...)
		inputWaits = inputWaits || mentee.InputDrafts > 0 || !mentee.InputKnown
	}
	if next, ok := models.NextStep(data.Todo); ok {
		data.Next = &next
	}
	if inputWaits {
		if data.InputTodo, err = models.InputTodo(ctx, h.DB, v); err != nil {
			return err
		}
	}
	if v.Manager && !v.Admin {
		// One cached figure and a link; the report itself is on its page.
		r, err := h.participation(ctx, v, models.ReportFilter{}, models.DateOf(now))
		if err != nil {
			return err
		}
		data.Participants = r.Total.Participants
		data.ReportFor = periodLabel(View{Lang: lang(c), catalog: h.Catalog}, r.Period)
	}
	return h.page(c, "home", "home.title", data)
}
