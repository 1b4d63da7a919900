package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Mail kinds: reminders derived from state, and notices of changes.
const (
	MailMeeting7d      = "meeting_7d"
	MailMeeting1d      = "meeting_1d"
	MailOneOnOne1d     = "one_on_one_1d"
	MailActionDue      = "action_due"
	MailMeetingChanged = "meeting_changed"
	MailMeetingCancel  = "meeting_cancelled"
	MailCallForCases   = "call_for_cases"
	MailPollWaiting    = "poll_waiting"
	MailSeriesEnding   = "series_ending"
	MailEvaluation     = "evaluation"
	MailMentorChanged  = "mentor_changed"
)

// ReminderKinds are the kinds a person can switch off.
var ReminderKinds = []string{MailMeeting7d, MailMeeting1d, MailOneOnOne1d, MailActionDue, MailMeetingChanged,
	MailCallForCases, MailPollWaiting, MailSeriesEnding, MailEvaluation}

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
		rows = append(rows, MailDelivery{Key: deliveryKey(kind, subjectType, subjectID, occurrence, r), Kind: kind,
			RecipientID: r, SubjectType: subjectType, SubjectID: subjectID, Occurrence: occurrence.UTC(),
			Status: DeliveryPending, NextAttemptAt: due.UTC()})
	}
	return tx.Session(&gorm.Session{NewDB: true}).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoNothing: true}).
		CreateInBatches(rows, 500).Error
}

// meetingRecipients are a meeting's mentor and its active mentees.
func meetingRecipients(tx *gorm.DB, groupID uint) ([]uint, error) {
	var g MentorGroup
	if err := tx.Select("id", "mentor_id").First(&g, groupID).Error; err != nil {
		return nil, err
	}
	var ids []uint
	err := tx.Model(&Membership{}).Where("group_id = ? AND status = ?", groupID, StatusActive).Pluck("person_id", &ids).Error
	return append(ids, g.MentorID), err
}

// notifyMeetingChange enqueues a change or cancel notice for a meeting, in
// the transaction that changed it.
func notifyMeetingChange(tx *gorm.DB, m Meeting, now time.Time) error {
	if !m.StartsAt.After(now) {
		return nil
	}
	recipients, err := meetingRecipients(tx, m.GroupID)
	if err != nil {
		return err
	}
	kind := MailMeetingChanged
	if m.Status == MeetingCancelled {
		kind = MailMeetingCancel
	}
	// The occurrence of a notice is the meeting's version, so each change notifies once.
	version := time.Unix(int64(m.Sequence), 0)
	return enqueue(tx, kind, "meeting", m.ID, version, now, recipients)
}

// nowOf is the request's clock, or the system's.
func nowOf(tx *gorm.DB) time.Time {
	if info, ok := tx.Statement.Context.Value(requestInfoKey{}).(requestInfo); ok && info.Now != nil {
		return info.Now().UTC()
	}
	return time.Now().UTC()
}

// ScheduleReminders enqueues every reminder that is due at now and has not
// been made yet, derived from the state: meetings in 7 days and tomorrow,
// one-on-ones tomorrow, action items due today. A run missed while the app
// was down is caught up: anything due and still ahead is enqueued.
func ScheduleReminders(ctx context.Context, db *gorm.DB, now time.Time) (int, error) {
	tx := db.WithContext(ctx)
	before := countDeliveries(tx)
	var meetings []Meeting
	if err := tx.Select("id", "group_id", "starts_at").
		Where("status = ? AND starts_at > ? AND starts_at <= ?", MeetingPlanned, now, now.AddDate(0, 0, 7)).Find(&meetings).Error; err != nil {
		return 0, err
	}
	for _, m := range meetings {
		recipients, err := meetingRecipients(tx, m.GroupID)
		if err != nil {
			return 0, err
		}
		// The week reminder only while the day reminder is not due yet.
		if m.StartsAt.After(now.Add(24 * time.Hour)) {
			if err := enqueue(tx, MailMeeting7d, "meeting", m.ID, m.StartsAt, m.StartsAt.AddDate(0, 0, -7), recipients); err != nil {
				return 0, err
			}
		} else {
			if err := enqueue(tx, MailMeeting1d, "meeting", m.ID, m.StartsAt, m.StartsAt.Add(-24*time.Hour), recipients); err != nil {
				return 0, err
			}
		}
	}
	var talks []OneOnOne
	if err := tx.Select("id", "mentor_id", "mentee_id", "starts_at").
		Where("status = 'planned' AND starts_at > ? AND starts_at <= ?", now, now.Add(24*time.Hour)).Find(&talks).Error; err != nil {
		return 0, err
	}
	for _, o := range talks {
		if err := enqueue(tx, MailOneOnOne1d, "one_on_one", o.ID, o.StartsAt, o.StartsAt.Add(-24*time.Hour), []uint{o.MentorID, o.MenteeID}); err != nil {
			return 0, err
		}
	}
	var actions []ActionItem
	if err := tx.Select("id", "holder_id", "due_on").Where("done_at IS NULL AND due_on IS NOT NULL AND due_on = ?", DateOf(now)).
		Find(&actions).Error; err != nil {
		return 0, err
	}
	for _, a := range actions {
		if err := enqueue(tx, MailActionDue, "action", a.ID, a.DueOn.Time, now, []uint{a.HolderID}); err != nil {
			return 0, err
		}
	}
	if err := scheduleGroupReminders(tx, now); err != nil {
		return 0, err
	}
	return int(countDeliveries(tx) - before), nil
}

// activeMentees are the active mentees of a group.
func activeMentees(tx *gorm.DB, groupID uint) ([]uint, error) {
	var ids []uint
	err := tx.Model(&Membership{}).Where("group_id = ? AND status = ?", groupID, StatusActive).Pluck("person_id", &ids).Error
	return ids, err
}

// scheduleGroupReminders: the call for cases three days before an
// intervision meeting's case deadline, the date poll two days after it
// opened for who has not answered, the mentor's notice a month before the
// series ends, and the evaluation invitations at month 6 and 12.
func scheduleGroupReminders(tx *gorm.DB, now time.Time) error {
	var meetings []Meeting
	if err := tx.Select("id", "group_id", "starts_at", "case_deadline_days").
		Where("kind = ? AND status = ? AND starts_at > ? AND starts_at <= ?", KindIntervision, MeetingPlanned, now, now.AddDate(0, 0, 40)).
		Find(&meetings).Error; err != nil {
		return err
	}
	for _, m := range meetings {
		deadline := m.StartsAt.AddDate(0, 0, -m.CaseDeadlineDays)
		due := deadline.AddDate(0, 0, -3)
		if due.After(now) || !deadline.After(now) {
			continue
		}
		ids, err := activeMentees(tx, m.GroupID)
		if err != nil {
			return err
		}
		if err := enqueue(tx, MailCallForCases, "meeting", m.ID, m.StartsAt, due, ids); err != nil {
			return err
		}
	}
	var polls []DatePoll
	if err := tx.Where("status = 'open' AND created_at <= ?", now.AddDate(0, 0, -2)).Find(&polls).Error; err != nil {
		return err
	}
	for _, p := range polls {
		var waiting []uint
		if err := tx.Model(&Membership{}).Where(`group_id = ? AND status = ? AND person_id NOT IN (?)`, p.GroupID, StatusActive,
			tx.Model(&PollAnswer{}).Select("person_id").Where("option_id IN (?)", tx.Model(&PollOption{}).Select("id").Where("poll_id = ?", p.ID))).
			Pluck("person_id", &waiting).Error; err != nil {
			return err
		}
		if err := enqueue(tx, MailPollWaiting, "poll", p.ID, p.CreatedAt, p.CreatedAt.AddDate(0, 0, 2), waiting); err != nil {
			return err
		}
	}
	var future []struct {
		GroupID  uint
		MentorID uint
		StartsAt time.Time
	}
	if err := tx.Model(&Meeting{}).Select("meetings.group_id, g.mentor_id, meetings.starts_at").
		Joins("JOIN mentor_groups g ON g.id = meetings.group_id").Where("g.status IN ?", []GroupStatus{GroupActive, GroupExtended}).
		Where("meetings.status <> ? AND meetings.starts_at > ?", MeetingCancelled, now).Scan(&future).Error; err != nil {
		return err
	}
	last := map[uint]time.Time{}
	mentorOf := map[uint]uint{}
	for _, f := range future {
		if f.StartsAt.After(last[f.GroupID]) {
			last[f.GroupID], mentorOf[f.GroupID] = f.StartsAt.UTC(), f.MentorID
		}
	}
	for groupID, l := range last {
		if due := l.AddDate(0, -1, 0); !due.After(now) {
			if err := enqueue(tx, MailSeriesEnding, "group", groupID, l, due, []uint{mentorOf[groupID]}); err != nil {
				return err
			}
		}
	}
	var groups []struct {
		ID       uint
		MentorID uint
		StartsOn Date
	}
	if err := tx.Model(&MentorGroup{}).Select("mentor_groups.id, mentor_groups.mentor_id, p.starts_on").
		Joins("JOIN programmes p ON p.id = mentor_groups.programme_id").
		Where("mentor_groups.status IN ?", []GroupStatus{GroupActive, GroupExtended}).Scan(&groups).Error; err != nil {
		return err
	}
	for _, g := range groups {
		for _, months := range []int{6, 12} {
			due := g.StartsOn.AddMonths(months).Time
			if due.After(now) || due.Before(now.AddDate(0, 0, -14)) {
				continue // not yet, or too long ago to still invite
			}
			ids, err := activeMentees(tx, g.ID)
			if err != nil {
				return err
			}
			if err := enqueue(tx, MailEvaluation, "group", g.ID, due, due, append(ids, g.MentorID)); err != nil {
				return err
			}
		}
	}
	return nil
}

func countDeliveries(tx *gorm.DB) int64 {
	var n int64
	tx.Model(&MailDelivery{}).Count(&n)
	return n
}

// ClaimDeliveries takes up to limit pending deliveries that are due, for
// lease long, so that other runners leave them alone. On PostgreSQL rows
// locked by another runner are skipped.
func ClaimDeliveries(ctx context.Context, db *gorm.DB, now time.Time, limit int, lease time.Duration) ([]MailDelivery, error) {
	var claimed []MailDelivery
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Where("status = ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)", DeliveryPending, now, now).
			Order("next_attempt_at, id").Limit(limit)
		if tx.Dialector.Name() == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&claimed).Error; err != nil || len(claimed) == 0 {
			return err
		}
		ids := make([]uint, len(claimed))
		for i, d := range claimed {
			ids[i] = d.ID
		}
		until := now.Add(lease)
		return tx.Model(&MailDelivery{}).Where("id IN ?", ids).Update("claimed_until", until).Error
	})
	return claimed, err
}

// MarkSent records a delivery as sent.
func MarkSent(ctx context.Context, db *gorm.DB, id uint, now time.Time) error {
	return db.WithContext(ctx).Model(&MailDelivery{}).Where("id = ?", id).
		Updates(map[string]any{"status": DeliverySent, "sent_at": now, "claimed_until": nil}).Error
}

// ReleaseClaims gives claimed deliveries that were not sent back to the
// queue at once, for a runner that is stopping, so another can send them
// without waiting for the lease to run out.
func ReleaseClaims(ctx context.Context, db *gorm.DB, ids []uint) error {
	if len(ids) == 0 {
		return nil
	}
	return db.WithContext(ctx).Model(&MailDelivery{}).Where("id IN ? AND status = ?", ids, DeliveryPending).
		Update("claimed_until", nil).Error
}

// MarkWithdrawn records that a delivery no longer applies (the meeting moved).
func MarkWithdrawn(ctx context.Context, db *gorm.DB, id uint) error {
	return db.WithContext(ctx).Model(&MailDelivery{}).Where("id = ?", id).
		Updates(map[string]any{"status": DeliveryWithdrawn, "claimed_until": nil}).Error
}

// MaxMailAttempts is how often a delivery is tried before it is failed.
const MaxMailAttempts = 5

// MarkRetry records a failed attempt: tried again later with a growing
// pause, or failed for good after MaxMailAttempts.
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
	return db.WithContext(ctx).Model(&MailDelivery{}).Where("id = ?", d.ID).Updates(map[string]any{"status": status,
		"attempts": attempts, "last_error": msg, "next_attempt_at": next, "claimed_until": nil}).Error
}

// RetryDelivery puts a failed delivery back in the queue; admins only.
func RetryDelivery(ctx context.Context, db *gorm.DB, v Viewer, id uint, now time.Time) error {
	if !v.Can(OrgManage) {
		return ErrNotFound
	}
	res := db.WithContext(ctx).Model(&MailDelivery{}).Where("id = ? AND status = ?", id, DeliveryFailed).
		Updates(map[string]any{"status": DeliveryPending, "attempts": 0, "next_attempt_at": now, "claimed_until": nil})
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
	return out, err
}

// OutgoingMail is what a delivery says, made from the current state. It
// holds no confidential text: the kind, the group, date, time, place and a link.
type OutgoingMail struct {
	To        string
	Name      string
	Language  string
	Kind      string
	GroupName string
	With      string // the other person of a one-on-one
	StartsAt  time.Time
	EndsAt    time.Time
	Location  string
	Path      string // link into the app
	UID       string
	Sequence  int
	Cancelled bool
	Personal  bool      // an account link for the addressee alone
	Expires   time.Time // when that link stops working
}

// ErrStale means a delivery no longer applies and is withdrawn.
var ErrStale = errors.New("the delivery no longer applies")

// ComposeDelivery looks up what a delivery is about, now. A reminder for a
// meeting that moved, was cancelled or held, or a reminder the recipient
// switched off, is ErrStale.
func ComposeDelivery(ctx context.Context, db *gorm.DB, d MailDelivery) (OutgoingMail, error) {
	return composeDelivery(ctx, db, d, false)
}

// ComposePreview is ComposeDelivery for the admins' mailbox page: an
// account link is left out, so only its addressee ever sees it.
func ComposePreview(ctx context.Context, db *gorm.DB, d MailDelivery) (OutgoingMail, error) {
	return composeDelivery(ctx, db, d, true)
}

func composeDelivery(ctx context.Context, db *gorm.DB, d MailDelivery, preview bool) (OutgoingMail, error) {
	tx := db.WithContext(ctx)
	var p struct {
		ID                                     uint
		Name, Email, Language, ReminderOptOuts string
		OrganisationOff                        string // the kinds switched off for everyone
	}
	if err := tx.Model(&Person{}).Select(`id, name, email, language, reminder_opt_outs,
		(SELECT reminders_off FROM organisations WHERE id = ?) AS organisation_off`, OrganisationID).
		Where("id = ?", d.RecipientID).Take(&p).Error; err != nil {
		return OutgoingMail{}, ErrStale
	}
	if strings.HasSuffix(p.Email, "@invalid") {
		return OutgoingMail{}, ErrStale
	}
	if reminderOff(p.ReminderOptOuts, d.Kind) || reminderOff(p.OrganisationOff, d.Kind) {
		return OutgoingMail{}, ErrStale
	}
	out := OutgoingMail{To: p.Email, Name: p.Name, Language: p.Language, Kind: d.Kind}
	if isAccountMail(d.Kind) {
		return composeAccountMail(tx, d, out, nowOf(tx), preview)
	}
	switch d.SubjectType {
	case "meeting":
		var m MeetingWithGroup
		if err := tx.Model(&Meeting{}).Select("meetings.*, g.name AS group_name").Joins("JOIN mentor_groups g ON g.id = meetings.group_id").
			Where("meetings.id = ?", d.SubjectID).Take(&m).Error; err != nil {
			return out, ErrStale
		}
		reminder := d.Kind == MailMeeting7d || d.Kind == MailMeeting1d || d.Kind == MailCallForCases
		if reminder && (m.Status != MeetingPlanned || !m.StartsAt.Equal(d.Occurrence)) {
			return out, ErrStale
		}
		out.GroupName, out.StartsAt, out.EndsAt, out.Location = m.GroupName, m.StartsAt, m.EndsAt, m.Location
		out.Path, out.UID, out.Sequence = "/meetings/"+itoaU(m.ID), "meeting-"+itoaU(m.ID), m.Sequence
		if d.Kind == MailCallForCases {
			out.Path, out.UID = "/groups/"+itoaU(m.GroupID)+"/cases", ""
		}
		out.Cancelled = m.Status == MeetingCancelled
		out.Kind = d.Kind + ":" + string(m.Kind)
	case "one_on_one":
		var o OneOnOneRow
		if err := tx.Model(&OneOnOne{}).Select("one_on_ones.id, one_on_ones.mentor_id, one_on_ones.mentee_id, one_on_ones.starts_at, one_on_ones.ends_at, one_on_ones.status, one_on_ones.sequence, mr.name AS mentor_name, me.name AS mentee_name").
			Joins("JOIN people mr ON mr.id = one_on_ones.mentor_id").Joins("JOIN people me ON me.id = one_on_ones.mentee_id").
			Where("one_on_ones.id = ?", d.SubjectID).Take(&o).Error; err != nil {
			return out, ErrStale
		}
		if o.Status != "planned" || !o.StartsAt.Equal(d.Occurrence) {
			return out, ErrStale
		}
		out.With = o.MentorName
		if o.MentorID == p.ID {
			out.With = o.MenteeName
		}
		out.StartsAt, out.EndsAt, out.Path = o.StartsAt, o.EndsAt, "/one-on-ones/"+itoaU(o.ID)
		out.UID, out.Sequence = "one-on-one-"+itoaU(o.ID), o.Sequence
	case "poll":
		var p DatePoll
		if err := tx.First(&p, d.SubjectID).Error; err != nil || p.Status != "open" {
			return out, ErrStale
		}
		var answered int64
		tx.Model(&PollAnswer{}).Where("person_id = ? AND option_id IN (?)", d.RecipientID,
			tx.Model(&PollOption{}).Select("id").Where("poll_id = ?", p.ID)).Count(&answered)
		if answered > 0 {
			return out, ErrStale
		}
		out.Path = "/groups/" + itoaU(p.GroupID) + "/poll"
		out.GroupName = groupName(tx, p.GroupID)
	case "group":
		out.GroupName = groupName(tx, d.SubjectID)
		if d.Kind == MailMentorChanged {
			if err := tx.Model(&Person{}).Where("id = (SELECT mentor_id FROM mentor_groups WHERE id = ?)", d.SubjectID).
				Pluck("name", &out.With).Error; err != nil {
				return out, err
			}
			out.Path = "/groups/" + itoaU(d.SubjectID)
			return out, nil
		}
		out.Path = "/groups/" + itoaU(d.SubjectID) + "/calendar"
		if d.Kind == MailEvaluation {
			out.Path = "/evaluations"
		}
	case "action":
		var a ActionItem
		if err := tx.First(&a, d.SubjectID).Error; err != nil || a.DoneAt != nil {
			return out, ErrStale
		}
		out.Path = "/groups/" + itoaU(a.GroupID) + "/calendar"
	case "input":
		return composeInputMail(tx, d, out)
	default:
		return out, ErrStale
	}
	return out, nil
}

// SetReminderOptOuts keeps the kinds in on and switches the others off.
func SetReminderOptOuts(ctx context.Context, db *gorm.DB, v Viewer, on []string) error {
	if err := knownReminderKinds("on", on); err != nil {
		return err
	}
	return db.WithContext(ctx).Model(&Person{}).Where("id = ?", v.PersonID).Update("reminder_opt_outs", remindersOff(on)).Error
}

// ReminderOptOuts returns the kinds the viewer switched off.
func ReminderOptOuts(ctx context.Context, db *gorm.DB, v Viewer) (map[string]bool, error) {
	var s string
	err := db.WithContext(ctx).Model(&Person{}).Where("id = ?", v.PersonID).Pluck("reminder_opt_outs", &s).Error
	return kindSet(s), err
}

func groupName(tx *gorm.DB, id uint) string {
	var name string
	tx.Model(&MentorGroup{}).Where("id = ?", id).Pluck("name", &name)
	return name
}
