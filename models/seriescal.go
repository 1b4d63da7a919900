package models

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A group's series reaches calendars as ONE recurring event with the
// series' own UID: DTSTART the first instance, a weekly RRULE until the
// last, an EXDATE for each weekly instance without a meeting (or with a
// cancelled one), and an override (same UID, RECURRENCE-ID the instance)
// for each meeting that differs from the rule: another day or time,
// length, title or place. Every meeting of the series stands in for one
// weekly instance (Meeting.RecurrenceAt), assigned when the whole series
// is saved (planned, replanned, extended) and kept when one meeting moves,
// so that a change of one meeting names the instance calendars know.

// seriesUID is the calendar UID of a group's series.
func seriesUID(groupID uint) string { return "series-" + strconv.FormatUint(uint64(groupID), 10) }

// weekInstance is the series' weekly instance in the week (Monday to
// Sunday) of day t: weekday wd at the clock time hh:mm, in zone.
func weekInstance(t time.Time, wd time.Weekday, hh, mm int, zone *time.Location) time.Time {
	l := t.In(zone)
	monday := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, zone).AddDate(0, 0, -((int(l.Weekday()) + 6) % 7))
	d := monday.AddDate(0, 0, (int(wd)+6)%7)
	return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, zone).UTC()
}

// assignInstances gives each meeting (in time order) a distinct weekly
// instance of the rule weekday wd at clock: a meeting on the rule's day
// and time is its own instance; any other takes the instance of its own
// week, or the nearest free one.
func assignInstances(ms []Meeting, wd time.Weekday, clock string, zone *time.Location) map[uint]time.Time {
	hh, mm, ok := parseClock(clock)
	if !ok {
		hh, mm = 14, 0
	}
	out := make(map[uint]time.Time, len(ms))
	taken := map[int64]bool{}
	var rest []Meeting
	for _, m := range ms {
		in := weekInstance(m.StartsAt, wd, hh, mm, zone)
		if in.Equal(m.StartsAt) && !taken[in.Unix()] {
			out[m.ID], taken[in.Unix()] = in, true
			continue
		}
		rest = append(rest, m)
	}
	for _, m := range rest {
		base := weekInstance(m.StartsAt, wd, hh, mm, zone)
		for step := 0; ; step++ {
			// 0, +1 week, -1 week, +2, -2, ...
			weeks := (step + 1) / 2
			if step%2 == 0 {
				weeks = -weeks
			}
			in := weekInstance(base.In(zone).AddDate(0, 0, 7*weeks), wd, hh, mm, zone)
			if !taken[in.Unix()] {
				out[m.ID], taken[in.Unix()] = in, true
				break
			}
		}
	}
	return out
}

// refreshSeries is called in the transaction that saves a whole series
// (planned, replanned or extended): it gives every meeting of the series
// its instance of the weekly rule and raises the series' SEQUENCE. A
// series planned before series invitations (no UID) is left alone; false
// says so.
func refreshSeries(tx *gorm.DB, groupID uint) (bool, error) {
	var s GroupSeries
	if err := tx.Where("group_id = ?", groupID).Take(&s).Error; err != nil {
		return false, err
	}
	if s.UID == "" {
		return false, nil
	}
	zone, err := organisationZone(tx)
	if err != nil {
		return false, err
	}
	var ms []Meeting
	if err := tx.Select("id", "starts_at", "series_uid", "recurrence_at").Where("group_id = ? AND kind <> ?", groupID, KindFirstMeeting).
		Order("starts_at, id").Find(&ms).Error; err != nil {
		return false, err
	}
	at := assignInstances(ms, s.Weekday, s.StartTime, zone)
	var changed []Meeting
	for _, m := range ms {
		in := at[m.ID]
		if m.SeriesUID == s.UID && m.RecurrenceAt != nil && m.RecurrenceAt.Equal(in) {
			continue
		}
		changed = append(changed, Meeting{ID: m.ID, RecurrenceAt: &in})
	}
	if err := setInstances(tx, s.UID, changed); err != nil {
		return false, err
	}
	return true, tx.Model(&GroupSeries{}).Where("id = ?", s.ID).Update("sequence", gorm.Expr("sequence + 1")).Error
}

// instancesPerStatement keeps setInstances within SQLite's budget of about
// 1,000 parameters a statement (see BatchRows).
const instancesPerStatement = 300

// setInstances puts meetings into series uid at their instances
// (RecurrenceAt), in one statement per instancesPerStatement meetings: one
// statement a meeting cost planning a programme's 27,000 meetings as many
// round trips.
func setInstances(tx *gorm.DB, uid string, ms []Meeting) error {
	param := "?"
	if tx.Dialector.Name() == "postgres" {
		param = "CAST(? AS timestamptz)" // a CASE of parameters is text otherwise
	}
	now := tx.NowFunc()
	for start := 0; start < len(ms); start += instancesPerStatement {
		chunk := ms[start:min(start+instancesPerStatement, len(ms))]
		var sql strings.Builder
		sql.WriteString("UPDATE meetings SET series_uid = ?, updated_at = ?, recurrence_at = CASE id")
		args := []any{uid, now}
		ids := make([]uint, len(chunk))
		for i, m := range chunk {
			sql.WriteString(" WHEN ? THEN " + param)
			args = append(args, m.ID, *m.RecurrenceAt)
			ids[i] = m.ID
		}
		sql.WriteString(" END WHERE id IN ?")
		if err := tx.Exec(sql.String(), append(args, ids)...).Error; err != nil {
			return err
		}
	}
	return nil
}

// bumpSeries raises the SEQUENCE of the series a meeting belongs to, for
// a change of that one meeting; a meeting outside a series is left alone.
func bumpSeries(tx *gorm.DB, m Meeting) error {
	if m.SeriesUID == "" {
		return nil
	}
	return tx.Model(&GroupSeries{}).Where("group_id = ? AND uid = ?", m.GroupID, m.SeriesUID).
		Update("sequence", gorm.Expr("sequence + 1")).Error
}

// seriesSequence is the current SEQUENCE of a series.
func seriesSequence(tx *gorm.DB, groupID uint, uid string) (int, error) {
	var seq []int
	err := tx.Model(&GroupSeries{}).Where("group_id = ? AND uid = ?", groupID, uid).Limit(1).Pluck("sequence", &seq).Error
	if len(seq) == 0 {
		return 0, err
	}
	return seq[0], err
}

// seriesEvents writes a series' meetings (all with the same SeriesUID and
// an instance) as a master event and its overrides, for a feed or an
// invitation. The master's length, title and place are those most
// meetings have; cancelled meetings and weekly instances without a meeting
// are excluded dates. A series with no meeting left that takes place is
// nothing.
func seriesEvents(uid string, seq int, group string, ms []Meeting, zone *time.Location) []CalendarEvent {
	type look struct {
		kind, location string
		length         time.Duration
	}
	count := map[look]int{}
	var master look
	byInstance := map[int64]Meeting{}
	var first, last time.Time
	var updated time.Time
	for _, m := range ms {
		if m.RecurrenceAt == nil {
			continue
		}
		in := m.RecurrenceAt.UTC()
		byInstance[in.Unix()] = m
		if first.IsZero() || in.Before(first) {
			first = in
		}
		if in.After(last) {
			last = in
		}
		if m.UpdatedAt.After(updated) {
			updated = m.UpdatedAt
		}
		if m.Status == MeetingCancelled {
			continue
		}
		l := look{string(m.Kind), m.Location, m.EndsAt.Sub(m.StartsAt)}
		count[l]++
		if c := count[l]; c > count[master] || (c == count[master] && l.kind == string(KindIntervision) && master.kind != l.kind) {
			master = l
		}
	}
	if len(count) == 0 {
		return nil
	}
	head := CalendarEvent{UID: uid, Kind: master.kind, GroupName: group, StartsAt: first, EndsAt: first.Add(master.length),
		Location: master.location, Sequence: seq, Updated: updated, RepeatUntil: last}
	var overrides []CalendarEvent
	for t := first.In(zone); !t.After(last); t = t.AddDate(0, 0, 7) {
		m, ok := byInstance[t.Unix()]
		if !ok || m.Status == MeetingCancelled {
			head.ExDates = append(head.ExDates, t.UTC())
			continue
		}
		if m.StartsAt.Equal(t) && m.EndsAt.Sub(m.StartsAt) == master.length && string(m.Kind) == master.kind && m.Location == master.location {
			continue
		}
		overrides = append(overrides, CalendarEvent{UID: uid, Kind: string(m.Kind), GroupName: group, StartsAt: m.StartsAt,
			EndsAt: m.EndsAt, Location: m.Location, Sequence: seq, Updated: m.UpdatedAt, RecurrenceID: t.UTC()})
	}
	sort.Slice(overrides, func(i, j int) bool { return overrides[i].RecurrenceID.Before(overrides[j].RecurrenceID) })
	return append([]CalendarEvent{head}, overrides...)
}

// SeriesInvitation is a group's whole series for an invitation: the
// events, and every date on which a meeting takes place, for the text.
// Withdrawn makes it a cancellation of the events (each an instance).
type SeriesInvitation struct {
	Events    []CalendarEvent
	Dates     []Meeting // the meetings that take place, in time order
	Withdrawn bool
}

// loadSeriesInvitation reads a group's series as calendars get it; a
// group without a series UID has none (ok false).
func loadSeriesInvitation(tx *gorm.DB, groupID uint, group string) (SeriesInvitation, bool, error) {
	var s GroupSeries
	if err := tx.Where("group_id = ?", groupID).Limit(1).Find(&s).Error; err != nil || s.UID == "" {
		return SeriesInvitation{}, false, err
	}
	zone, err := organisationZone(tx)
	if err != nil {
		return SeriesInvitation{}, false, err
	}
	var ms []Meeting
	if err := tx.Select("id", "group_id", "kind", "starts_at", "ends_at", "location", "status", "series_uid", "recurrence_at", "updated_at").
		Where("group_id = ? AND series_uid = ?", groupID, s.UID).Order("starts_at").Find(&ms).Error; err != nil {
		return SeriesInvitation{}, false, err
	}
	inv := SeriesInvitation{Events: seriesEvents(s.UID, s.Sequence, group, ms, zone)}
	for _, m := range ms {
		if m.Status != MeetingCancelled {
			inv.Dates = append(inv.Dates, m)
		}
	}
	return inv, len(inv.Events) > 0, nil
}

// MailCalendarWithdrawn is the mail that takes a group's coming meetings
// out of a former mentor's calendar.
const MailCalendarWithdrawn = "calendar_withdrawn"

// withdrawFromCalendar queues, in the transaction that replaced a group's
// mentor, the cancellations of the group's coming meetings for the former
// mentor: one mail for the coming instances of the series (one UID), and
// one per coming meeting outside the series (Outlook reads only one UID
// per mail).
func withdrawFromCalendar(tx *gorm.DB, groupID, former uint, now time.Time) error {
	var coming []Meeting
	if err := tx.Select("id", "series_uid", "recurrence_at").Where("group_id = ? AND status = ? AND starts_at > ?", groupID, MeetingPlanned, now).
		Find(&coming).Error; err != nil {
		return err
	}
	series := false
	for _, m := range coming {
		if m.SeriesUID != "" && m.RecurrenceAt != nil {
			series = true
			continue
		}
		if err := enqueue(tx, MailCalendarWithdrawn, "meeting", m.ID, now, now, []uint{former}); err != nil {
			return err
		}
	}
	if !series {
		return nil
	}
	return enqueue(tx, MailCalendarWithdrawn, "group", groupID, now, now, []uint{former})
}

// composeWithdrawal fills the former mentor's cancellation of a series'
// coming instances (those after the mail was queued).
func composeWithdrawal(tx *gorm.DB, d MailDelivery, out OutgoingMail) (OutgoingMail, error) {
	var ms []Meeting
	if err := tx.Select("id", "group_id", "kind", "starts_at", "ends_at", "location", "status", "series_uid", "recurrence_at", "updated_at").
		Where("group_id = ? AND series_uid <> '' AND recurrence_at IS NOT NULL AND status = ? AND starts_at > ?", d.SubjectID, MeetingPlanned, d.Occurrence).
		Order("starts_at").Find(&ms).Error; err != nil || len(ms) == 0 {
		return out, staleUnless(err)
	}
	seq, err := seriesSequence(tx, d.SubjectID, ms[0].SeriesUID)
	if err != nil {
		return out, err
	}
	inv := SeriesInvitation{Withdrawn: true, Dates: ms}
	for _, m := range ms {
		inv.Events = append(inv.Events, CalendarEvent{UID: m.SeriesUID, Kind: string(m.Kind), GroupName: out.GroupName, StartsAt: m.StartsAt,
			EndsAt: m.EndsAt, Location: m.Location, Sequence: seq + 1, Updated: m.UpdatedAt, RecurrenceID: *m.RecurrenceAt, Cancelled: true})
	}
	out.Series = &inv
	out.OrganizerName, out.OrganizerEmail = out.Name, out.To // it was their own meeting
	return out, nil
}
