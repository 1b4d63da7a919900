package handlers

import (
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// The meeting page is one form: whatever a person types anywhere on it is
// sent with every save, so saving the roles never drops notes typed a
// moment before. Each part of the form names itself in a hidden "part"
// field; only parts the viewer was shown are read, and of those only the
// ones that changed (or whose own save button was pressed) are applied,
// each under its own permission, all in one transaction.

// Parts of the meeting form.
const (
	partDetails    = "details"
	partMinutes    = "minutes"
	partRoles      = "roles"
	partEntries    = "entries"
	partNotes      = "notes"
	partAttendance = "attendance"
	partActions    = "actions"
	partStatus     = "status"
	partFirst      = "first_record"
)

// meetingPlaces are the sections a save button may return to.
var meetingPlaces = []string{"method", "roles", "agenda", "first-record", "entries", "details", "notes", "attendance", "actions", "status"}

// meetingForm is what the meeting page's form holds: as saved, or as typed
// when a save was refused.
type meetingForm struct {
	Details      models.MeetingInput
	Minutes      []int
	Roles        models.RolesInput
	Notes        string
	Attendance   map[uint]string
	Done         []uint // action items ticked as done
	Action       models.ActionInput
	Status       string
	Reason       string
	Entries      map[uint]models.EntryInput
	First        models.FirstRecordInput
	Parts        []string
	CaseBringers map[uint]bool
}

// formOfMeeting is the form as the meeting stands.
func formOfMeeting(v View, d meetingData) meetingForm {
	f := meetingForm{Details: meetingInput(v, d.Meeting), Attendance: map[uint]string{}, Entries: map[uint]models.EntryInput{},
		Status: string(d.Meeting.Status), Notes: d.Meeting.Notes, CaseBringers: map[uint]bool{}, First: models.FirstRecordOf(d.Meeting)}
	for _, it := range d.Agenda {
		f.Minutes = append(f.Minutes, it.Minutes)
	}
	holder := func(r models.MeetingRole) uint {
		if ids := d.Roles[r]; len(ids) > 0 {
			return ids[0]
		}
		return d.Proposed[r]
	}
	f.Roles = models.RolesInput{Facilitator: holder(models.RoleFacilitator), Timekeeper: holder(models.RoleTimekeeper), NoteTaker: holder(models.RoleNoteTaker)}
	f.Roles.CaseBringers = d.Roles[models.RoleCaseBringer]
	if len(f.Roles.CaseBringers) == 0 && d.Proposed[models.RoleCaseBringer] != 0 && d.Meeting.Kind == models.KindIntervision {
		f.Roles.CaseBringers = []uint{d.Proposed[models.RoleCaseBringer]}
	}
	for _, id := range f.Roles.CaseBringers {
		f.CaseBringers[id] = true
	}
	for id, s := range d.Attendance {
		f.Attendance[id] = string(s)
	}
	for _, a := range d.Actions {
		if a.DoneAt != nil {
			f.Done = append(f.Done, a.ID)
		}
	}
	for _, e := range d.Entries {
		f.Entries[e.PersonID] = models.EntryInput{Goal: e.Goal, Needs: e.Needs, Questions: e.Questions, ConductAgreed: e.ConductAgreed}
	}
	slices.Sort(f.Done)
	return f
}

// postedIDs reads the ids posted under name.
func postedIDs(c echo.Context, name string) ([]uint, error) {
	if _, err := c.FormParams(); err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	var out []uint
	for _, s := range c.Request().PostForm[name] {
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return nil, &models.ValidationError{Fields: []models.FieldError{{Field: name, Code: "invalid"}}}
		}
		out = append(out, uint(n))
	}
	slices.Sort(out)
	return out, nil
}

// readMeetingForm reads the posted meeting form; parts not posted keep
// the values of cur.
func readMeetingForm(c echo.Context, cur meetingForm) (meetingForm, error) {
	f := cur
	if _, err := c.FormParams(); err != nil {
		return f, echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	form := c.Request().PostForm
	f.Parts = form["part"]
	var errs []error
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	for _, part := range f.Parts {
		switch part {
		case partDetails:
			f.Details = models.MeetingInput{}
			keep(bind(c, &f.Details))
		case partMinutes:
			f.Minutes = nil
			for _, s := range form["minutes"] {
				n, err := strconv.Atoi(strings.TrimSpace(s))
				if err != nil {
					keep(&models.ValidationError{Fields: []models.FieldError{{Field: "minutes", Code: "invalid"}}})
					break
				}
				f.Minutes = append(f.Minutes, n)
			}
		case partRoles:
			f.Roles = models.RolesInput{}
			keep(bind(c, &f.Roles))
			slices.Sort(f.Roles.CaseBringers)
			f.CaseBringers = map[uint]bool{}
			for _, id := range f.Roles.CaseBringers {
				f.CaseBringers[id] = true
			}
		case partNotes:
			var n models.NotesInput
			keep(bind(c, &n))
			f.Notes = n.Notes
		case partAttendance:
			statuses, err := idMap(c, "attendance_")
			keep(err)
			f.Attendance = map[uint]string{}
			for id, s := range statuses {
				if s != "" {
					f.Attendance[id] = s
				}
			}
		case partActions:
			var err error
			f.Done, err = postedIDs(c, "done")
			keep(err)
			f.Action = models.ActionInput{Text: models.CleanText(form.Get("text")), DueOn: form.Get("due_on")}
			if h, err := strconv.ParseUint(form.Get("holder_id"), 10, 32); err == nil {
				f.Action.HolderID = uint(h)
			}
			if f.Action.Text != "" || f.Action.DueOn != "" {
				keep(bind(c, &f.Action))
			}
		case partStatus:
			f.Status, f.Reason = form.Get("status"), models.CleanText(form.Get("reason"))
		case partFirst:
			f.First = models.FirstRecordInput{}
			keep(bind(c, &f.First))
		case partEntries:
			f.Entries = map[uint]models.EntryInput{}
			for id := range cur.Entries {
				p := fmt.Sprintf("entry_%d_", id)
				if _, ok := form[p+"goal"]; !ok {
					continue
				}
				f.Entries[id] = models.EntryInput{Goal: models.CleanText(form.Get(p + "goal")), Needs: models.CleanText(form.Get(p + "needs")),
					Questions: models.CleanText(form.Get(p + "questions")), ConductAgreed: form.Get(p+"conduct_agreed") == "true"}
			}
		default:
			return f, echo.NewHTTPError(http.StatusBadRequest)
		}
	}
	return f, joinValidation(errs)
}

// joinValidation merges the field errors of several parts into one; any
// other error is returned as it is.
func joinValidation(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	all := &models.ValidationError{}
	for _, err := range errs {
		ve, ok := err.(*models.ValidationError)
		if !ok {
			return err
		}
		all.Fields = append(all.Fields, ve.Fields...)
	}
	return all
}

// changes turns the posted form into the parts to save: those that differ
// from the meeting as it stands, and the part whose button was pressed.
func (f meetingForm) changes(cur meetingForm, at string) models.MeetingPageInput {
	var in models.MeetingPageInput
	posted := func(p string) bool { return slices.Contains(f.Parts, p) }
	if posted(partMinutes) && !slices.Equal(f.Minutes, cur.Minutes) {
		in.Minutes = &models.AgendaInput{Minutes: f.Minutes}
	}
	if posted(partDetails) && (f.Details != cur.Details || at == "details" || at == "method") {
		in.Details = &f.Details
	}
	if posted(partRoles) && (!reflect.DeepEqual(f.Roles, cur.Roles) || at == "roles") {
		in.Roles = &f.Roles
	}
	if posted(partEntries) {
		for id, e := range f.Entries {
			if e != cur.Entries[id] || at == "entries" {
				if in.Entries == nil {
					in.Entries = map[uint]models.EntryInput{}
				}
				in.Entries[id] = e
			}
		}
	}
	if posted(partFirst) && (f.First != cur.First || at == "first-record") {
		in.FirstRecord = &f.First
	}
	if posted(partNotes) && f.Notes != cur.Notes {
		in.Notes = &models.NotesInput{Notes: f.Notes}
	}
	if posted(partAttendance) && (!maps.Equal(f.Attendance, cur.Attendance) || at == "attendance") {
		in.Attendance = f.Attendance
	}
	if posted(partActions) {
		if f.Action.Text != "" || f.Action.DueOn != "" {
			in.Action = &f.Action
		}
		for _, id := range f.Done {
			if !slices.Contains(cur.Done, id) {
				in.Toggle = append(in.Toggle, id)
			}
		}
		for _, id := range cur.Done {
			if !slices.Contains(f.Done, id) {
				in.Toggle = append(in.Toggle, id)
			}
		}
	}
	if posted(partStatus) && (f.Status != cur.Status || at == "status") {
		in.Status = &models.StatusChange{Status: f.Status, Reason: f.Reason}
	}
	return in
}

// editing says whether the meeting page shows its form: before the meeting
// always, once held or cancelled only after "wijzigen" (?edit=1).
func editing(c echo.Context, m models.Meeting) bool {
	return m.Status == models.MeetingPlanned || c.QueryParam("edit") == "1"
}

// saveMeetingPage saves the meeting page's form and returns to the place
// on the page whose button was pressed.
func (h *Handlers) saveMeetingPage(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	data, err := h.loadMeeting(c, id)
	if err != nil {
		return err
	}
	cur := formOfMeeting(h.view(c, "", nil), data)
	f, err := readMeetingForm(c, cur)
	at := c.FormValue("at")
	if !slices.Contains(meetingPlaces, at) {
		at = ""
	}
	if err == nil {
		err = models.SaveMeetingPage(c.Request().Context(), h.DB, mustViewer(c), id, f.changes(cur, at), h.Now())
	}
	if err != nil {
		return h.renderMeeting(c, id, "meeting", &f, err)
	}
	to := "/meetings/" + itoa(id)
	if at != "" {
		to += "#" + at
	}
	return h.redirect(c, to, "flash.saved")
}

// meetingData is the meeting page.
type meetingData struct {
	models.MeetingPage
	Methods  []models.Method
	Kinds    []models.MeetingKind
	Intros   []string
	Names    map[uint]string
	Mentor   bool
	Member   uint // the viewer
	Statuses []models.AttendanceStatus
	Cases    []models.CaseRow
	// Editing shows the form: before the meeting, or after "wijzigen".
	Editing bool
	// Started is whether the meeting has begun, so attendance can be taken.
	Started bool
	// NoteTaker is whether the viewer writes the group notes.
	NoteTaker bool
	// RunStart and RunEnd are when the meeting's run really began and
	// ended; zero when it was not run (or has not ended).
	RunStart, RunEnd time.Time
}

func (h *Handlers) loadMeeting(c echo.Context, id uint) (meetingData, error) {
	v := mustViewer(c)
	page, err := models.GetMeetingPage(c.Request().Context(), h.DB, v, id)
	if err != nil {
		return meetingData{}, err
	}
	d := meetingData{MeetingPage: page, Methods: models.Methods(), Kinds: models.MeetingKinds, Intros: models.IntroFormats,
		Names: map[uint]string{}, Mentor: page.Access.IsMentor(), Member: v.PersonID,
		Statuses: []models.AttendanceStatus{models.Present, models.Excused, models.Absent}}
	for _, p := range page.People {
		d.Names[p.ID] = p.Name
	}
	d.Names[page.Group.MentorID] = page.Group.Mentor.Name
	if d.Cases, err = models.MeetingCases(c.Request().Context(), h.DB, v, id); err != nil {
		return d, err
	}
	m := page.Meeting
	if page.Run.StartedAt != nil {
		d.RunStart = *page.Run.StartedAt
	}
	if page.Run.EndedAt != nil {
		d.RunEnd = *page.Run.EndedAt
	}
	d.Started = m.Status == models.MeetingHeld || !h.Now().Before(m.StartsAt) || page.Run.StartedAt != nil
	d.NoteTaker = page.NotesShown && models.Decide(page.Access, models.MeetingNotesWrite,
		models.Subject{At: m.StartsAt, NoteTaker: slices.Contains(page.Roles[models.RoleNoteTaker], v.PersonID)})
	return d, nil
}

func meetingInput(v View, m models.Meeting) models.MeetingInput {
	return models.MeetingInput{Date: v.LocalDate(m.StartsAt).String(), StartTime: v.Clock(m.StartsAt), DurationMin: m.DurationMin(),
		Location: m.Location, Kind: string(m.Kind), Method: m.MethodKey, IntroFormat: m.IntroFormat, Host: m.Host,
		Address: m.Address, Contact: m.Contact, Purpose: m.Purpose, Preparation: m.Preparation, Practical: m.Practical,
		GuestName: m.GuestName, GuestRole: m.GuestRole, Topic: m.Topic}
}

// meetingPage renders the meeting page, with a form's errors when err is set.
func (h *Handlers) meetingPage(c echo.Context, id uint, page string, form any, err error) error {
	in, ok := form.(models.MeetingInput)
	if !ok || err == nil {
		return h.renderMeeting(c, id, page, nil, err)
	}
	data, lerr := h.loadMeeting(c, id)
	if lerr != nil {
		return lerr
	}
	f := formOfMeeting(h.view(c, "", nil), data)
	f.Details = in
	return h.renderMeeting(c, id, page, &f, err)
}

// renderMeeting renders the meeting page (or its print) with form f, the
// form as the meeting stands when f is nil, and err's messages when set.
func (h *Handlers) renderMeeting(c echo.Context, id uint, page string, f *meetingForm, err error) error {
	data, lerr := h.loadMeeting(c, id)
	if lerr != nil {
		return lerr
	}
	v := h.view(c, "", data)
	v.Title = v.T("meeting.kind."+string(data.Meeting.Kind)) + " · " + v.Date(v.LocalDate(data.Meeting.StartsAt))
	if f == nil {
		cur := formOfMeeting(v, data)
		f = &cur
	}
	data.Editing = editing(c, data.Meeting) || err != nil
	v.Data, v.Form = data, *f
	if err != nil {
		return h.formFailed(c, err, page, "meeting.title", *f, data)
	}
	return c.Render(http.StatusOK, page, v)
}
