package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/jobs"
)

// TestRiverRunner: the periodic jobs run on River in the app's database
// (SQLite, or PostgreSQL with TEST_DATABASE_URL); a failing run is retried
// and shows on the list with its error.
func TestRiverRunner(t *testing.T) {
	db := apptest.DB(t)
	ctx := context.Background()
	if err := jobs.MigrateRiver(ctx, db); err != nil {
		t.Fatalf("River migrations: %v", err)
	}
	var mails, cleanups atomic.Int32
	work := jobs.Work{
		Mail: func(context.Context) error { mails.Add(1); return nil },
		Cleanup: func(context.Context) error {
			if cleanups.Add(1) == 1 {
				return errors.New("the first cleanup fails")
			}
			return nil
		},
		Retention: func(context.Context) error { return nil },
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("JOBS_DEBUG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	r, err := jobs.NewRunner(ctx, db, work, "Europe/Amsterdam", log)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Stop(context.Background()) //nolint:errcheck
	deadline := time.Now().Add(20 * time.Second)
	for mails.Load() == 0 || cleanups.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("jobs did not run: mail %d, cleanup %d", mails.Load(), cleanups.Load())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The cleanup failed once and River retried it: the list shows the run
	// with its error and its second attempt.
	var runs []jobs.JobRun
	for !retried(runs) {
		if time.Now().After(deadline) {
			t.Fatalf("runs listed: %+v", runs)
		}
		time.Sleep(50 * time.Millisecond)
		if runs, err = r.Runs(ctx, 20); err != nil {
			t.Fatal(err)
		}
	}
	// An admin can run a finished job again.
	var mailRun int64
	for _, run := range runs {
		if run.Kind == "mail" && run.State == "completed" {
			mailRun = run.ID
		}
	}
	before := mails.Load()
	if err := r.Retry(ctx, mailRun); err != nil {
		t.Fatalf("retry: %v", err)
	}
	for mails.Load() == before {
		if time.Now().After(deadline) {
			t.Fatal("the job run again did not run")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// retried reports whether a cleanup run failed once and then completed.
func retried(runs []jobs.JobRun) bool {
	for _, r := range runs {
		if r.Kind == "cleanup" && r.State == "completed" && r.Attempt >= 2 && r.LastError != "" {
			return true
		}
	}
	return false
}
