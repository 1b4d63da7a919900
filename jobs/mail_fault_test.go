package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/app/mailer"
	"crossmentor/jobs"
	"crossmentor/models"
)

// fastClock runs factor times faster than the wall clock, so a test can
// live through minutes of job schedule in seconds. SMTP timeouts are real
// time, so the tests divide them by the same factor. The factor keeps an
// SMTP step timeout at a second or more and a claim's lease at six seconds
// or more: with less, a pause of a loaded machine (seen: two seconds under
// the race detector) can outlast the wait for the server's 250 after a
// message it already stored, which is SMTP's own ambiguity (the same
// Message-ID lets the receiving side drop that copy), or a lease while the
// sender holds it, which no lease can rule out.
type fastClock struct {
	start  time.Time
	base   time.Time
	factor time.Duration
}

func (c fastClock) Now() time.Time { return c.base.Add(time.Since(c.start) * c.factor) }

// real is d of the fast clock in wall-clock time.
func (c fastClock) real(d time.Duration) time.Duration { return d / c.factor }

// enqueueLoad puts n change notices in the queue, all due at now.
func enqueueLoad(t *testing.T, db *gorm.DB, n int, now time.Time) {
	t.Helper()
	var meetings []models.Meeting
	if err := db.Where("kind = ?", models.KindIntervision).Order("id").Find(&meetings).Error; err != nil || len(meetings) == 0 {
		t.Fatalf("meetings: %v", err)
	}
	rows := make([]models.MailDelivery, 0, n)
	for i := 0; i < n; i++ {
		m := meetings[i%len(meetings)]
		rows = append(rows, models.MailDelivery{Key: fmt.Sprintf("load:%d:%d", m.ID, i), Kind: models.MailMeetingChanged,
			RecipientID: uint(i%21) + 1, SubjectType: "meeting", SubjectID: m.ID, Occurrence: time.Unix(int64(m.Sequence), 0),
			Status: models.DeliveryPending, NextAttemptAt: now})
	}
	if err := db.CreateInBatches(rows, 200).Error; err != nil {
		t.Fatal(err)
	}
}

// scheduleRuns starts a Deliver run on every replica each minute of the
// fast clock (runs overlap, as River's periodic job does when a run takes
// longer than a minute), until done is closed.
func scheduleRuns(ctx context.Context, clk fastClock, replicas []jobs.Mail, done <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	for _, job := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(clk.real(time.Minute))
			defer tick.Stop()
			var runs sync.WaitGroup
			defer runs.Wait()
			for {
				runs.Add(1)
				go func() { defer runs.Done(); job.Deliver(ctx) }() //nolint:errcheck // a failed run is retried next minute
				select {
				case <-done:
					return
				case <-tick.C:
				}
			}
		}()
	}
	return &wg
}

// exactlyOnce waits until nothing is pending and checks every queued load
// mail reached the server exactly once.
func exactlyOnce(t *testing.T, db *gorm.DB, sink *apptest.SMTPSink, n int, within time.Duration) (dups, missing int) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		var open int64
		if err := db.Model(&models.MailDelivery{}).Where("key LIKE 'load:%' AND status <> ?", models.DeliverySent).Count(&open).Error; err != nil {
			t.Fatal(err)
		}
		if open == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	got := keys(t, sink.Messages())
	delivered := 0
	for k, c := range got {
		if strings.HasPrefix(k, "load.") {
			delivered++
			dups += c - 1
		}
	}
	return dups, n - delivered
}

// fastRunner is a mail runner on the fast clock: SMTP steps time out after
// timeout of clock time, claims last lease of clock time.
func fastRunner(t *testing.T, db *gorm.DB, sink *apptest.SMTPSink, clk fastClock, timeout, lease time.Duration) jobs.Mail {
	t.Helper()
	job := runner(t, db, sink, clk.Now)
	smtp, err := mailer.ParseSMTPTimeout(sink.URL, "crossmentor <noreply@localhost>", clk.real(timeout))
	if err != nil {
		t.Fatal(err)
	}
	job.Sender, job.SendTimeout, job.Lease = smtp, clk.real(timeout), lease
	return job
}

// TestMailServerHangsFourMinutes: the mail server stops answering for four
// minutes while 302 mails are due; two replicas run every minute with
// batches of 200 over four senders and a 20-second SMTP timeout, so a
// batch outlives its claim many times over. Every mail arrives exactly
// once.
func TestMailServerHangsFourMinutes(t *testing.T) {
	db := apptest.Demo(t)
	sink := apptest.NewSMTPSink(t)
	clk := fastClock{start: time.Now(), base: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC), factor: 20}
	const n = 302
	enqueueLoad(t, db, n, clk.Now())
	sink.HangFor(clk.real(4 * time.Minute))
	replicas := []jobs.Mail{fastRunner(t, db, sink, clk, 20*time.Second, 2*time.Minute),
		fastRunner(t, db, sink, clk, 20*time.Second, 2*time.Minute)}
	done := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wg := scheduleRuns(ctx, clk, replicas, done)
	dups, missing := exactlyOnce(t, db, sink, n, 60*time.Second)
	close(done)
	wg.Wait()
	var failed int64
	db.Model(&models.MailDelivery{}).Where("key LIKE 'load:%' AND status = ?", models.DeliveryFailed).Count(&failed)
	t.Logf("hang of 4 min: %d mails, %d SMTP attempts, %d duplicates, %d missing, %d failed", n, sink.Attempts(), dups, missing, failed)
	if dups != 0 || missing != 0 {
		t.Fatalf("%d duplicates and %d missing of %d", dups, missing, n)
	}
}

// TestMailServerSlowPerMail: each mail takes 1.5 s to accept and 602 are
// due, so one run's batch of 200 over four senders (75 s) outlives a
// one-minute claim, and the next minute's run claims the rest. Every mail
// arrives exactly once.
func TestMailServerSlowPerMail(t *testing.T) {
	db := apptest.Demo(t)
	sink := apptest.NewSMTPSink(t)
	clk := fastClock{start: time.Now(), base: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC), factor: 10}
	const n = 602
	enqueueLoad(t, db, n, clk.Now())
	sink.SlowRcpt = clk.real(1500 * time.Millisecond)
	// A 10-second step timeout lets the claim be one minute, as before.
	replicas := []jobs.Mail{fastRunner(t, db, sink, clk, 10*time.Second, time.Minute)}
	done := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wg := scheduleRuns(ctx, clk, replicas, done)
	dups, missing := exactlyOnce(t, db, sink, n, 60*time.Second)
	close(done)
	wg.Wait()
	t.Logf("1.5 s per mail: %d mails, %d duplicates, %d missing", n, dups, missing)
	if dups != 0 || missing != 0 {
		t.Fatalf("%d duplicates and %d missing of %d", dups, missing, n)
	}
}

// TestMailServerRefuses: a server that refuses (451) for three minutes
// delays mail; nothing is lost or sent twice, and each refusal counts as
// one attempt.
func TestMailServerRefuses(t *testing.T) {
	db := apptest.Demo(t)
	sink := apptest.NewSMTPSink(t)
	clk := fastClock{start: time.Now(), base: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC), factor: 20}
	const n = 50
	enqueueLoad(t, db, n, clk.Now())
	sink.Refuse(true)
	time.AfterFunc(clk.real(3*time.Minute), func() { sink.Refuse(false) })
	replicas := []jobs.Mail{fastRunner(t, db, sink, clk, 20*time.Second, 2*time.Minute),
		fastRunner(t, db, sink, clk, 20*time.Second, 2*time.Minute)}
	done := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wg := scheduleRuns(ctx, clk, replicas, done)
	dups, missing := exactlyOnce(t, db, sink, n, 60*time.Second)
	close(done)
	wg.Wait()
	if dups != 0 || missing != 0 {
		t.Fatalf("%d duplicates and %d missing of %d", dups, missing, n)
	}
	var over int64
	db.Model(&models.MailDelivery{}).Where("key LIKE 'load:%' AND attempts >= ?", models.MaxMailAttempts).Count(&over)
	if over != 0 {
		t.Fatalf("%d deliveries counted %d or more attempts in three minutes of refusals", over, models.MaxMailAttempts)
	}
}
