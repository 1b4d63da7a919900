package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"crossmentor/models"
)

// calendarData is a group's calendar page: the list and one month as a grid.
type calendarData struct {
	models.GroupCalendar
	Month     time.Time
	PrevMonth string
	NextMonth string
	Weeks     [][]calendarDay
	Actions   []models.ActionItemRow
}

// calendarDay is one cell of the month grid.
type calendarDay struct {
	Date     models.Date
	InMonth  bool
	Meetings []models.Meeting
}

// monthGrid lays the meetings of one month out in weeks from Monday.
func monthGrid(month time.Time, meetings []models.Meeting, zone *time.Location) [][]calendarDay {
	first := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	start := first.AddDate(0, 0, -((int(first.Weekday()) + 6) % 7))
	byDay := map[string][]models.Meeting{}
	for _, m := range meetings {
		key := models.DateOf(m.StartsAt.In(zone)).String()
		byDay[key] = append(byDay[key], m)
	}
	var weeks [][]calendarDay
	for day := start; day.Before(first.AddDate(0, 1, 0)) || day.Weekday() != time.Monday; day = day.AddDate(0, 0, 1) {
		if day.Weekday() == time.Monday {
			weeks = append(weeks, nil)
		}
		d := models.DateOf(day)
		weeks[len(weeks)-1] = append(weeks[len(weeks)-1], calendarDay{Date: d, InMonth: day.Month() == first.Month(), Meetings: byDay[d.String()]})
	}
	return weeks
}

// showCalendar shows a group's meetings as a list and a month grid.
func (h *Handlers) showCalendar(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx, v := c.Request().Context(), mustViewer(c)
	cal, err := models.ListMeetings(ctx, h.DB, v, id)
	if err != nil {
		return err
	}
	view := h.view(c, "", nil)
	month, err := time.Parse("2006-01", c.QueryParam("month"))
	if err != nil {
		now := h.Now().In(view.Zone)
		month = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		for _, m := range cal.Meetings { // open on the month of the next meeting
			if m.StartsAt.After(h.Now()) {
				local := m.StartsAt.In(view.Zone)
				month = time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, time.UTC)
				break
			}
		}
	}
	data := calendarData{GroupCalendar: cal, Month: month, Weeks: monthGrid(month, cal.Meetings, view.Zone),
		PrevMonth: month.AddDate(0, -1, 0).Format("2006-01"), NextMonth: month.AddDate(0, 1, 0).Format("2006-01")}
	if !cal.Access.DatesOnly() {
		if data.Actions, err = models.GroupActions(ctx, h.DB, v, id); err != nil {
			return err
		}
	}
	view.Data = data
	view.Title = cal.Group.Name + " · " + view.T("calendar.title")
	return c.Render(http.StatusOK, "calendar", view)
}

// seriesData is the series planner page.
type seriesData struct {
	Group    models.MentorGroup
	Planned  bool
	Preview  *models.SeriesPreview
	Weekdays []time.Weekday
	// Extension is what extending the series would add, before saving.
	Extension *models.ExtensionPreview
	Months    int
}

func (h *Handlers) seriesPage(c echo.Context, id uint, status int, form models.SeriesInput, preview *models.SeriesPreview, err error) error {
	return h.seriesPageWith(c, id, status, form, preview, nil, err)
}

func (h *Handlers) seriesPageWith(c echo.Context, id uint, status int, form models.SeriesInput, preview *models.SeriesPreview,
	ext *models.ExtensionPreview, err error) error {
	s, g, planned, gerr := models.GetSeries(c.Request().Context(), h.DB, mustViewer(c), id)
	if gerr != nil {
		return gerr
	}
	data := seriesData{Group: g, Planned: planned, Preview: preview, Extension: ext, Months: 6,
		Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}}
	if ext != nil {
		data.Months = ext.Months
	}
	if form.FirstOn == "" && err == nil {
		form = h.defaultSeriesForm(c, s, planned, g)
	}
	if err != nil {
		return h.formFailed(c, err, "series", "series.title", form, data)
	}
	v := h.view(c, "series.title", data)
	v.Form = form
	return c.Render(status, "series", v)
}

// defaultSeriesForm fills the form from the saved series, or from the first
// meeting and the programme.
func (h *Handlers) defaultSeriesForm(c echo.Context, s models.GroupSeries, planned bool, g models.MentorGroup) models.SeriesInput {
	if planned {
		return models.SeriesInputOf(s)
	}
	in := models.SeriesInput{StartTime: "14:00", DurationMin: models.DefaultDurationMin, CadenceWeeks: g.Programme.CadenceWeeks,
		Policy: string(models.PolicyShift), Until: g.Programme.EndsOn.String()}
	first := h.today(c)
	if cal, err := models.ListMeetings(c.Request().Context(), h.DB, mustViewer(c), g.ID); err == nil {
		for _, m := range cal.Meetings {
			if m.Kind == models.KindFirstMeeting {
				// The working agreements of the first meeting, where made.
				if m.AgreedCadenceWeeks > 0 {
					in.CadenceWeeks = m.AgreedCadenceWeeks
				}
				v := h.view(c, "", nil)
				first = models.Date{Time: v.LocalDate(m.StartsAt).AddDate(0, 0, 7*max(in.CadenceWeeks, 1))}
				in.StartTime, in.DurationMin, in.Location = v.Clock(m.StartsAt), m.DurationMin(), m.Location
				if m.AgreedDurationMin > 0 {
					in.DurationMin = m.AgreedDurationMin
				}
				if m.AgreedVisits != "" && len([]rune(m.AgreedVisits)) <= 500 {
					in.VisitsWanted, in.VisitsWith = true, m.AgreedVisits
				}
			}
		}
	}
	in.FirstOn = first.String()
	in.Weekday = models.WeekdayInput(strconv.Itoa(int(first.Weekday())))
	return in
}

// showSeries shows the series form of a group, for its mentor.
func (h *Handlers) showSeries(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.seriesPage(c, id, http.StatusOK, models.SeriesInput{}, nil, nil)
}

// previewSeries shows the meetings the form would plan, without saving.
func (h *Handlers) previewSeries(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.SeriesInput
	if err := bind(c, &in); err != nil {
		return h.seriesPage(c, id, 0, in, nil, err)
	}
	pv, err := models.PreviewSeries(c.Request().Context(), h.DB, mustViewer(c), id, in, h.Now())
	if err != nil {
		return h.seriesPage(c, id, 0, in, nil, err)
	}
	return h.seriesPage(c, id, http.StatusOK, in, &pv, nil)
}

// saveSeries plans (or replans) the series in one transaction.
func (h *Handlers) saveSeries(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.SeriesInput
	if err := bind(c, &in); err != nil {
		return h.seriesPage(c, id, 0, in, nil, err)
	}
	if _, err := models.SaveSeries(c.Request().Context(), h.DB, mustViewer(c), id, in, h.Now()); err != nil {
		// The preview again, so that what loses its meeting can be chosen.
		var preview *models.SeriesPreview
		if pv, perr := models.PreviewSeries(c.Request().Context(), h.DB, mustViewer(c), id, in, h.Now()); perr == nil {
			preview = &pv
		}
		return h.seriesPage(c, id, 0, in, preview, err)
	}
	return h.redirect(c, "/groups/"+itoa(id)+"/calendar", "flash.series_saved")
}

// extendForm is how many months to add.
type extendForm struct {
	Months int `form:"months" json:"months"`
}

// previewExtension shows what extending the series would add, without
// saving; the page then offers to save exactly that.
func (h *Handlers) previewExtension(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in extendForm
	if err := bind(c, &in); err != nil {
		return h.seriesPage(c, id, 0, models.SeriesInput{}, nil, err)
	}
	pv, err := models.PreviewExtension(c.Request().Context(), h.DB, mustViewer(c), id, in.Months)
	if err != nil {
		return h.seriesPage(c, id, 0, models.SeriesInput{}, nil, err)
	}
	return h.seriesPageWith(c, id, http.StatusOK, models.SeriesInput{}, nil, &pv, nil)
}

// extendSeries appends months to the series.
func (h *Handlers) extendSeries(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in extendForm
	if err := bind(c, &in); err != nil {
		return err
	}
	if _, err := models.ExtendSeries(c.Request().Context(), h.DB, mustViewer(c), id, in.Months); err != nil {
		return err
	}
	return h.redirect(c, "/groups/"+itoa(id)+"/calendar", "flash.series_extended")
}

// showMeeting shows one meeting.
func (h *Handlers) showMeeting(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.meetingPage(c, id, "meeting", nil, nil)
}

// printMeeting shows the agenda laid out for paper.
func (h *Handlers) printMeeting(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.meetingPage(c, id, "meeting_print", nil, nil)
}

// afterMeeting goes back to the meeting page after a change, or shows the
// form again with its errors.
func (h *Handlers) afterMeeting(c echo.Context, id uint, form any, err error) error {
	if err != nil {
		return h.meetingPage(c, id, "meeting", form, err)
	}
	return h.redirect(c, "/meetings/"+itoa(id), "flash.saved")
}

// meetingChange handles a form of type T that changes meeting :id: it binds
// the form, applies change and shows the meeting again, with the errors
// when change refuses it.
func meetingChange[T any](h *Handlers, change func(ctx context.Context, db *gorm.DB, v models.Viewer, id uint, in T) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var in T
		if err = bind(c, &in); err == nil {
			err = change(c.Request().Context(), h.DB, mustViewer(c), id, in)
		}
		return h.afterMeeting(c, id, nil, err)
	}
}

// setMeetingStatus cancels a meeting, marks it held or plans it again.
func setMeetingStatus(ctx context.Context, db *gorm.DB, v models.Viewer, id uint, in models.StatusChange) error {
	_, err := models.SetMeetingStatus(ctx, db, v, id, in)
	return err
}

// addAction records an action item at a meeting.
func addAction(ctx context.Context, db *gorm.DB, v models.Viewer, id uint, in models.ActionInput) error {
	_, err := models.AddAction(ctx, db, v, id, in)
	return err
}

// updateMeeting saves time, place, kind and the visit or guest details.
func (h *Handlers) updateMeeting(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.MeetingInput
	if err = bind(c, &in); err == nil {
		_, err = models.UpdateMeeting(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	return h.afterMeeting(c, id, in, err)
}

// idMap reads form fields "<prefix><id>" into a map of id to value.
func idMap(c echo.Context, prefix string) (map[uint]string, error) {
	params, err := c.FormParams()
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	out := map[uint]string{}
	for k, vals := range params {
		if rest, ok := strings.CutPrefix(k, prefix); ok && len(vals) > 0 {
			n, err := strconv.ParseUint(rest, 10, 32)
			if err != nil {
				return nil, &models.ValidationError{Fields: []models.FieldError{{Field: strings.TrimSuffix(prefix, "_"), Code: "invalid"}}}
			}
			out[uint(n)] = vals[0]
		}
	}
	return out, nil
}

// saveAttendance records who came.
func (h *Handlers) saveAttendance(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	statuses, err := idMap(c, "attendance_")
	if err == nil {
		err = models.SaveAttendance(c.Request().Context(), h.DB, mustViewer(c), id, statuses)
	}
	return h.afterMeeting(c, id, nil, err)
}

// toggleAction marks an action item done or open and goes back.
func (h *Handlers) toggleAction(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	a, err := models.ToggleAction(c.Request().Context(), h.DB, mustViewer(c), id, h.Now())
	if err != nil {
		return err
	}
	if a.MeetingID != nil {
		return h.redirect(c, "/meetings/"+itoa(*a.MeetingID), "flash.saved")
	}
	return h.redirect(c, "/groups/"+itoa(a.GroupID)+"/calendar", "flash.saved")
}

// saveEntry stores one mentee's part of the first meeting's agenda.
func (h *Handlers) saveEntry(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	person, err := idParam(c, "person")
	if err != nil {
		return err
	}
	var in models.EntryInput
	if err = bind(c, &in); err == nil {
		err = models.SaveEntry(c.Request().Context(), h.DB, mustViewer(c), id, person, in)
	}
	return h.afterMeeting(c, id, nil, err)
}

// apiGroupMeetings is GET /api/v1/groups/:id/meetings.
func (h *Handlers) apiGroupMeetings(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cal, err := models.ListMeetings(c.Request().Context(), h.DB, mustViewer(c), id)
	if err != nil {
		return err
	}
	if cal.Meetings, err = windowOf(c, cal.Meetings); err != nil {
		return err
	}
	if cal.Access.DatesOnly() {
		for i := range cal.Meetings {
			cal.Meetings[i] = models.Meeting{ID: cal.Meetings[i].ID, GroupID: cal.Meetings[i].GroupID, Seq: cal.Meetings[i].Seq,
				Kind: cal.Meetings[i].Kind, StartsAt: cal.Meetings[i].StartsAt, EndsAt: cal.Meetings[i].EndsAt, Status: cal.Meetings[i].Status}
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"group_id": id, "meetings": cal.Meetings, "series": cal.Series})
}

// apiPreviewSeries is POST /api/v1/groups/:id/series/preview.
func (h *Handlers) apiPreviewSeries(c echo.Context) error {
	return h.apiSeries(c, models.PreviewSeries)
}

// apiSaveSeries is PUT /api/v1/groups/:id/series.
func (h *Handlers) apiSaveSeries(c echo.Context) error { return h.apiSeries(c, models.SaveSeries) }

// apiSeries binds the series form of group :id, hands it to plan (preview
// or save) and answers with the resulting list of meetings.
func (h *Handlers) apiSeries(c echo.Context, plan func(context.Context, *gorm.DB, models.Viewer, uint, models.SeriesInput, time.Time) (models.SeriesPreview, error)) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.SeriesInput
	if err := bind(c, &in); err != nil {
		return err
	}
	pv, err := plan(c.Request().Context(), h.DB, mustViewer(c), id, in, h.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pv)
}

// meetingJSON is a meeting with what the viewer may see of it.
type meetingJSON struct {
	models.Meeting
	Agenda     []models.AgendaItem              `json:"agenda"`
	Roles      map[models.MeetingRole][]uint    `json:"roles"`
	Proposed   map[models.MeetingRole]uint      `json:"proposed_roles,omitempty"`
	Attendance map[uint]models.AttendanceStatus `json:"attendance"`
	Actions    []models.ActionItemRow           `json:"actions"`
	Entries    []models.FirstMeetingEntry       `json:"first_meeting_entries,omitempty"`
}

// apiMeeting is GET /api/v1/meetings/:id.
func (h *Handlers) apiMeeting(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := models.GetMeetingPage(c.Request().Context(), h.DB, mustViewer(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, meetingJSON{Meeting: p.Meeting, Agenda: p.Agenda, Roles: p.Roles, Proposed: p.Proposed,
		Attendance: p.Attendance, Actions: p.Actions, Entries: p.Entries})
}

// apiSaveRoles is PUT /api/v1/meetings/:id/roles.
func (h *Handlers) apiSaveRoles(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.RolesInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := models.SaveRoles(c.Request().Context(), h.DB, mustViewer(c), id, in); err != nil {
		return err
	}
	return h.apiMeeting(c)
}

// attendanceJSON is the body of PUT /api/v1/meetings/:id/attendance.
type attendanceJSON struct {
	Attendance map[uint]string `json:"attendance"`
}

// apiSaveAttendance is PUT /api/v1/meetings/:id/attendance.
func (h *Handlers) apiSaveAttendance(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in attendanceJSON
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := models.SaveAttendance(c.Request().Context(), h.DB, mustViewer(c), id, in.Attendance); err != nil {
		return err
	}
	return h.apiMeeting(c)
}
