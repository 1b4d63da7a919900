// Package live fans changes of a running meeting out to every screen that
// follows it. Each app process has one Hub with the subscriptions of its own
// clients. On the embedded database there is one process, and a change goes
// straight to the subscribers. On PostgreSQL a change is published with
// NOTIFY, and every replica LISTENs and hands it to its own subscribers, so
// a viewer on one replica sees what the timekeeper did on another.
//
// The hub carries whatever the caller publishes; callers publish only the
// run state (block and clock), never notes or case text, and authorise
// every subscription before they subscribe.
package live

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// Message is one change: the meeting it concerns and its payload. A nil
// Data means "something may have been missed; read the state again".
type Message struct {
	MeetingID uint            `json:"m"`
	Data      json.RawMessage `json:"d,omitempty"`
}

// Subscription receives the latest message of one meeting. It never
// blocks the publisher: a slow reader gets the newest message, not every
// message.
type Subscription struct {
	meetingID uint
	c         chan Message
	hub       *Hub
	once      sync.Once
}

// C delivers messages; it is closed when the hub closes.
func (s *Subscription) C() <-chan Message { return s.c }

// Close ends the subscription.
func (s *Subscription) Close() {
	s.once.Do(func() { s.hub.remove(s) })
}

// offer hands m to the subscriber, replacing an undelivered older one.
func (s *Subscription) offer(m Message) {
	for {
		select {
		case s.c <- m:
			return
		default:
		}
		select {
		case <-s.c:
		default:
		}
	}
}

// Hub is the app's set of subscriptions, and its link to the other
// replicas on PostgreSQL.
type Hub struct {
	mu     sync.Mutex
	subs   map[uint]map[*Subscription]struct{}
	closed bool

	db      *gorm.DB // PostgreSQL: publishes with NOTIFY; nil: in process only
	channel string
	ready   chan struct{}
	cancel  context.CancelFunc
	done    chan struct{}
	log     *slog.Logger
}

// NewLocal returns a hub for one process (the embedded database).
func NewLocal() *Hub {
	h := &Hub{subs: map[uint]map[*Subscription]struct{}{}, ready: make(chan struct{})}
	close(h.ready)
	return h
}

// NewPostgres returns a hub that publishes through NOTIFY on db and LISTENs
// on its own connection to dsn. The channel is named after the database
// schema, so installations (and tests) sharing one database in separate
// schemas do not hear each other.
func NewPostgres(db *gorm.DB, dsn string, log *slog.Logger) (*Hub, error) {
	var schema string
	if err := db.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &Hub{subs: map[uint]map[*Subscription]struct{}{}, db: db, channel: "crossmentor_runs_" + schema,
		ready: make(chan struct{}), cancel: cancel, done: make(chan struct{}), log: log}
	go h.listen(ctx, dsn)
	return h, nil
}

// Ready is closed once the hub hears the other replicas.
func (h *Hub) Ready() <-chan struct{} { return h.ready }

// Subscribe follows one meeting.
func (h *Hub) Subscribe(meetingID uint) *Subscription {
	s := &Subscription{meetingID: meetingID, c: make(chan Message, 1), hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(s.c)
		return s
	}
	set := h.subs[meetingID]
	if set == nil {
		set = map[*Subscription]struct{}{}
		h.subs[meetingID] = set
	}
	set[s] = struct{}{}
	return s
}

func (h *Hub) remove(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if set, ok := h.subs[s.meetingID]; ok {
		if _, ok := set[s]; ok {
			delete(set, s)
			close(s.c)
		}
		if len(set) == 0 {
			delete(h.subs, s.meetingID)
		}
	}
}

// Subscribers counts the subscriptions of a meeting in this process.
func (h *Hub) Subscribers(meetingID uint) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[meetingID])
}

// Publish sends a change to every subscriber of the meeting, on every
// replica. Call it after the change is committed.
func (h *Hub) Publish(ctx context.Context, m Message) error {
	if h.db == nil {
		h.deliver(m)
		return nil
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return h.db.WithContext(ctx).Exec("SELECT pg_notify(?, ?)", h.channel, string(payload)).Error
}

// deliver hands m to this process's subscribers of its meeting.
func (h *Hub) deliver(m Message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[m.MeetingID] {
		s.offer(m)
	}
}

// resync tells every subscriber to read the state again (after the link
// to the database was lost, notifications may have been missed).
func (h *Hub) resync() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, set := range h.subs {
		for s := range set {
			s.offer(Message{MeetingID: id})
		}
	}
}

// Close ends every subscription and stops listening.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	for id, set := range h.subs {
		for s := range set {
			close(s.c)
		}
		delete(h.subs, id)
	}
	h.mu.Unlock()
	if h.cancel != nil {
		h.cancel()
		<-h.done
	}
}

// listen keeps a connection that LISTENs on the hub's channel, and
// reconnects after losing it.
func (h *Hub) listen(ctx context.Context, dsn string) {
	defer close(h.done)
	first := true
	for wait := 100 * time.Millisecond; ctx.Err() == nil; wait = min(wait*2, 5*time.Second) {
		err := h.listenOnce(ctx, dsn, func() {
			if first {
				close(h.ready)
				first = false
			} else {
				h.resync()
			}
			wait = 100 * time.Millisecond
		})
		if ctx.Err() != nil {
			return
		}
		h.log.Warn("live updates: lost the database, reconnecting", "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func (h *Hub) listenOnce(ctx context.Context, dsn string, listening func()) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx)) //nolint:errcheck // closing
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{h.channel}.Sanitize()); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var m Message
		if err := json.Unmarshal([]byte(n.Payload), &m); err != nil || m.MeetingID == 0 {
			h.log.Warn("live updates: ignored a malformed notification", "bytes", strconv.Itoa(len(n.Payload)))
			continue
		}
		h.deliver(m)
	}
}
