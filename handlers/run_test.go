package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/app/live"
	"crossmentor/models"
)

// nextState reads the next run state from a stream within a second.
func nextState(t *testing.T, s *apptest.EventStream) models.RunState {
	t.Helper()
	data, err := s.Next(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var st models.RunState
	if err := json.Unmarshal([]byte(data), &st); err != nil {
		t.Fatalf("event %q: %v", data, err)
	}
	return st
}

// TestRunEvents: a member subscribes to the run's stream, the timekeeper
// starts and advances the meeting, and the member receives each change
// within a second; the stream carries no notes or case text. Someone
// outside the group gets 404 for the stream, the state and the controls.
func TestRunEvents(t *testing.T) {
	_, db, srv := demo(t)
	id := apptest.LiveMeeting(t, db, time.Now())
	base := fmt.Sprintf("/meetings/%d/run", id)
	if err := db.Model(&models.Meeting{ID: id}).Update("notes", "Geheime notulen").Error; err != nil {
		t.Fatal(err)
	}

	outsider := as(t, srv, "noor.dekker@demo.test")
	if s, status := outsider.TryStream(base + "/events"); s != nil || status != http.StatusNotFound {
		t.Fatalf("outsider's stream: %d, want 404", status)
	}
	for _, path := range []string{base, base + "/state"} {
		if r := outsider.Get(path); r.Status != http.StatusNotFound {
			t.Fatalf("outsider GET %s: %d", path, r.Status)
		}
	}
	if r := outsider.PostForm(base, url.Values{"action": {"start"}}); r.Status != http.StatusNotFound {
		t.Fatalf("outsider starts the run: %d", r.Status)
	}

	member := as(t, srv, "mentee@demo.test")
	stream := member.Stream(base + "/events")
	if st := nextState(t, stream); st.Status != models.RunIdle || !st.Live {
		t.Fatalf("first event: %+v", st)
	}
	// A member without the timekeeper's role cannot run the clock.
	if r := member.PostForm(base, url.Values{"action": {"start"}}); r.Status != http.StatusNotFound {
		t.Fatalf("member starts the run: %d", r.Status)
	}

	keeper := as(t, srv, "ahmed.elamrani@demo.test")
	var planned []int
	for _, step := range []struct {
		action string
		status models.RunStatus
		phase  int
	}{{"start", models.RunRunning, 0}, {"next", models.RunRunning, 1}, {"pause", models.RunPaused, 1}, {"extend", models.RunPaused, 1}} {
		sent := time.Now()
		if r := keeper.PostForm(base, url.Values{"action": {step.action}}); r.Status != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", step.action, r.Status, r.Body)
		}
		st := nextState(t, stream)
		if st.Status != step.status || st.Phase != step.phase {
			t.Fatalf("after %s: %+v", step.action, st)
		}
		t.Logf("%s reached the member in %s", step.action, time.Since(sent))
		planned = append(planned, st.Planned)
	}
	if planned[3] != planned[2]+models.ExtendSeconds {
		t.Fatalf("a minute more: %v", planned)
	}
	// The script's request gets the state as JSON; a refused change is a
	// 422 with a message, and changes nothing.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+base, strings.NewReader(url.Values{"action": {"pause"}, "_csrf": {keeper.Cookie("cm_csrf")}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if r := keeper.Do(req); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"action"`) {
		t.Fatalf("pausing a paused clock: %d %s", r.Status, r.Body)
	}
	r := member.Get(base + "/state")
	var st models.RunState
	r.Decode(t, &st)
	if st.Status != models.RunPaused || st.Planned != planned[3] {
		t.Fatalf("state: %+v", st)
	}
	if strings.Contains(r.Body, "Geheime") {
		t.Fatal("the state carries notes")
	}
	// The meeting page reads the meeting with its run in one statement:
	// the notes come back opened, and the run's state beside them.
	if p := as(t, srv, "mentor@demo.test").Get(fmt.Sprintf("/meetings/%d", id)); p.Status != http.StatusOK || !strings.Contains(p.Body, "Geheime notulen") {
		t.Fatalf("the mentor's meeting page: %d, notes shown: %v", p.Status, strings.Contains(p.Body, "Geheime notulen"))
	}
	// The run view shows the member the phase and the roles, not the controls.
	page := member.Get(base)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="clock"`) || strings.Contains(page.Body, `id="controls"`) {
		t.Fatalf("member's run view: %d", page.Status)
	}
	if kp := keeper.Get(base); !strings.Contains(kp.Body, `id="controls"`) {
		t.Fatal("the timekeeper sees no controls")
	}
	// Ending marks the meeting held and keeps its real start and end.
	if r := keeper.PostForm(base, url.Values{"action": {"end"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("end: %d", r.Status)
	}
	if st := nextState(t, stream); st.Status != models.RunEnded || st.Live {
		t.Fatalf("after the end: %+v", st)
	}
	var m models.Meeting
	db.First(&m, id)
	var run models.LiveRun
	db.Where("meeting_id = ?", id).First(&run)
	if m.Status != models.MeetingHeld || run.StartedAt == nil || run.EndedAt == nil || run.EndedAt.Before(*run.StartedAt) {
		t.Fatalf("after the end: meeting %s, run %+v", m.Status, run)
	}
}

// TestRunStreamResyncs: a change whose notice did not reach a stream (the
// link to the database was lost) reaches it with the next resync: the
// stream reads the run afresh, not what its request read at the start. A
// run row without its change time still opens.
func TestRunStreamResyncs(t *testing.T) {
	a, db, srv := demo(t)
	id := apptest.LiveMeeting(t, db, time.Now())
	base := fmt.Sprintf("/meetings/%d/run", id)
	stream := as(t, srv, "mentee@demo.test").Stream(base + "/events")
	if st := nextState(t, stream); st.Status != models.RunIdle {
		t.Fatalf("first event: %+v", st)
	}
	mentor := models.Viewer{PersonID: personID(t, db, "mentor@demo.test"), Mentor: true}
	if _, err := models.ApplyRun(context.Background(), db, mentor, id, models.RunInput{Action: "start"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := a.Live.Publish(context.Background(), live.Message{MeetingID: id}); err != nil { // a resync, no state
		t.Fatal(err)
	}
	if st := nextState(t, stream); st.Status != models.RunRunning || st.Version == 0 {
		t.Fatalf("after a resync: %+v, want the running clock", st)
	}
	if err := db.Exec("UPDATE meeting_runs SET updated_at = NULL WHERE meeting_id = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fmt.Sprintf("/meetings/%d", id), base, base + "/state"} {
		if r := as(t, srv, "mentor@demo.test").Get(path); r.Status != http.StatusOK {
			t.Errorf("%s with a run of no change time: %d", path, r.Status)
		}
	}
}

// TestRunNotesAutosave: the note-taker's notes are saved by the script's
// request (JSON answer, CSRF checked); another member cannot.
func TestRunNotesAutosave(t *testing.T) {
	_, db, srv := demo(t)
	id := apptest.LiveMeeting(t, db, time.Now())
	path := fmt.Sprintf("/meetings/%d/run/notes", id)
	post := func(c *apptest.Client, token string) apptest.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(url.Values{"notes": {"Afspraak: Lotte belt"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("X-CSRF-Token", token)
		return c.Do(req)
	}
	taker := as(t, srv, "lotte.visser@demo.test")
	if r := post(taker, "wrong"); r.Status != http.StatusForbidden {
		t.Fatalf("without the CSRF token: %d", r.Status)
	}
	if r := post(taker, taker.Cookie("cm_csrf")); r.Status != http.StatusOK {
		t.Fatalf("note-taker saves: %d %s", r.Status, r.Body)
	}
	other := as(t, srv, "mentee@demo.test")
	if r := post(other, other.Cookie("cm_csrf")); r.Status != http.StatusNotFound {
		t.Fatalf("another member saves notes: %d", r.Status)
	}
	var m models.Meeting
	db.First(&m, id)
	if m.Notes != "Afspraak: Lotte belt" {
		t.Fatalf("notes: %q", m.Notes)
	}
}

// TestPrintShowsMethodAndCases: the printed agenda names the method and
// the placed case titles (to those who may read them), and the roles line
// ends without a stray separator.
func TestPrintShowsMethodAndCases(t *testing.T) {
	_, db, srv := demo(t)
	var c models.CaseQuestion
	if err := db.Where("meeting_id IS NOT NULL AND visibility = 'group'").First(&c).Error; err != nil {
		t.Skip("the demo has no placed case shared with the group")
	}
	var m models.Meeting
	db.First(&m, *c.MeetingID)
	if err := db.Model(&m).Update("method_key", "incident").Error; err != nil {
		t.Fatal(err)
	}
	body := as(t, srv, "mentee@demo.test").Get(fmt.Sprintf("/meetings/%d/print", m.ID)).Body
	if !strings.Contains(body, "Incidentmethode") || !strings.Contains(body, c.Title) {
		t.Fatal("the print lacks the method or the case title")
	}
	if strings.Contains(body, " · </p>") {
		t.Fatal("the roles line ends in a stray separator")
	}
}
