package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/vault"
	"crossmentor/models"
)

// loadSeconds is the length of the fault run: 20 s in CI, and
// LOAD_SECONDS=120 for the full two minutes.
func loadSeconds() time.Duration {
	if n, err := strconv.Atoi(os.Getenv("LOAD_SECONDS")); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return 20 * time.Second
}

var messageKey = regexp.MustCompile(`(?m)^Message-ID: <([^@>]+)@[0-9a-f]{16}\.crossmentor>`)

// TestLoadWithFaults runs writers and readers against the app while a
// queue of mail is delivered; a third of the way PostgreSQL is restarted,
// two thirds of the way the job runner is killed and another takes over.
// Afterwards: no 500 outside the outage, every acknowledged write is in
// the database, every mail went out exactly once, and the app was ready
// within 10 s of the database.
func TestLoadWithFaults(t *testing.T) {
	if !apptest.Postgres() {
		t.Skip("runs in the PostgreSQL pass (TEST_DATABASE_URL); it starts a server of its own")
	}
	duration := loadSeconds()
	pg := newPGServer(t)
	db, err := gorm.Open(postgres.Open(pg.URL()), &gorm.Config{TranslateError: true})
	if err != nil {
		t.Fatal(err)
	}
	sealWithTestKeys(t, db)
	ctx := t.Context()
	if err := app.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := app.LoadDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	sink := apptest.NewSMTPSink(t)
	sink.Delay = 8 * time.Millisecond // about 500 mails a second with four senders
	mails := int(duration.Seconds()) * 150
	var meeting models.Meeting
	db.Where("kind = ?", models.KindIntervision).Order("starts_at").Last(&meeting)
	queue := make([]models.MailDelivery, mails)
	for n := range queue {
		queue[n] = models.MailDelivery{Key: fmt.Sprintf("load:%d", n), Kind: models.MailMeetingChanged, RecipientID: uint(1 + n%21),
			SubjectType: "meeting", SubjectID: meeting.ID, Occurrence: time.Unix(int64(n), 0), Status: models.DeliveryPending,
			NextAttemptAt: time.Now().Add(-time.Minute)}
	}
	if err := db.CreateInBatches(queue, 1000).Error; err != nil {
		t.Fatal(err)
	}

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg, _ := app.LoadConfig(func(string) (string, bool) { return "", false })
	cfg.Jobs, cfg.SMTPURL = false, sink.URL
	web, err := app.New(cfg, logger, db, "test")
	if err != nil {
		t.Fatal(err)
	}
	srv := apptest.Serve(t, web)
	newRunner := func() *app.App {
		c := cfg
		c.Jobs = true
		r, err := app.New(c, logger, db, "test")
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
		return r
	}
	runner := newRunner()

	var (
		mu           sync.Mutex
		acknowledged []string
		outageFrom   time.Time
		outageTo     time.Time
		outside500   atomic.Int64
		inside500    atomic.Int64
		requests     atomic.Int64
	)
	// A request counts as during the outage when any part of it is.
	record := func(status int, started time.Time) {
		requests.Add(1)
		if status < 500 {
			return
		}
		ended := time.Now()
		mu.Lock()
		during := !outageFrom.IsZero() && !ended.Before(outageFrom) && (outageTo.IsZero() || !started.After(outageTo))
		mu.Unlock()
		if during {
			inside500.Add(1)
		} else {
			outside500.Add(1)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		c := apptest.NewClient(t, srv)
		c.SignIn("admin@demo.test", app.DemoPassword)
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("Belasting %d-%d", w, n)
				form := url.Values{"name": {name}, "_csrf": {c.Cookie("cm_csrf")}}
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/teams", nil)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Body = io.NopCloser(strings.NewReader(form.Encode()))
				started := time.Now()
				resp, err := c.HTTP.Do(req)
				if err != nil {
					continue
				}
				resp.Body.Close()
				record(resp.StatusCode, started)
				if resp.StatusCode == http.StatusSeeOther {
					mu.Lock()
					acknowledged = append(acknowledged, name)
					mu.Unlock()
				}
			}
		}(w)
	}
	for r := 0; r < 4; r++ {
		c := apptest.NewClient(t, srv)
		c.SignIn("mentee@demo.test", app.DemoPassword)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				started := time.Now()
				resp, err := c.HTTP.Get(srv.URL + "/")
				if err != nil {
					continue
				}
				io.Copy(io.Discard, resp.Body) //nolint:errcheck
				resp.Body.Close()
				record(resp.StatusCode, started)
			}
		}()
	}

	ready := func() bool {
		r, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			return false
		}
		r.Body.Close()
		return r.StatusCode == http.StatusOK
	}
	time.Sleep(duration / 3)
	mu.Lock()
	outageFrom = time.Now()
	mu.Unlock()
	pg.Stop()
	time.Sleep(2 * time.Second)
	pg.Start()
	back := time.Now()
	for !ready() {
		if time.Since(back) > 10*time.Second {
			t.Fatal("not ready 10 s after PostgreSQL started again")
		}
		time.Sleep(50 * time.Millisecond)
	}
	recovered := time.Since(back)
	mu.Lock()
	outageTo = time.Now().Add(time.Second) // requests already under way when it came back
	mu.Unlock()

	time.Sleep(time.Until(outageFrom.Add(duration * 2 / 3)))
	killed, cancel := context.WithCancel(ctx)
	cancel()
	_ = runner.Jobs.Stop(killed) // no time to finish: its jobs are cancelled
	runner = newRunner()
	t.Cleanup(func() { _ = runner.Jobs.Stop(context.Background()) })

	time.Sleep(time.Until(outageFrom.Add(duration * 2 / 3).Add(duration / 3)))
	close(stop)
	wg.Wait()

	// Mail claimed when the database went away waits for its lease (a
	// minute) and the next run: allow for both.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		var pending int64
		db.Model(&models.MailDelivery{}).Where("key LIKE 'load:%' AND status = ?", models.DeliveryPending).Count(&pending)
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d mails still waiting three minutes after the run", pending)
		}
		time.Sleep(200 * time.Millisecond)
	}

	t.Logf("%d requests in %s, %d writes acknowledged; 500s during the outage: %d, outside: %d; ready %s after PostgreSQL returned",
		requests.Load(), duration, len(acknowledged), inside500.Load(), outside500.Load(), recovered.Round(time.Millisecond))
	if n := outside500.Load(); n > 0 {
		t.Errorf("%d answers of 500 outside the outage", n)
	}
	var stored []string
	db.Model(&models.Team{}).Where("name LIKE 'Belasting %'").Pluck("name", &stored)
	have := map[string]bool{}
	for _, s := range stored {
		have[s] = true
	}
	lost := 0
	for _, name := range acknowledged {
		if !have[name] {
			lost++
		}
	}
	if lost > 0 || len(acknowledged) == 0 {
		t.Errorf("%d of %d acknowledged writes are not in the database", lost, len(acknowledged))
	}
	sent := map[string]int{}
	for _, m := range sink.Messages() {
		if k := messageKey.FindStringSubmatch(m.Data); k != nil {
			sent[k[1]]++
		}
	}
	duplicates, missing := 0, 0
	for n := 0; n < mails; n++ {
		switch c := sent[fmt.Sprintf("load.%d", n)]; {
		case c == 0:
			missing++
		case c > 1:
			duplicates += c - 1
		}
	}
	t.Logf("%d mails queued, %d received, %d duplicates, %d missing", mails, len(sink.Messages()), duplicates, missing)
	if duplicates > 0 || missing > 0 {
		t.Errorf("%d duplicate and %d missing mails", duplicates, missing)
	}
}

// sealWithTestKeys gives a database a test opened itself a fresh key ring,
// as the app has one: migrations and the demo seal confidential text.
func sealWithTestKeys(t *testing.T, db *gorm.DB) {
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
}
