// Package jobs holds periodic and queued work. Each job is a small Run(ctx).
package jobs

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"crossmentor/models"
)

// Cleanup deletes expired sessions, sign-in failures and uploaded files
// older than a day, notices older than models.NoticeKeep, and ends input
// shared past its date; Retention the
// confidential text of long-closed groups. Both are idempotent.
type Cleanup struct {
	DB              *gorm.DB
	Log             *slog.Logger
	Sessions        models.SessionPolicy
	Limits          models.SignInLimits
	RetentionMonths int
	Now             func() time.Time
}

// Run does one cleanup pass.
func (j Cleanup) Run(ctx context.Context) error {
	now := j.Now()
	sessions, err := models.PurgeSessions(ctx, j.DB, j.Sessions, now)
	if err != nil {
		return err
	}
	failures, err := models.PurgeSignInCounters(ctx, j.DB, j.Limits, now)
	if err != nil {
		return err
	}
	links, err := models.PurgeAccountLinks(ctx, j.DB, now)
	if err != nil {
		return err
	}
	files, err := models.PurgeImportFiles(ctx, j.DB, now)
	if err != nil {
		return err
	}
	expired, err := models.ExpireInputRequests(ctx, j.DB, models.DateOf(now))
	if err != nil {
		return err
	}
	if err := models.PurgeIdempotencyKeys(ctx, j.DB, now); err != nil {
		return err
	}
	notices, err := models.PurgeNotices(ctx, j.DB, now, models.NoticeKeep)
	if err != nil {
		return err
	}
	j.Log.Debug("cleanup done", "job", "cleanup", "sessions", sessions, "sign_in_counters", failures, "account_links", links,
		"import_files", files, "input_expired", expired, "notices", notices)
	return nil
}

// Retention deletes the confidential text of groups closed longer than
// RetentionMonths ago.
func (j Cleanup) Retention(ctx context.Context) error {
	purged, err := models.PurgeClosedGroups(ctx, j.DB, j.RetentionMonths, models.DateOf(j.Now()))
	if err != nil {
		return err
	}
	j.Log.Info("retention purge done", "job", "retention", "groups", purged.Groups, "texts", purged.Texts)
	return nil
}
