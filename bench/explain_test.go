package bench

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

// recorder is a gorm logger that keeps every statement, with its values.
type recorder struct {
	logger.Interface
	mu   sync.Mutex
	sqls []string
}

func (r *recorder) LogMode(logger.LogLevel) logger.Interface { return r }

func (r *recorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	r.mu.Lock()
	r.sqls = append(r.sqls, sql)
	r.mu.Unlock()
}

// take returns the statements recorded since the last call.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.sqls
	r.sqls = nil
	return out
}

// largeTables returns the tables with at least 10,000 rows: a plan that
// reads one of them whole for one person's page is a missing index. The
// small ones are cheaper to scan than to look up.
func largeTables(t testing.TB, db *gorm.DB) map[string]bool {
	var names []string
	if err := db.Raw("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= 10000").Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	if !out["attendances"] {
		t.Fatal("attendances is small: is the large organisation loaded and analysed?")
	}
	return out
}

// seqScans returns the large tables an EXPLAIN (FORMAT JSON) plan reads whole.
func seqScans(plan []byte, large map[string]bool) ([]string, error) {
	var doc []struct {
		Plan map[string]any `json:"Plan"`
	}
	if err := json.Unmarshal(plan, &doc); err != nil {
		return nil, err
	}
	var out []string
	var walk func(node map[string]any)
	walk = func(node map[string]any) {
		if node["Node Type"] == "Seq Scan" {
			if rel, _ := node["Relation Name"].(string); large[rel] {
				out = append(out, rel)
			}
		}
		children, _ := node["Plans"].([]any)
		for _, c := range children {
			if m, ok := c.(map[string]any); ok {
				walk(m)
			}
		}
	}
	for _, d := range doc {
		walk(d.Plan)
	}
	return out, nil
}

// TestHotQueriesUseIndexes records every statement that people's pages,
// the calendar feed and the admin's lists run on the large organisation,
// and fails when the plan of one reads a large table whole. The
// organisation-wide figures (the admin's home page, the participation
// report, the dashboard, the programme list with its counts) read the
// whole organisation by design; their time is the report benchmark's
// concern, so they are left out, as are the counts behind pagination.
func TestHotQueriesUseIndexes(t *testing.T) {
	base := setup(t)
	if base.dsn == "" {
		t.Skip("plans are read from PostgreSQL")
	}
	large := largeTables(t, base.db)
	rec := &recorder{Interface: logger.Discard}
	db := base.db.Session(&gorm.Session{Logger: rec})
	cfg, _ := app.LoadConfig(func(string) (string, bool) { return "", false })
	cfg.Jobs = false
	a, err := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db, "bench")
	if err != nil {
		t.Fatal(err)
	}
	a.Handlers.Now = base.app.Handlers.Now
	srv := httptest.NewServer(a.Echo)
	defer srv.Close()

	var mentee models.Person
	base.db.Where("email = ?", base.mentee).First(&mentee)
	token, err := models.CalendarToken(context.Background(), base.db, models.Viewer{PersonID: mentee.ID, Mentee: true}, true)
	if err != nil {
		t.Fatal(err)
	}
	var adminEmail string
	base.db.Model(&models.Person{}).Where("id = ?", base.admin.PersonID).Pluck("email", &adminEmail)
	group := strconv.Itoa(int(base.group))
	visits := []struct {
		who   string
		paths []string
	}{
		{base.mentee, []string{"/", "/groups/" + group, "/groups/" + group + "/calendar", "/groups/" + group + "/cases",
			"/goals", "/one-on-ones", "/evaluations", "/account"}},
		{base.mentor, []string{"/", "/groups/" + group, "/api/v1/groups/" + group + "/meetings", "/groups/" + group + "/cases",
			"/groups/" + group + "/series", "/one-on-ones", "/evaluations"}},
		{adminEmail, []string{"/people", "/audit", "/mailbox", "/jobs"}},
		{"", []string{"/calendar/" + url.PathEscape(token) + ".ics"}},
	}
	checked := 0
	for _, visit := range visits {
		c := apptest.NewClient(t, srv)
		if visit.who != "" {
			c.SignIn(visit.who, app.DemoPassword)
		}
		rec.take()
		for _, path := range visit.paths {
			if res := c.Get(path); res.Status != 200 {
				t.Fatalf("%s as %q: %d", path, visit.who, res.Status)
			}
			for _, sql := range rec.take() {
				upper := strings.ToUpper(strings.TrimSpace(sql))
				if !strings.HasPrefix(upper, "SELECT") || strings.HasPrefix(upper, "SELECT COUNT(*)") {
					continue
				}
				var plan string
				if err := base.db.Raw("EXPLAIN (FORMAT JSON) " + sql).Row().Scan(&plan); err != nil {
					t.Fatalf("%s: explain %s: %v", path, sql, err)
				}
				scans, err := seqScans([]byte(plan), large)
				if err != nil {
					t.Fatal(err)
				}
				if len(scans) > 0 {
					t.Errorf("%s reads %v whole:\n%s", path, scans, sql)
				}
				checked++
			}
		}
	}
	t.Logf("%d statements explained", checked)
	if checked < 50 {
		t.Fatalf("only %d statements recorded: is the recorder wired?", checked)
	}
}

func TestSeqScansFindsAWholeTableRead(t *testing.T) {
	plan := `[{"Plan": {"Node Type": "Hash Join", "Plans": [{"Node Type": "Seq Scan", "Relation Name": "meetings"},
		{"Node Type": "Seq Scan", "Relation Name": "programmes"}, {"Node Type": "Index Scan", "Relation Name": "people"}]}}]`
	got, err := seqScans([]byte(plan), map[string]bool{"meetings": true, "people": true})
	if err != nil || len(got) != 1 || got[0] != "meetings" {
		t.Fatalf("got %v %v", got, err)
	}
}
