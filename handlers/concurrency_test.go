package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/models"
)

// burst sends the same request n times at once and returns the statuses.
func burst(n int, send func() int) []int {
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = send()
		}()
	}
	close(start)
	wg.Wait()
	return statuses
}

// rowsOf counts rows of a model matching where.
func rowsOf(t *testing.T, db *gorm.DB, model any, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Model(model).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestParallelIdenticalWrites: 8 identical requests at once, 5 rounds, to
// every replace-style write (roles, attendance, poll answers, first-meeting
// entries, and last the series, which replaces the future meetings) answer 200 or 409, never 500, and leave exactly
// the rows one request leaves. On PostgreSQL this needs the parent row's
// lock; the embedded database serialises writes by itself.
func TestParallelIdenticalWrites(t *testing.T) {
	_, db, srv := demo(t)
	mentor := as(t, srv, "mentor@demo.test")
	mentee := as(t, srv, "mentee@demo.test")
	mentee.Get("/healthz")
	noord := groupID(t, db, "Groep Noord")
	sanne := personID(t, db, "mentee@demo.test")
	var first models.Meeting
	if err := db.Where("group_id = ? AND kind = ?", noord, models.KindFirstMeeting).First(&first).Error; err != nil {
		t.Fatal(err)
	}
	// An open date poll for the poll answers.
	openPoll(t, db, noord)
	var poll models.DatePoll
	if err := db.Where("group_id = ? AND status = 'open'", noord).Order("id DESC").First(&poll).Error; err != nil {
		t.Fatal(err)
	}
	var options []models.PollOption
	db.Where("poll_id = ?", poll.ID).Order("id").Find(&options)
	answers := map[string]string{}
	for _, o := range options {
		answers[fmt.Sprint(o.ID)] = "yes"
	}
	series := map[string]any{"first_on": "2027-03-02", "start_time": "14:00", "cadence_weeks": 4, "duration_min": 150}
	// What one request leaves, to compare with.
	if r := mentor.JSON("PUT", fmt.Sprintf("/api/v1/groups/%d/series", noord), "", series); r.Status != http.StatusOK {
		t.Fatalf("series: %d %s", r.Status, r.Body)
	}
	var future []models.Meeting
	if err := db.Where("group_id = ? AND kind = ? AND status = ? AND starts_at > ?", noord, models.KindIntervision,
		models.MeetingPlanned, time.Now()).Order("starts_at").Limit(2).Find(&future).Error; err != nil || len(future) < 2 {
		t.Fatalf("future meetings: %v", err)
	}
	// Attendance is taken from a meeting's start: a past meeting of the group.
	var past models.Meeting
	if err := db.Where("group_id = ? AND kind = ? AND starts_at < ?", noord, models.KindIntervision, time.Now()).
		Order("starts_at DESC").First(&past).Error; err != nil {
		t.Fatalf("past meeting: %v", err)
	}
	planned := rowsOf(t, db, &models.Meeting{}, "group_id = ? AND status <> ?", noord, models.MeetingCancelled)
	// Nobody chairs the case they bring: Ahmed brings it.
	roles := map[string]any{"facilitator": sanne, "timekeeper": sanne, "case_bringers": []uint{personID(t, db, "ahmed.elamrani@demo.test")}}
	cases := []struct {
		name  string
		send  func() int
		check func(t *testing.T)
	}{
		{"PUT roles", func() int {
			return mentor.JSON("PUT", fmt.Sprintf("/api/v1/meetings/%d/roles", future[1].ID), "", roles).Status
		}, func(t *testing.T) {
			if n := rowsOf(t, db, &models.MeetingRoleAssignment{}, "meeting_id = ?", future[1].ID); n != 3 {
				t.Errorf("%d role rows, want 3", n)
			}
		}},
		{"PUT attendance", func() int {
			return mentor.JSON("PUT", fmt.Sprintf("/api/v1/meetings/%d/attendance", past.ID), "",
				map[string]any{"attendance": map[string]string{fmt.Sprint(sanne): "present"}}).Status
		}, func(t *testing.T) {
			if n := rowsOf(t, db, &models.Attendance{}, "meeting_id = ? AND person_id = ?", past.ID, sanne); n != 1 {
				t.Errorf("%d attendance rows, want 1", n)
			}
		}},
		{"PUT poll answers", func() int {
			return mentee.JSON("PUT", fmt.Sprintf("/api/v1/groups/%d/poll/answers", noord), "", map[string]any{"answers": answers}).Status
		}, func(t *testing.T) {
			if n := rowsOf(t, db, &models.PollAnswer{}, "person_id = ? AND option_id IN (SELECT id FROM poll_options WHERE poll_id = ?)", sanne, poll.ID); n != int64(len(options)) {
				t.Errorf("%d answers, want %d", n, len(options))
			}
		}},
		{"POST first-meeting entry", func() int {
			return mentee.PostForm(fmt.Sprintf("/meetings/%d/entries/%d", first.ID, sanne), url.Values{"goal": {"Rustiger plannen"}}).Status
		}, func(t *testing.T) {
			if n := rowsOf(t, db, &models.FirstMeetingEntry{}, "meeting_id = ? AND person_id = ?", first.ID, sanne); n != 1 {
				t.Errorf("%d entries, want 1", n)
			}
		}},
		{"PUT series", func() int {
			return mentor.JSON("PUT", fmt.Sprintf("/api/v1/groups/%d/series", noord), "", series).Status
		}, func(t *testing.T) {
			if n := rowsOf(t, db, &models.Meeting{}, "group_id = ? AND status <> ?", noord, models.MeetingCancelled); n != planned {
				t.Errorf("%d meetings not cancelled, one save leaves %d", n, planned)
			}
			if n := rowsOf(t, db, &models.GroupSeries{}, "group_id = ?", noord); n != 1 {
				t.Errorf("%d series", n)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fails, tally := 0, map[int]int{}
			for round := 0; round < 5; round++ {
				for _, s := range burst(8, tc.send) {
					tally[s]++
					if s >= 500 || (s >= 400 && s != http.StatusConflict) {
						fails++
						t.Errorf("round %d: status %d", round, s)
					}
				}
				tc.check(t)
			}
			t.Logf("%s: 40 requests, statuses %v, %d answered other than 2xx/3xx/409", tc.name, tally, fails)
		})
	}
}
