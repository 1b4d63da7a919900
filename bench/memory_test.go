package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"crossmentor/models"
)

// rss is the resident memory of process pid in MB.
func rss(b *testing.B, pid int) float64 {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatalf("resident memory is read from /proc on Linux: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	b.Fatal("no VmRSS in /proc status")
	return 0
}

// BenchmarkMemory serves the organisation from the app in its own process
// (startChild: as `crossmentor serve` does, jobs off, so nothing is sent)
// and reports that process's resident memory idle after start-up and a
// first visit, at the peak of the mentee home page under 50 clients, and at
// the peak of the participation reports and the dashboard under 50 clients.
func BenchmarkMemory(b *testing.B) {
	e := setup(b)
	warmReports(b, e)
	c := startChild(b, e.dsn, e.dataDir, e.today)
	defer c.stop()
	var admin models.Person
	if err := e.db.First(&admin, e.admin.PersonID).Error; err != nil {
		b.Fatal(err)
	}
	cookie, adminCookie := e.sessionOf(b, e.mentee), e.sessionOf(b, admin.Email)
	figures := []string{c.base + "/reports/participation", c.base + "/reports/participation?by=department", c.base + "/dashboard"}
	pid := c.cmd.Process.Pid
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		load(b, c.base+"/", cookie, 5, 50) // every page once, as after a first visit
		loadAll(b, figures, adminCookie, 3, 6)
		time.Sleep(2 * time.Second)
		idle := rss(b, pid)
		result(b, "resident memory of the server, idle", "MB", idle, 0, 150, true)
		home := peakRSS(b, pid, func() { load(b, c.base+"/", cookie, 50, envInt("BENCH_REQUESTS", 10000)) })
		result(b, "resident memory of the server, mentee home page under 50 clients", "MB", home, 0, 150, true)
		reports := peakRSS(b, pid, func() { loadAll(b, figures, adminCookie, 50, envInt("BENCH_FIGURE_REQUESTS", 300)) })
		result(b, "resident memory of the server, reports and dashboard under 50 clients", "MB", reports, 0, 150, true)
	}
}

// peakRSS runs work and returns the highest resident memory of process pid
// sampled every 20 ms meanwhile.
func peakRSS(b *testing.B, pid int, work func()) float64 {
	b.Helper()
	done, peakc := make(chan struct{}), make(chan float64)
	go func() {
		peak := 0.0
		for {
			if r := rss(b, pid); r > peak {
				peak = r
			}
			select {
			case <-done:
				peakc <- peak
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	work()
	close(done)
	return <-peakc
}
