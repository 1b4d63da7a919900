package bench

// The large organisation on the embedded database. BENCH_SQLITE_DIR names
// a data folder whose crossmentor.db holds it, loaded with
//
//	CROSSMENTOR_DATA_DIR=$BENCH_SQLITE_DIR CROSSMENTOR_DATA_KEYS=<the ring of bench/large.sh> \
//	  go run ./cmd/crossmentor demo --size large --seed 1
//
// and CROSSMENTOR_DATA_KEYS must name the same ring when the benchmarks
// run. Run them in a process of their own (not with BENCH_DATABASE_URL's
// benchmarks): the BenchmarkSQLite… variants of the page and planning
// benchmarks give setup the embedded database in place of PostgreSQL.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"net/http/httptest"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"crossmentor/app"
	"crossmentor/models"
)

// openSQLiteEnv opens the large organisation in BENCH_SQLITE_DIR with a
// reader pool of readers connections, as the app does (writer gate,
// read-only pool, vault), and serves it.
func openSQLiteEnv(dir string, readers int) (*env, error) {
	cfg, err := app.LoadConfig(os.LookupEnv)
	if err != nil {
		return nil, err
	}
	cfg.DatabaseURL, cfg.DataDir, cfg.Jobs = "", dir, false
	gcfg := &gorm.Config{TranslateError: true, Logger: logger.Discard,
		NowFunc: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	db, err := app.OpenSQLiteReaders(filepath.Join(dir, "crossmentor.db"), gcfg, readers)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	keys, err := app.LoadKeys(ctx, cfg, db)
	if err != nil {
		return nil, err
	}
	if err := app.UseVault(db, keys); err != nil {
		return nil, err
	}
	if err := app.PrepareSchema(ctx, cfg, db); err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(cfg, log, db, "bench")
	if err != nil {
		return nil, err
	}
	a.Handlers.Now = func() time.Time { return app.LargeToday().Add(10 * time.Hour) }
	e := &env{db: db, app: a, srv: httptest.NewServer(a.Echo), dataDir: dir}
	var row struct {
		GroupID uint
		Mentor  string
		Mentee  string
	}
	err = db.Raw(`SELECT g.id AS group_id, pm.email AS mentor, pe.email AS mentee FROM mentor_groups g
		JOIN people pm ON pm.id = g.mentor_id JOIN memberships m ON m.group_id = g.id JOIN people pe ON pe.id = m.person_id
		WHERE g.status = 'active' AND m.status = 'active'
		AND EXISTS (SELECT 1 FROM meetings mt WHERE mt.group_id = g.id AND mt.starts_at > ?)
		ORDER BY g.id LIMIT 1`, app.LargeToday().Add(24*time.Hour)).Scan(&row).Error
	if err != nil || row.GroupID == 0 {
		e.close()
		return nil, fmt.Errorf("no running group: is the large organisation loaded in %s? %v", dir, err)
	}
	e.group, e.mentor, e.mentee = row.GroupID, row.Mentor, row.Mentee
	var admin models.Person
	if err := db.Where("admin = ?", true).First(&admin).Error; err != nil {
		e.close()
		return nil, err
	}
	e.admin = models.Viewer{PersonID: admin.ID, Admin: true}
	return e, nil
}

func (e *env) close() {
	e.srv.Close()
	_ = app.CloseDatabase(e.db)
}

// sqliteDir is BENCH_SQLITE_DIR, or skips.
func sqliteDir(b *testing.B) string {
	b.Helper()
	dir := os.Getenv("BENCH_SQLITE_DIR")
	if dir == "" {
		b.Skip("set BENCH_SQLITE_DIR to a data folder with the large organisation in SQLite (and CROSSMENTOR_DATA_KEYS to its key ring)")
	}
	return dir
}

// onSQLite makes setup return the large organisation in BENCH_SQLITE_DIR,
// with the app's own reader pool, so that a benchmark of bench_test.go
// runs on the embedded database unchanged.
func onSQLite(b *testing.B) {
	b.Helper()
	dir := sqliteDir(b)
	setupOnce.Do(func() { shared, setupErr = openSQLiteEnv(dir, app.SQLiteReaders) })
	if setupErr != nil {
		b.Fatal(setupErr)
	}
	if shared.db.Dialector.Name() != "sqlite" {
		b.Fatal("setup opened PostgreSQL already: run the SQLite benchmarks in a process of their own")
	}
	b.Setenv("BENCH_DATABASE_URL", "sqlite:"+dir) // setup skips without it; its database is open already
}

// BenchmarkSQLiteSeriesPlanning3000 is BenchmarkSeriesPlanning3000 on the
// embedded database.
func BenchmarkSQLiteSeriesPlanning3000(b *testing.B) {
	onSQLite(b)
	BenchmarkSeriesPlanning3000(b)
}

// BenchmarkSQLiteMenteeHome is BenchmarkMenteeHome on the embedded database.
func BenchmarkSQLiteMenteeHome(b *testing.B) {
	onSQLite(b)
	BenchmarkMenteeHome(b)
}

// BenchmarkSQLiteMentorHome is BenchmarkMentorHome on the embedded database.
func BenchmarkSQLiteMentorHome(b *testing.B) {
	onSQLite(b)
	BenchmarkMentorHome(b)
}

// BenchmarkSQLiteGroupCalendarJSON is BenchmarkGroupCalendarJSON on the
// embedded database.
func BenchmarkSQLiteGroupCalendarJSON(b *testing.B) {
	onSQLite(b)
	BenchmarkGroupCalendarJSON(b)
}

// BenchmarkSQLiteICSFeed is BenchmarkICSFeed on the embedded database.
func BenchmarkSQLiteICSFeed(b *testing.B) {
	onSQLite(b)
	BenchmarkICSFeed(b)
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSQLiteReaderPool serves the mentee's and the mentor's home
// pages and the group calendar to 50 clients with reader pools of the
// sizes in BENCH_SQLITE_READERS (default 2,4,8) and reports, per size and
// page, the requests per second, the p99 and the CPU time of the process
// (server and clients) per request.
func BenchmarkSQLiteReaderPool(b *testing.B) {
	dir := sqliteDir(b)
	sizes := os.Getenv("BENCH_SQLITE_READERS")
	if sizes == "" {
		sizes = "2,4,8"
	}
	total, _ := strconv.Atoi(os.Getenv("BENCH_SQLITE_REQUESTS"))
	if total <= 0 {
		total = 3000
	}
	for i := 0; i < b.N; i++ {
		for _, s := range strings.Split(sizes, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				b.Fatal(err)
			}
			e, err := openSQLiteEnv(dir, n)
			if err != nil {
				b.Fatal(err)
			}
			pages := []struct{ name, path, cookie string }{
				{"mentee home", "/", e.signIn(b, e.mentee)},
				{"mentor home", "/", e.signIn(b, e.mentor)},
				{"group calendar JSON", "/api/v1/groups/" + strconv.Itoa(int(e.group)) + "/meetings", ""},
			}
			pages[2].cookie = pages[1].cookie
			for _, p := range pages {
				load(b, e.srv.URL+p.path, p.cookie, 50, total/10) // warm up
				cpu0 := cpuTime(b)
				lat, rps := load(b, e.srv.URL+p.path, p.cookie, 50, total)
				cpu := float64((cpuTime(b) - cpu0).Microseconds()) / 1000 / float64(total)
				b.Logf("readers %d, %s: %.0f req/s, p99 %.1f ms, %.2f ms CPU/request", n, p.name, rps, percentile(lat, 0.99), cpu)
				unit := strings.ReplaceAll(p.name, " ", "-")
				b.ReportMetric(rps, fmt.Sprintf("r%d-%s-req/s", n, unit))
				b.ReportMetric(cpu, fmt.Sprintf("r%d-%s-cpu-ms/req", n, unit))
			}
			e.close()
		}
	}
}
