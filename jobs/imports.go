package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"crossmentor/models"
)

// importArgs is the job that applies one recorded import run.
type importArgs struct {
	RunID uint `json:"run_id"`
}

func (importArgs) Kind() string { return "import" }

// InsertOpts: one job per run; a retry after a crash runs it again (the
// run's transaction wrote nothing, and a finished run is left alone).
func (importArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Imports applies uploaded HR files, one run per job.
type Imports struct {
	DB       *gorm.DB
	Log      *slog.Logger
	Now      func() time.Time
	Progress func(runID uint, done, total int) // may be nil: also shown from the database
}

// Run applies one run, as of today in the organisation's zone.
func (j Imports) Run(ctx context.Context, runID uint) error {
	today := models.DateOf(j.Now())
	if org, err := models.GetOrganisation(ctx, j.DB); err == nil {
		today = models.DateOf(j.Now().In(org.Location()))
	}
	last := time.Time{}
	return models.RunImport(ctx, j.DB, runID, today, func(done, total int) {
		if j.Progress != nil {
			j.Progress(runID, done, total)
		}
		if now := time.Now(); now.Sub(last) > time.Second || done == total {
			last = now
			if err := models.RecordImportProgress(context.WithoutCancel(ctx), j.DB, runID, done); err != nil {
				j.Log.Warn("import progress not recorded", "run", runID, "error", err)
			}
		}
	})
}

// importWorker runs import jobs.
type importWorker struct {
	river.WorkerDefaults[importArgs]
	run   func(context.Context, uint) error
	log   *slog.Logger
	onRun func(kind string, ok bool)
}

func (w *importWorker) Timeout(*river.Job[importArgs]) time.Duration { return models.ImportRunTimeout }

func (w *importWorker) Work(ctx context.Context, job *river.Job[importArgs]) error {
	start := time.Now()
	err := w.run(ctx, job.Args.RunID)
	w.log.Info("job run", "job", job.Kind, "id", job.ID, "run", job.Args.RunID, "attempt", job.Attempt,
		"duration_ms", time.Since(start).Milliseconds(), "ok", err == nil)
	if w.onRun != nil {
		w.onRun(job.Kind, err == nil)
	}
	return err
}
