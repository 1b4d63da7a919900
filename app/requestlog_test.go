package app_test

import (
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
)

// TestRequestLogLeavesOutProbes: a page request is logged by its route, the
// health probes and static files are not.
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
	page, err := http.Get(srv.URL + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	asset := regexp.MustCompile(`/static/app\.[0-9a-f]+\.css`).FindString(string(body))
	if asset == "" {
		t.Fatal("the sign-in page links no style sheet")
	}
	before := logs.String()
	resp, err := http.Get(srv.URL + asset)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d", asset, resp.StatusCode)
	}
	out := logs.String()
	if strings.Contains(out, "/static") || out != before {
		t.Fatalf("a static file was logged:\n%s", strings.TrimPrefix(out, before))
	}
	if !strings.Contains(out, "route=/signin") {
		t.Fatalf("the page request was not logged:\n%s", out)
	}
	if strings.Contains(out, "healthz") || strings.Contains(out, "readyz") {
		t.Fatalf("a health probe was logged:\n%s", out)
	}
}
