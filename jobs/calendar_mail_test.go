package jobs_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"gorm.io/gorm"

	"crossmentor/app/i18n"
	"crossmentor/app/mailer"
	"crossmentor/models"
	"crossmentor/templates"
)

// invitations returns the iCalendar attachments of a raw mail, parsed by
// an independent parser.
func invitations(t *testing.T, raw string) []*ical.Calendar {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var out []*ical.Calendar
	var walk func(header map[string][]string, body io.Reader)
	walk = func(header map[string][]string, body io.Reader) {
		h := mail.Header(header)
		mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
		if err != nil {
			return
		}
		if strings.HasPrefix(mt, "multipart/") {
			r := multipart.NewReader(body, params["boundary"])
			for {
				p, err := r.NextPart()
				if err != nil {
					return
				}
				walk(p.Header, p)
			}
		}
		if mt != "text/calendar" {
			return
		}
		switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, body)
		case "quoted-printable":
			body = quotedprintable.NewReader(body)
		}
		cal, err := ical.NewDecoder(body).Decode()
		if err != nil {
			t.Fatalf("invitation does not parse: %v", err)
		}
		if m := cal.Props.Get(ical.PropMethod); m == nil || params["method"] != m.Value {
			t.Fatalf("Content-Type method %q, METHOD %v", params["method"], m)
		}
		out = append(out, cal)
	}
	walk(msg.Header, msg.Body)
	return out
}

// mailCalendar is a person's calendar as rebuilt from the invitations
// they received, as a calendar client keeps it (RFC 5546): per UID, the
// event (with its overrides, for a recurring one). A REQUEST without
// RECURRENCE-ID replaces the whole UID, overrides included; one with
// RECURRENCE-ID replaces that instance; a CANCEL cancels the UID or, with
// RECURRENCE-ID, that instance; a lower SEQUENCE than the one kept is
// ignored.
type mailCalendar map[string]map[string]*uidState // person → UID → state

// uidState is what a calendar holds for one UID.
type uidState struct {
	main      *ical.Event           // the event, or the master of a recurring one
	overrides map[int64]*ical.Event // instance (Unix) → override
}

func (mc mailCalendar) apply(t *testing.T, to string, cal *ical.Calendar) {
	t.Helper()
	method := cal.Props.Get(ical.PropMethod).Value
	if mc[to] == nil {
		mc[to] = map[string]*uidState{}
	}
	for _, ev := range cal.Events() {
		e := ev
		uid := ev.Props.Get(ical.PropUID).Value
		st := mc[to][uid]
		rid := ev.Props.Get(ical.PropRecurrenceID)
		if method == "CANCEL" {
			e.Props.SetText(ical.PropStatus, "CANCELLED")
		}
		if rid == nil {
			if st != nil && st.main != nil && seq(st.main) > seq(&e) {
				continue
			}
			// A whole object: it replaces what was kept, overrides included;
			// the overrides sent with it follow below.
			mc[to][uid] = &uidState{main: &e, overrides: map[int64]*ical.Event{}}
			continue
		}
		if st == nil {
			st = &uidState{overrides: map[int64]*ical.Event{}}
			mc[to][uid] = st
		}
		at, err := ev.Props.DateTime(ical.PropRecurrenceID, ams(t))
		if err != nil {
			t.Fatal(err)
		}
		if old := st.overrides[at.Unix()]; old != nil && seq(old) > seq(&e) {
			continue
		}
		st.overrides[at.Unix()] = &e
	}
}

func seq(e *ical.Event) int {
	if p := e.Props.Get(ical.PropSequence); p != nil {
		n, _ := strconv.Atoi(p.Value)
		return n
	}
	return 0
}

func ams(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// occurrences expands one UID into what a calendar shows: each instance
// as "start end title [cancelled]", recurring events through go-ical's
// recurrence set with the overrides put in place of their instances.
func occurrences(t *testing.T, st *uidState) []string {
	t.Helper()
	loc := ams(t)
	line := func(e *ical.Event, start time.Time) string {
		end, err := e.DateTimeEnd(loc)
		if err != nil {
			t.Fatal(err)
		}
		if start.IsZero() {
			if start, err = e.DateTimeStart(loc); err != nil {
				t.Fatal(err)
			}
		} else {
			s0, _ := e.DateTimeStart(loc)
			end = start.Add(end.Sub(s0))
		}
		out := start.UTC().Format(time.RFC3339) + " " + end.UTC().Format(time.RFC3339) + " " + e.Props.Get(ical.PropSummary).Value
		if s := e.Props.Get(ical.PropStatus); s != nil && s.Value == "CANCELLED" {
			out += " [cancelled]"
		}
		return out
	}
	var out []string
	if st.main != nil {
		set, err := st.main.RecurrenceSet(loc)
		if err != nil {
			t.Fatal(err)
		}
		if set == nil {
			out = append(out, line(st.main, time.Time{}))
		} else {
			for _, at := range set.All() {
				if _, ok := st.overrides[at.Unix()]; !ok {
					out = append(out, line(st.main, at))
				}
			}
		}
	}
	for _, o := range st.overrides {
		if s := o.Props.Get(ical.PropStatus); s != nil && s.Value == "CANCELLED" {
			continue // the instance is gone
		}
		out = append(out, line(o, time.Time{}))
	}
	slices.Sort(out)
	return out
}

// feedCalendar is a person's feed, parsed as a client would, per UID.
func feedCalendar(t *testing.T, db *gorm.DB, email string) map[string]*uidState {
	t.Helper()
	ctx := context.Background()
	cat, err := i18n.Load(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	var p models.Person
	if err := db.Where("email = ?", email).Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	token, err := models.RenewCalendarToken(ctx, db, models.Viewer{PersonID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	feed, lang, err := models.FeedFor(ctx, db, token, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out := mailer.FeedEvents(cat, lang, feed)
	cal, err := ical.NewDecoder(bytes.NewReader(mailer.ICS(out, ams(t), mailer.Host("http://localhost:8080"), "feed", mailer.MethodPublish, time.Now()))).Decode()
	if err != nil {
		t.Fatal(err)
	}
	fc := mailCalendar{}
	fc.apply(t, email, cal)
	return fc[email]
}

// compareWithFeeds checks that every UID in each person's rebuilt
// calendar shows the same occurrences (start, end, title, cancelled) as
// the same UID in their feed.
func compareWithFeeds(t *testing.T, db *gorm.DB, mc mailCalendar) {
	t.Helper()
	for email, uids := range mc {
		feed := feedCalendar(t, db, email)
		for uid, st := range uids {
			want, ok := feed[uid]
			if !ok {
				t.Errorf("%s: %s is in the mails but not in the feed", email, uid)
				continue
			}
			if got, w := occurrences(t, st), occurrences(t, want); !slices.Equal(got, w) {
				t.Errorf("%s %s: from the mails\n  %s\nin the feed\n  %s", email, uid, strings.Join(got, "\n  "), strings.Join(w, "\n  "))
			}
		}
	}
}
