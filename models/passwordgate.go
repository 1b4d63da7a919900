package models

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"time"
)

// ErrBusy is returned when too many password checks are running at once;
// the client is asked to try again shortly.
var ErrBusy = errors.New("too many password checks at once")

// PasswordGate bounds how many argon2id computations (19 MiB each) run at
// once in this process, so a burst of sign-ins cannot exhaust memory. An
// attempt waits a moment for a slot; when the queue is full or the wait
// runs out it gets ErrBusy at once.
type PasswordGate struct {
	slots   chan struct{}
	queue   int64
	waiting atomic.Int64
	wait    time.Duration
	checks  atomic.Int64
}

// NewPasswordGate allows slots computations at once (0: one per CPU, at
// most 8), with at most 4×slots waiting up to wait each.
func NewPasswordGate(slots int, wait time.Duration) *PasswordGate {
	if slots <= 0 {
		slots = min(max(runtime.GOMAXPROCS(0), 1), 8)
	}
	if wait <= 0 {
		wait = 2 * time.Second
	}
	return &PasswordGate{slots: make(chan struct{}, slots), queue: int64(4 * slots), wait: wait}
}

// Slots is how many computations may run at once.
func (g *PasswordGate) Slots() int { return cap(g.slots) }

// Checks is how many passwords were checked since the gate was made.
func (g *PasswordGate) Checks() int64 { return g.checks.Load() }

func (g *PasswordGate) enter(ctx context.Context) error {
	select {
	case g.slots <- struct{}{}:
		return nil
	default:
	}
	if g.waiting.Add(1) > g.queue {
		g.waiting.Add(-1)
		return ErrBusy
	}
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return nil
	case <-t.C:
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *PasswordGate) leave() { <-g.slots }

// Check compares a password with a stored hash inside the bound.
func (g *PasswordGate) Check(ctx context.Context, hash, password string) (bool, error) {
	if err := g.enter(ctx); err != nil {
		return false, err
	}
	defer g.leave()
	g.checks.Add(1)
	return CheckPassword(hash, password), nil
}

// Hash computes the hash of a new password inside the bound.
func (g *PasswordGate) Hash(ctx context.Context, password string) (string, error) {
	if err := g.enter(ctx); err != nil {
		return "", err
	}
	defer g.leave()
	return HashPassword(password)
}
