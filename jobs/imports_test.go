package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/jobs"
	"crossmentor/models"
)

// TestImportRunsAsJob: an import queued while no worker runs (a web-only
// replica, or a process that stopped) is applied by the next runner that
// starts; the file is gone afterwards, and a file left over for a day is
// deleted by the cleanup.
func TestImportRunsAsJob(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	var admin models.Person
	if err := db.Where("email = ?", "admin@demo.test").First(&admin).Error; err != nil {
		t.Fatal(err)
	}
	v := models.Viewer{PersonID: admin.ID, Admin: true}
	run, err := models.StartImport(ctx, db, v, []byte("Naam;E-mail\nJob Collega;job@demo.test\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	db.Table("import_runs").Where("id = ?", run.ID).Pluck("content", &stored)
	if stored == "" || stored[:3] != "v1." {
		t.Fatalf("the uploaded file is not sealed while it waits: %.12q", stored)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	enq, closeEnq, err := jobs.NewEnqueuer(ctx, db, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := enq.EnqueueImport(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	closeEnq()

	imports := jobs.Imports{DB: db, Log: log, Now: time.Now}
	noop := func(context.Context) error { return nil }
	r, err := jobs.NewRunner(ctx, db, jobs.Work{Mail: noop, Cleanup: noop, Retention: noop, Import: imports.Run}, "Europe/Amsterdam", log)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Stop(context.Background()) //nolint:errcheck
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := models.GetImportRun(ctx, db, v, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == models.ImportDone {
			if got.Created != 1 {
				t.Fatalf("run created %d people, want 1", got.Created)
			}
			break
		}
		if got.Status == models.ImportFailed || time.Now().After(deadline) {
			t.Fatalf("run status %q", got.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var left int64
	db.Model(&models.ImportRun{}).Where("content <> ''").Count(&left)
	if left != 0 {
		t.Fatalf("%d uploaded files left after the run", left)
	}

	// A file that waited a day is deleted, and its run given up.
	old, err := models.StartImport(ctx, db, v, []byte("Naam;E-mail\nLaat;laat@demo.test\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Model(&models.ImportRun{}).Where("id = ?", old.ID).Update("created_at", time.Now().Add(-25*time.Hour))
	fresh, err := models.StartImport(ctx, db, v, []byte("Naam;E-mail\nVers;vers@demo.test\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := models.PurgeImportFiles(ctx, db, time.Now()); err != nil || n != 1 {
		t.Fatalf("purge: %d runs, %v", n, err)
	}
	var contents []string
	db.Model(&models.ImportRun{}).Where("id IN ?", []uint{old.ID, fresh.ID}).Order("id").Pluck("content", &contents)
	if len(contents) != 2 || contents[0] != "" || contents[1] == "" {
		t.Fatalf("after the purge: old file kept %v, fresh file kept %v", contents[0] != "", contents[1] != "")
	}
}
