package app

import (
	"log/slog"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"crossmentor/app/live"
)

// newLiveHub returns the hub that fans out changes of running meetings: in
// process on the embedded database, through LISTEN/NOTIFY on PostgreSQL so
// that every replica hears every change.
func newLiveHub(db *gorm.DB, log *slog.Logger) (*live.Hub, error) {
	if d, ok := db.Dialector.(*postgres.Dialector); ok && d.Config != nil && d.Config.DSN != "" {
		return live.NewPostgres(db, d.Config.DSN, log)
	}
	return live.NewLocal(), nil
}
