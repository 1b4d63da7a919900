package apptest

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Received is one message the in-process SMTP server accepted.
type Received struct {
	From string
	To   []string
	Data string
}

// SMTPSink is an in-process SMTP server that records every message it
// accepted. It can be slow (Delay per message), hang (HangFor: every
// transaction stalls before the sender is accepted, as a server that stops
// answering) and refuse (Refuse: 451, try again later).
type SMTPSink struct {
	URL   string        // smtp+insecure://127.0.0.1:port
	Delay time.Duration // how long each message takes to accept, like a real server
	// SlowRcpt is how long the server takes over each recipient, before
	// the message is sent: slow like Delay, but a sender that gives up
	// meanwhile leaves nothing behind on the server.
	SlowRcpt  time.Duration
	mu        sync.Mutex
	msgs      []Received
	hangUntil time.Time
	refuse    bool
	attempts  int
}

// HangFor makes the server stop answering for d from now: a transaction
// that reaches MAIL FROM in that time waits until d is over.
func (s *SMTPSink) HangFor(d time.Duration) {
	s.mu.Lock()
	s.hangUntil = time.Now().Add(d)
	s.mu.Unlock()
}

// Refuse makes the server answer 451 (try again later) to every sender
// while on is true.
func (s *SMTPSink) Refuse(on bool) {
	s.mu.Lock()
	s.refuse = on
	s.mu.Unlock()
}

// Attempts counts the transactions that reached MAIL FROM, accepted or not.
func (s *SMTPSink) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// Messages returns what the server accepted so far.
func (s *SMTPSink) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

// NewSMTPSink starts the server on a loopback port for the test.
func NewSMTPSink(t testing.TB) *SMTPSink {
	t.Helper()
	sink := &SMTPSink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: sink}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln) //nolint:errcheck // ends when the listener closes
	t.Cleanup(func() { _ = srv.Close() })
	sink.URL = "smtp+insecure://" + ln.Addr().String()
	return sink
}

type sinkSession struct {
	sink *SMTPSink
	msg  Received
}

func (s *sinkSession) Reset()        { s.msg = Received{} }
func (s *sinkSession) Logout() error { return nil }
func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	s.sink.mu.Lock()
	s.sink.attempts++
	refuse, hang := s.sink.refuse, time.Until(s.sink.hangUntil)
	s.sink.mu.Unlock()
	if refuse {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "try again later"}
	}
	if hang > 0 {
		time.Sleep(hang)
	}
	s.msg.From = from
	return nil
}
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	time.Sleep(s.sink.SlowRcpt)
	s.msg.To = append(s.msg.To, to)
	return nil
}
func (s *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.Data = string(b)
	time.Sleep(s.sink.Delay)
	s.sink.mu.Lock()
	s.sink.msgs = append(s.sink.msgs, s.msg)
	s.sink.mu.Unlock()
	return nil
}
