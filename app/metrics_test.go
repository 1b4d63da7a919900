package app_test

import (
	"net/http"
	"strings"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
)

// TestMetrics: /metrics counts requests by route pattern and status, shows
// the mail queue and the database pool, and never a person or a token.
func TestMetrics(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	c := apptest.NewClient(t, srv)
	c.SignIn("mentee@demo.test", app.DemoPassword)
	c.Get("/groups/1")
	c.Get("/calendar/secret-token-123.ics")
	c.Get("/invite/another-secret")
	r := c.Get("/metrics")
	if r.Status != http.StatusOK {
		t.Fatalf("metrics: %d", r.Status)
	}
	for _, want := range []string{`crossmentor_echo_requests_total{code="200",host=""`, `url="/groups/:id"`, "crossmentor_mail_deliveries",
		"go_goroutines", `go_sql_max_open_connections{db_name="crossmentor"}`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, secret := range []string{"secret-token-123", "another-secret", "mentee@demo.test", "Sanne"} {
		if strings.Contains(r.Body, secret) {
			t.Errorf("metrics show %q", secret)
		}
	}
}
