package jobs

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"crossmentor/models"
)

// Lifecycle applies membership status changes on their date and closes
// groups whose last meeting is over. It is idempotent.
type Lifecycle struct {
	DB  *gorm.DB
	Log *slog.Logger
	Now func() time.Time
}

// Run does one pass.
func (j Lifecycle) Run(ctx context.Context) error {
	res, err := models.RunLifecycle(ctx, j.DB, j.Now())
	if err != nil {
		return err
	}
	j.Log.Info("lifecycle done", "job", "lifecycle", "status_changes", res.StatusChanges, "groups_closed", res.GroupsClosed)
	return nil
}
