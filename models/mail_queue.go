package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliverySent      = "sent"
	DeliveryFailed    = "failed"
	DeliveryWithdrawn = "withdrawn"
)

// MailDelivery is one mail to one person, with a key unique in the
// database: a kind, the record it is about, the occurrence and the
// recipient. The text is made at sending time from the current state; it
// is never stored.
type MailDelivery struct {
	ID            uint       `gorm:"primaryKey" json:"id"`
	Key           string     `gorm:"size:200;not null" json:"key"`
	Kind          string     `gorm:"size:30;not null" json:"kind"`
	RecipientID   uint       `gorm:"not null" json:"recipient_id"`
	SubjectType   string     `gorm:"size:20;not null;default:''" json:"subject_type"`
	SubjectID     uint       `gorm:"not null;default:0" json:"subject_id"`
	Occurrence    time.Time  `json:"occurrence"`
	Status        string     `gorm:"size:12;not null" json:"status"`
	NextAttemptAt time.Time  `gorm:"not null" json:"next_attempt_at"`
	ClaimedUntil  *time.Time `json:"-"`
	ClaimToken    string     `gorm:"size:32;not null;default:''" json:"-"`
	Attempts      int        `gorm:"not null;default:0" json:"attempts"`
	LastError     string     `gorm:"size:500;not null;default:''" json:"last_error,omitempty"`
	SentAt        *time.Time `json:"sent_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

// deliveryKey builds the unique key of a delivery.
func deliveryKey(kind, subjectType string, subjectID uint, occurrence time.Time, recipient uint) string {
	return kind + ":" + subjectType + ":" + itoaU(subjectID) + ":" + occurrence.UTC().Format("20060102T150405Z") + ":" + itoaU(recipient)
}

func itoaU(n uint) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// enqueue adds deliveries in the caller's transaction; one that exists
// already (same key) is left as it is.
func enqueue(tx *gorm.DB, kind, subjectType string, subjectID uint, occurrence, due time.Time, recipients []uint) error {
	if len(recipients) == 0 {
		return nil
	}
	rows := make([]MailDelivery, 0, len(recipients))
	for _, r := range recipients {
		rows = append(rows, delivery(kind, subjectType, subjectID, occurrence, due, r))
	}
	return enqueueRows(tx, rows)
}

// delivery is a pending mail of an event to one recipient, due at due.
func delivery(kind, subjectType string, subjectID uint, occurrence, due time.Time, recipient uint) MailDelivery {
	return MailDelivery{Key: deliveryKey(kind, subjectType, subjectID, occurrence, recipient), Kind: kind,
		RecipientID: recipient, SubjectType: subjectType, SubjectID: subjectID, Occurrence: occurrence.UTC(),
		Status: DeliveryPending, NextAttemptAt: due.UTC()}
}

// enqueueRows adds pending mails; one already queued is left as it is.
func enqueueRows(tx *gorm.DB, rows []MailDelivery) error {
	if len(rows) == 0 {
		return nil
	}
	return tx.Session(&gorm.Session{NewDB: true}).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoNothing: true}).
		CreateInBatches(rows, BatchRows(tx, &MailDelivery{}, 500)).Error
}

// ClaimDeliveries takes up to limit pending deliveries that are due, for
// lease long, under a fresh claim token, so that other runners leave them
// alone. On PostgreSQL rows locked by another runner are skipped. A claim
// that runs out may be taken by another runner; the token fences the old
// holder off (HoldClaim, MarkSent, MarkRetry and MarkWithdrawn only act
// under the token they were given).
func ClaimDeliveries(ctx context.Context, db *gorm.DB, now time.Time, limit int, lease time.Duration) ([]MailDelivery, error) {
	token, err := claimToken()
	if err != nil {
		return nil, err
	}
	var claimed []MailDelivery
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Where("status = ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)", DeliveryPending, now, now).
			Order("next_attempt_at, id").Limit(limit)
		if tx.Dialector.Name() == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&claimed).Error; err != nil || len(claimed) == 0 {
			return err
		}
		ids := make([]uint, len(claimed))
		until := now.Add(lease)
		for i := range claimed {
			ids[i] = claimed[i].ID
			claimed[i].ClaimToken, claimed[i].ClaimedUntil = token, &until
		}
		return tx.Model(&MailDelivery{}).Where("id IN ?", ids).
			Updates(map[string]any{"claimed_until": until, "claim_token": token}).Error
	})
	if err != nil {
		return nil, err
	}
	return claimed, nil
}

// claimToken is a random token naming one claim.
func claimToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// HoldClaim checks, right before a mail is handed to the mail server, that
// the caller's claim on it is still current (same token, still pending,
// not run out) and extends it by lease, in one statement. False means
// another runner has taken the delivery over or it was settled: the caller
// must not send it.
func HoldClaim(ctx context.Context, db *gorm.DB, d MailDelivery, now time.Time, lease time.Duration) (bool, error) {
	res := db.WithContext(ctx).Model(&MailDelivery{}).
		Where("id = ? AND claim_token = ? AND status = ? AND claimed_until >= ?", d.ID, d.ClaimToken, DeliveryPending, now).
		Update("claimed_until", now.Add(lease))
	return res.RowsAffected == 1, res.Error
}

// underClaim limits an update to the caller's own claim on a pending delivery.
func underClaim(tx *gorm.DB, d MailDelivery) *gorm.DB {
	return tx.Model(&MailDelivery{}).Where("id = ? AND claim_token = ? AND status = ?", d.ID, d.ClaimToken, DeliveryPending)
}

// MarkSent records a delivery as sent, under the caller's claim; false
// means the claim was no longer the caller's (nothing changed).
func MarkSent(ctx context.Context, db *gorm.DB, d MailDelivery, now time.Time) (bool, error) {
	res := underClaim(db.WithContext(ctx), d).
		Updates(map[string]any{"status": DeliverySent, "sent_at": now, "claimed_until": nil, "claim_token": ""})
	return res.RowsAffected == 1, res.Error
}

// ReleaseClaims gives claimed deliveries that were not sent back to the
// queue at once, for a runner that is stopping, so another can send them
// without waiting for the lease to run out. Only the caller's own claims
// are released.
func ReleaseClaims(ctx context.Context, db *gorm.DB, claimed []MailDelivery) error {
	byToken := map[string][]uint{}
	for _, d := range claimed {
		byToken[d.ClaimToken] = append(byToken[d.ClaimToken], d.ID)
	}
	for token, ids := range byToken {
		if err := db.WithContext(ctx).Model(&MailDelivery{}).Where("id IN ? AND claim_token = ? AND status = ?", ids, token, DeliveryPending).
			Updates(map[string]any{"claimed_until": nil, "claim_token": ""}).Error; err != nil {
			return err
		}
	}
	return nil
}

// MarkWithdrawn records, under the caller's claim, that a delivery no
// longer applies (the meeting moved).
func MarkWithdrawn(ctx context.Context, db *gorm.DB, d MailDelivery) error {
	return underClaim(db.WithContext(ctx), d).
		Updates(map[string]any{"status": DeliveryWithdrawn, "claimed_until": nil, "claim_token": ""}).Error
}

// MaxMailAttempts is how often a delivery is tried before it is failed.
const MaxMailAttempts = 5

// MarkRetry records a failed attempt under the caller's claim: tried again
// later with a growing pause, or failed for good after MaxMailAttempts. A
// delivery settled or taken over meanwhile is left alone, so a sent mail
// never goes back to pending and an attempt is counted once.
func MarkRetry(ctx context.Context, db *gorm.DB, d MailDelivery, cause error, now time.Time) error {
	msg := cause.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	attempts := d.Attempts + 1
	status := DeliveryPending
	if attempts >= MaxMailAttempts {
		status = DeliveryFailed
	}
	next := now.Add(time.Duration(1<<attempts) * time.Minute)
	return underClaim(db.WithContext(ctx), d).Where("attempts = ?", d.Attempts).Updates(map[string]any{"status": status,
		"attempts": attempts, "last_error": msg, "next_attempt_at": next, "claimed_until": nil, "claim_token": ""}).Error
}

// RetryDelivery puts a failed delivery back in the queue; admins only.
func RetryDelivery(ctx context.Context, db *gorm.DB, v Viewer, id uint, now time.Time) error {
	if !v.Can(OrgManage) {
		return ErrNotFound
	}
	res := db.WithContext(ctx).Model(&MailDelivery{}).Where("id = ? AND status = ?", id, DeliveryFailed).
		Updates(map[string]any{"status": DeliveryPending, "attempts": 0, "next_attempt_at": now, "claimed_until": nil, "claim_token": ""})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// DeliveryRow is a delivery with its recipient's name, for the admin list.
type DeliveryRow struct {
	MailDelivery
	RecipientName string `json:"recipient_name"`
}

// ListDeliveries shows the outbox newest first, by status; admins only.
func ListDeliveries(ctx context.Context, db *gorm.DB, v Viewer, status string, page *Page) ([]DeliveryRow, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	q := db.WithContext(ctx).Model(&MailDelivery{}).Joins("JOIN people p ON p.id = mail_deliveries.recipient_id")
	if status != "" {
		q = q.Where("mail_deliveries.status = ?", status)
	}
	if err := q.Count(&page.Total).Error; err != nil {
		return nil, err
	}
	var out []DeliveryRow
	err := q.Select("mail_deliveries.*, p.name AS recipient_name").Order("mail_deliveries.id DESC").
		Offset(page.Offset()).Limit(page.Size).Find(&out).Error
	for i := range out {
		if privateMailKinds[out[i].Kind] {
			out[i].Kind = MailKindPrivate
		}
	}
	return out, err
}

// MailKindPrivate is how L&D's outbox names a mail between a mentee and
// their mentor about a one-on-one request or a meeting: their kinds are
// neutral already, and the outbox shows no preview of them either.
const MailKindPrivate = "mentoring_private"

// privateMailKinds are the mails the outbox lists as MailKindPrivate.
var privateMailKinds = map[string]bool{NoticeOneOnOneRequest: true, NoticeMeetingNote: true}
