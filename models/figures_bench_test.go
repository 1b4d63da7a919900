package models

import (
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// BenchmarkCountFigures times counting every closed period of the
// organisation in FIGURES_DATABASE_URL (PostgreSQL) as of FIGURES_TODAY
// (default 2026-11-23, the large organisation's today), inside a
// transaction that is rolled back: the work the first request after a
// month closes does before suppression is decided; FIGURES_LATEST=n
// counts only the n periods that ended last.
//
//	FIGURES_DATABASE_URL=… go test -run '^$' -bench CountFigures -benchtime 3x ./models/
func BenchmarkCountFigures(b *testing.B) {
	db := figuresDB(b)
	today := NewDate(2026, 11, 23)
	if s := os.Getenv("FIGURES_TODAY"); s != "" {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			b.Fatal(err)
		}
		today = DateOf(t)
	}
	var first Programme
	if err := db.Order("starts_on").First(&first).Error; err != nil {
		b.Fatal(err)
	}
	start, end := programmeYearOf(first.StartsOn), monthStart(today)
	periods := periodsIn(start, end)
	if n, err := strconv.Atoi(os.Getenv("FIGURES_LATEST")); err == nil && n < len(periods) {
		periods = periods[len(periods)-n:] // the periods a month's close adds
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tx := db.Begin()
		t0 := time.Now()
		if err := freezePeriods(tx, periods); err != nil {
			b.Fatal(err)
		}
		b.Logf("%d periods counted in %.0f ms", len(periods), time.Since(t0).Seconds()*1000)
		tx.Rollback()
	}
}

// BenchmarkPublishFigures times deciding suppression for every closed
// period of the organisation in FIGURES_DATABASE_URL at once, as the first
// view after an upgrade (or of a large history) does: the periods are
// counted once in a transaction that is rolled back, then each iteration
// decides all of them afresh.
//
//	FIGURES_DATABASE_URL=… go test -run '^$' -bench PublishFigures -benchtime 3x -benchmem ./models/
func BenchmarkPublishFigures(b *testing.B) {
	db := figuresDB(b)
	var first Programme
	if err := db.Order("starts_on").First(&first).Error; err != nil {
		b.Fatal(err)
	}
	start, end := programmeYearOf(first.StartsOn), monthStart(NewDate(2026, 11, 23))
	periods := periodsIn(start, end)
	tx := db.Begin()
	defer tx.Rollback()
	if err := tx.Exec("DELETE FROM figure_cells").Error; err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	if err := freezePeriods(tx, periods); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d periods counted in %.1f s", len(periods), time.Since(t0).Seconds())
	stored, err := storedFigures(tx, periods)
	if err != nil {
		b.Fatal(err)
	}
	var months []Date
	for m := start; m.Before(end); m = m.AddMonths(1) {
		months = append(months, m)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := &Figures{Periods: periods, Rows: map[string][]string{}, cells: map[figKey]Cell{}}
		for k := range stored {
			if k.By != byTotal && !contains(f.Rows[k.By], k.Row) {
				f.Rows[k.By] = append(f.Rows[k.By], k.Row)
			}
		}
		for by := range f.Rows {
			sort.Strings(f.Rows[by])
		}
		t0 := time.Now()
		_, hidden := f.publish(stored, months)
		b.Logf("%d periods, %d rows: suppression decided in %.2f s, %d figures hidden", len(periods), len(f.Rows[ByProgramme])+len(f.Rows[ByDepartment])+1, time.Since(t0).Seconds(), len(hidden))
		// A month closes: every period before it is decided as above, the
		// periods ending with it are decided now.
		closing := map[figKey]figValue{}
		for k, v := range stored {
			if k.Period.End.Before(end) {
				v.decided, v.hidden = true, f.cells[k].Suppressed
			}
			closing[k] = v
		}
		g := &Figures{Periods: periods, Rows: f.Rows, cells: map[figKey]Cell{}}
		t0 = time.Now()
		decided, _ := g.publish(closing, months)
		b.Logf("a month closes: %d periods decided in %.2f s", len(decided), time.Since(t0).Seconds())
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// benchLogger prints each statement's time with FIGURES_SQL set.
func benchLogger() logger.Interface {
	if os.Getenv("FIGURES_SQL") == "" {
		return logger.Discard
	}
	return logger.Default.LogMode(logger.Info)
}

// figuresDB opens the organisation in FIGURES_DATABASE_URL (PostgreSQL),
// or skips the benchmark without it.
func figuresDB(b *testing.B) *gorm.DB {
	dsn := os.Getenv("FIGURES_DATABASE_URL")
	if dsn == "" {
		b.Skip("set FIGURES_DATABASE_URL")
	}
	db, err := gorm.Open(postgres.Open(dsn), &gorm.Config{Logger: benchLogger()})
	if err != nil {
		b.Fatal(err)
	}
	return db
}
