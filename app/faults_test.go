package app_test

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/vault"
	"crossmentor/models"
)

// loadSeconds is the length of the fault run: 30 s in CI, and
// LOAD_SECONDS=300 for the long run.
func loadSeconds() time.Duration {
	if n, err := strconv.Atoi(os.Getenv("LOAD_SECONDS")); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return 30 * time.Second
}

// loadKey reads a queued test mail's number back from its Message-ID.
var loadKey = regexp.MustCompile(`(?m)^Message-ID: <load\.(\d+)@`)

// TestLoadWithFaults is the fault harness: three replicas of the real
// binary serve one PostgreSQL database and deliver a queue of mail to a
// recording mail server, under writers, readers and bursts of identical
// requests. On the way the mail server hangs (and a replica is killed with
// SIGKILL while it hangs), PostgreSQL restarts, the mail server refuses
// (and another replica is killed), and replacements start. Afterwards: no
// 500 outside the database outage, every acknowledged write stored, every
// burst left one result, every mail went out exactly once, and the app was
// ready within 10 s of the database.
func TestLoadWithFaults(t *testing.T) {
	if !apptest.Postgres() {
		t.Skip("runs in the PostgreSQL pass (TEST_DATABASE_URL); it starts a server of its own")
	}
	duration := loadSeconds()
	pg := newPGServer(t)
	db, err := gorm.Open(postgres.Open(pg.URL()), &gorm.Config{TranslateError: true, Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	spec := sealWithTestKeys(t, db)
	ctx := t.Context()
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := app.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	sink := apptest.NewSMTPSink(t)
	sink.Delay = 10 * time.Millisecond
	mails := int(duration.Seconds()) * 60
	enqueueMail(t, db, mails)

	cluster := newCluster(t, buildBinary(t), map[string]string{
		"CROSSMENTOR_DATABASE_URL": pg.URL(), "CROSSMENTOR_DATA_KEYS": spec, "CROSSMENTOR_SMTP_URL": sink.URL,
		"CROSSMENTOR_JOBS": "true", "CROSSMENTOR_LOG_LEVEL": "error",
	})
	for i := 0; i < 3; i++ {
		cluster.start()
	}
	load := newLoad(t, db, cluster)
	load.run()

	at := func(share float64) {
		time.Sleep(time.Until(load.started.Add(time.Duration(share * float64(duration)))))
	}
	at(0.15)
	sink.HangFor(duration / 4)
	at(0.25)
	cluster.kill(0) // while every sender waits on the hanging server
	cluster.start()
	at(0.45)
	load.outage(func() {
		pg.Stop()
		time.Sleep(2 * time.Second)
		pg.Start()
	})
	at(0.65)
	sink.Refuse(true)
	at(0.7)
	cluster.kill(1)
	cluster.start()
	at(0.8)
	sink.Refuse(false)
	at(1)
	load.stop()

	// Mail claimed by a killed replica waits for its lease and the next
	// run of the mail job (every minute): allow for both.
	deadline := time.Now().Add(4 * time.Minute)
	for {
		var pending int64
		if err := db.Model(&models.MailDelivery{}).Where("key LIKE 'load:%' AND status = ?", models.DeliveryPending).Count(&pending).Error; err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d mails still waiting four minutes after the run", pending)
		}
		time.Sleep(500 * time.Millisecond)
	}
	load.report()

	sent := map[int]int{}
	for _, m := range sink.Messages() {
		if k := loadKey.FindStringSubmatch(m.Data); k != nil {
			n, _ := strconv.Atoi(k[1])
			sent[n]++
		}
	}
	duplicates, missing := 0, 0
	for n := 0; n < mails; n++ {
		switch c := sent[n]; {
		case c == 0:
			missing++
		case c > 1:
			duplicates += c - 1
		}
	}
	t.Logf("%d mails queued, %d received, %d duplicates, %d missing; %d SMTP transactions tried", mails, len(sink.Messages()),
		duplicates, missing, sink.Attempts())
	if duplicates > 0 || missing > 0 {
		t.Errorf("%d duplicate and %d missing mails", duplicates, missing)
	}
}

// enqueueMail puts n change notices in the queue, due now.
func enqueueMail(t *testing.T, db *gorm.DB, n int) {
	t.Helper()
	var meeting models.Meeting
	if err := db.Where("kind = ?", models.KindIntervision).Order("starts_at").Last(&meeting).Error; err != nil {
		t.Fatal(err)
	}
	queue := make([]models.MailDelivery, n)
	for i := range queue {
		queue[i] = models.MailDelivery{Key: fmt.Sprintf("load:%d", i), Kind: models.MailMeetingChanged, RecipientID: uint(1 + i%21),
			SubjectType: "meeting", SubjectID: meeting.ID, Occurrence: time.Unix(int64(i), 0), Status: models.DeliveryPending,
			NextAttemptAt: time.Now().Add(-time.Minute)}
	}
	if err := db.CreateInBatches(queue, 1000).Error; err != nil {
		t.Fatal(err)
	}
}

// sealWithTestKeys gives a database a test opened itself a fresh key ring,
// as the app has one: migrations and the demo seal confidential text. It
// returns the ring's spec for servers started on the same database.
func sealWithTestKeys(t *testing.T, db *gorm.DB) string {
	t.Helper()
	spec, err := vault.NewKeySpec("t1")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := vault.ParseKeyRing(spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.UseVault(db, keys); err != nil {
		t.Fatal(err)
	}
	return spec
}

// outcome counts answers: those with a 5xx during the database outage
// (allowed: 503) and outside it (a defect).
type outcome struct {
	mu         sync.Mutex
	outageFrom time.Time
	outageTo   time.Time
	requests   atomic.Int64
	refused    atomic.Int64 // no answer: the replica was killed
	inside5xx  atomic.Int64
	outside5xx atomic.Int64
}

// record counts one answer; a request counts as during the outage when any
// part of it is.
func (o *outcome) record(status int, started time.Time) {
	o.requests.Add(1)
	if status < 500 {
		return
	}
	ended := time.Now()
	o.mu.Lock()
	during := !o.outageFrom.IsZero() && !ended.Before(o.outageFrom) && (o.outageTo.IsZero() || !started.After(o.outageTo))
	o.mu.Unlock()
	if during {
		o.inside5xx.Add(1)
	} else {
		o.outside5xx.Add(1)
	}
}

// send does one request, counting its answer; ok is false when no replica
// answered.
func (o *outcome) send(client *http.Client, req *http.Request) (status int, ok bool) {
	started := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		o.refused.Add(1)
		return 0, false
	}
	_ = resp.Body.Close()
	o.record(resp.StatusCode, started)
	return resp.StatusCode, true
}
