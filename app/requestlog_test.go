package app_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
)

// TestRequestLogLeavesOutProbes: a page request is logged by its route, the
// health probes are not.
func TestRequestLogLeavesOutProbes(t *testing.T) {
	var logs lockedBuffer
	cfg, _ := app.LoadConfig(func(string) (string, bool) { return "", false })
	cfg.Jobs = false
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(&logs, nil)), apptest.DB(t), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	srv := apptest.Serve(t, a)
	for _, path := range []string{"/healthz", "/readyz", "/signin"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
	}
	out := logs.String()
	if !strings.Contains(out, "route=/signin") {
		t.Fatalf("the page request was not logged:\n%s", out)
	}
	if strings.Contains(out, "healthz") || strings.Contains(out, "readyz") {
		t.Fatalf("a health probe was logged:\n%s", out)
	}
}
