package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm/logger"

	"crossmentor/app"
	"crossmentor/models"
)

// The pages are served by this test binary started again as its own
// process (BENCH_SERVE_ADDR set), so that the app's CPU time can be read
// from /proc apart from the load generator's. It runs the app as
// `crossmentor serve` does (app.New, its HTTP server, jobs off) with the
// clock of the organisation, and answers three paths of its own beside the
// app: /_bench/statements (the statements run so far), /_bench/record
// (POST starts recording statements with their values, GET returns and
// stops) and /_bench/bare (the bytes last POSTed to it, from a bare
// handler: the floor of a page in the same process).

// TestMain serves the app when the binary was started as a child server.
func TestMain(m *testing.M) {
	if addr := os.Getenv("BENCH_SERVE_ADDR"); addr != "" {
		if err := serveChild(addr); err != nil {
			fmt.Fprintln(os.Stderr, "bench server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	stopServer()
	os.Exit(code)
}

// counter is a gorm logger that counts statements and, while recording,
// keeps them with their values; it passes every trace on to the app's own.
type counter struct {
	logger.Interface
	n         atomic.Int64
	recording atomic.Bool
	mu        sync.Mutex
	sqls      []string
}

func (c *counter) LogMode(logger.LogLevel) logger.Interface { return c }

func (c *counter) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	c.n.Add(1)
	if c.recording.Load() {
		sql, _ := fc()
		c.mu.Lock()
		c.sqls = append(c.sqls, sql)
		c.mu.Unlock()
	}
	c.Interface.Trace(ctx, begin, fc, err)
}

func serveChild(addr string) error {
	cfg, err := app.LoadConfig(os.LookupEnv)
	if err != nil {
		return err
	}
	cfg.Jobs, cfg.Addr = false, addr
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	db, err := app.OpenDatabase(cfg, log)
	if err != nil {
		return err
	}
	count := &counter{Interface: db.Logger}
	db.Logger = count
	a, err := app.New(cfg, log, db, "bench")
	if err != nil {
		return err
	}
	defer a.Close()
	app.TuneGC(cfg, os.LookupEnv) // the collector as serve sets it
	if day := os.Getenv("BENCH_TODAY"); day != "" {
		today, err := models.ParseDate(day)
		if err != nil {
			return err
		}
		now := today.Add(10 * time.Hour)
		a.Handlers.Now = func() time.Time { return now }
	}
	var bare atomic.Pointer[[]byte]
	var bareType atomic.Pointer[string]
	srv := a.HTTPServer()
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/_bench/bare":
			if r.Method == http.MethodPost {
				body, _ := io.ReadAll(r.Body)
				ct := r.Header.Get("Content-Type")
				bare.Store(&body)
				bareType.Store(&ct)
				return
			}
			w.Header().Set("Content-Type", *bareType.Load())
			_, _ = w.Write(*bare.Load())
		case "/_bench/statements":
			fmt.Fprint(w, count.n.Load())
		case "/_bench/record":
			if r.Method == http.MethodPost {
				count.mu.Lock()
				count.sqls = nil
				count.mu.Unlock()
				count.recording.Store(true)
				return
			}
			count.recording.Store(false)
			count.mu.Lock()
			defer count.mu.Unlock()
			for _, s := range count.sqls {
				fmt.Fprintln(w, strings.Join(strings.Fields(s), " ")+";")
			}
		default:
			a.Echo.ServeHTTP(w, r)
		}
	})
	return srv.ListenAndServe()
}

// child is a server process started by startChild.
type child struct {
	base string
	cmd  *exec.Cmd
}

// startChild starts the app in its own process on database dsn (empty:
// the SQLite database in dataDir), with the clock at today.
func startChild(b testing.TB, dsn, dataDir string, today models.Date) *child {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BENCH_SERVE_ADDR="+addr, "BENCH_TODAY="+today.String(),
		"CROSSMENTOR_DATABASE_URL="+dsn, "CROSSMENTOR_DATA_DIR="+dataDir, "CROSSMENTOR_LOG_LEVEL=error")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} // no server left behind by a failed run
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	c := &child{base: "http://" + addr, cmd: cmd}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(c.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c
			}
		}
		if time.Now().After(deadline) {
			c.stop()
			b.Fatal("the bench server did not become ready")
		}
	}
}

func (c *child) stop() {
	_ = c.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = c.cmd.Process.Kill()
		<-done
	}
}

// call sends one request to the child's own paths and returns the body.
func (c *child) call(b testing.TB, method, path, contentType string, body []byte) string {
	b.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(string(body)))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return string(out)
}

func (c *child) statements(b testing.TB) int64 {
	n, err := strconv.ParseInt(c.call(b, http.MethodGet, "/_bench/statements", "", nil), 10, 64)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// clockTick is the length of a CPU clock tick of /proc (USER_HZ).
const clockTick = 10 * time.Millisecond

// procCPU returns the user and system CPU time of process pid, with that of
// its children it has waited for when children is set.
func procCPU(pid int, children bool) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // f[0] is field 3 (state)
	fields := []int{11, 12}                                  // utime, stime (fields 14 and 15)
	if children {
		fields = append(fields, 13, 14) // cutime, cstime
	}
	var ticks int64
	for _, i := range fields {
		v, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += v
	}
	return time.Duration(ticks) * clockTick, nil
}

// postgresCPU returns the CPU time the local PostgreSQL server has used:
// its postmaster with its ended children, and every live child. It is zero
// when no postmaster is found (SQLite, or a server elsewhere).
func postgresCPU() time.Duration {
	out, err := exec.Command("pgrep", "-o", "-x", "postgres").Output()
	if err != nil {
		return 0
	}
	master, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		return 0
	}
	total, _ := procCPU(master, true)
	kids, _ := exec.Command("pgrep", "-P", strconv.Itoa(master)).Output()
	for _, k := range strings.Fields(string(kids)) {
		if pid, err := strconv.Atoi(k); err == nil {
			if t, err := procCPU(pid, false); err == nil {
				total += t
			}
		}
	}
	return total
}
