package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

// BenchmarkRunFanOut runs 50 meetings at once with 6 viewers each on one
// server. Each iteration changes every meeting at the same moment (the
// mentor adds a minute to each) and waits until all 300 viewers have the
// change: "burst" changes all 50 in the same instant, "paced" one every
// 20 ms (still far more often than parts of a meeting change). It reports
// the p50, p99 and largest delay from sending a change to a viewer
// receiving it, and the memory and goroutines the 300 open streams hold.
//
//	go test -run '^$' -bench BenchmarkRunFanOut -benchtime 20x ./app/
func BenchmarkRunFanOut(b *testing.B) {
	const meetings, viewers = 50, 6
	db := apptest.Demo(b)
	a := apptest.New(b, db)
	<-a.Live.Ready()
	srv := apptest.Serve(b, a)
	ids := benchMeetings(b, db, meetings)

	mentor := apptest.NewClient(b, srv)
	mentor.SignIn("mentor@demo.test", app.DemoPassword)
	member := apptest.NewClient(b, srv)
	member.SignIn("mentee@demo.test", app.DemoPassword)
	for _, id := range ids {
		if r := mentor.PostForm(fmt.Sprintf("/meetings/%d/run", id), url.Values{"action": {"start"}}); r.Status != http.StatusSeeOther {
			b.Fatalf("start %d: %d", id, r.Status)
		}
	}

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	goroutines := runtime.NumGoroutine()
	streams := make([][]*apptest.EventStream, meetings)
	for i, id := range ids {
		for range viewers {
			s := member.Stream(fmt.Sprintf("/meetings/%d/run/events", id))
			if _, err := s.Next(5 * time.Second); err != nil {
				b.Fatal(err)
			}
			streams[i] = append(streams[i], s)
		}
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	versions := make([]int, len(ids)) // each meeting's run version, across all runs
	for i := range versions {
		versions[i] = 1 // started
	}
	for _, pace := range []time.Duration{0, 20 * time.Millisecond} {
		name := "burst"
		if pace > 0 {
			name = "paced-" + pace.String()
		}
		b.Run(name, func(b *testing.B) {
			var delays []time.Duration
			var mu sync.Mutex
			for range b.N {
				var wg sync.WaitGroup
				for i, id := range ids {
					time.Sleep(pace)
					sent := time.Now()
					versions[i]++
					want := versions[i]
					for _, s := range streams[i] {
						wg.Go(func() {
							// Heartbeats come too: wait for the state with this change.
							for {
								data, err := s.Next(10 * time.Second)
								if err != nil {
									b.Error(err)
									return
								}
								var st models.RunState
								if json.Unmarshal([]byte(data), &st) == nil && st.Version >= want {
									break
								}
							}
							mu.Lock()
							delays = append(delays, time.Since(sent))
							mu.Unlock()
						})
					}
					wg.Go(func() {
						if r := mentor.PostForm(fmt.Sprintf("/meetings/%d/run", id), url.Values{"action": {"extend"}}); r.Status != http.StatusSeeOther {
							b.Errorf("extend %d: %d", id, r.Status)
						}
					})
				}
				wg.Wait()
			}
			sort.Slice(delays, func(i, j int) bool { return delays[i] < delays[j] })
			if len(delays) > 0 {
				b.ReportMetric(float64(delays[len(delays)*99/100].Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(delays[len(delays)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(delays[len(delays)-1].Microseconds())/1000, "max-ms")
			}
			held := int64(after.HeapInuse) - int64(before.HeapInuse)
			b.ReportMetric(float64(held)/(1<<20), "streams-heap-MB")
			b.ReportMetric(float64(held)/float64(meetings*viewers)/1024, "KB/stream")
			b.ReportMetric(float64(runtime.NumGoroutine()-goroutines), "goroutines")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// benchMeetings adds n intervision meetings to Groep Noord that started
// five minutes ago.
func benchMeetings(b *testing.B, db *gorm.DB, n int) []uint {
	first := apptest.LiveMeeting(b, db, time.Now())
	var m models.Meeting
	if err := db.First(&m, first).Error; err != nil {
		b.Fatal(err)
	}
	ids := []uint{first}
	for i := 1; i < n; i++ {
		c := m
		c.ID, c.Seq = 0, 1000+i
		// One planned meeting per slot: each copy starts a second later.
		c.StartsAt, c.EndsAt = m.StartsAt.Add(time.Duration(i)*time.Second), m.EndsAt.Add(time.Duration(i)*time.Second)
		if err := db.Create(&c).Error; err != nil {
			b.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	return ids
}
