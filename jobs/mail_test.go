package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/app/i18n"
	"crossmentor/app/mailer"
	"crossmentor/jobs"
	"crossmentor/models"
	"crossmentor/templates"
)

// clock is a fake clock shared by the runners of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func runner(t testing.TB, db *gorm.DB, sink *apptest.SMTPSink, now func() time.Time) jobs.Mail {
	t.Helper()
	cat, err := i18n.Load(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	r, err := mailer.NewRenderer(templates.FS(), cat, "http://localhost:8080", func() *time.Location { return ams })
	if err != nil {
		t.Fatal(err)
	}
	smtp, err := mailer.ParseSMTP(sink.URL, "crossmentor <noreply@localhost>")
	if err != nil {
		t.Fatal(err)
	}
	return jobs.Mail{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Sender: smtp, Renderer: r, Now: now}
}

// keyOf reads the delivery key back from a message's Message-ID.
var messageID = regexp.MustCompile(`(?m)^Message-ID: <([^>]+)>`)

func keys(t *testing.T, msgs []apptest.Received) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range msgs {
		k := messageID.FindStringSubmatch(m.Data)
		if k == nil {
			t.Fatalf("message without Message-ID:\n%s", m.Data)
		}
		out[k[1]]++
	}
	return out
}

// TestRemindersAndNotices: a week before a meeting every member and the
// mentor get one reminder with the meeting's ICS; running again sends
// nothing; moving the meeting sends a notice and withdraws stale reminders;
// mails hold no confidential text.
func TestRemindersAndNotices(t *testing.T) {
	db := apptest.Demo(t)
	sink := apptest.NewSMTPSink(t)
	var m models.Meeting
	db.Where("kind = ? AND starts_at > ?", models.KindIntervision, time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)).Order("starts_at").First(&m)
	clk := &clock{t: m.StartsAt.AddDate(0, 0, -7).Add(time.Minute)}
	job := runner(t, db, sink, clk.Now)
	ctx := context.Background()
	db.Model(&models.DatePoll{}).Where("status = 'open'").Update("status", "closed") // only this meeting's mail here
	if err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	first := sink.Messages()
	if len(first) != 6 { // five active mentees and the mentor
		t.Fatalf("%d mails, want 6", len(first))
	}
	for _, msg := range first {
		// A meeting of a series is in calendars through the series'
		// invitation: its reminder invites to nothing again.
		if strings.Contains(msg.Data, "text/calendar") || !strings.Contains(msg.Data, "Groep Noord") {
			t.Fatalf("reminder with an invitation, or without the group:\n%.600s", msg.Data)
		}
		for _, secret := range []string{"dashboard", "rapport dat niemand", "Lastige leverancier", "leveranciers", "drukke weken"} {
			if strings.Contains(msg.Data, secret) {
				t.Fatalf("mail holds %q", secret)
			}
		}
	}
	if err := job.Run(ctx); err != nil || len(sink.Messages()) != 6 {
		t.Fatalf("second run sent again: %d mails, %v", len(sink.Messages()), err)
	}
	// The mentor moves the meeting by a day: a change notice for everyone.
	mentor := models.Viewer{PersonID: mentorID(t, db), Mentor: true}
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	ctx2 := models.WithRequest(ctx, "127.0.0.1", clk.Now)
	if _, err := models.UpdateMeeting(ctx2, db, mentor, m.ID, models.MeetingInput{Date: m.StartsAt.In(ams).AddDate(0, 0, 1).Format("2006-01-02"),
		StartTime: "14:00", DurationMin: 120, Kind: string(m.Kind), Method: m.MethodKey}); err != nil {
		t.Fatal(err)
	}
	if err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// The move also reopens case submission (the deadline is a day later):
	// the five mentees get the call for cases.
	if n := len(sink.Messages()); n != 17 {
		t.Fatalf("%d mails after the move, want 17 (6 reminders, 6 notices, 5 calls for cases)", n)
	}
	// The day before, the 1-day reminder goes out for the new date only.
	clk.Set(m.StartsAt.Add(time.Hour)) // one day before the moved meeting
	if err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(sink.Messages()); n != 23 {
		t.Fatalf("%d mails after the day-before run, want 23", n)
	}
	for k, n := range keys(t, sink.Messages()) {
		if n > 1 {
			t.Fatalf("%s sent %d times", k, n)
		}
	}
}

func mentorID(t *testing.T, db *gorm.DB) uint {
	var p models.Person
	db.Where("email = ?", "mentor@demo.test").First(&p)
	return p.ID
}

// TestMissedWhileDown: reminders that fell due while no runner was up go
// out at the next run, as long as they are still true: a week reminder
// missed until three days before the meeting is dropped (it would say "in
// a week"), the day reminder still goes out.
func TestMissedWhileDown(t *testing.T) {
	db := apptest.Demo(t)
	sink := apptest.NewSMTPSink(t)
	var m models.Meeting
	db.Where("kind = ? AND starts_at > ?", models.KindIntervision, time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)).Order("starts_at").First(&m)
	// Nothing ran for four days after the 7-day reminder fell due.
	clk := &clock{t: m.StartsAt.AddDate(0, 0, -3)}
	job := runner(t, db, sink, clk.Now)
	if err := job.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Then nothing again until an hour into the last day.
	clk.Set(m.StartsAt.Add(-23 * time.Hour))
	if err := job.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := keys(t, sink.Messages())
	seven, one := 0, 0
	for k := range got {
		if strings.HasPrefix(k, "meeting_7d.") {
			seven++
		}
		if strings.HasPrefix(k, "meeting_1d.") {
			one++
		}
	}
	if seven != 0 || one != 6 {
		t.Fatalf("after the outage: %d week reminders, %d day reminders; want 0 and 6", seven, one)
	}
}

// TestRunnersShareTheQueue: three runners deliver one queue at the same
// time without sending anything twice; a runner that dies between the SMTP
// server accepting a mail and the database recording it causes the one
// documented duplicate, after its claim expires.
func TestRunnersShareTheQueue(t *testing.T) {
	db := apptest.Demo(t)
	sink := apptest.NewSMTPSink(t)
	ctx := context.Background()
	var meetings []models.Meeting
	db.Where("kind = ?", models.KindIntervision).Find(&meetings)
	// Enqueue a busy month: a week-reminder for every meeting, due now.
	clk := &clock{t: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)}
	var n int
	for _, m := range meetings {
		for p := uint(1); p <= 21; p++ {
			d := models.MailDelivery{Key: fmt.Sprintf("load:%d:%d", m.ID, p), Kind: models.MailMeetingChanged, RecipientID: p,
				SubjectType: "meeting", SubjectID: m.ID, Occurrence: time.Unix(int64(m.Sequence), 0), Status: models.DeliveryPending,
				NextAttemptAt: clk.Now()}
			if err := db.Create(&d).Error; err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	crashes := 0
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		job := runner(t, db, sink, clk.Now)
		job.Batch, job.Workers = 7, 2
		if i == 0 { // this runner dies once right after the SMTP server accepted a mail
			var once sync.Once
			job.AfterSend = func(models.MailDelivery) error {
				err := error(nil)
				once.Do(func() { err = errors.New("runner killed"); crashes++ })
				return err
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			job.Deliver(ctx) //nolint:errcheck // the killed runner stops with its error
		}()
	}
	wg.Wait()
	// The killed runner's claims expire; a restarted runner finishes the queue.
	clk.Set(clk.Now().Add(10 * time.Minute))
	if _, err := runner(t, db, sink, clk.Now).Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	var pending int64
	db.Model(&models.MailDelivery{}).Where("key LIKE 'load:%' AND status = ?", models.DeliveryPending).Count(&pending)
	if pending != 0 {
		t.Fatalf("%d deliveries lost (still pending)", pending)
	}
	got := keys(t, sink.Messages())
	dups := 0
	delivered := 0
	for k, c := range got {
		if strings.HasPrefix(k, "load.") {
			delivered++
			dups += c - 1
		}
	}
	if delivered != n {
		t.Fatalf("%d of %d delivered", delivered, n)
	}
	if dups != crashes {
		t.Fatalf("%d duplicates for %d crashes in the window", dups, crashes)
	}
	t.Logf("%d deliveries by 3 runners; %d duplicate(s), all from the crash between SMTP accept and commit", delivered, dups)
}

// TestOtherReminders: the date poll reminds who has not answered, the
// mentor hears a month before the series ends, and everyone in an active
// group is invited to the evaluation at month 6.
func TestOtherReminders(t *testing.T) {
	db := apptest.Demo(t)
	sink := apptest.NewSMTPSink(t)
	ctx := context.Background()
	count := func(prefix string) (n int) {
		for k := range keys(t, sink.Messages()) {
			if strings.HasPrefix(k, prefix) {
				n++
			}
		}
		return n
	}
	var poll models.DatePoll
	db.Where("status = 'open'").First(&poll)
	clk := &clock{t: poll.CreatedAt.AddDate(0, 0, 2).Add(time.Minute)}
	job := runner(t, db, sink, clk.Now)
	if err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count("poll_waiting."); n != 1 { // three active in Groep West, two answered
		t.Fatalf("%d poll reminders, want 1", n)
	}
	var noord models.MentorGroup
	db.Where("name = ?", "Groep Noord").First(&noord)
	var last models.Meeting
	db.Where("group_id = ?", noord.ID).Order("starts_at DESC").First(&last)
	clk.Set(last.StartsAt.AddDate(0, -1, 0).Add(time.Hour))
	if err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(fmt.Sprintf("series_ending.group.%d.", noord.ID)); n != 1 {
		t.Fatalf("%d series-ending notices for Noord's mentor, want 1", n)
	}
	clk.Set(time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC))
	if err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count("evaluation."); n != 12 { // Noord 5+1, Zuid 5+1 (West is still forming)
		t.Fatalf("%d evaluation invitations, want 12", n)
	}
	if err := job.Run(ctx); err != nil || count("evaluation.") != 12 {
		t.Fatal("evaluation invitations sent twice")
	}
}

// TestBusyMonthWithCrashes drives a fake clock in six-hour steps through
// March into April 2027 and late October into November (clocks go forward
// on 28 March and back on 31 October) with three
// runners sharing the queue, killing one at random points, among them
// between the SMTP server accepting a mail and the database recording it.
// Afterwards every reminder that fell due was delivered, nothing is still
// pending, and the only duplicates are those from that crash window.
func TestBusyMonthWithCrashes(t *testing.T) {
	db := apptest.Demo(t)
	sink := apptest.NewSMTPSink(t)
	ctx := context.Background()
	rng := newRand(20270328)
	// A busy organisation: a planned series for every group, weekly.
	mentors := map[string]string{"Groep Noord": "mentor@demo.test", "Groep Zuid": "pieter.hendriks@demo.test", "Groep West": "iris.vanleeuwen@demo.test"}
	for name, email := range mentors {
		var g models.MentorGroup
		db.Where("name = ?", name).First(&g)
		var mentor models.Person
		db.Where("email = ?", email).First(&mentor)
		db.Where("group_id = ? AND kind <> 'first'", g.ID).Delete(&models.Meeting{})
		if _, err := models.SaveSeries(ctx, db, models.Viewer{PersonID: mentor.ID, Mentor: true}, g.ID, models.SeriesInput{
			FirstOn: "2027-03-02", Until: "2027-11-30", StartTime: "14:00", CadenceWeeks: 1, DurationMin: 90, Policy: "shift"},
			time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	db.Model(&models.DatePoll{}).Where("status = 'open'").Update("status", "closed")
	clk := &clock{}
	crashes := 0
	var mu sync.Mutex
	windows := [][2]time.Time{
		{time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 4, 5, 0, 0, 0, 0, time.UTC)},
		{time.Date(2027, 10, 20, 0, 0, 0, 0, time.UTC), time.Date(2027, 11, 6, 0, 0, 0, 0, time.UTC)},
	}
	steps := []time.Time{}
	for _, w := range windows {
		for at := w[0]; at.Before(w[1]); at = at.Add(6 * time.Hour) {
			steps = append(steps, at)
		}
	}
	for _, at := range steps {
		clk.Set(at)
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			job := runner(t, db, sink, clk.Now)
			job.Batch, job.Workers, job.Lease = 5, 2, time.Hour
			crashHere := rng.Intn(8) == 0
			if crashHere {
				job.AfterSend = func(models.MailDelivery) error {
					mu.Lock()
					defer mu.Unlock()
					if crashHere {
						crashHere = false
						crashes++
						return errors.New("runner killed between SMTP accept and commit")
					}
					return nil
				}
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := job.Run(ctx); err != nil && !strings.Contains(err.Error(), "killed") {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	// Restart after the last kill: claims of killed runners expire.
	clk.Set(clk.Now().Add(2 * time.Hour))
	if err := runner(t, db, sink, clk.Now).Run(ctx); err != nil {
		t.Fatal(err)
	}
	var pending int64
	db.Model(&models.MailDelivery{}).Where("status = ? AND next_attempt_at <= ?", models.DeliveryPending, clk.Now()).Count(&pending)
	if pending != 0 {
		t.Fatalf("%d due deliveries still pending: lost", pending)
	}
	var sent []models.MailDelivery
	db.Where("status = ?", models.DeliverySent).Find(&sent)
	got := keys(t, sink.Messages())
	dups := 0
	for _, d := range sent {
		id := strings.NewReplacer(":", ".", "@", ".").Replace(d.Key) + "@crossmentor"
		switch n := got[id]; {
		case n == 0:
			t.Fatalf("delivery %s recorded as sent but never received", d.Key)
		case n > 1:
			dups += n - 1
		}
	}
	if dups != crashes {
		t.Fatalf("%d duplicates for %d crashes in the SMTP-accepted-not-committed window", dups, crashes)
	}
	// Both sides of both DST changes: meetings got their day reminders, a day
	// ahead in wall-clock terms (14:00 the day before, local time).
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	sides := map[string]int{}
	for _, d := range sent {
		if d.Kind != models.MailMeeting1d {
			continue
		}
		o := d.Occurrence
		switch {
		case o.Before(time.Date(2027, 3, 28, 0, 0, 0, 0, time.UTC)):
			sides["before spring"]++
		case o.Before(time.Date(2027, 4, 10, 0, 0, 0, 0, time.UTC)):
			sides["after spring"]++
		case o.Before(time.Date(2027, 10, 31, 0, 0, 0, 0, time.UTC)):
			sides["before autumn"]++
		default:
			sides["after autumn"]++
		}
		if o.In(ams).Hour() != 14 {
			t.Fatalf("meeting at %s local", o.In(ams))
		}
	}
	for _, side := range []string{"before spring", "after spring", "before autumn", "after autumn"} {
		if sides[side] == 0 {
			t.Fatalf("no day reminders %s: %v", side, sides)
		}
	}
	t.Logf("%d mails delivered over seven weeks by three runners; %d runner crash(es) in the window, %d duplicate(s)", len(sent), crashes, dups)
}

func newRand(seed int64) *rand.Rand { return rand.New(rand.NewSource(seed)) }

// TestOrganisationSwitchesRemindersOff: a kind the organisation switches
// off reaches no one, and a pending mail of that kind is withdrawn; switched
// on again, the next one goes out.
func TestOrganisationSwitchesRemindersOff(t *testing.T) {
	db := apptest.Demo(t)
	sink := apptest.NewSMTPSink(t)
	ctx := context.Background()
	var m models.Meeting
	db.Where("kind = ? AND starts_at > ?", models.KindIntervision, time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)).Order("starts_at").First(&m)
	db.Model(&models.DatePoll{}).Where("status = 'open'").Update("status", "closed")
	var admin models.Person
	db.Where("email = ?", "admin@demo.test").First(&admin)
	adminV := models.Viewer{PersonID: admin.ID, Admin: true}
	org, err := models.GetOrganisation(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	settings := models.OrganisationInput{Name: org.Name, TimeZone: org.TimeZone, DefaultLanguage: org.DefaultLanguage}
	for _, k := range models.ReminderKinds {
		if k != models.MailMeeting7d {
			settings.RemindersOn = append(settings.RemindersOn, k)
		}
	}
	if err := models.UpdateOrganisation(ctx, db, adminV, settings); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: m.StartsAt.AddDate(0, 0, -7).Add(time.Minute)}
	if err := runner(t, db, sink, clk.Now).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(sink.Messages()); n != 0 {
		t.Fatalf("%d week reminders sent while switched off", n)
	}
	var withdrawn int64
	db.Model(&models.MailDelivery{}).Where("kind = ? AND status = ?", models.MailMeeting7d, models.DeliveryWithdrawn).Count(&withdrawn)
	if withdrawn == 0 {
		t.Fatal("the week reminders were not withdrawn")
	}
	settings.RemindersOn = append(settings.RemindersOn, models.MailMeeting7d)
	if err := models.UpdateOrganisation(ctx, db, adminV, settings); err != nil {
		t.Fatal(err)
	}
	clk.Set(m.StartsAt.Add(-23 * time.Hour))
	if err := runner(t, db, sink, clk.Now).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(sink.Messages()); n != 6 {
		t.Fatalf("%d day-before reminders after switching back on, want 6", n)
	}
}
