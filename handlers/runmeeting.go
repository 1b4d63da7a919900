package handlers

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// What the run view saves beside the clock: who is there, and the action
// items agreed on the spot.

// saveRunAttendance records who is there, ticked in the run view by the
// mentor: a ticked member is present; one not ticked is absent, or stays
// excused when recorded so.
func (h *Handlers) saveRunAttendance(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx, v := c.Request().Context(), mustViewer(c)
	page, err := models.GetMeetingPage(ctx, h.DB, v, id)
	if err != nil {
		return err
	}
	present, err := postedIDs(c, "present")
	statuses := map[uint]string{}
	if err == nil {
		for _, p := range page.People {
			switch {
			case slices.Contains(present, p.ID):
				statuses[p.ID] = string(models.Present)
			case page.Attendance[p.ID] == models.Excused:
				statuses[p.ID] = string(models.Excused)
			default:
				statuses[p.ID] = string(models.Absent)
			}
		}
		for _, pid := range present {
			if _, ok := statuses[pid]; !ok {
				err = &models.ValidationError{Fields: []models.FieldError{{Field: "present", Code: "unknown_choice"}}}
			}
		}
	}
	if err == nil {
		err = models.SaveAttendance(ctx, h.DB, v, id, statuses)
	}
	return h.afterRunChange(c, id, "attendance", map[string]any{"present": len(present)}, err)
}

// actionJSON is an action item as the run view's script adds it to the list.
type actionJSON struct {
	ID         uint   `json:"id"`
	Text       string `json:"text"`
	HolderName string `json:"holder_name"`
	Due        string `json:"due,omitempty"`
}

// addRunAction records an action item typed in the run view, with its
// holder and due date.
func (h *Handlers) addRunAction(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx, v := c.Request().Context(), mustViewer(c)
	var in models.ActionInput
	var out actionJSON
	if err = bind(c, &in); err == nil {
		var a models.ActionItem
		if a, err = models.AddAction(ctx, h.DB, v, id, in); err == nil {
			out = actionJSON{ID: a.ID, Text: a.Text}
			page, perr := models.GetMeetingPage(ctx, h.DB, v, id)
			if perr != nil {
				return perr
			}
			for _, r := range page.Actions {
				if r.ID == a.ID {
					out.HolderName = r.HolderName
				}
			}
			if !a.DueOn.IsZero() {
				view := h.view(c, "", nil)
				out.Due = view.T("actions.due", "Date", view.Date(a.DueOn))
			}
		}
	}
	return h.afterRunChange(c, id, "actions", out, err)
}

// afterRunChange answers a change made beside the clock: JSON for the
// script, or back to the run view at place for a browser without script.
func (h *Handlers) afterRunChange(c echo.Context, id uint, place string, out any, err error) error {
	if wantsJSON(c) {
		if err != nil {
			return h.jsonFailed(c, err)
		}
		return c.JSON(http.StatusOK, out)
	}
	if err != nil {
		return h.runPage(c, id, 0, err)
	}
	return h.redirect(c, "/meetings/"+itoa(id)+"/run#"+place, "flash.saved")
}
