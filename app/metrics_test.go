package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

const metricsToken = "scrape-token-for-tests"

// metricsApp serves the demo with a metrics token and a log kept in buf.
func metricsApp(t *testing.T, buf *syncBuffer) (*apptest.Client, *app.App) {
	t.Helper()
	db := apptest.Demo(t)
	a := apptest.NewWith(t, db, func(c *app.Config) { c.MetricsToken = metricsToken },
		slog.New(slog.NewJSONHandler(buf, nil)))
	return apptest.NewClient(t, apptest.Serve(t, a)), a
}

// TestMetrics: /metrics counts requests by route pattern and status, shows
// the mail queue and the database pool, and never a person or a token.
func TestMetrics(t *testing.T) {
	c, _ := metricsApp(t, &syncBuffer{})
	c.SignIn("mentee@demo.test", app.DemoPassword)
	c.Get("/groups/1")
	c.Get("/calendar/secret-token-123.ics")
	c.Get("/invite/another-secret")
	r := c.JSON(http.MethodGet, "/metrics", metricsToken, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("metrics: %d", r.Status)
	}
	for _, want := range []string{`crossmentor_echo_requests_total{code="200",host=""`, `url="/groups/:id"`, "crossmentor_mail_deliveries",
		"go_goroutines", `go_sql_max_open_connections{db_name="crossmentor"}`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, secret := range []string{"secret-token-123", "another-secret", "mentee@demo.test", "Sanne", metricsToken} {
		if strings.Contains(r.Body, secret) {
			t.Errorf("metrics show %q", secret)
		}
	}
}

// TestMetricsNeedTheToken: without the bearer token /metrics answers 401;
// with no token set it is off (404).
func TestMetricsNeedTheToken(t *testing.T) {
	c, _ := metricsApp(t, &syncBuffer{})
	for _, tok := range []string{"", "wrong", metricsToken + "x"} {
		if r := c.JSON(http.MethodGet, "/metrics", tok, nil); r.Status != http.StatusUnauthorized || strings.Contains(r.Body, "go_goroutines") {
			t.Errorf("token %q: %d", tok, r.Status)
		}
	}
	off := apptest.NewClient(t, apptest.Serve(t, apptest.New(t, apptest.Demo(t))))
	if r := off.JSON(http.MethodGet, "/metrics", "", nil); r.Status != http.StatusNotFound {
		t.Errorf("metrics without a token setting: %d", r.Status)
	}
}

// TestHandledErrorsShowTheirStatus: three refused API reads (404) are 404
// in the request log and in /metrics, not 200 in one and 500 in the other.
func TestHandledErrorsShowTheirStatus(t *testing.T) {
	var buf syncBuffer
	c, a := metricsApp(t, &buf)
	admin := models.Viewer{PersonID: personIDOf(t, a, "admin@demo.test"), Admin: true}
	_, plain, err := models.CreateAPIToken(context.Background(), a.DB, admin, models.APITokenInput{Name: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"99997", "99998", "99999"} {
		if r := c.JSON(http.MethodGet, "/api/v1/people/"+id, plain, nil); r.Status != http.StatusNotFound {
			t.Fatalf("person %s: %d", id, r.Status)
		}
	}
	logged := 0
	for _, line := range strings.Split(buf.String(), "\n") {
		var rec struct {
			Msg, Route string
			Status     int
		}
		if json.Unmarshal([]byte(line), &rec) != nil || rec.Msg != "request" || rec.Route != "/api/v1/people/:id" {
			continue
		}
		if rec.Status != http.StatusNotFound {
			t.Errorf("logged as %d: %s", rec.Status, line)
		}
		logged++
	}
	if logged != 3 {
		t.Errorf("%d of 3 requests logged", logged)
	}
	r := c.JSON(http.MethodGet, "/metrics", metricsToken, nil)
	if want := `crossmentor_echo_requests_total{code="404",host="",method="GET",url="/api/v1/people/:id"} 3`; !strings.Contains(r.Body, want) {
		t.Errorf("metrics lack %s in\n%s", want, grepLines(r.Body, "people/:id"))
	}
	if strings.Contains(r.Body, `code="500",host="",method="GET",url="/api/v1/people/:id"`) {
		t.Error("the 404s are counted as 500s")
	}
}

func personIDOf(t *testing.T, a *app.App, email string) uint {
	t.Helper()
	var p models.Person
	if err := a.DB.Where("email = ?", email).First(&p).Error; err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// grepLines keeps the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
