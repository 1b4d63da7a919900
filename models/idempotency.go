package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// IdempotencyTTL is how long the answer to a request sent with an
// Idempotency-Key is kept for its retries.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyKey is the stored answer to one API request sent with an
// Idempotency-Key header, per person. Status 0 means the first request is
// still running.
type IdempotencyKey struct {
	ID          uint      `gorm:"primaryKey"`
	PersonID    uint      `gorm:"not null"`
	Key         string    `gorm:"size:200;not null"`
	RequestHash string    `gorm:"size:64;not null"`
	Status      int       `gorm:"not null;default:0"`
	ContentType string    `gorm:"size:100;not null;default:''"`
	Body        []byte    `gorm:"not null"`
	CreatedAt   time.Time `gorm:"not null"`
}

// ErrIdempotencyReused means an Idempotency-Key came back with another request.
var ErrIdempotencyReused = errors.New("idempotency key used for another request")

// BeginIdempotent claims key for the viewer's request (hash names method,
// path and body). It returns (nil, id) when this request is the first and
// must run, then FinishIdempotent or AbandonIdempotent; or the stored
// answer of the first request. A first request still running is
// ErrConflict; the key with another request is ErrIdempotencyReused.
func BeginIdempotent(ctx context.Context, db *gorm.DB, v Viewer, key, hash string, now time.Time) (*IdempotencyKey, uint, error) {
	tx := db.WithContext(ctx)
	if err := tx.Where("person_id = ? AND key = ? AND created_at < ?", v.PersonID, key, now.Add(-IdempotencyTTL)).
		Delete(&IdempotencyKey{}).Error; err != nil {
		return nil, 0, err
	}
	row := IdempotencyKey{PersonID: v.PersonID, Key: key, RequestHash: hash, Body: []byte{}, CreatedAt: now}
	res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "person_id"}, {Name: "key"}}, DoNothing: true}).Create(&row)
	if res.Error != nil {
		return nil, 0, res.Error
	}
	if res.RowsAffected == 1 {
		return nil, row.ID, nil
	}
	var first IdempotencyKey
	if err := tx.Where("person_id = ? AND key = ?", v.PersonID, key).Take(&first).Error; err != nil {
		return nil, 0, err
	}
	switch {
	case first.RequestHash != hash:
		return nil, 0, ErrIdempotencyReused
	case first.Status == 0:
		return nil, 0, ErrConflict
	}
	return &first, 0, nil
}

// FinishIdempotent stores the first request's answer for its retries.
func FinishIdempotent(ctx context.Context, db *gorm.DB, id uint, status int, contentType string, body []byte) error {
	return db.WithContext(ctx).Model(&IdempotencyKey{}).Where("id = ?", id).
		Updates(map[string]any{"status": status, "content_type": contentType, "body": body}).Error
}

// AbandonIdempotent forgets a key whose first request failed, so that a
// retry runs again.
func AbandonIdempotent(ctx context.Context, db *gorm.DB, id uint) error {
	return db.WithContext(ctx).Delete(&IdempotencyKey{}, id).Error
}

// PurgeIdempotencyKeys deletes answers older than IdempotencyTTL.
func PurgeIdempotencyKeys(ctx context.Context, db *gorm.DB, now time.Time) error {
	return db.WithContext(ctx).Where("created_at < ?", now.Add(-IdempotencyTTL)).Delete(&IdempotencyKey{}).Error
}
