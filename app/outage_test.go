package app_test

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/app/vault"
)

// pgProxy stands between the app and PostgreSQL, so a test can take the
// database away (every connection cut, new ones refused) and bring it back.
type pgProxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func (p *pgProxy) start() {
	p.t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }() //nolint:errcheck
			go func() { io.Copy(c, up); c.Close() }()  //nolint:errcheck
		}
	}()
}

func (p *pgProxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestDatabaseOutage: while PostgreSQL is unreachable /readyz says so and
// /healthz still answers; when it returns the app is ready again by itself.
func TestDatabaseOutage(t *testing.T) {
	if !apptest.Postgres() {
		t.Skip("needs PostgreSQL (TEST_DATABASE_URL); CI runs it there")
	}
	db := apptest.Demo(t)
	dsn := db.Dialector.(*postgres.Dialector).Config.DSN
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := &pgProxy{t: t, addr: "127.0.0.1:0", target: u.Host}
	proxy.start()
	t.Cleanup(proxy.stop)
	u.Host = proxy.addr
	viaProxy, err := gorm.Open(postgres.Open(u.String()), &gorm.Config{TranslateError: true})
	if err != nil {
		t.Fatal(err)
	}
	keys, ok := vault.KeysOf(db)
	if !ok {
		t.Fatal("the demo database has no key ring")
	}
	if err := app.UseVault(viaProxy, keys); err != nil {
		t.Fatal(err)
	}
	cfg, _ := app.LoadConfig(func(string) (string, bool) { return "", false })
	cfg.Jobs = false
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), viaProxy, "test")
	if err != nil {
		t.Fatal(err)
	}
	srv := apptest.Serve(t, a)
	status := func(path string) int {
		r, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	if s := status("/readyz"); s != http.StatusOK {
		t.Fatalf("ready before the outage: %d", s)
	}
	signedIn := apptest.NewClient(t, srv)
	signedIn.SignIn("mentor@demo.test", app.DemoPassword)
	proxy.stop()
	if s := status("/readyz"); s != http.StatusServiceUnavailable {
		t.Fatalf("/readyz during the outage: %d, want 503", s)
	}
	// Requests say the database is away and when to try again, not 500.
	for _, path := range []string{"/groups/1", "/api/v1/me"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Accept", "application/json")
		r := signedIn.Do(req)
		if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
			t.Fatalf("%s during the outage: %d, Retry-After %q; want 503 with Retry-After", path, r.Status, r.Header.Get("Retry-After"))
		}
	}
	if s := status("/healthz"); s != http.StatusOK {
		t.Fatalf("/healthz during the outage: %d", s)
	}
	proxy.start()
	back := time.Now()
	for status("/readyz") != http.StatusOK {
		if time.Since(back) > 10*time.Second {
			t.Fatal("not ready 10 s after the database returned")
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("ready again %v after the database returned", time.Since(back).Round(time.Millisecond))
	c := apptest.NewClient(t, srv)
	c.SignIn("mentor@demo.test", app.DemoPassword)
	if r := c.Get("/groups/1"); r.Status != http.StatusOK {
		t.Fatalf("page after recovery: %d", r.Status)
	}
}

// TestDatabaseRestart: PostgreSQL itself is stopped and started under the
// running app: /readyz says 503 while it is down, /healthz keeps answering,
// and the app is ready again within 10 s of the database, by itself.
func TestDatabaseRestart(t *testing.T) {
	if !apptest.Postgres() {
		t.Skip("runs in the PostgreSQL pass (TEST_DATABASE_URL); it starts a server of its own")
	}
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
	cfg, _ := app.LoadConfig(func(string) (string, bool) { return "", false })
	cfg.Jobs = false
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db, "test")
	if err != nil {
		t.Fatal(err)
	}
	srv := apptest.Serve(t, a)
	status := func(path string) int {
		r, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	c := apptest.NewClient(t, srv)
	c.SignIn("mentor@demo.test", app.DemoPassword)
	if s := status("/readyz"); s != http.StatusOK {
		t.Fatalf("ready before the restart: %d", s)
	}
	pg.Stop()
	if s := status("/readyz"); s != http.StatusServiceUnavailable {
		t.Fatalf("/readyz while PostgreSQL is down: %d, want 503", s)
	}
	if s := status("/healthz"); s != http.StatusOK {
		t.Fatalf("/healthz while PostgreSQL is down: %d", s)
	}
	pg.Start()
	back := time.Now()
	for status("/readyz") != http.StatusOK {
		if time.Since(back) > 10*time.Second {
			t.Fatal("not ready 10 s after PostgreSQL started again")
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("ready again %v after PostgreSQL started", time.Since(back).Round(time.Millisecond))
	if r := c.Get("/groups/1"); r.Status != http.StatusOK {
		t.Fatalf("the session and pages after the restart: %d", r.Status)
	}
}
