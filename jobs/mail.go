package jobs

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/mailer"
	"crossmentor/models"
)

// Mail makes the reminders that are due and delivers the mail queue. Any
// number of runners may share one database: each claims its own batch.
type Mail struct {
	DB       *gorm.DB
	Log      *slog.Logger
	Sender   mailer.Sender
	Renderer *mailer.Renderer
	Now      func() time.Time
	Workers  int // parallel sends, default 4
	Batch    int // deliveries claimed at a time, default 200
	// SendTimeout is the sender's bound per step of an SMTP transaction
	// (default mailer.DefaultTimeout; a transaction has at most three
	// steps: connect, greeting and sign-in, the message). Lease is how long
	// a claim holds after it is taken or renewed right before a send: at
	// least six times SendTimeout, so a send and the recording of its
	// result always end inside the claim.
	SendTimeout time.Duration
	Lease       time.Duration
	// AfterSend, when set, runs between the SMTP server accepting a mail and
	// the database recording it (tests use it to crash there).
	AfterSend func(models.MailDelivery) error
}

// Run schedules due reminders and daily digests of notices, and delivers
// until the queue holds nothing due.
func (j Mail) Run(ctx context.Context) error {
	if err := models.ScheduleReminders(ctx, j.DB, j.Now()); err != nil {
		return err
	}
	if err := models.ScheduleDigests(ctx, j.DB, j.Now()); err != nil {
		return err
	}
	_, err := j.Deliver(ctx)
	return err
}

// Deliver sends everything due; it returns how many mails were sent.
//
// Exactly once, also when the mail server is slow or hangs: a batch is
// claimed under a token, and each mail is sent only after HoldClaim has
// checked, in one statement, that the claim is still this runner's and
// extended it by the lease, which is longer than the longest send. A
// batch that outlives its claim (a hanging server) thus loses the rest of
// its rows to the next run instead of sending them a second time, and
// the result is recorded only under the runner's own claim.
func (j Mail) Deliver(ctx context.Context) (int, error) {
	workers, batch, lease := j.limits()
	sent := 0
	for {
		claimed, err := models.ClaimDeliveries(ctx, j.DB, j.Now(), batch, lease)
		if err != nil || len(claimed) == 0 {
			return sent, err
		}
		work := make(chan models.MailDelivery)
		var mu sync.Mutex
		var firstErr error
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for d := range work {
					ok, err := j.deliverOne(ctx, d, lease)
					mu.Lock()
					if ok {
						sent++
					}
					if err != nil && firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}()
		}
		for _, d := range claimed {
			if ctx.Err() != nil {
				break
			}
			work <- d
		}
		close(work)
		wg.Wait()
		if err := ctx.Err(); err != nil || firstErr != nil {
			// Stopping, or the database failed: what this run claimed but did
			// not send goes back to the queue; if even that fails, the lease
			// runs out and the next run takes it.
			j.release(ctx, claimed)
			return sent, errors.Join(err, firstErr)
		}
	}
}

// limits are the parallel senders, the batch size and the lease.
func (j Mail) limits() (workers, batch int, lease time.Duration) {
	workers, batch, lease = j.Workers, j.Batch, j.Lease
	if workers <= 0 {
		workers = 4
	}
	if batch <= 0 {
		batch = 200
	}
	if least := 6 * j.sendTimeout(); lease < least {
		lease = least
	}
	return workers, batch, lease
}

func (j Mail) sendTimeout() time.Duration {
	if j.SendTimeout > 0 {
		return j.SendTimeout
	}
	return mailer.DefaultTimeout
}

// release gives back the claims of a run that ends early.
func (j Mail) release(ctx context.Context, claimed []models.MailDelivery) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := models.ReleaseClaims(rctx, j.DB, claimed); err != nil {
		j.Log.Warn("claims left to their lease", "job", "mail", "error", err)
	}
}

// deliverOne sends one delivery and records the outcome. An error is
// returned only when the database cannot be read or cannot record it (the
// run stops and gives its claims back; the delivery is tried again).
func (j Mail) deliverOne(ctx context.Context, d models.MailDelivery, lease time.Duration) (bool, error) {
	if ctx.Err() != nil {
		return false, nil // stopping: the claim is released
	}
	out, err := models.ComposeDeliveryAt(ctx, j.DB, d, j.Now())
	if errors.Is(err, models.ErrStale) {
		if err := models.MarkWithdrawn(ctx, j.DB, d); err != nil {
			return false, err
		}
		return false, models.AccountMailSent(ctx, j.DB, d)
	}
	if err != nil {
		return false, err
	}
	msg, err := j.Renderer.Render(out, d.Key)
	if err == nil {
		held, herr := models.HoldClaim(ctx, j.DB, d, j.Now(), lease)
		if herr != nil {
			return false, herr
		}
		if !held {
			return false, nil // another runner has it now, or it is settled
		}
		// A mail once begun is finished even when the runner is stopping:
		// cutting it off halfway could leave the server with it unrecorded.
		// Each step of the conversation is bounded by the send timeout; the
		// whole of it by three, so a server that was slow to accept the
		// sender still gets its time to confirm the message (cut off then,
		// the server keeps the mail and the queue sends it again). Three for
		// the send and two for recording it stay within the lease of six.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*j.sendTimeout())
		err = j.Sender.Send(sctx, msg)
		cancel()
	}
	if err != nil {
		j.Log.Warn("mail not sent", "job", "mail", "delivery", d.ID, "kind", d.Kind, "attempt", d.Attempts+1, "error", err)
		return false, models.MarkRetry(ctx, j.DB, d, err, j.Now())
	}
	if j.AfterSend != nil {
		if err := j.AfterSend(d); err != nil {
			return true, err
		}
	}
	if err := j.recordSent(ctx, d); err != nil {
		return true, err
	}
	// An account link or a former address is kept no longer than its mail needs.
	return true, models.AccountMailSent(ctx, j.DB, d)
}

// recordSent records a sent mail. The server has it, so this is tried
// again for a while if the database is briefly away, and also when the
// runner is stopping: a mail sent but not recorded would go out twice.
func (j Mail) recordSent(ctx context.Context, d models.MailDelivery) error {
	ctx = context.WithoutCancel(ctx)
	pause := 100 * time.Millisecond
	deadline := time.Now().Add(2 * j.sendTimeout()) // within the claim's lease
	for {
		ok, err := models.MarkSent(ctx, j.DB, d, j.Now())
		if err == nil {
			if !ok {
				j.Log.Warn("sent mail recorded by another runner's claim", "job", "mail", "delivery", d.ID)
			}
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(pause)
		pause = min(2*pause, 2*time.Second)
	}
}
