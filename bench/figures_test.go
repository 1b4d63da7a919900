package bench

import (
	"context"
	"io"
	"log/slog"
	"os"
	"runtime"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app"
	"crossmentor/models"
)

// BenchmarkFigures measures the published figures: the first report, which
// counts and decides what is missing (with FIGURES_RECOUNT set, every
// closed period from scratch, suppression included), then the
// participation report and the dashboard as every later view reads them,
// with the bytes allocated per view. On the large organisation
// in PostgreSQL with BENCH_DATABASE_URL, or on an embedded database with
// FIGURES_SQLITE_DIR (a data folder filled by `crossmentor demo`, dated
// today).
//
//	BENCH_DATABASE_URL=… go test -run '^$' -bench Figures -benchtime 1x -v ./bench/
//	FIGURES_SQLITE_DIR=/tmp/demo-data go test -run '^$' -bench Figures -benchtime 1x -v ./bench/
func BenchmarkFigures(b *testing.B) {
	var db *gorm.DB
	today := models.DateOf(time.Now())
	if dir := os.Getenv("FIGURES_SQLITE_DIR"); dir != "" {
		cfg, err := app.LoadConfig(os.LookupEnv)
		if err != nil {
			b.Fatal(err)
		}
		cfg.DatabaseURL, cfg.DataDir, cfg.Jobs = "", dir, false
		if db, err = app.OpenDatabase(cfg, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
			b.Fatal(err)
		}
	} else {
		db, today = setup(b).db, app.LargeToday()
	}
	ctx := context.Background()
	var admin models.Person
	if err := db.Where("admin = ?", true).First(&admin).Error; err != nil {
		b.Fatal(err)
	}
	v := models.Viewer{PersonID: admin.ID, Admin: true}
	for i := 0; i < b.N; i++ {
		if os.Getenv("FIGURES_RECOUNT") != "" {
			if err := db.Exec("DELETE FROM figure_cells").Error; err != nil {
				b.Fatal(err)
			}
		}
		start := time.Now()
		if _, err := models.Participation(ctx, db, v, models.ReportFilter{}, today); err != nil {
			b.Fatal(err)
		}
		b.Logf("first report (counts and decides what is missing): %.0f ms", time.Since(start).Seconds()*1000)
		views := map[string]func() error{
			"report by programme": func() error {
				_, err := models.Participation(ctx, db, v, models.ReportFilter{By: models.ByProgramme}, today)
				return err
			},
			"report by department": func() error {
				_, err := models.Participation(ctx, db, v, models.ReportFilter{By: models.ByDepartment}, today)
				return err
			},
			"dashboard": func() error {
				_, err := models.BuildDashboard(ctx, db, v, models.DashboardFilter{}, today)
				return err
			},
		}
		for _, name := range []string{"report by programme", "report by department", "dashboard"} {
			fn := views[name]
			timed(b, 3, fn)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			lat := timed(b, 30, fn)
			runtime.ReadMemStats(&after)
			b.Logf("%s: p50 %.2f ms, p95 %.2f ms, %.0f KB allocated per view", name, percentile(lat, 0.5),
				percentile(lat, 0.95), float64(after.TotalAlloc-before.TotalAlloc)/30/1024)
		}
	}
}
