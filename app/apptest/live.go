package apptest

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/models"
)

// LiveMeeting makes one of Groep Noord's planned intervision meetings (of
// the demo organisation) start five minutes ago with the incident method,
// with Ahmed as timekeeper, Lotte as note-taker and Yara as facilitator,
// and returns its id.
func LiveMeeting(t testing.TB, db *gorm.DB, now time.Time) uint {
	t.Helper()
	return LiveMeetingOf(t, db, "mentor@demo.test", now, 0)
}

// LiveMeetingOf is LiveMeeting for the group mentored by mentorEmail; skip
// leaves that many of its planned meetings aside, so that several meetings
// of one group can run in one test.
func LiveMeetingOf(t testing.TB, db *gorm.DB, mentorEmail string, now time.Time, skip int) uint {
	t.Helper()
	ctx := context.Background()
	var g models.MentorGroup
	if err := db.Joins("JOIN people p ON p.id = mentor_groups.mentor_id").Where("p.email = ?", mentorEmail).First(&g).Error; err != nil {
		t.Fatalf("group of %s: %v", mentorEmail, err)
	}
	var m models.Meeting
	if err := db.Where("group_id = ? AND kind = ? AND status = ?", g.ID, models.KindIntervision, models.MeetingPlanned).
		Order("starts_at").Offset(skip).First(&m).Error; err != nil {
		t.Fatalf("a planned intervision meeting: %v", err)
	}
	start := now.Add(-5 * time.Minute).Truncate(time.Second)
	if err := db.Model(&m).Updates(map[string]any{"starts_at": start, "ends_at": start.Add(3 * time.Hour),
		"method_key": "incident", "agenda": ""}).Error; err != nil {
		t.Fatal(err)
	}
	person := func(email string) uint {
		var p models.Person
		if err := db.Where("email = ?", email).First(&p).Error; err != nil {
			t.Fatalf("person %s: %v", email, err)
		}
		return p.ID
	}
	if mentorEmail == "mentor@demo.test" {
		mentor := models.Viewer{PersonID: person(mentorEmail), Mentor: true}
		roles := models.RolesInput{Timekeeper: person("ahmed.elamrani@demo.test"), NoteTaker: person("lotte.visser@demo.test"),
			Facilitator: person("yara.mulder@demo.test")}
		if err := models.SaveRoles(ctx, db, mentor, m.ID, roles); err != nil {
			t.Fatalf("roles: %v", err)
		}
	}
	return m.ID
}

// EventStream reads server-sent events from a response.
type EventStream struct {
	resp   *http.Response
	cancel context.CancelFunc
	events chan string
}

// Stream opens an event stream as the client, failing the test unless it
// answers 200 with text/event-stream.
func (c *Client) Stream(path string) *EventStream {
	c.t.Helper()
	s, status := c.TryStream(path)
	if s == nil {
		c.t.Fatalf("stream %s: status %d", path, status)
	}
	return s
}

// TryStream opens an event stream; nil and the status when it is refused.
func (c *Client) TryStream(path string) (*EventStream, int) {
	c.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Server.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		cancel()
		c.t.Fatalf("stream %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		_ = resp.Body.Close()
		cancel()
		return nil, resp.StatusCode
	}
	s := &EventStream{resp: resp, cancel: cancel, events: make(chan string, 64)}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		var data strings.Builder
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "data: "):
				data.WriteString(strings.TrimPrefix(line, "data: "))
			case line == "" && data.Len() > 0:
				s.events <- data.String()
				data.Reset()
			}
		}
	}()
	c.t.Cleanup(func() { cancel(); _ = resp.Body.Close() })
	return s, http.StatusOK
}

// Next returns the data of the next event, or an error after timeout or
// when the stream ended.
func (s *EventStream) Next(timeout time.Duration) (string, error) {
	select {
	case e, ok := <-s.events:
		if !ok {
			return "", fmt.Errorf("the stream ended")
		}
		return e, nil
	case <-time.After(timeout):
		return "", fmt.Errorf("no event within %s", timeout)
	}
}

// Close ends the stream.
func (s *EventStream) Close() { s.cancel(); _ = s.resp.Body.Close() }
