package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

// BenchmarkPersonPages serves the mentee's home page, her group's page and
// one of its meetings on the demo organisation through the app's whole
// middleware (session, language, access checks, logging), without the
// network: what a page costs the app in CPU and garbage. Run it with
// -benchmem; TEST_DATABASE_URL runs it on PostgreSQL.
//
// With CM_DUMP_PAGES=dir each page's HTML (CSRF token blanked) is written
// to dir once, to compare the output of two versions byte for byte.
func BenchmarkPersonPages(b *testing.B) {
	db := apptest.Demo(b)
	a := apptest.New(b, db)
	srv := apptest.Serve(b, a)
	client := apptest.NewClient(b, srv)
	client.SignIn("mentee@demo.test", app.DemoPassword)
	session := &http.Cookie{Name: "cm_session", Value: client.Cookie("cm_session")}

	var m models.Membership
	if err := db.Joins("JOIN people ON people.id = memberships.person_id").
		Where("people.email = ?", "mentee@demo.test").First(&m).Error; err != nil {
		b.Fatal(err)
	}
	var meeting models.Meeting
	if err := db.Where("group_id = ?", m.GroupID).Order("starts_at").First(&meeting).Error; err != nil {
		b.Fatal(err)
	}
	pages := []struct{ name, path string }{
		{"home", "/"},
		{"group", fmt.Sprintf("/groups/%d", m.GroupID)},
		{"meeting", fmt.Sprintf("/meetings/%d", meeting.ID)},
	}
	serve := func(b *testing.B, path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(session)
		rec := httptest.NewRecorder()
		a.Echo.ServeHTTP(rec, req)
		return rec
	}
	csrf := regexp.MustCompile(`name="_csrf" value="[^"]*"`)
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			rec := serve(b, p.path)
			if rec.Code != http.StatusOK {
				b.Fatalf("%s: %d", p.path, rec.Code)
			}
			if dir := os.Getenv("CM_DUMP_PAGES"); dir != "" {
				out := csrf.ReplaceAll(rec.Body.Bytes(), []byte(`name="_csrf" value=""`))
				if err := os.WriteFile(filepath.Join(dir, p.name+".html"), out, 0o600); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu, gc := processCPU(b), gcCPU()
			for b.Loop() {
				if rec := serve(b, p.path); rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", p.path, rec.Code)
				}
			}
			// The process's CPU (user and system, the garbage collector
			// included; not the database server's) per request.
			b.ReportMetric(float64(processCPU(b)-cpu)/float64(b.N), "cpu-ns/op")
			// The garbage collector's part of it, as the runtime estimates it.
			b.ReportMetric((gcCPU()-gc)*1e9/float64(b.N), "gc-cpu-ns/op")
		})
	}
}

// processCPU is the CPU time the test process has used so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// gcCPU is the CPU time in seconds the garbage collector has used so far.
func gcCPU() float64 {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	return s[0].Value.Float64()
}
