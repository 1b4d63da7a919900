package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/robfig/cron/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"crossmentor/models"
)

// The schedule of the periodic jobs, in the organisation's time zone. Daily
// work stays clear of 02:00–03:00, which DST skips or doubles.
const (
	mailSpec      = "* * * * *"    // reminders and the mail queue, every minute
	cleanupSpec   = "*/10 * * * *" // expired sessions and sign-in failures
	retentionSpec = "15 4 * * *"   // confidential text of long-closed groups
	lifecycleSpec = "5 * * * *"    // status changes on their date, groups whose last meeting is over, a closed month's figures
)

// Work is the periodic work, as small Run(ctx) funcs.
type Work struct {
	Mail      func(context.Context) error
	Cleanup   func(context.Context) error
	Retention func(context.Context) error
	Lifecycle func(context.Context) error                 // nil: not scheduled here
	Import    func(ctx context.Context, runID uint) error // applies one import run; nil: imports are not worked here
	OnRun     func(kind string, ok bool)                  // for metrics; may be nil
}

// JobRun is one run of a job, as the jobs page shows it.
type JobRun = models.JobRun

// Runner runs the periodic jobs on River in the application's database;
// with several replicas only the elected leader schedules them.
type Runner interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Runs(ctx context.Context, limit int) ([]JobRun, error)
	Retry(ctx context.Context, id int64) error
	Enqueuer
}

// Enqueuer queues work that a request asked for.
type Enqueuer interface {
	// EnqueueImport queues the job that applies an import run.
	EnqueueImport(ctx context.Context, runID uint) error
}

type mailArgs struct{}

func (mailArgs) Kind() string { return "mail" }

type cleanupArgs struct{}

func (cleanupArgs) Kind() string { return "cleanup" }

type retentionArgs struct{}

func (retentionArgs) Kind() string { return "retention" }

type lifecycleArgs struct{}

func (lifecycleArgs) Kind() string { return "lifecycle" }

// worker runs one Run func as a River worker, with a timeout and slog fields.
type worker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	run     func(context.Context) error
	log     *slog.Logger
	timeout time.Duration
	onRun   func(kind string, ok bool)
}

func (w *worker[T]) Timeout(*river.Job[T]) time.Duration { return w.timeout }

func (w *worker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	start := time.Now()
	err := w.run(ctx)
	w.log.Info("job run", "job", job.Kind, "id", job.ID, "attempt", job.Attempt, "duration_ms", time.Since(start).Milliseconds(), "ok", err == nil)
	if w.onRun != nil {
		w.onRun(job.Kind, err == nil)
	}
	return err
}

// schedule parses a cron spec in the zone; a bad spec is an error, not a panic.
func schedule(spec, zone string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cron spec %q: %v", spec, r)
		}
	}()
	return cron.ParseStandard("CRON_TZ=" + zone + " " + spec)
}

// config builds the River configuration of the work.
func config(work Work, zone string, log *slog.Logger) (*river.Config, error) {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &worker[mailArgs]{run: work.Mail, log: log, timeout: 5 * time.Minute, onRun: work.OnRun}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &worker[cleanupArgs]{run: work.Cleanup, log: log, timeout: 5 * time.Minute, onRun: work.OnRun}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &worker[retentionArgs]{run: work.Retention, log: log, timeout: 30 * time.Minute, onRun: work.OnRun}); err != nil {
		return nil, err
	}
	if work.Import != nil {
		if err := river.AddWorkerSafely(workers, &importWorker{run: work.Import, log: log, onRun: work.OnRun}); err != nil {
			return nil, err
		}
	}
	specs := []struct {
		spec string
		args river.JobArgs
	}{{mailSpec, mailArgs{}}, {cleanupSpec, cleanupArgs{}}, {retentionSpec, retentionArgs{}}}
	if work.Lifecycle != nil {
		if err := river.AddWorkerSafely(workers, &worker[lifecycleArgs]{run: work.Lifecycle, log: log, timeout: 10 * time.Minute, onRun: work.OnRun}); err != nil {
			return nil, err
		}
		specs = append(specs, struct {
			spec string
			args river.JobArgs
		}{lifecycleSpec, lifecycleArgs{}})
	}
	var periodic []*river.PeriodicJob
	for _, p := range specs {
		s, err := schedule(p.spec, zone)
		if err != nil {
			return nil, err
		}
		args := p.args
		periodic = append(periodic, river.NewPeriodicJob(s, func() (river.JobArgs, *river.InsertOpts) {
			return args, &river.InsertOpts{MaxAttempts: 5}
		}, &river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: true}))
	}
	return &river.Config{
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		Workers:      workers,
		PeriodicJobs: periodic,
		Logger:       log.With("component", "river"),
	}, nil
}

// driverFor returns River's driver for the database: pgx on PostgreSQL,
// its SQLite driver on the embedded database.
func driverFor(ctx context.Context, db *gorm.DB) (any, func(), error) {
	if pg, ok := db.Dialector.(*postgres.Dialector); ok {
		pool, err := pgxpool.New(ctx, pg.Config.DSN)
		if err != nil {
			return nil, nil, err
		}
		return riverpgxv5.New(pool), pool.Close, nil
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, nil, err
	}
	return riversqlite.New(sqlDB), func() {}, nil
}

// MigrateRiver applies River's own migrations; it runs with the app's.
func MigrateRiver(ctx context.Context, db *gorm.DB) error {
	d, closeFn, err := driverFor(ctx, db)
	if err != nil {
		return err
	}
	defer closeFn()
	switch d := d.(type) {
	case *riverpgxv5.Driver:
		return migrate[pgx.Tx](ctx, d)
	case *riversqlite.Driver:
		return migrate[*sql.Tx](ctx, d)
	}
	return fmt.Errorf("no River driver for %T", d)
}

func migrate[TTx any](ctx context.Context, d riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(d, nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// NewRunner builds the runner for the database; zone is the organisation's.
func NewRunner(ctx context.Context, db *gorm.DB, work Work, zone string, log *slog.Logger) (Runner, error) {
	cfg, err := config(work, zone, log)
	if err != nil {
		return nil, err
	}
	d, closeFn, err := driverFor(ctx, db)
	if err != nil {
		return nil, err
	}
	switch d := d.(type) {
	case *riverpgxv5.Driver:
		c, err := river.NewClient(d, cfg)
		return &runner[pgx.Tx]{client: c, close: closeFn}, err
	case *riversqlite.Driver:
		c, err := river.NewClient(d, cfg)
		return &runner[*sql.Tx]{client: c, close: closeFn}, err
	}
	closeFn()
	return nil, fmt.Errorf("no River driver for %T", d)
}

type runner[TTx any] struct {
	client *river.Client[TTx]
	close  func()
}

func (r *runner[TTx]) Start(ctx context.Context) error { return r.client.Start(ctx) }

func (r *runner[TTx]) EnqueueImport(ctx context.Context, runID uint) error {
	_, err := r.client.Insert(ctx, importArgs{RunID: runID}, nil)
	return err
}

// inserter only queues jobs, for a replica that does not work them
// (CROSSMENTOR_JOBS=false): the job replicas pick them up.
type inserter[TTx any] struct {
	client *river.Client[TTx]
}

func (i inserter[TTx]) EnqueueImport(ctx context.Context, runID uint) error {
	_, err := i.client.Insert(ctx, importArgs{RunID: runID}, nil)
	return err
}

// NewEnqueuer returns a client that only queues jobs, and its closer.
func NewEnqueuer(ctx context.Context, db *gorm.DB, log *slog.Logger) (Enqueuer, func(), error) {
	d, closeFn, err := driverFor(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	cfg := &river.Config{Logger: log.With("component", "river")}
	switch d := d.(type) {
	case *riverpgxv5.Driver:
		c, err := river.NewClient(d, cfg)
		return inserter[pgx.Tx]{client: c}, closeFn, err
	case *riversqlite.Driver:
		c, err := river.NewClient(d, cfg)
		return inserter[*sql.Tx]{client: c}, closeFn, err
	}
	closeFn()
	return nil, nil, fmt.Errorf("no River driver for %T", d)
}

// Stop lets running jobs finish while ctx lasts; when it runs out they
// are cancelled (a cancelled mail run gives back what it had not sent).
func (r *runner[TTx]) Stop(ctx context.Context) error {
	err := r.client.Stop(ctx)
	if ctx.Err() != nil {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err = r.client.StopAndCancel(cctx)
		cancel()
	}
	r.close()
	return err
}

func (r *runner[TTx]) Runs(ctx context.Context, limit int) ([]JobRun, error) {
	res, err := r.client.JobList(ctx, river.NewJobListParams().First(limit).OrderBy(river.JobListOrderByID, river.SortOrderDesc))
	if err != nil {
		return nil, err
	}
	out := make([]JobRun, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		run := JobRun{ID: j.ID, Kind: j.Kind, State: string(j.State), Attempt: j.Attempt, CreatedAt: j.CreatedAt,
			AttemptedAt: j.AttemptedAt, FinalizedAt: j.FinalizedAt}
		if j.AttemptedAt != nil && j.FinalizedAt != nil {
			run.Duration = j.FinalizedAt.Sub(*j.AttemptedAt)
		}
		if n := len(j.Errors); n > 0 {
			run.LastError = j.Errors[n-1].Error
		}
		out = append(out, run)
	}
	return out, nil
}

func (r *runner[TTx]) Retry(ctx context.Context, id int64) error {
	_, err := r.client.JobRetry(ctx, id)
	return err
}
