package models

import (
	"os"
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
	dsn := os.Getenv("FIGURES_DATABASE_URL")
	if dsn == "" {
		b.Skip("set FIGURES_DATABASE_URL")
	}
	db, err := gorm.Open(postgres.Open(dsn), &gorm.Config{Logger: benchLogger()})
	if err != nil {
		b.Fatal(err)
	}
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

// benchLogger prints each statement's time with FIGURES_SQL set.
func benchLogger() logger.Interface {
	if os.Getenv("FIGURES_SQL") == "" {
		return logger.Discard
	}
	return logger.Default.LogMode(logger.Info)
}
