package models

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Notice kinds: something happened that a person would want to know of.
// Meeting changes, cancellations and a new mentor share their kind with
// the mails they had before notices existed.
const (
	NoticePollOpened    = "poll_opened"
	NoticePollClosed    = "poll_closed"
	NoticeDateFixed     = "date_fixed"
	NoticeSeriesPlanned = "series_planned"
	NoticeCaseSubmitted = "case_submitted"
	NoticeCasePlaced    = "case_placed"
	NoticeTextShared    = "text_shared"
	// NoticeDigest is the daily mail that gathers the notices of those who
	// chose a digest.
	NoticeDigest = "notice_digest"
)

// NoticeKinds are the kinds of notice a person chooses a delivery for.
var NoticeKinds = []string{NoticePollOpened, NoticePollClosed, NoticeDateFixed, NoticeSeriesPlanned,
	MailMeetingChanged, MailMeetingCancel, MailMentorChanged, NoticeCaseSubmitted, NoticeCasePlaced,
	NoticeTextShared, MailInputShared,
	NoticeOneOnOneRequest, NoticeOneOnOneAgreed, NoticeMeetingNote,
	NoticeIntakePlanned, NoticeIntakeCancelled}

// How a person wants a kind of notice delivered.
const (
	NoticeByMail   = "mail"   // a mail at once (the default)
	NoticeByDigest = "digest" // gathered in one mail a day
	NoticeInApp    = "app"    // in the app only
)

// NoticeModes are the delivery choices, in the order shown.
var NoticeModes = []string{NoticeByMail, NoticeByDigest, NoticeInApp}

// DigestHour is the local hour from which the daily digest goes out.
const DigestHour = 7

// Notice tells one person of one event in the app. It holds no
// confidential text: the kind, the group, the person concerned and a link.
type Notice struct {
	ID          uint       `gorm:"primaryKey" json:"id"`
	Key         string     `gorm:"size:200;not null" json:"-"`
	RecipientID uint       `gorm:"not null" json:"-"`
	Kind        string     `gorm:"size:30;not null" json:"kind"`
	SubjectType string     `gorm:"size:20;not null" json:"subject_type"`
	SubjectID   uint       `gorm:"not null" json:"subject_id"`
	Occurrence  time.Time  `gorm:"not null" json:"-"`
	GroupID     uint       `gorm:"not null;default:0" json:"group_id,omitempty"`
	OtherID     uint       `gorm:"not null;default:0" json:"-"`
	Path        string     `gorm:"size:200;not null;default:''" json:"path"`
	Digest      bool       `gorm:"not null;default:false" json:"-"`
	DigestOn    *time.Time `json:"-"`
	ReadAt      *time.Time `json:"read_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
}

// NoticeSetting is a person's choice of delivery for one kind of notice;
// a kind without a row is mailed at once.
type NoticeSetting struct {
	PersonID uint   `gorm:"primaryKey;autoIncrement:false"`
	Kind     string `gorm:"primaryKey;size:30"`
	Mode     string `gorm:"size:10;not null"`
}

// NoticeAbout names what a notice is about. Occurrence tells repeats
// apart: the same kind about the same subject at the same occurrence is
// one notice (and one mail), however often Notify is called.
type NoticeAbout struct {
	Type       string // "meeting", "poll", "group", "case", "consent", "input"
	ID         uint
	GroupID    uint   // the group it concerns, named in the notice
	OtherID    uint   // the person it concerns, named in the notice
	Path       string // where in the app it is
	Occurrence time.Time
	AtOnce     bool // mailed at once, whatever the recipients chose for the kind
}

// Notify tells each recipient of an event, in the caller's transaction:
// a notice in the app and, by each recipient's choice for the kind, a mail
// at once through the mail queue (sent after commit), a place in the next
// daily digest, or nothing more. Repeated calls for the same event add
// nothing.
func Notify(tx *gorm.DB, kind string, about NoticeAbout, recipients []uint) error {
	return notifyAll(tx, kind, []noticeEvent{{about, recipients}})
}

// noticeEvent is one event of a kind and the people to tell of it.
type noticeEvent struct {
	about      NoticeAbout
	recipients []uint
}

// notifyAll is Notify for many events of one kind at once, in a handful of
// statements however many there are (planning a programme tells thousands
// of groups).
func notifyAll(tx *gorm.DB, kind string, events []noticeEvent) error {
	var everyone []uint
	for i := range events {
		events[i].recipients = distinctIDs(events[i].recipients)
		everyone = append(everyone, events[i].recipients...)
	}
	everyone = distinctIDs(everyone)
	if len(everyone) == 0 {
		return nil
	}
	now := nowOf(tx)
	modes, err := noticeModesOf(tx, kind, everyone)
	if err != nil {
		return err
	}
	var rows []Notice
	var mails []MailDelivery
	for _, e := range events {
		about := e.about
		for _, r := range e.recipients {
			mode := modes[r]
			if about.AtOnce {
				mode = NoticeByMail
			}
			rows = append(rows, Notice{Key: deliveryKey(kind, about.Type, about.ID, about.Occurrence, r), RecipientID: r,
				Kind: kind, SubjectType: about.Type, SubjectID: about.ID, Occurrence: about.Occurrence.UTC(), GroupID: about.GroupID, OtherID: about.OtherID,
				Path: about.Path, Digest: mode == NoticeByDigest, CreatedAt: now})
			if mode == NoticeByMail {
				mails = append(mails, delivery(kind, about.Type, about.ID, about.Occurrence, now, r))
			}
		}
	}
	if err := tx.Session(&gorm.Session{NewDB: true}).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoNothing: true}).
		CreateInBatches(rows, BatchRows(tx, &Notice{}, 500)).Error; err != nil {
		return err
	}
	return enqueueRows(tx, mails)
}

// distinctIDs drops zeros and repeats, keeping the order.
func distinctIDs(ids []uint) []uint {
	out := make([]uint, 0, len(ids))
	seen := map[uint]bool{}
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// without drops one person (who caused the event) from recipients.
func without(ids []uint, who uint) []uint {
	return slices.DeleteFunc(slices.Clone(ids), func(id uint) bool { return id == who })
}

// noticeModesOf returns each person's delivery of a kind; unset is mail.
func noticeModesOf(tx *gorm.DB, kind string, people []uint) (map[uint]string, error) {
	var rows []NoticeSetting
	for start := 0; start < len(people); start += idsPerStatement {
		var part []NoticeSetting
		chunk := people[start:min(start+idsPerStatement, len(people))]
		if err := tx.Session(&gorm.Session{NewDB: true}).Where("kind = ? AND person_id IN ?", kind, chunk).Find(&part).Error; err != nil {
			return nil, err
		}
		rows = append(rows, part...)
	}
	out := make(map[uint]string, len(people))
	for _, p := range people {
		out[p] = NoticeByMail
	}
	for _, r := range rows {
		out[r.PersonID] = r.Mode
	}
	return out, nil
}

// NoticeRow is a notice as its recipient sees it. Says is what it tells
// in the app: its kind, or for a neutral kind (a request's step, apologies)
// the particular, read from what it is about.
type NoticeRow struct {
	Notice
	GroupName string `json:"group_name,omitempty"`
	OtherName string `json:"other_name,omitempty"`
	Says      string `gorm:"-" json:"says"`
}

// ListNotices returns the viewer's own notices, newest first.
func ListNotices(ctx context.Context, db *gorm.DB, v Viewer, limit int) ([]NoticeRow, error) {
	var out []NoticeRow
	err := db.WithContext(ctx).Model(&Notice{}).
		Select("notices.*, COALESCE(g.name, '') AS group_name, COALESCE(o.name, '') AS other_name").
		Joins("LEFT JOIN mentor_groups g ON g.id = notices.group_id").
		Joins("LEFT JOIN people o ON o.id = notices.other_id").
		Where("notices.recipient_id = ?", v.PersonID).Order("notices.created_at DESC, notices.id DESC").
		Limit(limit).Find(&out).Error
	if err != nil {
		return nil, err
	}
	return out, fillNoticeSays(db.WithContext(ctx), out)
}

// OpenNotice marks one of the viewer's notices read and returns where it
// leads; another person's notice is ErrNotFound.
func OpenNotice(ctx context.Context, db *gorm.DB, v Viewer, id uint, now time.Time) (string, error) {
	var n Notice
	tx := db.WithContext(ctx)
	if err := tx.Where("id = ? AND recipient_id = ?", id, v.PersonID).Take(&n).Error; err != nil {
		return "", notFound(err)
	}
	if n.ReadAt == nil {
		if err := tx.Model(&Notice{}).Where("id = ? AND read_at IS NULL", n.ID).Update("read_at", now).Error; err != nil {
			return "", err
		}
	}
	if n.Path == "" {
		return "/notices", nil
	}
	return n.Path, nil
}

// ReadAllNotices marks all of the viewer's notices read.
func ReadAllNotices(ctx context.Context, db *gorm.DB, v Viewer, now time.Time) error {
	return db.WithContext(ctx).Model(&Notice{}).Where("recipient_id = ? AND read_at IS NULL", v.PersonID).
		Update("read_at", now).Error
}

// NoticeModesOf returns the viewer's delivery per notice kind.
func NoticeModesOf(ctx context.Context, db *gorm.DB, v Viewer) (map[string]string, error) {
	var rows []NoticeSetting
	if err := db.WithContext(ctx).Where("person_id = ?", v.PersonID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(NoticeKinds))
	for _, k := range NoticeKinds {
		out[k] = NoticeByMail
	}
	for _, r := range rows {
		out[r.Kind] = r.Mode
	}
	return out, nil
}

// SetNoticeModes stores the viewer's delivery per notice kind; a kind or
// a mode that does not exist is refused and nothing changes.
func SetNoticeModes(ctx context.Context, db *gorm.DB, v Viewer, modes map[string]string) error {
	ve := &ValidationError{}
	for k, m := range modes {
		if !slices.Contains(NoticeKinds, k) {
			ve.Add("mode_"+k, "unknown_choice", nil)
		} else if !slices.Contains(NoticeModes, m) {
			ve.Add("mode_"+k, "unknown_choice", nil)
		}
	}
	if err := ve.OrNil(); err != nil {
		return err
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, k := range NoticeKinds {
			m, ok := modes[k]
			if !ok {
				continue
			}
			if err := tx.Where("person_id = ? AND kind = ?", v.PersonID, k).Delete(&NoticeSetting{}).Error; err != nil {
				return err
			}
			if m == NoticeByMail {
				continue // the default needs no row
			}
			if err := tx.Create(&NoticeSetting{PersonID: v.PersonID, Kind: k, Mode: m}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// NoticeKeep is how long a notice stays in the app.
const NoticeKeep = 180 * 24 * time.Hour

// PurgeNotices deletes notices older than keep.
func PurgeNotices(ctx context.Context, db *gorm.DB, now time.Time, keep time.Duration) (int64, error) {
	res := db.WithContext(ctx).Where("created_at < ?", now.Add(-keep)).Delete(&Notice{})
	return res.RowsAffected, res.Error
}

// SeriesSaved tells a group's mentor and active mentees that its series
// was planned, replanned or extended; call it in the transaction that
// saved the series. Each call is one notice per person.
func SeriesSaved(tx *gorm.DB, groupID uint) error {
	var g MentorGroup
	if err := tx.Select("id", "mentor_id").First(&g, groupID).Error; err != nil {
		return err
	}
	return seriesSavedAll(tx, []MentorGroup{g})
}
