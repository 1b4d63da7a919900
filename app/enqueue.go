package app

import (
	"context"
	"log/slog"
	"sync"

	"gorm.io/gorm"

	"crossmentor/jobs"
)

// lazyEnqueuer queues jobs from a process that does not work them; its
// River client is made on first use and closed when the app stops.
type lazyEnqueuer struct {
	db    *gorm.DB
	log   *slog.Logger
	once  sync.Once
	enq   jobs.Enqueuer
	close func()
	err   error
}

// EnqueueImport queues the job that applies an import run.
func (l *lazyEnqueuer) EnqueueImport(ctx context.Context, runID uint) error {
	l.once.Do(func() {
		l.enq, l.close, l.err = jobs.NewEnqueuer(context.WithoutCancel(ctx), l.db, l.log)
	})
	if l.err != nil {
		return l.err
	}
	return l.enq.EnqueueImport(ctx, runID)
}

// Close releases the client, if one was made.
func (l *lazyEnqueuer) Close() {
	if l != nil && l.close != nil {
		l.close()
	}
}
