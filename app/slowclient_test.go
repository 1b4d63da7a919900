package app_test

import (
	"bufio"
	"net"
	"net/http"
	"testing"
	"time"

	"crossmentor/app/apptest"
)

// TestSlowClientIsCut: a client that sends half a request and stalls is
// disconnected after the header time limit, while other requests are served.
func TestSlowClientIsCut(t *testing.T) {
	t.Parallel()
	a := apptest.New(t, apptest.DB(t))
	srv := a.HTTPServer()
	if srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 || srv.MaxHeaderBytes == 0 {
		t.Fatalf("a time or size limit is missing: %+v", srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln) //nolint:errcheck // closed below
	t.Cleanup(func() { srv.Close() })

	slow, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	started := time.Now()
	if _, err := slow.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n")); err != nil {
		t.Fatal(err)
	}
	r, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil || r.StatusCode != http.StatusOK {
		t.Fatalf("a normal request while one stalls: %v", err)
	}
	r.Body.Close()
	_ = slow.SetReadDeadline(time.Now().Add(srv.ReadHeaderTimeout + 5*time.Second))
	_, err = bufio.NewReader(slow).ReadByte() // the server closes (or answers 408) when the limit passes
	waited := time.Since(started)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the stalled connection is still open after %s", waited)
	}
	if waited < srv.ReadHeaderTimeout-time.Second {
		t.Fatalf("cut after %s, before the limit of %s", waited, srv.ReadHeaderTimeout)
	}
}
