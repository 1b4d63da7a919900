package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"crossmentor/app/live"
	"crossmentor/models"
)

// How the live stream of a run behaves.
const (
	runHeartbeat     = 15 * time.Second // a fresh state (and a new authorisation check) at least this often
	runWriteDeadline = 30 * time.Second // one event may take this long to write
	runRetryMillis   = 2000             // how soon a browser reconnects after losing the stream
)

// runData is the run view.
type runData struct {
	models.RunPage
	Names  map[uint]string
	Cases  []models.CaseRow
	Screen bool // large type for a projector
	// Clock is the time left of the current block as the page was made,
	// for reading without script.
	Clock    string
	RoleList []models.MeetingRole
}

// clockText writes seconds left as "12:05", and time run over as "−0:30".
func clockText(sec int) string {
	sign := ""
	if sec < 0 {
		sign, sec = "−", -sec
	}
	return fmt.Sprintf("%s%d:%02d", sign, sec/60, sec%60)
}

// showRun shows a meeting's run view: its blocks, the clock, the roles and
// the cases the viewer may read; the note-taker's notes beside the clock.
func (h *Handlers) showRun(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return h.runPage(c, id, http.StatusOK, nil)
}

func (h *Handlers) runPage(c echo.Context, id uint, status int, err error) error {
	ctx, v := c.Request().Context(), mustViewer(c)
	page, lerr := models.GetRunPage(ctx, h.DB, v, id, h.Now())
	if lerr != nil {
		return lerr
	}
	d := runData{RunPage: page, Names: map[uint]string{}, Screen: c.QueryParam("screen") == "1",
		Clock: clockText(page.State.Remaining()), RoleList: models.MeetingRoles}
	for _, p := range page.People {
		d.Names[p.ID] = p.Name
	}
	d.Names[page.Group.MentorID] = page.Group.Mentor.Name
	if d.Cases, lerr = models.MeetingCases(ctx, h.DB, v, id); lerr != nil {
		return lerr
	}
	if err != nil {
		return h.formFailed(c, err, "run", "run.title", nil, d)
	}
	view := h.view(c, "", d)
	view.Title = view.T("run.title") + " · " + view.Date(view.LocalDate(page.Meeting.StartsAt))
	return c.Render(status, "run", view)
}

// wantsJSON reports whether the request came from the run view's script.
func wantsJSON(c echo.Context) bool {
	for _, part := range strings.Split(c.Request().Header.Get(echo.HeaderAccept), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == echo.MIMEApplicationJSON {
			return true
		}
	}
	return false
}

// jsonFailed answers a script's request that was refused: field messages
// in the viewer's language and a 422; other errors go to the error handler.
func (h *Handlers) jsonFailed(c echo.Context, err error) error {
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return c.JSON(http.StatusUnprocessableEntity, Problem{Type: "about:blank", Status: http.StatusUnprocessableEntity,
			Title: h.Catalog.T(lang(c), "error.invalid_input", nil), Errors: h.fieldMessages(lang(c), ve)})
	}
	return err
}

// applyRun starts, pauses, resumes, extends, moves or ends a meeting's run
// and tells every screen that follows it.
func (h *Handlers) applyRun(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.RunInput
	var state models.RunState
	if err = bind(c, &in); err == nil {
		state, err = models.ApplyRun(c.Request().Context(), h.DB, mustViewer(c), id, in, h.Now())
	}
	if err == nil {
		h.publishRun(c, state)
	}
	if wantsJSON(c) {
		if err != nil {
			return h.jsonFailed(c, err)
		}
		return c.JSON(http.StatusOK, state)
	}
	if err != nil {
		return h.runPage(c, id, 0, err)
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/meetings/%d/run", id))
}

// publishRun sends a new state to every screen of the meeting. The change
// is committed already; a screen that misses it catches up with the next
// heartbeat, so a failure here is logged, not returned.
func (h *Handlers) publishRun(c echo.Context, state models.RunState) {
	data, err := json.Marshal(state)
	if err == nil {
		err = h.Live.Publish(c.Request().Context(), live.Message{MeetingID: state.MeetingID, Data: data})
	}
	if err != nil {
		h.Log.Warn("live update not sent", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "error", err)
	}
}

// runState answers the run's state as JSON: the fallback where a proxy
// holds back the event stream.
func (h *Handlers) runState(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	state, err := models.GetRunState(c.Request().Context(), h.DB, mustViewer(c), id, h.Now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, state)
}

// runEvents streams the run's state as server-sent events: the state at
// once, then every change, and a fresh state every heartbeat. Each
// heartbeat checks again that the viewer may still open the meeting. The
// stream carries the block and the clock only, never notes or case text.
// A run that can no longer change is sent once and the stream ends.
func (h *Handlers) runEvents(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx, v := c.Request().Context(), mustViewer(c)
	sub := h.Live.Subscribe(id) // before reading the state, so no change falls in between
	defer sub.Close()
	state, err := models.GetRunState(ctx, h.DB, v, id, h.Now())
	if err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	send := func(version int, data []byte) error {
		if err := rc.SetWriteDeadline(time.Now().Add(runWriteDeadline)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		id := ""
		if version > 0 {
			id = fmt.Sprintf("id: %d\n", version)
		}
		if _, err := fmt.Fprintf(w, "retry: %d\n%sevent: state\ndata: %s\n\n", runRetryMillis, id, data); err != nil {
			return err
		}
		return rc.Flush()
	}
	sendState := func(s models.RunState) error {
		data, err := json.Marshal(s)
		if err != nil {
			return err
		}
		return send(s.Version, data)
	}
	if err := sendState(state); err != nil || !state.Live {
		return nil
	}
	// The first heartbeat falls at a random moment in the second half of
	// the period, so streams opened together (a restart, a whole group
	// joining) do not all read the database in the same instant.
	// #nosec G404 -- a spread in time, not a secret
	beat := time.NewTimer(runHeartbeat/2 + rand.N(runHeartbeat/2))
	defer beat.Stop()
	fresh := models.WithoutAccessMemo(ctx)
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-sub.C():
			if !ok {
				return nil // the app is shutting down
			}
			if m.Data != nil {
				if send(0, m.Data) != nil {
					return nil
				}
				continue
			}
		case <-beat.C:
			beat.Reset(runHeartbeat)
		}
		// A heartbeat or a resync: read the state again, as the viewer,
		// past what the request's first check and read kept.
		if state, err = models.GetRunState(fresh, h.DB, v, id, h.Now()); err != nil || sendState(state) != nil {
			return nil
		}
	}
}

// saveRunNotes stores the group notes typed beside the clock; the run
// view's script saves them a moment after typing stops.
func (h *Handlers) saveRunNotes(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.NotesInput
	if err = bind(c, &in); err == nil {
		err = models.SaveNotes(c.Request().Context(), h.DB, mustViewer(c), id, in)
	}
	if err != nil {
		return h.jsonFailed(c, err)
	}
	return c.JSON(http.StatusOK, map[string]string{"saved_at": h.Now().Format(time.RFC3339)})
}
