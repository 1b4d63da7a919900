package jobs_test

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"crossmentor/models"
)

// mailText is a message's subject and its decoded text and HTML parts.
func mailText(t *testing.T, raw string) (subject, body string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(h mail.Header, r io.Reader)
	walk = func(h mail.Header, r io.Reader) {
		mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
		if err != nil {
			return
		}
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(r, params["boundary"])
			for {
				p, err := mr.NextPart()
				if err != nil {
					return
				}
				walk(mail.Header(p.Header), p)
			}
		}
		switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
		case "quoted-printable":
			r = quotedprintable.NewReader(r)
		case "base64":
			r = base64.NewDecoder(base64.StdEncoding, r)
		}
		if strings.HasPrefix(mt, "text/") {
			data, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(data)
			b.WriteString("\n")
		}
	}
	walk(msg.Header, msg.Body)
	return subject, b.String()
}

// TestRequestExchangeLeavesNoTrace: after an urgent request, a refused
// counter-proposal, a decline and apologies, neither the stored notices
// and mail deliveries (kind, key, subject, link) nor the mails' subjects
// and bodies say urgent, declined or apologies, and no mail names the
// mentee to the mentor: mail servers and whoever reads the database or the
// outbox learn only that mentee and mentor had news. The urgent request is
// still mailed to the mentor at once, and the app still tells each of
// them what happened.
func TestRequestExchangeLeavesNoTrace(t *testing.T) {
	b := newNoticeBench(t)
	ctx := context.Background()
	mentor := models.Viewer{PersonID: b.person("mentor@demo.test"), Mentor: true}
	sanne := models.Viewer{PersonID: b.person("mentee@demo.test"), Mentee: true}
	var me models.Person
	if err := b.db.Take(&me, sanne.PersonID).Error; err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(me.Name, " ")
	nrd := b.group("Groep Noord")
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	day := func(n int) string { return time.Now().In(ams).AddDate(0, 0, n).Format("2006-01-02") }
	var coming models.Meeting
	if err := b.db.Where("group_id = ? AND status = ? AND starts_at > ?", nrd, models.MeetingPlanned, time.Now()).
		Order("starts_at").First(&coming).Error; err != nil {
		t.Fatal(err)
	}
	// The mentor wants requests in the daily digest: the urgent one is mailed at once all the same.
	if err := models.SetNoticeModes(ctx, b.db, mentor, map[string]string{models.NoticeOneOnOneRequest: models.NoticeByDigest}); err != nil {
		t.Fatal(err)
	}
	var msgs []string
	var toMentor []bool
	step := func(name string, do func() error) {
		t.Helper()
		if err := do(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		_, _, got := b.since()
		for _, m := range got {
			msgs = append(msgs, m.Data)
			toMentor = append(toMentor, slices.Contains(m.To, "mentor@demo.test"))
		}
	}
	var urgent, countered models.OneOnOneRequest
	step("urgent request", func() (err error) {
		urgent, err = models.AskOneOnOne(ctx, b.db, sanne, nrd, models.RequestInput{ASAP: true})
		return err
	})
	if len(msgs) != 1 || !toMentor[0] {
		t.Fatalf("the urgent request was not mailed to the mentor at once: %d mails", len(msgs))
	}
	step("decline", func() error {
		_, err := models.AnswerRequest(ctx, b.db, mentor, urgent.ID, models.AnswerInput{Action: "decline", Message: "Niet nu"})
		return err
	})
	step("counter refused", func() (err error) {
		if countered, err = models.AskOneOnOne(ctx, b.db, sanne, nrd, models.RequestInput{Date1: day(3), Time1: "10:00"}); err != nil {
			return err
		}
		if _, err = models.AnswerRequest(ctx, b.db, mentor, countered.ID, models.AnswerInput{Action: "counter", Date: day(2), Time: "15:00"}); err != nil {
			return err
		}
		_, err = models.AnswerRequest(ctx, b.db, sanne, countered.ID, models.AnswerInput{Action: "refuse_counter"})
		return err
	})
	if err := models.SetNoticeModes(ctx, b.db, mentor, map[string]string{models.NoticeOneOnOneRequest: models.NoticeByMail}); err != nil {
		t.Fatal(err)
	}
	step("apologies", func() error {
		_, err := models.SendApology(ctx, b.db, sanne, coming.ID, models.ApologyInput{Reason: "Tandarts"})
		return err
	})
	if len(msgs) < 4 {
		t.Fatalf("%d mails, want the urgent request, the decline, the counter-proposal and the apologies", len(msgs))
	}

	markers := []string{"urgent", "dringend", "asap", "zo snel", "soon", "declin", "afgewezen", "afwijz", "refus", "weiger",
		"apolog", "afmeld", "meldt zich af", "excused", "afwezig", "cannot come", "kan niet", "counter", "ander moment",
		"another time", "tandarts", "niet nu"}
	found := func(where, text string, name bool) {
		low := strings.ToLower(text)
		for _, m := range markers {
			if strings.Contains(low, m) {
				t.Errorf("%s says %q: %q", where, m, text)
			}
		}
		if name && (strings.Contains(text, first) || strings.Contains(text, me.Email)) {
			t.Errorf("%s names the mentee: %q", where, text)
		}
	}
	for _, table := range []string{"notices", "mail_deliveries"} {
		var rows []map[string]any
		if err := b.db.Table(table).Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			t.Fatalf("no %s", table)
		}
		for _, r := range rows {
			for col, v := range r {
				if s, ok := v.(string); ok {
					found(table+"."+col, s, true)
				}
			}
		}
	}
	for i, raw := range msgs {
		subject, body := mailText(t, raw)
		if !strings.Contains(strings.ToLower(subject), "nieuws") {
			t.Errorf("subject %q, want news", subject)
		}
		found("a mail's subject", subject, true)
		found("a mail's body", body, toMentor[i])
	}

	// The app still tells each of them what happened.
	says := func(v models.Viewer) []string {
		rows, err := models.ListNotices(ctx, b.db, v, 20)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.Says)
		}
		slices.Sort(out)
		return out
	}
	for _, want := range []string{models.SaysOneOnOneUrgent, models.SaysOneOnOneAsked, models.SaysOneOnOneDeclined, models.SaysApologySent} {
		if !slices.Contains(says(mentor), want) {
			t.Errorf("the mentor's notices %v lack %s", says(mentor), want)
		}
	}
	for _, want := range []string{models.SaysOneOnOneDeclined, models.SaysOneOnOneCountered} {
		if !slices.Contains(says(sanne), want) {
			t.Errorf("the mentee's notices %v lack %s", says(sanne), want)
		}
	}
}
