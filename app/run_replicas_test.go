package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"crossmentor/app"
	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestRunAcrossReplicas starts two app servers on one PostgreSQL database
// and drives the run from each: a change made on one replica reaches a
// viewer on the other within a second, through NOTIFY and LISTEN.
func TestRunAcrossReplicas(t *testing.T) {
	if !apptest.Postgres() {
		t.Skip("needs PostgreSQL: set TEST_DATABASE_URL to run two replicas on one database")
	}
	db := apptest.Demo(t)
	apps := []*app.App{apptest.New(t, db), apptest.New(t, db)}
	var servers []*apptest.Client
	var keepers []*apptest.Client
	for _, a := range apps {
		select {
		case <-a.Live.Ready():
		case <-time.After(10 * time.Second):
			t.Fatal("a replica does not listen for changes")
		}
		srv := apptest.Serve(t, a)
		member := apptest.NewClient(t, srv)
		member.SignIn("mentee@demo.test", app.DemoPassword)
		keeper := apptest.NewClient(t, srv)
		keeper.SignIn("ahmed.elamrani@demo.test", app.DemoPassword)
		servers, keepers = append(servers, member), append(keepers, keeper)
	}
	id := apptest.LiveMeeting(t, db, time.Now())
	path := fmt.Sprintf("/meetings/%d/run", id)
	streams := []*apptest.EventStream{servers[0].Stream(path + "/events"), servers[1].Stream(path + "/events")}
	for _, s := range streams {
		if _, err := s.Next(time.Second); err != nil {
			t.Fatal(err)
		}
	}
	for i, step := range []struct {
		on     int // the replica the timekeeper uses
		action string
		phase  int
	}{{0, "start", 0}, {1, "next", 1}, {0, "next", 2}, {1, "previous", 1}} {
		sent := time.Now()
		if r := keepers[step.on].PostForm(path, url.Values{"action": {step.action}}); r.Status != http.StatusSeeOther {
			t.Fatalf("%s on replica %d: %d", step.action, step.on+1, r.Status)
		}
		for j, s := range streams {
			data, err := s.Next(time.Second)
			if err != nil {
				t.Fatalf("step %d (%s on replica %d), viewer on replica %d: %v", i, step.action, step.on+1, j+1, err)
			}
			var st models.RunState
			if err := json.Unmarshal([]byte(data), &st); err != nil {
				t.Fatal(err)
			}
			if st.Phase != step.phase || st.Status != models.RunRunning {
				t.Fatalf("step %d, replica %d: %+v", i, j+1, st)
			}
			t.Logf("%s on replica %d reached the viewer on replica %d in %s", step.action, step.on+1, j+1, time.Since(sent))
		}
	}
	// Each replica holds only its own viewer: the other one was reached
	// through the database, not in process.
	for i, a := range apps {
		if n := a.Live.Subscribers(id); n != 1 {
			t.Fatalf("replica %d has %d subscribers", i+1, n)
		}
	}
}
