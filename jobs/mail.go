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
	Workers  int           // parallel sends, default 4
	Batch    int           // deliveries claimed at a time, default 200
	Lease    time.Duration // how long a claim holds, default 1 minute
	// AfterSend, when set, runs between the SMTP server accepting a mail and
	// the database recording it (tests use it to crash there).
	AfterSend func(models.MailDelivery) error
}

// Run schedules due reminders and delivers until the queue holds nothing due.
func (j Mail) Run(ctx context.Context) error {
	if _, err := models.ScheduleReminders(ctx, j.DB, j.Now()); err != nil {
		return err
	}
	_, err := j.Deliver(ctx)
	return err
}

// Deliver sends everything due; it returns how many mails were sent.
func (j Mail) Deliver(ctx context.Context) (int, error) {
	workers, batch, lease := max(j.Workers, 1), j.Batch, j.Lease
	if j.Workers == 0 {
		workers = 4
	}
	if batch == 0 {
		batch = 200
	}
	if lease == 0 {
		lease = time.Minute
	}
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
					ok, err := j.deliverOne(ctx, d)
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

// release gives back the claims of a run that ends early.
func (j Mail) release(ctx context.Context, claimed []models.MailDelivery) {
	ids := make([]uint, len(claimed))
	for i, d := range claimed {
		ids[i] = d.ID
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := models.ReleaseClaims(rctx, j.DB, ids); err != nil {
		j.Log.Warn("claims left to their lease", "job", "mail", "error", err)
	}
}

// deliverOne sends one delivery and records the outcome. An error is
// returned only when the database cannot record it (the runner stops).
func (j Mail) deliverOne(ctx context.Context, d models.MailDelivery) (bool, error) {
	if ctx.Err() != nil {
		return false, nil // stopping: the claim is released
	}
	out, err := models.ComposeDelivery(ctx, j.DB, d)
	if errors.Is(err, models.ErrStale) {
		if err := models.MarkWithdrawn(ctx, j.DB, d.ID); err != nil {
			return false, err
		}
		return false, models.AccountMailSent(ctx, j.DB, d)
	}
	if err != nil {
		return false, err
	}
	msg, err := j.Renderer.Render(out, d.Key)
	if err == nil {
		// A mail once begun is finished even when the runner is stopping:
		// cutting it off halfway could leave the server with it unrecorded.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
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
	if err := j.recordSent(ctx, d.ID); err != nil {
		return true, err
	}
	// An account link or a former address is kept no longer than its mail needs.
	return true, models.AccountMailSent(ctx, j.DB, d)
}

// recordSent records a sent mail. The server has it, so this is tried
// again for a while if the database is briefly away, and also when the
// runner is stopping: a mail sent but not recorded would go out twice.
func (j Mail) recordSent(ctx context.Context, id uint) error {
	ctx = context.WithoutCancel(ctx)
	pause := 100 * time.Millisecond
	deadline := time.Now().Add(30 * time.Second) // well within the claim's lease
	for {
		err := models.MarkSent(ctx, j.DB, id, j.Now())
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(pause)
		pause = min(2*pause, 2*time.Second)
	}
}
