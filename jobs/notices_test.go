package jobs_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// noticeBench is a demo database, the mail job and the SMTP sink, with a
// view of what each occasion added.
type noticeBench struct {
	t    *testing.T
	db   *gorm.DB
	sink *apptest.SMTPSink
	job  interface {
		Deliver(context.Context) (int, error)
	}
	lastNotice uint
	lastMail   int
	offset     time.Duration // how far the job's clock runs ahead of the real one
}

func newNoticeBench(t *testing.T) *noticeBench {
	db := apptest.Demo(t)
	sink := apptest.NewSMTPSink(t)
	b := &noticeBench{t: t, db: db, sink: sink}
	job := runner(t, db, sink, func() time.Time { return time.Now().Add(b.offset) })
	b.job = job
	b.settle()
	return b
}

// settle sends whatever is due and remembers where the notices and the
// mailbox stand.
func (b *noticeBench) settle() {
	b.t.Helper()
	if _, err := b.job.Deliver(context.Background()); err != nil {
		b.t.Fatal(err)
	}
	var last models.Notice
	b.db.Order("id DESC").Limit(1).Find(&last)
	b.lastNotice, b.lastMail = last.ID, len(b.sink.Messages())
}

// since returns, per kind, who got a notice and who got a mail since the
// last settle, and the new mails themselves.
func (b *noticeBench) since() (notices map[string][]string, mailed []string, msgs []apptest.Received) {
	b.t.Helper()
	if _, err := b.job.Deliver(context.Background()); err != nil {
		b.t.Fatal(err)
	}
	var rows []struct {
		Kind  string
		Email string
	}
	if err := b.db.Table("notices").Select("notices.kind, p.email").Joins("JOIN people p ON p.id = notices.recipient_id").
		Where("notices.id > ?", b.lastNotice).Scan(&rows).Error; err != nil {
		b.t.Fatal(err)
	}
	notices = map[string][]string{}
	for _, r := range rows {
		notices[r.Kind] = append(notices[r.Kind], r.Email)
	}
	for k := range notices {
		slices.Sort(notices[k])
	}
	msgs = b.sink.Messages()[b.lastMail:]
	for _, m := range msgs {
		mailed = append(mailed, m.To...)
	}
	slices.Sort(mailed)
	b.settle()
	return notices, mailed, msgs
}

func (b *noticeBench) person(email string) uint {
	b.t.Helper()
	var p models.Person
	if err := b.db.Where("email = ?", email).Take(&p).Error; err != nil {
		b.t.Fatal(err)
	}
	return p.ID
}

func (b *noticeBench) group(name string) uint {
	b.t.Helper()
	var g models.MentorGroup
	if err := b.db.Where("name = ?", name).Take(&g).Error; err != nil {
		b.t.Fatal(err)
	}
	return g.ID
}

func sorted(s ...string) []string { slices.Sort(s); return s }

var (
	noord = sorted("mentor@demo.test", "mentee@demo.test", "ahmed.elamrani@demo.test", "lotte.visser@demo.test",
		"daan.smit@demo.test", "yara.mulder@demo.test")
	westMentees = sorted("anouk.peters@demo.test", "bram.meijer@demo.test", "fleur.degroot@demo.test")
	// secrets of the demo that no mail may hold.
	secrets = []string{"rapport dat niemand", "Lastige leverancier", "leveranciers", "drukke weken", "Wat ik wil delen", "Geheime reden"}
)

// TestNoticeOccasions: each occasion gives the right people a notice in
// the app and a mail in their language, and nobody else; no mail holds
// confidential text.
func TestNoticeOccasions(t *testing.T) {
	b := newNoticeBench(t)
	ctx := context.Background()
	mentor := models.Viewer{PersonID: b.person("mentor@demo.test"), Mentor: true}
	iris := models.Viewer{PersonID: b.person("iris.vanleeuwen@demo.test"), Mentor: true}
	admin := models.Viewer{PersonID: b.person("admin@demo.test"), Admin: true}
	sanne := models.Viewer{PersonID: b.person("mentee@demo.test"), Mentee: true}
	west, nrd := b.group("Groep West"), b.group("Groep Noord")
	// One mentee reads in English: her mails are in English.
	b.db.Model(&models.Person{}).Where("email = ?", "anouk.peters@demo.test").Update("language", "en")
	var future models.Meeting
	b.db.Where("group_id = ? AND kind = ? AND status = ? AND starts_at > ?", nrd, models.KindIntervision, models.MeetingPlanned,
		time.Now().AddDate(0, 0, 14)).Order("starts_at").First(&future)
	var poll models.DatePoll
	var submitted models.CaseQuestion

	steps := []struct {
		name   string
		do     func() error
		want   map[string][]string // kind → who gets a notice
		mailed []string            // who gets a mail
		lead   string              // a word of the Dutch mails
	}{
		{"poll opened (the open one closes)", func() error {
			var err error
			poll, err = models.CreatePoll(ctx, b.db, iris, west, models.PollInput{Options: []string{"2027-02-02T10:00", "2027-02-04T14:00"}, DurationMin: 90})
			return err
		}, map[string][]string{models.NoticePollOpened: westMentees, models.NoticePollClosed: westMentees},
			sorted(append(slices.Clone(westMentees), westMentees...)...), "datumprikker"},
		{"first date fixed", func() error {
			var o models.PollOption
			b.db.Where("poll_id = ?", poll.ID).Order("starts_at").First(&o)
			_, err := models.PickPollDate(ctx, b.db, iris, west, o.ID)
			return err
		}, map[string][]string{models.NoticeDateFixed: sorted(append(slices.Clone(westMentees), "iris.vanleeuwen@demo.test")...)},
			sorted(append(slices.Clone(westMentees), "iris.vanleeuwen@demo.test")...), "eerste bijeenkomst"},
		{"series extended", func() error {
			_, err := models.ExtendSeries(ctx, b.db, mentor, nrd, 2)
			return err
		}, map[string][]string{models.NoticeSeriesPlanned: noord}, noord, "reeks"},
		{"meeting moved", func() error {
			ams, _ := time.LoadLocation("Europe/Amsterdam")
			_, err := models.UpdateMeeting(ctx, b.db, mentor, future.ID, models.MeetingInput{Date: future.StartsAt.In(ams).AddDate(0, 0, 1).Format("2006-01-02"),
				StartTime: "15:00", DurationMin: 90, Kind: string(future.Kind), Method: future.MethodKey})
			return err
		}, map[string][]string{models.MailMeetingChanged: noord}, noord, "verplaatst"},
		{"meeting cancelled, with a reason that stays out of the mail", func() error {
			_, err := models.SetMeetingStatus(ctx, b.db, mentor, future.ID, models.StatusChange{Status: "cancelled", Reason: "Geheime reden"})
			return err
		}, map[string][]string{models.MailMeetingCancel: noord}, noord, "niet door"},
		{"case submitted", func() error {
			var err error
			submitted, err = models.SubmitCase(ctx, b.db, sanne, nrd, models.CaseInput{Title: "Lastige leverancier 2", Question: "Hoe nu?", Visibility: "mentor"}, time.Now())
			return err
		}, map[string][]string{models.NoticeCaseSubmitted: {"mentor@demo.test"}}, []string{"mentor@demo.test"}, "casus"},
		{"case placed", func() error {
			var m models.Meeting
			b.db.Where("group_id = ? AND kind = ? AND status = ? AND starts_at > ?", nrd, models.KindIntervision, models.MeetingPlanned, time.Now()).
				Order("starts_at").First(&m)
			_, err := models.PlaceCase(ctx, b.db, mentor, submitted.ID, models.PlaceInput{MeetingID: m.ID})
			return err
		}, map[string][]string{models.NoticeCasePlaced: {"mentee@demo.test"}}, []string{"mentee@demo.test"}, "ingepland"},
		{"text shared", func() error {
			_, err := models.GrantConsent(ctx, b.db, sanne, models.ConsentInput{RecipientID: b.person("manager@demo.test"), Text: "Wat ik wil delen",
				Purpose: "jaargesprek", Until: models.DateOf(time.Now()).AddMonths(1).String(), Agreed: true}, "akkoord", models.DateOf(time.Now()))
			return err
		}, map[string][]string{models.NoticeTextShared: {"manager@demo.test"}}, []string{"manager@demo.test"}, "gedeeld"},
		{"new mentor", func() error {
			var g models.MentorGroup
			b.db.Take(&g, west)
			_, err := models.UpdateGroup(ctx, b.db, admin, west, models.GroupInput{Name: g.Name, MentorID: b.person("pieter.hendriks@demo.test"),
				Discipline: g.Discipline, Status: string(g.Status)})
			return err
		}, nil, nil, "mentor"},
		{"invitation to crossmentor (mail only: the person cannot sign in yet)", func() error {
			p, err := models.CreatePerson(ctx, b.db, admin, models.PersonInput{Name: "Nieuwe Collega", Email: "nieuw@demo.test"})
			if err != nil {
				return err
			}
			return models.Invite(ctx, b.db, admin, p.ID, time.Now())
		}, map[string][]string{}, []string{"nieuw@demo.test"}, "crossmentor"},
		{"password reset (mail only)", func() error {
			return models.ForgotPassword(ctx, b.db, "lotte.visser@demo.test", "198.51.100.7", models.SignInLimits{Window: time.Hour,
				ForgotPerAccount: 5, PerAddress: 50}, time.Now())
		}, map[string][]string{}, []string{"lotte.visser@demo.test"}, "wachtwoord"},
	}
	calendars := mailCalendar{}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got, mailed, msgs := b.since()
		if s.name == "new mentor" {
			// Whoever is in Groep West now, and its new mentor.
			var want []string
			b.db.Table("memberships m").Select("p.email").Joins("JOIN people p ON p.id = m.person_id").
				Where("m.group_id = ? AND m.status IN ?", west, models.AdmittedStatuses).Scan(&want)
			want = sorted(append(want, "pieter.hendriks@demo.test")...)
			// The former mentor gets the first meeting out of her calendar.
			s.want, s.mailed = map[string][]string{models.MailMentorChanged: want}, sorted(append(slices.Clone(want), "iris.vanleeuwen@demo.test")...)
		}
		if len(got) != len(s.want) {
			t.Errorf("%s: notices %v, want %v", s.name, got, s.want)
		}
		for k, want := range s.want {
			if !slices.Equal(got[k], want) {
				t.Errorf("%s: %s notices for %v, want %v", s.name, k, got[k], want)
			}
		}
		if !slices.Equal(mailed, s.mailed) {
			t.Errorf("%s: mails to %v, want %v", s.name, mailed, s.mailed)
		}
		for _, m := range msgs {
			for _, cal := range invitations(t, m.Data) {
				ev := cal.Events()[0]
				if a := ev.Props.Values(ical.PropAttendee); len(a) != 1 || a[0].Value != "mailto:"+m.To[0] {
					t.Errorf("%s: invitation to %v names attendees %v", s.name, m.To, a)
				}
				if o := ev.Props.Get(ical.PropOrganizer); o == nil || !strings.HasSuffix(o.Value, "@demo.test") {
					t.Errorf("%s: invitation without the mentor as organiser: %v", s.name, o)
				}
				calendars.apply(t, m.To[0], cal)
			}
			body := strings.ToLower(decoded(m.Data))
			for _, secret := range secrets {
				if strings.Contains(body, strings.ToLower(secret)) {
					t.Errorf("%s: the mail to %v holds %q", s.name, m.To, secret)
				}
			}
			if slices.Contains(m.To, "anouk.peters@demo.test") {
				if !strings.Contains(body, "lang=\"en\"") || strings.Contains(body, "hallo ") {
					t.Errorf("%s: the mail to an English reader is not in English:\n%.800s", s.name, body)
				}
			} else if !strings.Contains(body, strings.ToLower(s.lead)) || !strings.Contains(body, "lang=\"nl\"") {
				t.Errorf("%s: the mail to %v lacks %q or lang=nl:\n%.1500s", s.name, m.To, s.lead, body)
			}
		}
		if strings.HasPrefix(s.name, "meeting cancelled") {
			// The first date, the move and the cancellation reached every
			// calendar as the feed has them.
			if len(calendars) != len(noord)+len(westMentees)+1 {
				t.Errorf("invitations reached %d people, want %d", len(calendars), len(noord)+len(westMentees)+1)
			}
			compareWithFeeds(t, b.db, calendars)
		}
	}
}

// decoded is a mail's source with quoted-printable soft breaks and
// escapes undone, so that text can be searched.
func decoded(raw string) string {
	raw = strings.ReplaceAll(raw, "=\r\n", "")
	var out strings.Builder
	for i := 0; i < len(raw); i++ {
		if raw[i] == '=' && i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]) {
			out.WriteByte(unhex(raw[i+1])<<4 | unhex(raw[i+2]))
			i += 2
			continue
		}
		out.WriteByte(raw[i])
	}
	return out.String()
}

func isHex(c byte) bool { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') }
func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'A' + 10
}

// TestNoticeDeliveryChoices: a person who chose the daily digest gets one
// mail the next morning listing the notice, one who chose the app gets no
// mail, and a mail at once is withdrawn when its recipient switched to
// the app before it went out.
func TestNoticeDeliveryChoices(t *testing.T) {
	b := newNoticeBench(t)
	ctx := context.Background()
	iris := models.Viewer{PersonID: b.person("iris.vanleeuwen@demo.test"), Mentor: true}
	anouk := models.Viewer{PersonID: b.person("anouk.peters@demo.test")}
	bram := models.Viewer{PersonID: b.person("bram.meijer@demo.test")}
	if err := models.SetNoticeModes(ctx, b.db, anouk, map[string]string{models.NoticePollOpened: models.NoticeByDigest}); err != nil {
		t.Fatal(err)
	}
	if err := models.SetNoticeModes(ctx, b.db, bram, map[string]string{models.NoticePollOpened: models.NoticeInApp,
		models.NoticePollClosed: models.NoticeInApp}); err != nil {
		t.Fatal(err)
	}
	west := b.group("Groep West")
	if _, err := models.CreatePoll(ctx, b.db, iris, west, models.PollInput{Options: []string{"2027-02-02T10:00", "2027-02-04T14:00"}}); err != nil {
		t.Fatal(err)
	}
	got, mailed, _ := b.since()
	if !slices.Equal(got[models.NoticePollOpened], westMentees) {
		t.Fatalf("poll_opened notices %v, want %v", got[models.NoticePollOpened], westMentees)
	}
	want := sorted("anouk.peters@demo.test", "fleur.degroot@demo.test", "fleur.degroot@demo.test")
	if !slices.Equal(mailed, want) {
		t.Fatalf("mails to %v, want %v (anouk: the closed poll only; bram: none)", mailed, want)
	}
	// The next morning after seven: one digest, for anouk only, with the notice.
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	local := time.Now().In(ams)
	morning := time.Date(local.Year(), local.Month(), local.Day()+1, models.DigestHour, 5, 0, 0, ams)
	b.offset = time.Until(morning)
	for range 2 {
		if err := models.ScheduleDigests(ctx, b.db, morning); err != nil {
			t.Fatal(err)
		}
	}
	_, mailed, msgs := b.since()
	if !slices.Equal(mailed, []string{"anouk.peters@demo.test"}) {
		t.Fatalf("digests to %v, want anouk once", mailed)
	}
	body := decoded(msgs[0].Data)
	if !strings.Contains(body, "De datumprikker van Groep West staat open") || !strings.Contains(body, "/notices/") {
		t.Fatalf("the digest does not list the notice:\n%s", body)
	}
	// A day later nothing is left to gather.
	if err := models.ScheduleDigests(ctx, b.db, morning.AddDate(0, 0, 1)); err != nil {
		t.Fatal(err)
	}
	if _, mailed, _ = b.since(); len(mailed) != 0 {
		t.Fatalf("a second digest went to %v", mailed)
	}
	// Fleur switches date notices to the app while their mail waits in the queue.
	var o models.PollOption
	b.db.Where("poll_id = (SELECT MAX(id) FROM date_polls WHERE group_id = ?)", west).Order("starts_at").First(&o)
	if _, err := models.PickPollDate(ctx, b.db, iris, west, o.ID); err != nil {
		t.Fatal(err)
	}
	fleur := models.Viewer{PersonID: b.person("fleur.degroot@demo.test")}
	if err := models.SetNoticeModes(ctx, b.db, fleur, map[string]string{models.NoticeDateFixed: models.NoticeInApp}); err != nil {
		t.Fatal(err)
	}
	got, mailed, _ = b.since()
	if slices.Contains(mailed, "fleur.degroot@demo.test") || !slices.Contains(got[models.NoticeDateFixed], "fleur.degroot@demo.test") {
		t.Fatalf("fleur, app only since: mails %v, notices %v", mailed, got)
	}
}
