package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// SignInFailure records one failed sign-in, by account and by address, so
// that the limit holds across every replica sharing the database.
type SignInFailure struct {
	ID     uint      `gorm:"primaryKey"`
	Bucket string    `gorm:"size:300;not null;index:idx_signin_failure_bucket_at"`
	At     time.Time `gorm:"not null;index:idx_signin_failure_bucket_at"`
}

// SignInLimits caps failed attempts within a window.
type SignInLimits struct {
	Window     time.Duration
	PerAccount int
	PerAddress int
}

// DefaultSignInLimits allows 5 failures per account and 50 per address in 15 minutes.
var DefaultSignInLimits = SignInLimits{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 50}

// SignIn checks an email and password, honouring the limits, and returns the
// person. Failures are counted; a success clears the account's failures.
func SignIn(ctx context.Context, db *gorm.DB, email, password, address string, limits SignInLimits, now time.Time) (Person, error) {
	tx := db.WithContext(ctx)
	email = NormalizeEmail(email)
	accountKey, addressKey := "account:"+email, "address:"+address
	since := now.Add(-limits.Window)
	if tooMany(tx, accountKey, since, limits.PerAccount) || tooMany(tx, addressKey, since, limits.PerAddress) {
		return Person{}, ErrRateLimited
	}
	var p Person
	err := tx.Where("email = ?", email).First(&p).Error
	hash := p.PasswordHash
	if err != nil || hash == "" {
		hash = dummyHash
	}
	if !CheckPassword(hash, password) || err != nil || p.PasswordHash == "" {
		if ferr := tx.Create(&[]SignInFailure{{Bucket: accountKey, At: now}, {Bucket: addressKey, At: now}}).Error; ferr != nil {
			return Person{}, ferr
		}
		if aerr := audit(tx, p.ID, AuditSignInFailed, "person", p.ID); aerr != nil {
			return Person{}, aerr
		}
		return Person{}, ErrBadCredentials
	}
	tx.Where("bucket = ?", accountKey).Delete(&SignInFailure{})
	return p, audit(tx, p.ID, AuditSignIn, "person", p.ID)
}

func tooMany(tx *gorm.DB, key string, since time.Time, limit int) bool {
	var n int64
	tx.Model(&SignInFailure{}).Where("bucket = ? AND at > ?", key, since).Count(&n)
	return n >= int64(limit)
}

// PurgeSignInFailures deletes failures older than the window.
func PurgeSignInFailures(ctx context.Context, db *gorm.DB, limits SignInLimits, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("at < ?", now.Add(-limits.Window)).Delete(&SignInFailure{})
	return res.RowsAffected, res.Error
}
