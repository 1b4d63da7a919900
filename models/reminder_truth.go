package models

import (
	"time"

	"gorm.io/gorm"
)

// Reminders tell the truth when they are sent, not when they were
// planned: a run that was missed, a meeting that moved closer or a
// one-on-one agreed for today must not make a mail say "in a week" or
// "tomorrow" when that is no longer so.

// What a day reminder says when the meeting or one-on-one is today.
const (
	MailMeetingToday  = "meeting_today"
	MailOneOnOneToday = "one_on_one_today"
	// MailEvaluationOpen is what the evaluation invitation says: the
	// form is open now.
	MailEvaluationOpen = "evaluation_open"
)

// MailMeetingReinstated tells that a cancelled meeting takes place after
// all (with an invitation that puts it back in calendars).
const MailMeetingReinstated = "meeting_reinstated"

// WeekReminderMinDays is how far ahead a meeting must still be for the
// "in a week" reminder to go out.
const WeekReminderMinDays = 5

// InvitationQuiet is how long after an invitation (or a change) about a
// meeting no reminder of it is sent: the person just heard of it.
const InvitationQuiet = 24 * time.Hour

// reminderSays decides what a reminder of kind about something starting
// at start says when it goes out at now, in the organisation's zone: the
// kind of text, or false when it would no longer be true. "In a week"
// needs the meeting at least WeekReminderMinDays ahead; a day reminder
// says "tomorrow" for tomorrow and "today" for today, and nothing for
// any other day. Other kinds are left as they are.
func reminderSays(kind string, start, now time.Time, loc *time.Location) (string, bool) {
	switch kind {
	case MailMeeting7d:
		return kind, !start.Before(now.Add(WeekReminderMinDays * 24 * time.Hour))
	case MailMeeting1d, MailOneOnOne1d:
		if !start.After(now) {
			return kind, false
		}
		switch DateOf(start.In(loc)).Sub(DateOf(now.In(loc)).Time) {
		case 0:
			if kind == MailMeeting1d {
				return MailMeetingToday, true
			}
			return MailOneOnOneToday, true
		case 24 * time.Hour:
			return kind, true
		}
		return kind, false
	}
	return kind, true
}

// invitedLately reports whether, within InvitationQuiet before now, the
// recipient was sent (or is about to be sent) an invitation or change of
// the meeting: its first date, a move or cancellation, or its series.
func invitedLately(tx *gorm.DB, recipient uint, m Meeting, now time.Time) (bool, error) {
	var n int64
	q := tx.Model(&MailDelivery{}).Where("recipient_id = ? AND status IN ? AND created_at >= ?",
		recipient, []string{DeliveryPending, DeliverySent}, now.Add(-InvitationQuiet))
	about := tx.Where("subject_type = ? AND subject_id = ? AND kind IN ?", "meeting", m.ID,
		[]string{NoticeDateFixed, MailMeetingChanged, MailMeetingCancel, MailMeetingReinstated})
	if m.SeriesUID != "" {
		about = about.Or("subject_type = ? AND subject_id = ? AND kind = ?", "group", m.GroupID, NoticeSeriesPlanned)
	}
	err := q.Where(about).Count(&n).Error
	return n > 0, err
}
