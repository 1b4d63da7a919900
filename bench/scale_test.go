package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app"
	"crossmentor/models"
)

// scales are the sizes of the scaling run, as parts of the large
// organisation: people, teams, groups per programme, sent mails and audit
// rows scale; the 40 programmes and their dates stay, so every group keeps
// its year of meetings and the pages' periods are the same.
var scales = []struct {
	name   string
	factor float64
}{{"¼", 0.25}, {"½", 0.5}, {"1", 1}, {"2", 2}}

// scaled is the large organisation at factor.
func scaled(factor float64) app.LargeSize {
	s := app.LargeOrganisation()
	mul := func(n int) int { return max(1, int(float64(n)*factor+0.5)) }
	s.People, s.Teams, s.GroupsPerProgramme = mul(s.People), mul(s.Teams), mul(s.GroupsPerProgramme)
	s.SentMails, s.AuditRows = mul(s.SentMails), mul(s.AuditRows)
	return s
}

// BenchmarkScaling (BENCH_SCALE=1; PostgreSQL only) measures the mentee
// home, group and meeting pages with 10 clients, the participation report
// and the dashboard on the organisation at ¼, ½, 1 and 2 times its size.
// The large organisation is BENCH_DATABASE_URL; the others are loaded
// once into databases cm_bench_scale_<per cent> of the same server (about
// a minute per 20,000 people) and kept, marked like crossmentor_large.
func BenchmarkScaling(b *testing.B) {
	if os.Getenv("BENCH_SCALE") == "" {
		b.Skip("set BENCH_SCALE=1 to load the organisation at ¼, ½ and 2 times and measure it (bench/run.sh does)")
	}
	large := setup(b)
	if large.dsn == "" {
		b.Skip("the scaling run is on PostgreSQL")
	}
	only := os.Getenv("BENCH_SCALES") // a subset, as factors: 0.25,2
	for i := 0; i < b.N; i++ {
		for _, s := range scales {
			if only != "" && !strings.Contains(","+only+",", ","+strconv.FormatFloat(s.factor, 'f', -1, 64)+",") {
				continue
			}
			e := large
			if s.factor != 1 {
				dsn := scaleDatabase(b, large, s.factor)
				var err error
				if e, err = open(dsn, ""); err != nil {
					b.Fatal(err)
				}
			}
			scaleRow(b, e, s.name)
			if e != large {
				e.app.Close()
				closeDB(e.db)
			}
		}
	}
}

// scaleDatabase returns the URL of the database holding the organisation at
// factor, loading it first when it is not there or was loaded otherwise.
func scaleDatabase(b *testing.B, large *env, factor float64) string {
	b.Helper()
	name := fmt.Sprintf("cm_bench_scale_%03d", int(factor*100))
	dsn := strings.Replace(large.dsn, "/crossmentor_large?", "/"+name+"?", 1)
	if dsn == large.dsn {
		b.Fatalf("cannot name the scaled database beside %s", large.dsn)
	}
	ring, _, _ := strings.Cut(os.Getenv("CROSSMENTOR_DATA_KEYS"), ":")
	marker := fmt.Sprintf("crossmentor organisation at %.2f of the large one, seed 1, key ring %s", factor, ring)
	var got string
	if err := large.db.Raw("SELECT coalesce(shobj_description(oid, 'pg_database'), 'none') FROM pg_database WHERE datname = ?", name).
		Scan(&got).Error; err != nil {
		b.Fatal(err)
	}
	if got == marker {
		return dsn
	}
	if got != "" {
		if err := large.db.Exec("DROP DATABASE " + name + " WITH (FORCE)").Error; err != nil {
			b.Fatal(err)
		}
	}
	if err := large.db.Exec("CREATE DATABASE " + name).Error; err != nil {
		b.Fatal(err)
	}
	cfg, err := app.LoadConfig(os.LookupEnv)
	if err != nil {
		b.Fatal(err)
	}
	cfg.DatabaseURL, cfg.Jobs, cfg.DataDir = dsn, false, large.dataDir
	db, err := app.OpenDatabase(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer closeDB(db)
	ctx := context.Background()
	t0 := time.Now()
	if err := app.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	if err := app.LoadLargeDemo(ctx, db, scaled(factor), 1); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s loaded in %.0f s", name, time.Since(t0).Seconds())
	if err := large.db.Exec("COMMENT ON DATABASE " + name + " IS '" + marker + "'").Error; err != nil {
		b.Fatal(err)
	}
	return dsn
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

// scaleRow measures one size and appends its row to BENCH_SCALING.
func scaleRow(b *testing.B, e *env, name string) {
	b.Helper()
	// The 3,000 groups BenchmarkSeriesPlanning3000 adds to the large
	// organisation (without meetings once it ends) are not counted.
	var people, groups, meetings int64
	for query, n := range map[string]*int64{
		"SELECT count(*) FROM people": &people,
		"SELECT count(*) FROM mentor_groups WHERE programme_id NOT IN (SELECT id FROM programmes WHERE name = 'Planning benchmark')": &groups,
		"SELECT count(*) FROM meetings": &meetings,
	} {
		if err := e.db.Raw(query).Scan(n).Error; err != nil {
			b.Fatal(err)
		}
	}
	c := startChild(b, e.dsn, e.dataDir, e.today)
	defer c.stop()
	total := envInt("BENCH_REQUESTS", 10000) / 2
	var cells []string
	for _, p := range []struct{ path, email string }{
		{"/", e.mentee}, {"/groups/" + strconv.Itoa(int(e.group)), e.mentor}, {"/meetings/" + strconv.Itoa(int(e.meeting)), e.mentor},
	} {
		cookie := e.sessionOf(b, p.email)
		load(b, c.base+p.path, cookie, 10, total/10)
		u := measured(b, c, true, p.path, cookie, 10, total)
		cells = append(cells, fmt.Sprintf("%.0f|%.3f|%.3f|%.1f", u.rps, u.appCPU, u.dbCPU, u.stmt))
	}
	ctx := context.Background()
	warm, cancel := context.WithTimeout(ctx, 30*time.Minute)
	t0 := time.Now()
	_, err := models.Participation(warm, e.db, e.admin, models.ReportFilter{}, e.today)
	cancel()
	if err != nil {
		b.Fatal(err)
	}
	first := time.Since(t0).Seconds()
	views := []func() error{
		func() error {
			_, err := models.Participation(ctx, e.db, e.admin, models.ReportFilter{By: models.ByProgramme}, e.today)
			return err
		},
		func() error {
			_, err := models.BuildDashboard(ctx, e.db, e.admin, models.DashboardFilter{}, e.today)
			return err
		},
	}
	for _, view := range views {
		timed(b, 2, view)
		cells = append(cells, fmt.Sprintf("%.1f", percentile(timed(b, 15, view), 0.95)))
	}
	line := fmt.Sprintf("%s|%d|%d|%d|%s|%.1f", name, people, groups, meetings, strings.Join(cells, "|"), first)
	b.Log(line)
	if path := os.Getenv("BENCH_SCALING"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		fmt.Fprintln(f, line)
	}
}
