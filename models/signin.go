package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// SignInCounter counts the attempts of one bucket (an account, an account
// from one address, an address) in a fixed window. Each attempt raises it
// in one atomic statement before the password is looked at, so parallel
// attempts on any number of replicas check at most the limit.
type SignInCounter struct {
	Bucket      string    `gorm:"primaryKey;size:400"`
	WindowStart time.Time `gorm:"not null;index"`
	Attempts    int       `gorm:"not null"`
}

// SignInLimits caps attempts within a window.
type SignInLimits struct {
	Window time.Duration
	// PerAccountAddress: attempts at one account from one address. A
	// lockout here leaves the account usable from every other address.
	PerAccountAddress int
	// PerAccount: attempts at one account from all addresses together,
	// against guessing spread over many addresses; well above
	// PerAccountAddress so one address cannot lock the person out.
	PerAccount int
	// PerAddress: attempts from one address at any account.
	PerAddress int
	// ForgotPerAccount: reset mails asked for one address.
	ForgotPerAccount int
}

// DefaultSignInLimits allows, within 15 minutes, 5 attempts at an account
// from one address, 50 at an account in all, 50 from one address, and 3
// reset mails per account.
var DefaultSignInLimits = SignInLimits{Window: 15 * time.Minute, PerAccountAddress: 5, PerAccount: 50, PerAddress: 50, ForgotPerAccount: 3}

// bucket is one counter and its limit.
type bucket struct {
	key   string
	limit int
}

// countAttempts raises every bucket by one, atomically each, and reports
// whether any went over its limit. A bucket whose window has passed starts
// again at one.
func countAttempts(tx *gorm.DB, now time.Time, window time.Duration, buckets ...bucket) (bool, error) {
	over := false
	since := now.Add(-window)
	for _, b := range buckets {
		var n int
		err := tx.Raw(`INSERT INTO sign_in_counters (bucket, window_start, attempts) VALUES (?, ?, 1)
ON CONFLICT (bucket) DO UPDATE SET
  attempts = CASE WHEN sign_in_counters.window_start <= ? THEN 1 ELSE sign_in_counters.attempts + 1 END,
  window_start = CASE WHEN sign_in_counters.window_start <= ? THEN excluded.window_start ELSE sign_in_counters.window_start END
RETURNING attempts`, b.key, now, since, since).Scan(&n).Error
		if err != nil {
			return false, err
		}
		if n > b.limit {
			over = true
		}
	}
	return over, nil
}

// SignIn checks an email and password, honouring the limits, and returns
// the person. The attempt is counted first; only attempts within every
// limit reach the (bounded) password check. A success takes the attempt
// back and clears the account's count from this address.
func SignIn(ctx context.Context, db *gorm.DB, gate *PasswordGate, email, password, address string, limits SignInLimits, now time.Time) (Person, error) {
	tx := db.WithContext(ctx)
	email = NormalizeEmail(email)
	pair, account, from := "pair:"+email+"|"+address, "account:"+email, "address:"+address
	over, err := countAttempts(tx, now, limits.Window,
		bucket{pair, limits.PerAccountAddress}, bucket{account, limits.PerAccount}, bucket{from, limits.PerAddress})
	if err != nil {
		return Person{}, err
	}
	if over {
		return Person{}, ErrRateLimited
	}
	var p Person
	err = tx.Where("email = ?", email).Take(&p).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return Person{}, err
	}
	hash := p.PasswordHash
	if hash == "" {
		hash = dummyHash
	}
	ok, cerr := gate.Check(ctx, hash, password)
	if cerr != nil {
		return Person{}, cerr
	}
	if !ok || p.ID == 0 || p.PasswordHash == "" {
		if aerr := audit(tx, p.ID, AuditSignInFailed, "person", p.ID); aerr != nil {
			return Person{}, aerr
		}
		return Person{}, ErrBadCredentials
	}
	if err := tx.Where("bucket = ?", pair).Delete(&SignInCounter{}).Error; err != nil {
		return Person{}, err
	}
	if err := tx.Model(&SignInCounter{}).Where("bucket IN ? AND attempts > 0", []string{account, from}).
		Update("attempts", gorm.Expr("attempts - 1")).Error; err != nil {
		return Person{}, err
	}
	return p, audit(tx, p.ID, AuditSignIn, "person", p.ID)
}

// PurgeSignInCounters deletes counters whose window has passed.
func PurgeSignInCounters(ctx context.Context, db *gorm.DB, limits SignInLimits, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("window_start < ?", now.Add(-limits.Window)).Delete(&SignInCounter{})
	return res.RowsAffected, res.Error
}
