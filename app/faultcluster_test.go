package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/models"
)

// buildBinary builds the crossmentor command for the test to run as
// separate processes.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "crossmentor")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/crossmentor").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// cluster is a set of replicas of the binary on one database; replicas
// are killed with SIGKILL, as a crashing machine would stop them.
type cluster struct {
	t     *testing.T
	bin   string
	env   map[string]string
	mu    sync.Mutex
	nodes []*node
}

// node is one replica process.
type node struct {
	cmd  *exec.Cmd
	base string
	dead bool
}

func newCluster(t *testing.T, bin string, env map[string]string) *cluster {
	c := &cluster{t: t, bin: bin, env: env}
	t.Cleanup(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, n := range c.nodes {
			if !n.dead {
				_ = n.cmd.Process.Signal(os.Interrupt)
				_ = n.cmd.Wait()
			}
		}
	})
	return c
}

// start starts a replica and waits until it is ready.
func (c *cluster) start() {
	c.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		c.t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(c.bin, "serve") // #nosec G204 -- the binary this test built
	cmd.Env = append(os.Environ(), "CROSSMENTOR_ADDR="+addr, "CROSSMENTOR_BASE_URL=http://"+addr, "CROSSMENTOR_DATA_DIR="+c.t.TempDir())
	for k, v := range c.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	logs, err := os.Create(filepath.Join(c.t.TempDir(), "log"))
	if err != nil {
		c.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = io.Discard, logs
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { logs.Close() })
	n := &node{cmd: cmd, base: "http://" + addr}
	c.mu.Lock()
	c.nodes = append(c.nodes, n)
	c.mu.Unlock()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(n.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatal("a replica did not become ready within a minute")
		}
	}
}

// kill stops the i-th live replica with SIGKILL.
func (c *cluster) kill(i int) {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range c.nodes {
		if n.dead {
			continue
		}
		if i == 0 {
			n.dead = true
			if err := n.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				c.t.Fatal(err)
			}
			_ = n.cmd.Wait()
			return
		}
		i--
	}
	c.t.Fatal("no such replica")
}

// pick returns the base URL of a live replica, round robin on k.
func (c *cluster) pick(k int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var live []string
	for _, n := range c.nodes {
		if !n.dead {
			live = append(live, n.base)
		}
	}
	return live[k%len(live)]
}

// load drives the cluster: admins add teams (each acknowledged one must be
// stored), mentees read their home page, and bursts of eight identical
// requests replace a meeting's roles.
type load struct {
	t            *testing.T
	db           *gorm.DB
	cluster      *cluster
	out          outcome
	started      time.Time
	stopc        chan struct{}
	wg           sync.WaitGroup
	mu           sync.Mutex
	acknowledged []string
	bursts       int
	admin        string // session cookies
	mentee       string
	rolesMentor  string
	rolesPath    string
	rolesBody    string
	rolesMeeting uint
	rolesRows    int64 // what one save of the roles leaves
}

func newLoad(t *testing.T, db *gorm.DB, c *cluster) *load {
	l := &load{t: t, db: db, cluster: c, stopc: make(chan struct{})}
	l.admin, l.mentee = l.session("admin@demo.test"), l.session("mentee@demo.test")
	var m models.Meeting
	if err := db.Where("kind = ? AND status = ? AND starts_at > ?", models.KindIntervision, models.MeetingPlanned, time.Now()).
		Order("starts_at").First(&m).Error; err != nil {
		t.Fatal(err)
	}
	var g models.MentorGroup
	if err := db.First(&g, m.GroupID).Error; err != nil {
		t.Fatal(err)
	}
	var members []models.Membership
	if err := db.Where("group_id = ? AND status = ?", g.ID, models.StatusActive).Order("id").Limit(3).Find(&members).Error; err != nil || len(members) < 3 {
		t.Fatalf("three active members: %v", err)
	}
	var mentor models.Person
	if err := db.First(&mentor, g.MentorID).Error; err != nil {
		t.Fatal(err)
	}
	l.rolesMentor, l.rolesMeeting = l.session(mentor.Email), m.ID
	l.rolesPath = fmt.Sprintf("/api/v1/meetings/%d/roles", m.ID)
	body, _ := json.Marshal(map[string]any{"facilitator": members[0].PersonID, "timekeeper": members[1].PersonID,
		"case_bringers": []uint{members[2].PersonID}})
	l.rolesBody = string(body)
	// One save first: what a burst of identical saves must leave.
	if status := l.apiPut(l.rolesMentor, l.rolesPath, l.rolesBody, 0); status != http.StatusOK {
		t.Fatalf("roles: %d", status)
	}
	l.rolesRows = l.roleRows()
	if l.rolesRows == 0 {
		t.Fatal("one save of the roles left no role rows")
	}
	return l
}

// session signs a person in directly in the database; the cookie works on
// every replica.
func (l *load) session(email string) string {
	var p models.Person
	if err := l.db.Where("email = ?", email).First(&p).Error; err != nil {
		l.t.Fatal(err)
	}
	token, err := models.StartSession(context.Background(), l.db, p.ID, models.SessionPolicy{Idle: time.Hour, Absolute: 2 * time.Hour}, time.Now())
	if err != nil {
		l.t.Fatal(err)
	}
	return "cm_session=" + token
}

// roleRows counts the role rows of the meeting the bursts save.
func (l *load) roleRows() int64 {
	var n int64
	if err := l.db.Model(&models.MeetingRoleAssignment{}).Where("meeting_id = ?", l.rolesMeeting).Count(&n).Error; err != nil {
		l.t.Fatal(err)
	}
	return n
}

var harnessClient = &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (l *load) apiPut(cookie, path, body string, k int) int {
	req, _ := http.NewRequest(http.MethodPut, l.cluster.pick(k)+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Cookie", cookie)
	status, _ := l.out.send(harnessClient, req)
	return status
}

// run starts the writers, readers and bursts.
func (l *load) run() {
	l.started = time.Now()
	loop := func(each func(k int)) {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for k := 0; ; k++ {
				select {
				case <-l.stopc:
					return
				default:
				}
				each(k)
			}
		}()
	}
	for w := 0; w < 4; w++ {
		loop(func(k int) {
			name := fmt.Sprintf("Belasting %d-%d", w, k)
			form := url.Values{"name": {name}, "_csrf": {"harness"}}
			req, _ := http.NewRequest(http.MethodPost, l.cluster.pick(k+w)+"/teams", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Cookie", l.admin+"; cm_csrf=harness")
			if status, ok := l.out.send(harnessClient, req); ok && status == http.StatusSeeOther {
				l.mu.Lock()
				l.acknowledged = append(l.acknowledged, name)
				l.mu.Unlock()
			}
		})
	}
	for r := 0; r < 3; r++ {
		loop(func(k int) {
			req, _ := http.NewRequest(http.MethodGet, l.cluster.pick(k+r)+"/", nil)
			req.Header.Set("Cookie", l.mentee)
			l.out.send(harnessClient, req)
		})
	}
	loop(func(k int) {
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l.apiPut(l.rolesMentor, l.rolesPath, l.rolesBody, i)
			}()
		}
		wg.Wait()
		l.mu.Lock()
		l.bursts++
		l.mu.Unlock()
		time.Sleep(300 * time.Millisecond)
	})
}

// outage runs fault (a database restart) and marks its time as the outage,
// up to when every replica is ready again (within 10 s) and a second more
// for requests under way.
func (l *load) outage(fault func()) {
	l.out.mu.Lock()
	l.out.outageFrom = time.Now()
	l.out.mu.Unlock()
	fault()
	back := time.Now()
	for k := 0; k < 3; k++ {
		for {
			resp, err := http.Get(l.cluster.pick(k) + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Since(back) > 10*time.Second {
				l.t.Fatal("not ready 10 s after PostgreSQL started again")
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	l.t.Logf("every replica ready %s after PostgreSQL returned", time.Since(back).Round(time.Millisecond))
	l.out.mu.Lock()
	l.out.outageTo = time.Now().Add(time.Second)
	l.out.mu.Unlock()
}

func (l *load) stop() {
	close(l.stopc)
	l.wg.Wait()
}

// report checks what the load left behind.
func (l *load) report() {
	t := l.t
	t.Logf("%d requests (%d unanswered by killed replicas), %d writes acknowledged, %d bursts of 8; 5xx during the outage: %d, outside: %d",
		l.out.requests.Load(), l.out.refused.Load(), len(l.acknowledged), l.bursts, l.out.inside5xx.Load(), l.out.outside5xx.Load())
	if n := l.out.outside5xx.Load(); n > 0 {
		t.Errorf("%d answers of 5xx outside the outage", n)
	}
	var stored []string
	if err := l.db.Model(&models.Team{}).Where("name LIKE 'Belasting %'").Pluck("name", &stored).Error; err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, s := range stored {
		have[s] = true
	}
	lost := 0
	for _, name := range l.acknowledged {
		if !have[name] {
			lost++
		}
	}
	if lost > 0 || len(l.acknowledged) == 0 {
		t.Errorf("%d of %d acknowledged writes are not in the database", lost, len(l.acknowledged))
	}
	if l.bursts < 3 {
		t.Errorf("only %d bursts of identical requests ran", l.bursts)
	}
	if roles := l.roleRows(); roles != l.rolesRows {
		t.Errorf("%d role rows after bursts of identical role saves, want %d as after one", roles, l.rolesRows)
	}
}
