package models

import (
	"context"
	"time"
)

// JobRun is one run of a periodic job (mail, cleanup, retention), as the
// jobs page shows it. The runs live in the job queue's own tables.
type JobRun struct {
	ID          int64
	Kind        string
	State       string
	Attempt     int
	CreatedAt   time.Time
	AttemptedAt *time.Time
	FinalizedAt *time.Time
	Duration    time.Duration
	LastError   string
}

// Failed reports whether a run ended without success.
func (j JobRun) Failed() bool {
	return j.State == "discarded" || j.State == "retryable"
}

// JobQueue is the job queue as pages see it: its latest runs, and running
// one again. The jobs package provides it; nil when this process runs no
// jobs.
type JobQueue interface {
	Runs(ctx context.Context, limit int) ([]JobRun, error)
	Retry(ctx context.Context, id int64) error
}

// ListJobRuns returns the latest runs of the periodic jobs; admins only.
func ListJobRuns(ctx context.Context, q JobQueue, v Viewer, limit int) ([]JobRun, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	if q == nil {
		return nil, nil
	}
	return q.Runs(ctx, limit)
}

// RetryJobRun runs a job again; admins only. An unknown run is ErrNotFound.
func RetryJobRun(ctx context.Context, q JobQueue, v Viewer, id int64) error {
	if !v.Can(OrgManage) || q == nil {
		return ErrNotFound
	}
	if err := q.Retry(ctx, id); err != nil {
		return ErrNotFound
	}
	return nil
}
