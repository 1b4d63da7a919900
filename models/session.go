package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Session is a signed-in browser or API client. The cookie holds the token;
// the database holds only its hash, so signing out ends it everywhere.
type Session struct {
	TokenHash  string `gorm:"primaryKey;size:64"`
	PersonID   uint   `gorm:"not null;index"`
	CreatedAt  time.Time
	LastSeenAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null;index"`
	ViaSSO     bool      `gorm:"column:via_sso;not null;default:false"`
}

// SessionPolicy sets how long sessions live.
type SessionPolicy struct {
	Idle     time.Duration
	Absolute time.Duration
}

// StartSession creates a session for a person and returns its token.
func StartSession(ctx context.Context, db *gorm.DB, personID uint, policy SessionPolicy, now time.Time) (string, error) {
	return StartSessionVia(ctx, db, personID, false, policy, now)
}

// StartSessionVia creates a session, remembering whether it began with
// single sign-on (signing out then ends the provider's session too).
func StartSessionVia(ctx context.Context, db *gorm.DB, personID uint, viaSSO bool, policy SessionPolicy, now time.Time) (string, error) {
	token, hash, err := NewToken()
	if err != nil {
		return "", err
	}
	s := Session{TokenHash: hash, PersonID: personID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(policy.Absolute), ViaSSO: viaSSO}
	return token, db.WithContext(ctx).Create(&s).Error
}

// SessionViaSSO reports whether the session of a token began with single sign-on.
func SessionViaSSO(ctx context.Context, db *gorm.DB, token string) (bool, error) {
	var via []bool
	err := db.WithContext(ctx).Model(&Session{}).Where("token_hash = ?", HashToken(token)).Pluck("via_sso", &via)
	return len(via) == 1 && via[0], err.Error
}

// SignedIn finds the live session of a token, marks it used (at most once
// a minute) and returns its person as a viewer, in one query. An expired
// session (idle or absolute) is deleted and ErrNotFound returned.
func SignedIn(ctx context.Context, db *gorm.DB, token string, policy SessionPolicy, now time.Time) (Viewer, error) {
	v, _, err := SignedInSession(ctx, db, token, policy, now)
	return v, err
}

// SessionTimes are a live session's times as stored after SignedInSession.
type SessionTimes struct {
	LastSeen time.Time // as marked: it is marked again once it is a minute old
	Expires  time.Time // the absolute end
}

// SignedInSession is SignedIn that also returns the session's times, so a
// cache of it knows when to stop trusting it.
func SignedInSession(ctx context.Context, db *gorm.DB, token string, policy SessionPolicy, now time.Time) (Viewer, SessionTimes, error) {
	tx := db.WithContext(ctx)
	hash := HashToken(token)
	var row viewerRow
	err := tx.Raw(`SELECT s.expires_at, s.last_seen_at, `+viewerColumns+`
		FROM sessions s JOIN people p ON p.id = s.person_id WHERE s.token_hash = ?`, hash).Scan(&row).Error
	if err != nil {
		return Viewer{}, SessionTimes{}, err
	}
	if row.PersonID == 0 {
		return Viewer{}, SessionTimes{}, ErrNotFound
	}
	if !now.Before(row.ExpiresAt) || now.Sub(row.LastSeenAt) > policy.Idle {
		tx.Where("token_hash = ?", hash).Delete(&Session{}) // best effort: PurgeSessions removes it later
		return Viewer{}, SessionTimes{}, ErrNotFound
	}
	seen := row.LastSeenAt
	if now.Sub(row.LastSeenAt) > time.Minute {
		// Best effort, as before: a refused write (read-only outage) must not
		// sign anyone out; the session then counts from the old time.
		if tx.Model(&Session{}).Where("token_hash = ?", hash).Update("last_seen_at", now).Error == nil {
			seen = now
		}
	}
	return row.viewer(), SessionTimes{LastSeen: seen, Expires: row.ExpiresAt}, nil
}

// EndSession deletes the session of a token.
func EndSession(ctx context.Context, db *gorm.DB, token string) error {
	return db.WithContext(ctx).Where("token_hash = ?", HashToken(token)).Delete(&Session{}).Error
}

// PurgeSessions deletes sessions that have expired; it returns how many.
func PurgeSessions(ctx context.Context, db *gorm.DB, policy SessionPolicy, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("expires_at <= ? OR last_seen_at < ?", now, now.Add(-policy.Idle)).Delete(&Session{})
	return res.RowsAffected, res.Error
}
