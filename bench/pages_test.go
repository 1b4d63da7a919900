package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"crossmentor/models"
)

// The page benchmarks serve each page from the app in its own process
// (startChild) and measure, with 10 and with 50 clients: throughput,
// latency, the app's CPU time per request (the server process's
// utime+stime from /proc), PostgreSQL's CPU time per request (every process
// of the local server, from /proc) and statements per request. Beside them
// stand two floors: the same bytes from a bare handler in the same process,
// and the page's own statements, recorded with their values for one view,
// replayed by pgbench with 10 clients (on SQLite: by 10 goroutines through
// the same database handle).

var (
	childOnce sync.Once
	served    *child
)

// server returns the app in its own process, started once per run of the
// benchmarks and stopped by TestMain (stopServer) when they end.
func server(b testing.TB, e *env) *child {
	childOnce.Do(func() { served = startChild(b, e.dsn, e.dataDir, e.today) })
	if served == nil {
		b.Fatal("the bench server did not start")
	}
	return served
}

// stopServer stops the child server when one was started.
func stopServer() {
	if served != nil {
		served.stop()
	}
}

// envInt returns the integer in environment variable name, or def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// sessionOf returns the session cookie of the person with email, started
// at the server's clock.
func (e *env) sessionOf(b testing.TB, email string) string {
	b.Helper()
	var p models.Person
	if err := e.db.Where("email = ?", email).First(&p).Error; err != nil {
		b.Fatal(err)
	}
	token, err := models.StartSession(context.Background(), e.db, p.ID, models.SessionPolicy{Idle: 2 * time.Hour, Absolute: 12 * time.Hour},
		e.today.Add(10*time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	return "cm_session=" + token
}

// usage is what one load run cost.
type usage struct {
	rps, p50, p99       float64
	appCPU, dbCPU, stmt float64 // per request: ms, ms, statements
}

// measured runs load against path on c and reads the costs around it.
// PostgreSQL's CPU time is read when pg is set.
func measured(b *testing.B, c *child, pg bool, path, cookie string, clients, total int) usage {
	b.Helper()
	dbCPU := postgresCPU
	if !pg {
		dbCPU = func() time.Duration { return 0 }
	}
	pid := c.cmd.Process.Pid
	s0 := c.statements(b)
	a0, err := procCPU(pid, false)
	if err != nil {
		b.Fatalf("the app's CPU time is read from /proc on Linux: %v", err)
	}
	d0 := dbCPU()
	lat, rps := load(b, c.base+path, cookie, clients, total)
	a1, _ := procCPU(pid, false)
	d1 := dbCPU()
	s1 := c.statements(b)
	ms := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(total) }
	return usage{rps: rps, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99),
		appCPU: ms(a1 - a0), dbCPU: ms(d1 - d0), stmt: float64(s1-s0) / float64(total)}
}

// pageTargets are the targets for a page; zero is none.
type pageTargets struct{ rps, p99, appCPU, replayShare float64 }

// pageBench measures one page and writes its rows of the page table
// (BENCH_PAGES) and its targets (BENCH_RESULTS).
func pageBench(b *testing.B, name, path, cookie string, t pageTargets) {
	e := setup(b)
	c := server(b, e)
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	req.Header.Set("Cookie", cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: %d", path, resp.StatusCode)
	}
	c.call(b, http.MethodPost, "/_bench/bare", resp.Header.Get("Content-Type"), body)
	total := envInt("BENCH_REQUESTS", 10000)
	db, replayer := "PostgreSQL", "pgbench"
	if e.dsn == "" {
		db, replayer = "SQLite", "10 goroutines"
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		load(b, c.base+path, cookie, 10, total/10) // warm up
		c.call(b, http.MethodPost, "/_bench/record", "", nil)
		load(b, c.base+path, cookie, 1, 1)
		script := c.call(b, http.MethodGet, "/_bench/record", "", nil)
		replay, replayDB := replaySQL(b, e, name, script)
		for _, clients := range []int{10, 50} {
			n := total
			if clients != 10 {
				n = total / 2 // the headline is 10 clients; 50 show the latency when saturated
			}
			u := measured(b, c, e.dsn != "", path, cookie, clients, n)
			bare := measured(b, c, e.dsn != "", "/_bench/bare", "", clients, n)
			share := 0.0
			if replay > 0 && clients == 10 {
				share = 100 * u.rps / replay
			}
			pageRow(b, db, name, clients, u, bare, replay, replayDB, share)
			if clients != 10 {
				continue
			}
			label := name + ", 10 clients"
			if t.rps > 0 {
				result(b, label+", throughput", "req/s", u.rps, bare.rps, t.rps, false)
			}
			if t.p99 > 0 {
				result(b, label+", p99", "ms", u.p99, bare.p99, t.p99, true)
			}
			if t.appCPU > 0 {
				result(b, label+", app CPU per request", "ms", u.appCPU, bare.appCPU, t.appCPU, true)
			}
			if t.replayShare > 0 {
				result(b, label+", throughput as share of its own SQL replayed by "+replayer, "%", share, 0, t.replayShare, false)
			}
		}
	}
}

// pageRow appends one row to the page table in BENCH_PAGES.
func pageRow(b *testing.B, db, name string, clients int, u, bare usage, replay, replayDB, share float64) {
	b.Logf("%s %s, %d clients: %.0f req/s, p50 %.2f ms, p99 %.2f ms, app CPU %.3f ms, db CPU %.3f ms, %.1f statements; bare %.0f req/s (%.3f ms CPU); replay %.0f/s (%.3f ms db CPU), %.0f%%",
		db, name, clients, u.rps, u.p50, u.p99, u.appCPU, u.dbCPU, u.stmt, bare.rps, bare.appCPU, replay, replayDB, share)
	b.ReportMetric(u.rps, fmt.Sprintf("req/s@%d", clients))
	b.ReportMetric(u.appCPU, fmt.Sprintf("app-ms/req@%d", clients))
	path := os.Getenv("BENCH_PAGES")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	fmt.Fprintf(f, "%s|%s|%d|%.0f|%.2f|%.2f|%.3f|%.3f|%.1f|%.0f|%.3f|%.0f|%.3f|%.0f\n", db, name, clients,
		u.rps, u.p50, u.p99, u.appCPU, u.dbCPU, u.stmt, bare.rps, bare.appCPU, replay, replayDB, share)
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// replaySQL replays a page's statements (one per line, with their values)
// with 10 clients for BENCH_REPLAY_SECONDS (10) and returns the pages per
// second, and PostgreSQL's CPU ms per page (zero on SQLite). It returns
// zeros, after logging why, when the replay fails.
func replaySQL(b *testing.B, e *env, name, script string) (float64, float64) {
	b.Helper()
	if strings.TrimSpace(script) == "" {
		b.Logf("%s: no statements recorded", name)
		return 0, 0
	}
	seconds := envInt("BENCH_REPLAY_SECONDS", 10)
	if dir := os.Getenv("BENCH_SCRIPTS"); dir != "" { // keep the scripts to read or run by hand
		file := strings.NewReplacer(" ", "-", ",", "").Replace(name) + ".sql"
		_ = os.WriteFile(filepath.Join(dir, file), []byte(script), 0o600)
	}
	if e.dsn == "" {
		return replayInProcess(b, e, script, seconds), 0
	}
	file := filepath.Join(b.TempDir(), "page.sql")
	err := os.WriteFile(file, []byte(script), 0o600)
	if err != nil {
		b.Fatal(err)
	}
	// Prepared statements first, as the app's driver keeps them; the simple
	// protocol when a value holds something pgbench reads as a variable (:name).
	var out []byte
	var m [][]byte
	var d0, d1 time.Duration
	for _, protocol := range []string{"prepared", "simple"} {
		d0 = postgresCPU()
		out, err = exec.Command("pgbench", "-n", "-M", protocol, "-f", file, "-c", "10", "-j", "2", "-T", strconv.Itoa(seconds), e.dsn).CombinedOutput()
		d1 = postgresCPU()
		if m = tpsLine.FindSubmatch(out); err == nil && m != nil {
			break
		}
		b.Logf("%s: pgbench -M %s failed (%v):\n%s", name, protocol, err, out)
	}
	if err != nil || m == nil {
		b.Logf("%s: script:\n%s", name, script)
		return 0, 0
	}
	tps, _ := strconv.ParseFloat(string(m[1]), 64)
	txs := regexp.MustCompile(`number of transactions actually processed: ([0-9]+)`).FindSubmatch(out)
	dbms := 0.0
	if txs != nil {
		if n, _ := strconv.ParseFloat(string(txs[1]), 64); n > 0 {
			dbms = (d1 - d0).Seconds() * 1000 / n
		}
	}
	return tps, dbms
}

// replayInProcess runs the statements through the benchmark's own database
// handle with 10 goroutines, reading every row, for seconds; it returns the
// scripts run per second.
func replayInProcess(b *testing.B, e *env, script string, seconds int) float64 {
	b.Helper()
	var stmts []string
	for _, line := range strings.Split(script, "\n") {
		if s := strings.TrimSuffix(strings.TrimSpace(line), ";"); s != "" {
			stmts = append(stmts, singleQuoted(s))
		}
	}
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var mu sync.Mutex
	done, failed := 0, error(nil)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < 10; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				for _, s := range stmts {
					if err := runStatement(e, s); err != nil {
						mu.Lock()
						failed = fmt.Errorf("%s: %w", s, err)
						mu.Unlock()
						return
					}
				}
				mu.Lock()
				done++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if failed != nil {
		b.Logf("replay failed: %v", failed)
		return 0
	}
	return float64(done) / time.Since(start).Seconds()
}

var doubleQuoted = regexp.MustCompile(`"((?:[^"]|"")*)"`)

// singleQuoted writes the string values gorm's SQLite dialect renders in
// double quotes ("active") as SQL string literals ('active'): SQLite reads
// a double-quoted word as a column name first and plans it worse. The
// statements quote their names with backticks.
func singleQuoted(sql string) string {
	return doubleQuoted.ReplaceAllStringFunc(sql, func(q string) string {
		v := strings.ReplaceAll(q[1:len(q)-1], `""`, `"`)
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	})
}

// runStatement runs one recorded statement: a query reading all its rows,
// anything else as an Exec.
func runStatement(e *env, s string) error {
	head := strings.ToUpper(strings.Fields(s)[0])
	if head != "SELECT" && head != "WITH" {
		return e.db.Exec(s).Error
	}
	rows, err := e.db.Raw(s).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
	}
	return rows.Err()
}

func BenchmarkPageMenteeHome(b *testing.B) {
	e := setup(b)
	pageBench(b, "mentee home page", "/", e.sessionOf(b, e.mentee), pageTargets{rps: 2000, p99: 25, appCPU: 0.35, replayShare: 50})
}

func BenchmarkPageMentorHome(b *testing.B) {
	e := setup(b)
	pageBench(b, "mentor home page", "/", e.sessionOf(b, e.mentor), pageTargets{rps: 1000, p99: 25})
}

func BenchmarkPageGroup(b *testing.B) {
	e := setup(b)
	pageBench(b, "group page (mentor)", "/groups/"+strconv.Itoa(int(e.group)), e.sessionOf(b, e.mentor), pageTargets{appCPU: 0.8})
}

func BenchmarkPageMeeting(b *testing.B) {
	e := setup(b)
	pageBench(b, "meeting page (mentor)", "/meetings/"+strconv.Itoa(int(e.meeting)), e.sessionOf(b, e.mentor), pageTargets{appCPU: 0.8})
}

func BenchmarkPageCalendarJSON(b *testing.B) {
	e := setup(b)
	pageBench(b, "group calendar JSON", "/api/v1/groups/"+strconv.Itoa(int(e.group))+"/meetings", e.sessionOf(b, e.mentor),
		pageTargets{rps: 1000, p99: 25})
}

func BenchmarkPageICSFeed(b *testing.B) {
	e := setup(b)
	var mentee models.Person
	if err := e.db.Where("email = ?", e.mentee).First(&mentee).Error; err != nil {
		b.Fatal(err)
	}
	token, err := models.CalendarToken(context.Background(), e.db, models.Viewer{PersonID: mentee.ID, Mentee: true}, true)
	if err != nil {
		b.Fatal(err)
	}
	pageBench(b, "personal ICS feed", "/calendar/"+url.PathEscape(token)+".ics", "", pageTargets{rps: 1000, p99: 25})
}
