// Package bench measures the app on the large organisation in PostgreSQL
// (the pages also on SQLite, with BENCH_DB=sqlite), each figure beside its
// floor: the same result by the shortest path. Run it with bench/run.sh,
// which loads the organisation and writes BENCHMARKS.md; each benchmark
// does its whole workload once (-benchtime 1x).
package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/mailer"
	"crossmentor/models"
)

// env is the benchmark's app and the people it signs in as.
type env struct {
	db    *gorm.DB
	app   *app.App
	admin models.Viewer
	// dsn is the PostgreSQL database; empty when sqliteDir holds the
	// embedded one (BENCH_DB=sqlite).
	dsn, sqliteDir string
	today          models.Date // the day the organisation is dated for
	mentor         string      // emails
	mentee         string
	group          uint // a running group of the mentor
	meeting        uint // the group's last meeting before today
	// dataDir holds the key file the organisation was loaded with.
	dataDir string
}

var (
	setupOnce sync.Once
	shared    *env
	setupErr  error
)

// setup opens BENCH_DATABASE_URL, which must hold the large organisation,
// or with BENCH_DB=sqlite the embedded database in BENCH_SQLITE_DIR (the
// large organisation, or any other filled by `crossmentor demo`).
func setup(b testing.TB) *env {
	b.Helper()
	dsn, dir := os.Getenv("BENCH_DATABASE_URL"), ""
	if os.Getenv("BENCH_DB") == "sqlite" {
		dsn, dir = "", os.Getenv("BENCH_SQLITE_DIR")
		if dir == "" {
			b.Skip("set BENCH_SQLITE_DIR to a data folder filled by `crossmentor demo` (bench/run.sh sqlite does)")
		}
	} else if dsn == "" {
		b.Skip("set BENCH_DATABASE_URL to a PostgreSQL database with the large organisation (bench/run.sh does)")
	}
	setupOnce.Do(func() { shared, setupErr = open(dsn, dir) })
	if setupErr != nil {
		b.Fatal(setupErr)
	}
	return shared
}

// open opens the database (PostgreSQL at dsn, or the SQLite database in
// dir), builds the app on it and finds the people the benchmarks sign in as.
func open(dsn, dir string) (*env, error) {
	// The app's own configuration and opener: its connection pool and
	// the vault with the key file the organisation was loaded with.
	cfg, err := app.LoadConfig(os.LookupEnv)
	if err != nil {
		return nil, err
	}
	cfg.DatabaseURL, cfg.Jobs = dsn, false
	if dir != "" {
		cfg.DataDir = dir
	} else if _, set := os.LookupEnv("CROSSMENTOR_DATA_DIR"); !set {
		cfg.DataDir = "../data" // where `crossmentor demo` in the repository root keeps its key file
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := app.OpenDatabase(cfg, log)
	if err != nil {
		return nil, err
	}
	a, err := app.New(cfg, log, db, "bench")
	if err != nil {
		return nil, err
	}
	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	e := &env{db: db, app: a, dsn: dsn, sqliteDir: dataDir, dataDir: dataDir, today: app.LargeToday()}
	if dsn != "" {
		e.sqliteDir = ""
	}
	var org models.Organisation
	if err := db.First(&org).Error; err != nil {
		return nil, fmt.Errorf("no organisation: is the database loaded? %w", err)
	}
	if org.Name != "Gemeente Groot" { // not the large organisation: a demo dated today
		e.today = models.DateOf(time.Now())
	}
	now := e.today.Add(10 * time.Hour)
	a.Handlers.Now = func() time.Time { return now }
	var row struct {
		GroupID uint
		Mentor  string
		Mentee  string
	}
	err = db.Raw(`SELECT g.id AS group_id, pm.email AS mentor, pe.email AS mentee FROM mentor_groups g
		JOIN people pm ON pm.id = g.mentor_id JOIN memberships m ON m.group_id = g.id JOIN people pe ON pe.id = m.person_id
		WHERE g.status = 'active' AND m.status = 'active'
		AND EXISTS (SELECT 1 FROM meetings mt WHERE mt.group_id = g.id AND mt.starts_at > ?)
		ORDER BY g.id LIMIT 1`, e.today.Add(24*time.Hour)).Scan(&row).Error
	if err != nil || row.GroupID == 0 {
		return nil, fmt.Errorf("no running group: is the large organisation loaded? %v", err)
	}
	e.group, e.mentor, e.mentee = row.GroupID, row.Mentor, row.Mentee
	if err := db.Raw("SELECT id FROM meetings WHERE group_id = ? AND starts_at < ? ORDER BY starts_at DESC LIMIT 1",
		e.group, now).Scan(&e.meeting).Error; err != nil || e.meeting == 0 {
		return nil, fmt.Errorf("no meeting of group %d before today: %v", e.group, err)
	}
	var admin models.Person
	if err := db.Where("admin = ?", true).First(&admin).Error; err != nil {
		return nil, err
	}
	e.admin = models.Viewer{PersonID: admin.ID, Admin: true}
	return e, nil
}

// result is one line of BENCHMARKS.md.
func result(b *testing.B, name, unit string, figure, floor, target float64, lowerIsBetter bool) {
	b.Helper()
	ratio := 0.0
	if floor > 0 {
		ratio = figure / floor
		if !lowerIsBetter {
			ratio = floor / figure
		}
	}
	b.ReportMetric(figure, unit)
	b.ReportMetric(floor, "floor-"+unit)
	path := os.Getenv("BENCH_RESULTS")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	meets := figure <= target
	if !lowerIsBetter {
		meets = figure >= target
	}
	floorText, ratioText := "-", "-"
	if floor > 0 {
		floorText, ratioText = num(floor), fmt.Sprintf("%.2f", ratio)
	}
	fmt.Fprintf(f, "%s|%s|%s|%s|%s|%s|%v\n", name, unit, num(figure), floorText, ratioText, num(target), meets)
}

// num writes a figure with three significant digits or more: 0.284,
// 12.4, 1532.
func num(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3f", v)
}

// percentile returns the p-th percentile of durations in milliseconds.
func percentile(d []time.Duration, p float64) float64 {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	i := int(float64(len(d)-1) * p)
	return float64(d[i].Microseconds()) / 1000
}

// timed runs fn n times and returns each duration.
func timed(b *testing.B, n int, fn func() error) []time.Duration {
	b.Helper()
	out := make([]time.Duration, n)
	for i := range out {
		start := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		out[i] = time.Since(start)
	}
	return out
}

// load sends total GET requests to url from clients goroutines sharing the
// cookie, and returns the latencies and the requests per second.
func load(b *testing.B, target, cookie string, clients, total int) ([]time.Duration, float64) {
	b.Helper()
	return loadAll(b, []string{target}, cookie, clients, total)
}

// loadAll is load over several URLs, taken in turn.
func loadAll(b *testing.B, targets []string, cookie string, clients, total int) ([]time.Duration, float64) {
	b.Helper()
	transport := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: transport}
	defer transport.CloseIdleConnections()
	lat := make([]time.Duration, total)
	var next sync.Mutex
	n := 0
	var failed error
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				i := n
				n++
				next.Unlock()
				if i >= total {
					return
				}
				target := targets[i%len(targets)]
				req, _ := http.NewRequest(http.MethodGet, target, nil)
				if cookie != "" {
					req.Header.Set("Cookie", cookie)
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s: %d", target, resp.StatusCode)
					}
				}
				lat[i] = time.Since(t0)
				if err != nil {
					next.Lock()
					failed = err
					next.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if failed != nil {
		b.Fatal(failed)
	}
	return lat, float64(total) / elapsed.Seconds()
}

// participationFloor computes the report's figures per programme (or
// department) in one hand-written statement on the same indexes: the
// shortest path to the same numbers, before suppression. $1 and $2 bound
// the period in time, $3 and $4 in dates.
func participationFloor(by string) string {
	key, join := "pr.name", ""
	if by == "department" {
		key, join = "COALESCE(t.name, '')", "JOIN people p ON p.id = m.person_id LEFT JOIN teams t ON t.id = p.team_id"
	}
	return `WITH part AS (SELECT m.person_id, m.group_id, ` + key + ` AS k FROM memberships m
		JOIN mentor_groups g ON g.id = m.group_id JOIN programmes pr ON pr.id = g.programme_id ` + join + `
		WHERE m.status IN ('active','frozen','stopped','referred') AND pr.starts_on <= $4 AND pr.ends_on >= $3),
	pk AS (SELECT DISTINCT person_id, k FROM part), gk AS (SELECT DISTINCT group_id, k FROM part),
	held AS (SELECT group_id, COUNT(*) AS n FROM meetings WHERE status = 'held' AND starts_at >= $1 AND starts_at < $2 GROUP BY group_id),
	att AS (SELECT a.person_id, COUNT(*) AS rec, COUNT(*) FILTER (WHERE a.status = 'present') AS pres
		FROM attendances a JOIN meetings mt ON mt.id = a.meeting_id WHERE mt.starts_at >= $1 AND mt.starts_at < $2 GROUP BY a.person_id),
	talks AS (SELECT mentee_id AS person_id, COUNT(*) AS n FROM one_on_ones WHERE status = 'held' AND starts_at >= $1 AND starts_at < $2 GROUP BY mentee_id)
	SELECT c.k, c.participants, c.groups, COALESCE(h.n, 0), a.rate, COALESCE(t.n, 0) FROM
		(SELECT k, COUNT(DISTINCT person_id) AS participants, COUNT(DISTINCT group_id) AS groups FROM part GROUP BY k) c
		LEFT JOIN (SELECT gk.k, SUM(held.n) AS n FROM gk JOIN held USING (group_id) GROUP BY gk.k) h USING (k)
		LEFT JOIN (SELECT pk.k, SUM(att.pres)::float / SUM(att.rec) AS rate FROM pk JOIN att USING (person_id) GROUP BY pk.k) a USING (k)
		LEFT JOIN (SELECT pk.k, SUM(talks.n) AS n FROM pk JOIN talks USING (person_id) GROUP BY pk.k) t USING (k)
	ORDER BY c.k`
}

// warmReports views the report once, outside any timing: the first view
// on an organisation counts and decides suppression for every closed
// period, which takes long on the large organisation until it is kept.
func warmReports(b *testing.B, e *env) {
	b.Helper()
	warmOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		t0 := time.Now()
		_, warmErr = models.Participation(ctx, e.db, e.admin, models.ReportFilter{}, e.today)
		b.Logf("first participation report (counts and decides what is missing): %.1f s", time.Since(t0).Seconds())
	})
	if warmErr != nil {
		b.Fatal(warmErr)
	}
}

var (
	warmOnce sync.Once
	warmErr  error
)

func report(b *testing.B, by string, p95Target float64) {
	e := setup(b)
	warmReports(b, e)
	if e.sqliteDir != "" {
		p95Target = 50 // the embedded database's target
	}
	ctx := context.Background()
	today := e.today
	fromDay := today.AddMonths(-12)
	from, to := fromDay.Time, today.AddDate(0, 0, 1)
	run := func() error {
		_, err := models.Participation(ctx, e.db, e.admin, models.ReportFilter{By: by}, today)
		return err
	}
	floor := func() error {
		rows, err := e.db.Raw(participationFloor(by), from, to, fromDay.String(), today.String()).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			n++
		}
		if n == 0 {
			return fmt.Errorf("the floor of the report by %s has no rows", by)
		}
		return rows.Err()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		timed(b, 3, run) // warm up
		lat := timed(b, 30, run)
		floorP95 := 0.0 // the floor's SQL is PostgreSQL's: none on SQLite
		if e.sqliteDir == "" {
			timed(b, 3, floor)
			floorP95 = percentile(timed(b, 30, floor), 0.95)
		}
		result(b, "participation report by "+by+" (p95)", "ms", percentile(lat, 0.95), floorP95, p95Target, true)
	}
}

func BenchmarkReportOrganisation(b *testing.B) { report(b, "programme", 20) }

func BenchmarkReportDepartment(b *testing.B) { report(b, "department", 20) }

// BenchmarkDashboard builds the admin's dashboard 30 times after the
// report is warm and 3 warm-up views: its p95 and the bytes allocated per
// view (by the whole benchmark process while it runs, which is idle else).
func BenchmarkDashboard(b *testing.B) {
	e := setup(b)
	warmReports(b, e)
	ctx := context.Background()
	view := func() error {
		_, err := models.BuildDashboard(ctx, e.db, e.admin, models.DashboardFilter{}, e.today)
		return err
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		timed(b, 3, view)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		lat := timed(b, 30, view)
		runtime.ReadMemStats(&after)
		result(b, "dashboard (p95)", "ms", percentile(lat, 0.95), 0, 50, true)
		result(b, "dashboard, allocated per view", "MB", float64(after.TotalAlloc-before.TotalAlloc)/30/(1<<20), 0, 2, true)
	}
}

// BenchmarkReminderSweep20000 delivers 20,000 due reminders into a local
// SMTP sink; the floor sends the same number of rendered mails in a bare loop.
func BenchmarkReminderSweep20000(b *testing.B) {
	e := setup(b)
	ctx := context.Background()
	sink := apptest.NewSMTPSink(b)
	smtp, err := mailer.ParseSMTP(sink.URL, "crossmentor <noreply@localhost>")
	if err != nil {
		b.Fatal(err)
	}
	var meeting models.Meeting
	e.db.Where("status = ?", models.MeetingPlanned).Order("id").First(&meeting)
	var members []uint
	e.db.Model(&models.Membership{}).Where("group_id = ?", meeting.GroupID).Pluck("person_id", &members)
	now := app.LargeToday().Add(9 * time.Hour)
	const total = 20000
	mail := e.app.Mail
	mail.Sender, mail.Now, mail.Batch, mail.Workers = smtp, func() time.Time { return now }, 500, 8
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e.db.Exec("DELETE FROM mail_deliveries WHERE key LIKE 'sweep:%'")
		rows := make([]models.MailDelivery, total)
		for n := range rows {
			rows[n] = models.MailDelivery{Key: fmt.Sprintf("sweep:%d:%d", i, n), Kind: models.MailMeetingChanged, RecipientID: members[n%len(members)],
				SubjectType: "meeting", SubjectID: meeting.ID, Occurrence: time.Unix(int64(n), 0), Status: models.DeliveryPending, NextAttemptAt: now}
		}
		if err := e.db.CreateInBatches(rows, 1000).Error; err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		sent, err := mail.Deliver(ctx)
		elapsed := time.Since(t0)
		if err != nil || sent != total {
			b.Fatalf("sent %d of %d: %v", sent, total, err)
		}
		out, err := models.ComposeDelivery(ctx, e.db, rows[0])
		if err != nil {
			b.Fatal(err)
		}
		msg, err := mail.Renderer.Render(out, "floor")
		if err != nil {
			b.Fatal(err)
		}
		f0 := time.Now()
		var wg sync.WaitGroup
		work := make(chan int)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range work {
					if err := smtp.Send(ctx, msg); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		for n := 0; n < total; n++ {
			work <- n
		}
		close(work)
		wg.Wait()
		result(b, "reminder sweep, 20,000 due mails into an SMTP sink", "mails/s", total/elapsed.Seconds(), total/time.Since(f0).Seconds(), 500, false)
	}
	b.StopTimer()
	e.db.Exec("DELETE FROM mail_deliveries WHERE key LIKE 'sweep:%'")
}
