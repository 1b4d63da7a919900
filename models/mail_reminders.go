package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// nowOf is the request's clock, or the system's.
func nowOf(tx *gorm.DB) time.Time {
	if info, ok := tx.Statement.Context.Value(requestInfoKey{}).(requestInfo); ok && info.Now != nil {
		return info.Now().UTC()
	}
	return time.Now().UTC()
}

// ScheduleReminders enqueues every reminder that is due at now and has not
// been made yet, derived from the state: meetings in 7 days and tomorrow,
// one-on-ones tomorrow, action items due today. Reminders keep local wall-
// clock time in the organisation's zone: "in a week" is due at the same
// clock time seven calendar days before (167, 168 or 169 hours across a
// change of daylight-saving time), "tomorrow" at the same clock time the
// day before, and "due today" in the morning of the organisation's date. A
// run missed while the app was down is caught up: anything due and still
// ahead is enqueued, and action items of the last days that were missed.
func ScheduleReminders(ctx context.Context, db *gorm.DB, now time.Time) error {
	tx := db.WithContext(ctx)
	loc, err := organisationZone(tx)
	if err != nil {
		return err
	}
	var meetings []Meeting
	if err := tx.Select("id", "group_id", "starts_at").
		Where("status = ? AND starts_at > ? AND starts_at <= ?", MeetingPlanned, now, now.AddDate(0, 0, 8)).Find(&meetings).Error; err != nil {
		return err
	}
	for _, m := range meetings {
		local := m.StartsAt.In(loc)
		weekDue, dayDue := local.AddDate(0, 0, -7), local.AddDate(0, 0, -1)
		if now.Before(weekDue.Add(-24 * time.Hour)) {
			continue // more than a week and a day ahead: a later run makes it
		}
		recipients, err := meetingRecipients(tx, m.GroupID)
		if err != nil {
			return err
		}
		// The week reminder only while the day reminder is not due yet.
		kind, due := MailMeeting7d, weekDue
		if !now.Before(dayDue) {
			kind, due = MailMeeting1d, dayDue
			// A week reminder still waiting (runs were missed) is moot now.
			if err := withdrawWaiting(tx, MailMeeting7d, "meeting", m.ID, m.StartsAt, recipients, now); err != nil {
				return err
			}
		}
		if kind == MailMeeting7d && m.StartsAt.Before(maxTime(now, due).Add(WeekReminderMinDays*24*time.Hour)) {
			continue // no longer "in a week" when it would go out: the day reminder will come
		}
		if err := enqueue(tx, kind, "meeting", m.ID, m.StartsAt, due, recipients); err != nil {
			return err
		}
	}
	var talks []OneOnOne
	if err := tx.Select("id", "mentor_id", "mentee_id", "starts_at").
		Where("status = 'planned' AND starts_at > ? AND starts_at <= ?", now, now.Add(26*time.Hour)).Find(&talks).Error; err != nil {
		return err
	}
	for _, o := range talks {
		due := o.StartsAt.In(loc).AddDate(0, 0, -1)
		if now.Before(due.Add(-time.Hour)) {
			continue
		}
		if err := enqueue(tx, MailOneOnOne1d, "one_on_one", o.ID, o.StartsAt, due, []uint{o.MentorID, o.MenteeID}); err != nil {
			return err
		}
	}
	if err := scheduleActionReminders(tx, now, loc); err != nil {
		return err
	}
	return scheduleGroupReminders(tx, now, loc)
}

// withdrawWaiting withdraws deliveries of a kind about an occurrence that
// are still waiting and not claimed, found by their keys.
func withdrawWaiting(tx *gorm.DB, kind, subjectType string, subjectID uint, occurrence time.Time, recipients []uint, now time.Time) error {
	keys := make([]string, len(recipients))
	for i, r := range recipients {
		keys[i] = deliveryKey(kind, subjectType, subjectID, occurrence, r)
	}
	return tx.Model(&MailDelivery{}).Where("key IN ? AND status = ? AND (claimed_until IS NULL OR claimed_until < ?)", keys, DeliveryPending, now).
		Updates(map[string]any{"status": DeliveryWithdrawn, "claimed_until": nil, "claim_token": ""}).Error
}

// ActionReminderHour is the organisation's clock hour at which "due today"
// reminders go out on the due date.
const ActionReminderHour = 7

// actionCatchUpDays is how many days back a missed "due today" reminder is
// still sent.
const actionCatchUpDays = 2

// scheduleActionReminders enqueues "due today" for open action items due
// on the organisation's date (or in the last days, when runs were missed),
// due at ActionReminderHour on that date.
func scheduleActionReminders(tx *gorm.DB, now time.Time, loc *time.Location) error {
	today := DateOf(now.In(loc))
	var actions []ActionItem
	if err := tx.Select("id", "holder_id", "due_on").Where("done_at IS NULL AND due_on IS NOT NULL AND due_on BETWEEN ? AND ?",
		Date{today.AddDate(0, 0, -actionCatchUpDays)}, today).Find(&actions).Error; err != nil {
		return err
	}
	for _, a := range actions {
		y, m, d := a.DueOn.Date()
		due := time.Date(y, m, d, ActionReminderHour, 0, 0, 0, loc)
		if err := enqueue(tx, MailActionDue, "action", a.ID, a.DueOn.Time, due, []uint{a.HolderID}); err != nil {
			return err
		}
	}
	return nil
}

// organisationZone is the organisation's time zone (Europe/Amsterdam
// before set-up).
func organisationZone(tx *gorm.DB) (*time.Location, error) {
	var orgs []Organisation
	if err := tx.Select("id", "time_zone").Where("id = ?", OrganisationID).Limit(1).Find(&orgs).Error; err != nil {
		return nil, err
	}
	if len(orgs) == 0 {
		return Organisation{}.Location(), nil
	}
	return orgs[0].Location(), nil
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
func scheduleGroupReminders(tx *gorm.DB, now time.Time, loc *time.Location) error {
	var meetings []Meeting
	if err := tx.Select("id", "group_id", "starts_at", "case_deadline_days").
		Where("kind = ? AND status = ? AND starts_at > ? AND starts_at <= ?", KindIntervision, MeetingPlanned, now, now.AddDate(0, 0, 40)).
		Find(&meetings).Error; err != nil {
		return err
	}
	for _, m := range meetings {
		deadline := m.StartsAt.In(loc).AddDate(0, 0, -m.CaseDeadlineDays)
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
		if due := l.In(loc).AddDate(0, -1, 0); !due.After(now) {
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
	return notifyMeeting(tx, m, now, false)
}

// notifyMeeting is notifyMeetingChange; reinstated says the meeting was
// cancelled and is planned again (so the mail does not say it moved).
func notifyMeeting(tx *gorm.DB, m Meeting, now time.Time, reinstated bool) error {
	if !m.StartsAt.After(now) {
		return nil
	}
	recipients, err := meetingRecipients(tx, m.GroupID)
	if err != nil {
		return err
	}
	// A meeting of a series changes as one instance of the series.
	if err := bumpSeries(tx, m); err != nil {
		return err
	}
	kind := MailMeetingChanged
	if m.Status == MeetingCancelled {
		kind = MailMeetingCancel
	} else if reinstated {
		kind = MailMeetingReinstated
	}
	// The occurrence of a notice is the meeting's version, so each change notifies once.
	return Notify(tx, kind, NoticeAbout{Type: "meeting", ID: m.ID, GroupID: m.GroupID, Path: "/meetings/" + itoaU(m.ID),
		Occurrence: time.Unix(int64(m.Sequence), 0)}, recipients)
}

// nowOf is the request's clock, or the system's.

// maxTime is the later of two times.
func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
