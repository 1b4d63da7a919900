package app_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"testing"
)

// pgServer is a PostgreSQL server of a test's own, in a temporary
// directory, that the test may stop and start.
type pgServer struct {
	t    *testing.T
	bin  string
	dir  string
	port int
	root bool // running as root: the server runs as the postgres user
}

// newPGServer creates and starts a private PostgreSQL server from the
// distribution's binaries; it is stopped and removed when the test ends.
func newPGServer(t *testing.T) *pgServer {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("no PostgreSQL binaries; .ci/run installs the postgresql package")
		}
		t.Skip("needs the PostgreSQL server binaries (apt-get install postgresql)")
	}
	sort.Strings(bins)
	dir, err := os.MkdirTemp("", "cm-pg-")
	if err != nil {
		t.Fatal(err)
	}
	me, _ := user.Current()
	s := &pgServer{t: t, bin: filepath.Dir(bins[len(bins)-1]), dir: dir, root: me != nil && me.Uid == "0"}
	if s.root {
		s.run("chown", "postgres", dir)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s.pg("initdb", "-D", s.data(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
	s.Start()
	t.Cleanup(func() {
		_ = s.command("pg_ctl", "-D", s.data(), "-m", "immediate", "-w", "stop").Run()
		os.RemoveAll(dir)
	})
	return s
}

func (s *pgServer) data() string { return filepath.Join(s.dir, "data") }

// URL is the server's connection string.
func (s *pgServer) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
}

// Start starts the server and waits until it accepts connections.
func (s *pgServer) Start() {
	s.t.Helper()
	s.pg("pg_ctl", "-D", s.data(), "-l", filepath.Join(s.dir, "log"), "-w", "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", s.port, s.dir), "start")
}

// Stop shuts the server down fast: sessions are ended, nothing is lost.
func (s *pgServer) Stop() {
	s.t.Helper()
	s.pg("pg_ctl", "-D", s.data(), "-m", "fast", "-w", "stop")
}

func (s *pgServer) command(tool string, args ...string) *exec.Cmd {
	path := filepath.Join(s.bin, tool)
	if s.root {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...) // #nosec G204 -- test-only, fixed tool names
	}
	return exec.Command(path, args...) // #nosec G204 -- test-only, fixed tool names
}

func (s *pgServer) pg(tool string, args ...string) {
	s.t.Helper()
	if out, err := s.command(tool, args...).CombinedOutput(); err != nil {
		s.t.Fatalf("%s: %v\n%s", tool, err, out)
	}
}

func (s *pgServer) run(name string, args ...string) {
	s.t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil { // #nosec G204 -- test-only
		s.t.Fatalf("%s: %v\n%s", name, err, out)
	}
}
