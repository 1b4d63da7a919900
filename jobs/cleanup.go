// Package jobs holds periodic and queued work. Each job is a small Run(ctx).
package jobs

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"crossmentor/models"
)

// Cleanup deletes expired sessions and sign-in failures. It is idempotent,
// so several replicas may run it at once.
type Cleanup struct {
	DB       *gorm.DB
	Log      *slog.Logger
	Sessions models.SessionPolicy
	Limits   models.SignInLimits
	Now      func() time.Time
}

// Run does one cleanup pass.
func (j Cleanup) Run(ctx context.Context) error {
	now := j.Now()
	sessions, err := models.PurgeSessions(ctx, j.DB, j.Sessions, now)
	if err != nil {
		return err
	}
	failures, err := models.PurgeSignInFailures(ctx, j.DB, j.Limits, now)
	if err != nil {
		return err
	}
	j.Log.Debug("cleanup done", "job", "cleanup", "sessions", sessions, "sign_in_failures", failures)
	return nil
}

// Every runs job at each interval until ctx ends, logging failures and
// recovering from panics so one bad run does not stop the next.
func Every(ctx context.Context, log *slog.Logger, name string, interval time.Duration, job func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			runOnce(ctx, log, name, interval, job)
		}
	}
}

func runOnce(ctx context.Context, log *slog.Logger, name string, timeout time.Duration, job func(context.Context) error) {
	defer func() {
		if r := recover(); r != nil {
			log.Error("job panicked", "job", name, "panic", r)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	if err := job(ctx); err != nil {
		log.Error("job failed", "job", name, "error", err, "duration_ms", time.Since(start).Milliseconds())
	}
}
