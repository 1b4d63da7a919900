package models

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Import run statuses.
const (
	ImportRunning = "running"
	ImportDone    = "done"
	ImportFailed  = "failed"
)

// ImportRunTimeout bounds one import; a run still "running" after it was
// cut off (the process stopped): its transaction wrote nothing.
const ImportRunTimeout = 10 * time.Minute

// ImportRun is an import being applied in the background, so that a large
// file does not hold the page and its progress survives a reload.
type ImportRun struct {
	ID          uint   `gorm:"primaryKey"`
	CreatedByID uint   `gorm:"not null"`
	Status      string `gorm:"size:10;not null"`
	Total       int    `gorm:"not null;default:0"` // rows in the file
	Created     int    `gorm:"not null;default:0"`
	Updated     int    `gorm:"not null;default:0"`
	Unchanged   int    `gorm:"not null;default:0"`
	Refused     int    `gorm:"not null;default:0"`
	Done        int    `gorm:"not null;default:0"`                                 // rows written so far, while it runs (PostgreSQL)
	Error       string `gorm:"size:100;not null;default:''"`                       // a message id suffix
	Content     string `gorm:"type:text;not null;default:''" sealed:"import_runs"` // the file, only while the run lasts
	Mapping     string `gorm:"size:500;not null;default:''"`
	CreatedAt   time.Time
	FinishedAt  *time.Time
}

// Interrupted says whether a run was cut off before it finished.
func (r ImportRun) Interrupted(now time.Time) bool {
	return r.Status == ImportRunning && now.Sub(r.CreatedAt) > ImportRunTimeout+time.Minute
}

// StartImport checks the file and records a run for it, its file sealed;
// the caller enqueues the job that runs it (RunImport). It creates the
// teams and projects the file names without asking: StartImportWith asks.
func StartImport(ctx context.Context, db *gorm.DB, v Viewer, data []byte, m ImportMapping) (ImportRun, error) {
	return StartImportWith(ctx, db, v, data, m, ImportOptions{ConfirmNew: true})
}

// StartImportWith is StartImport that refuses, with a field error, a file
// that would create teams or projects unless opts confirms them. The file
// is stored as UTF-8 text, whatever encoding it came in.
func StartImportWith(ctx context.Context, db *gorm.DB, v Viewer, data []byte, m ImportMapping, opts ImportOptions) (ImportRun, error) {
	if !v.Can(OrgManage) {
		return ImportRun{}, ErrNotFound
	}
	rep, err := PlanImportWith(ctx, db, v, data, m, ImportOptions{})
	if err != nil {
		return ImportRun{}, err
	}
	if !opts.ConfirmNew && len(rep.NewTeams)+len(rep.NewProjects) > 0 {
		return ImportRun{}, fieldErr("confirm_new", "import_new_names")
	}
	mapping, err := json.Marshal(rep.Mapping)
	if err != nil {
		return ImportRun{}, err
	}
	text, _ := DecodeImport(data)
	run := ImportRun{CreatedByID: v.PersonID, Status: ImportRunning, Total: len(rep.Rows), Content: string(text), Mapping: string(mapping)}
	return run, db.WithContext(ctx).Create(&run).Error
}

// ImportFileHours is how long an uploaded file may stay (sealed) in the
// database: a run that has not finished by then is given up and its file deleted.
const ImportFileHours = 24

// RunImport applies a recorded run in one transaction, as the person who
// uploaded it, reporting progress as rows are written, and records the
// outcome; the file is deleted once it is done, whatever the outcome. A run
// that is no longer running (done, failed, given up) is left alone, so a
// job that runs twice does no harm.
func RunImport(ctx context.Context, db *gorm.DB, id uint, today Date, progress func(done, total int)) error {
	var run ImportRun
	err := db.WithContext(ctx).Where("id = ? AND status = ?", id, ImportRunning).First(&run).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	v, err := ViewerFor(ctx, db, run.CreatedByID)
	if err != nil {
		return err
	}
	var m ImportMapping
	if err := json.Unmarshal([]byte(run.Mapping), &m); err != nil {
		return err
	}
	rep, err := applyImport(ctx, db, v, []byte(run.Content), m, today, progress)
	now := time.Now().UTC()
	changes := map[string]any{"status": ImportDone, "content": "", "finished_at": now,
		"created": rep.Counts[string(ImportCreate)], "updated": rep.Counts[string(ImportUpdate)],
		"unchanged": rep.Counts[string(ImportUnchanged)], "refused": rep.Counts[string(ImportRefused)]}
	if err != nil {
		changes = map[string]any{"status": ImportFailed, "content": "", "finished_at": now, "error": "import_failed"}
	}
	if uerr := db.WithContext(context.WithoutCancel(ctx)).Model(&ImportRun{}).Where("id = ?", id).Updates(changes).Error; uerr != nil {
		return uerr
	}
	return err
}

// RecordImportProgress stores how many rows a run has written, for the
// progress page on another replica. It writes outside the import's own
// transaction, so only PostgreSQL (several writers) records it.
func RecordImportProgress(ctx context.Context, db *gorm.DB, id uint, done int) error {
	if db.Dialector.Name() != "postgres" {
		return nil
	}
	return db.WithContext(ctx).Model(&ImportRun{}).Where("id = ? AND status = ?", id, ImportRunning).Update("done", done).Error
}

// PurgeImportFiles deletes the uploaded file of every run older than
// ImportFileHours, and gives up a run that is still waiting by then.
func PurgeImportFiles(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	cutoff := now.Add(-ImportFileHours * time.Hour)
	res := db.WithContext(ctx).Model(&ImportRun{}).Where("created_at < ? AND (content <> '' OR status = ?)", cutoff, ImportRunning).
		Updates(map[string]any{"content": "", "status": ImportFailed, "error": "import_failed", "finished_at": now})
	return res.RowsAffected, res.Error
}

// PendingImportRuns lists the runs still waiting or running, oldest first.
func PendingImportRuns(ctx context.Context, db *gorm.DB) ([]uint, error) {
	var ids []uint
	err := db.WithContext(ctx).Model(&ImportRun{}).Where("status = ?", ImportRunning).Order("id").Pluck("id", &ids).Error
	return ids, err
}

// GetImportRun returns a run without its file; admins only.
func GetImportRun(ctx context.Context, db *gorm.DB, v Viewer, id uint) (ImportRun, error) {
	var run ImportRun
	if !v.Can(OrgManage) {
		return run, ErrNotFound
	}
	err := db.WithContext(ctx).Omit("content").First(&run, id).Error
	return run, notFound(err)
}
