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
// they received: a REQUEST adds or updates an event (a lower SEQUENCE is
// ignored), a CANCEL marks it cancelled.
type mailCalendar map[string]map[string]*ical.Event // person → UID → event

func (mc mailCalendar) apply(t *testing.T, to string, cal *ical.Calendar) {
	t.Helper()
	method := cal.Props.Get(ical.PropMethod).Value
	for _, ev := range cal.Events() {
		uid := ev.Props.Get(ical.PropUID).Value
		if mc[to] == nil {
			mc[to] = map[string]*ical.Event{}
		}
		if old := mc[to][uid]; old != nil && seq(old) > seq(&ev) {
			continue
		}
		e := ev
		if method == "CANCEL" {
			e.Props.SetText(ical.PropStatus, "CANCELLED")
		}
		mc[to][uid] = &e
	}
}

func seq(e *ical.Event) string {
	if p := e.Props.Get(ical.PropSequence); p != nil {
		return p.Value
	}
	return "0"
}

// compareWithFeeds checks that every event in each person's rebuilt
// calendar equals the event of the same UID in their feed.
func compareWithFeeds(t *testing.T, db *gorm.DB, mc mailCalendar) {
	t.Helper()
	ctx := context.Background()
	cat, err := i18n.Load(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	for email, events := range mc {
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
		out := make([]mailer.Event, len(feed))
		for i, e := range feed {
			out[i] = mailer.Event{UID: e.UID, Summary: mailer.Summary(cat, lang, e.Kind, e.GroupName, e.With), Location: e.Location,
				StartsAt: e.StartsAt, EndsAt: e.EndsAt, Updated: e.Updated, Sequence: e.Sequence, Cancelled: e.Cancelled}
		}
		cal, err := ical.NewDecoder(bytes.NewReader(mailer.ICS(out, ams, mailer.Host("http://localhost:8080"), "feed", mailer.MethodPublish, time.Now()))).Decode()
		if err != nil {
			t.Fatal(err)
		}
		byUID := map[string]ical.Event{}
		for _, e := range cal.Events() {
			byUID[e.Props.Get(ical.PropUID).Value] = e
		}
		for uid, got := range events {
			want, ok := byUID[uid]
			if !ok {
				t.Errorf("%s: %s is in the mails but not in the feed", email, uid)
				continue
			}
			for _, prop := range []string{ical.PropSequence, ical.PropSummary, ical.PropStatus, ical.PropLocation, ical.PropDateTimeStart, ical.PropDateTimeEnd} {
				g, w := got.Props.Get(prop), want.Props.Get(prop)
				if (g == nil) != (w == nil) || (g != nil && (g.Value != w.Value || g.Params.Get(ical.ParamTimezoneID) != w.Params.Get(ical.ParamTimezoneID))) {
					t.Errorf("%s %s: %s from the mails %v, in the feed %v", email, uid, prop, g, w)
				}
			}
		}
	}
}
