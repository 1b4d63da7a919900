package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// AuditEvent is one line of the append-only audit log: who did what to
// which record, when and from where. It never holds content.
type AuditEvent struct {
	ID        uint      `gorm:"primaryKey" json:"id"`
	At        time.Time `gorm:"not null;index" json:"at"`
	ActorID   *uint     `gorm:"index" json:"actor_id,omitempty"`
	Action    string    `gorm:"size:40;not null;index" json:"action"`
	Subject   string    `gorm:"size:40;not null;default:''" json:"subject"`
	SubjectID uint      `gorm:"not null;default:0" json:"subject_id"`
	Address   string    `gorm:"size:64;not null;default:''" json:"address"`
	Detail    string    `gorm:"size:200;not null;default:''" json:"detail,omitempty"` // ids and names of roles, never content
}

// Audit actions.
const (
	AuditSignIn         = "sign_in"
	AuditSignInFailed   = "sign_in_failed"
	AuditDenied         = "access_denied"
	AuditRead           = "confidential_read"
	AuditExport         = "export"
	AuditConsentGrant   = "consent_granted"
	AuditConsentView    = "consent_viewed"
	AuditConsentRevoke  = "consent_revoked"
	AuditMembership     = "membership_changed"
	AuditRoleChange     = "role_changed"
	AuditErasure        = "erasure"
	AuditPurge          = "retention_purge"
	AuditMentorChange   = "mentor_changed"
	AuditGroupStatus    = "group_status_changed"
	auditAddressMaxSize = 64
)

// requestInfo is what the audit log takes from the request.
type requestInfo struct {
	Address string
	Now     func() time.Time
}

type requestInfoKey struct{}

// WithRequest marks ctx with the client address and the clock, for the
// audit lines written while handling the request.
func WithRequest(ctx context.Context, address string, now func() time.Time) context.Context {
	if len(address) > auditAddressMaxSize {
		address = address[:auditAddressMaxSize]
	}
	return context.WithValue(ctx, requestInfoKey{}, requestInfo{Address: address, Now: now})
}

// audit appends a line to the log in the caller's transaction.
func audit(tx *gorm.DB, actor uint, action, subject string, subjectID uint) error {
	return auditDetail(tx, actor, action, subject, subjectID, "")
}

// auditDetail appends a line with a detail such as "person #3 → person #7":
// ids and role names only, never content.
func auditDetail(tx *gorm.DB, actor uint, action, subject string, subjectID uint, detail string) error {
	info, _ := tx.Statement.Context.Value(requestInfoKey{}).(requestInfo)
	at := time.Now().UTC()
	if info.Now != nil {
		at = info.Now().UTC()
	}
	e := AuditEvent{At: at, Action: action, Subject: subject, SubjectID: subjectID, Address: info.Address, Detail: detail}
	if actor != 0 {
		e.ActorID = &actor
	}
	return tx.Session(&gorm.Session{NewDB: true}).Create(&e).Error
}

// Audit appends a line to the log.
func Audit(ctx context.Context, db *gorm.DB, actor uint, action, subject string, subjectID uint) error {
	return audit(db.WithContext(ctx), actor, action, subject, subjectID)
}

// AuditRow is a log line with the actor's name.
type AuditRow struct {
	AuditEvent
	ActorName string `json:"actor_name"`
}

// AuditFilter narrows the log.
type AuditFilter struct {
	Action  string
	ActorID uint
}

// ListAudit returns the log, newest first, a page at a time; admins only.
func ListAudit(ctx context.Context, db *gorm.DB, v Viewer, f AuditFilter, page *Page) ([]AuditRow, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	q := db.WithContext(ctx).Model(&AuditEvent{}).
		Joins("LEFT JOIN people p ON p.id = audit_events.actor_id")
	if f.Action != "" {
		q = q.Where("audit_events.action = ?", f.Action)
	}
	if f.ActorID != 0 {
		q = q.Where("audit_events.actor_id = ?", f.ActorID)
	}
	if err := q.Count(&page.Total).Error; err != nil {
		return nil, err
	}
	var out []AuditRow
	err := q.Select("audit_events.*, COALESCE(p.name, '') AS actor_name").
		Order("audit_events.id DESC").Offset(page.Offset()).Limit(page.Size).Find(&out).Error
	return out, err
}

// AuditActions lists the actions, for the filter.
var AuditActions = []string{AuditSignIn, AuditSignInFailed, AuditDenied, AuditRead, AuditExport, AuditConsentGrant,
	AuditConsentView, AuditConsentRevoke, AuditMembership, AuditRoleChange, AuditErasure, AuditPurge, AuditMentorChange,
	AuditInputRequested, AuditInputDrafted, AuditInputChanges, AuditInputApproved, AuditInputRefused, AuditInputWithdrawn,
	AuditInputRevoked, AuditInputExpired, AuditInputDraftRead, AuditInputViewed}
