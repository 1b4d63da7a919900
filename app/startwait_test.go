package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/driver/postgres"

	"crossmentor/app"
	"crossmentor/app/apptest"
)

// lockedBuffer is a log buffer safe for the waiting goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestServeWaitsForTheDatabase: a replica started while PostgreSQL is down
// waits and connects once it is up, instead of exiting.
func TestServeWaitsForTheDatabase(t *testing.T) {
	if !apptest.Postgres() {
		t.Skip("needs PostgreSQL (TEST_DATABASE_URL)")
	}
	db := apptest.DB(t)
	u, err := url.Parse(db.Dialector.(*postgres.Dialector).Config.DSN)
	if err != nil {
		t.Fatal(err)
	}
	proxy := &pgProxy{t: t, addr: "127.0.0.1:0", target: u.Host}
	proxy.start()
	proxy.stop() // the address is kept; nothing answers there yet
	t.Cleanup(proxy.stop)
	u.Host = proxy.addr
	cfg, _ := app.LoadConfig(func(string) (string, bool) { return "", false })
	cfg.DatabaseURL = u.String()
	cfg.DataKeys = "k1:" + strings.Repeat("A", 43) + "="
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	time.AfterFunc(2500*time.Millisecond, proxy.start)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	started := time.Now()
	got, err := app.OpenDatabaseWaiting(ctx, cfg, log, 500*time.Millisecond)
	if err != nil {
		t.Fatalf("gave up: %v\n%s", err, logs.String())
	}
	defer app.CloseDatabase(got) //nolint:errcheck
	if !strings.Contains(logs.String(), "database not reachable") {
		t.Fatal("connected without waiting: the test did not stop the database")
	}
	t.Logf("connected %s after start", time.Since(started).Round(time.Millisecond))
}
