package models

import (
	"context"
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// CalendarFeed is a person's private calendar feed. The token is kept
// sealed (to show the address again) and as a hash (to find the feed).
type CalendarFeed struct {
	ID        uint   `gorm:"primaryKey"`
	PersonID  uint   `gorm:"not null"`
	TokenHash string `gorm:"size:64;not null"`
	Token     string `gorm:"type:text;not null" sealed:"calendar_feeds"`
	CreatedAt time.Time
}

// CalendarToken returns the viewer's feed token, making one when create is
// set and there is none. "" means no feed.
func CalendarToken(ctx context.Context, db *gorm.DB, v Viewer, create bool) (string, error) {
	var f CalendarFeed
	err := db.WithContext(ctx).Where("person_id = ?", v.PersonID).First(&f).Error
	if err == nil {
		return f.Token, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) || !create {
		return "", notFoundOK(err)
	}
	return RenewCalendarToken(ctx, db, v)
}

func notFoundOK(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	return err
}

// RenewCalendarToken makes a new feed address; the old one stops working.
func RenewCalendarToken(ctx context.Context, db *gorm.DB, v Viewer) (string, error) {
	token, hash, err := NewToken()
	if err != nil {
		return "", err
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("person_id = ?", v.PersonID).Delete(&CalendarFeed{}).Error; err != nil {
			return err
		}
		return tx.Create(&CalendarFeed{PersonID: v.PersonID, TokenHash: hash, Token: token}).Error
	})
	return token, err
}

// RevokeCalendarToken removes the viewer's feed.
func RevokeCalendarToken(ctx context.Context, db *gorm.DB, v Viewer) error {
	return db.WithContext(ctx).Where("person_id = ?", v.PersonID).Delete(&CalendarFeed{}).Error
}

// CalendarEvent is one entry of a feed: no confidential text, only what,
// when and where.
type CalendarEvent struct {
	UID       string
	Kind      string // a meeting kind, "one_on_one" or "intake"
	GroupName string
	With      string // the other person of a one-on-one
	StartsAt  time.Time
	EndsAt    time.Time
	Location  string
	Sequence  int
	Cancelled bool
	Updated   time.Time
	// A recurring event (a group's series): weekly from StartsAt until
	// RepeatUntil, leaving out ExDates. An override of one of its
	// instances has the same UID and RecurrenceID, the instance it replaces.
	RepeatUntil  time.Time
	ExDates      []time.Time
	RecurrenceID time.Time
}

// FeedFor returns the events of the person whose feed token this is: the
// meetings of their groups and their one-on-ones, from a year back.
func FeedFor(ctx context.Context, db *gorm.DB, token string, now time.Time) ([]CalendarEvent, string, error) {
	events, lang, err := feedFor(db.WithContext(ctx), token, now)
	return events, lang, err
}

func feedFor(tx *gorm.DB, token string, now time.Time) ([]CalendarEvent, string, error) {
	var f CalendarFeed
	if err := tx.Select("id", "person_id").Where("token_hash = ?", HashToken(token)).First(&f).Error; err != nil {
		return nil, "", notFound(err)
	}
	var lang string
	if err := tx.Model(&Person{}).Where("id = ?", f.PersonID).Pluck("language", &lang).Error; err != nil {
		return nil, "", err
	}
	v := Viewer{PersonID: f.PersonID}
	since := now.AddDate(-1, 0, 0)
	var meetings []MeetingWithGroup
	// A series comes whole (its meetings are one recurring event); other
	// meetings from a year back.
	if err := tx.Model(&Meeting{}).Select("meetings.id, meetings.group_id, meetings.kind, meetings.starts_at, meetings.ends_at, meetings.location, meetings.status, meetings.sequence, meetings.updated_at, meetings.series_uid, meetings.recurrence_at, g.name AS group_name").
		Joins("JOIN mentor_groups g ON g.id = meetings.group_id").
		Where("meetings.group_id IN (?) AND (meetings.starts_at >= ? OR meetings.series_uid <> '')", groupsOf(tx, v), since).Order("meetings.starts_at").
		Find(&meetings).Error; err != nil {
		return nil, "", err
	}
	var out []CalendarEvent
	series := map[string][]Meeting{}
	var order []string
	names := map[string]string{}
	for _, m := range meetings {
		if m.SeriesUID != "" && m.RecurrenceAt != nil {
			if _, ok := series[m.SeriesUID]; !ok {
				order = append(order, m.SeriesUID)
			}
			series[m.SeriesUID] = append(series[m.SeriesUID], m.Meeting)
			names[m.SeriesUID] = m.GroupName
			continue
		}
		out = append(out, CalendarEvent{UID: "meeting-" + strconv.FormatUint(uint64(m.ID), 10), Kind: string(m.Kind), GroupName: m.GroupName,
			StartsAt: m.StartsAt, EndsAt: m.EndsAt, Location: m.Location, Sequence: m.Sequence,
			Cancelled: m.Status == MeetingCancelled, Updated: m.UpdatedAt})
	}
	if len(order) > 0 {
		zone, err := organisationZone(tx)
		if err != nil {
			return nil, "", err
		}
		for _, uid := range order {
			ms := series[uid]
			seq, err := seriesSequence(tx, ms[0].GroupID, uid)
			if err != nil {
				return nil, "", err
			}
			out = append(out, seriesEvents(uid, seq, names[uid], ms, zone)...)
		}
	}
	var talks []struct {
		ID, MentorID, MenteeID uint
		StartsAt, EndsAt       time.Time
		Status                 string
		Sequence               int
		UpdatedAt              time.Time
		MentorName, MenteeName string
	}
	if err := tx.Model(&OneOnOne{}).Select("one_on_ones.id, one_on_ones.mentor_id, one_on_ones.mentee_id, one_on_ones.starts_at, one_on_ones.ends_at, one_on_ones.status, one_on_ones.sequence, one_on_ones.updated_at, mr.name AS mentor_name, me.name AS mentee_name").
		Joins("JOIN people mr ON mr.id = one_on_ones.mentor_id").Joins("JOIN people me ON me.id = one_on_ones.mentee_id").
		Where("(one_on_ones.mentor_id = ? OR one_on_ones.mentee_id = ?) AND one_on_ones.starts_at >= ?", v.PersonID, v.PersonID, since).
		Scan(&talks).Error; err != nil {
		return nil, "", err
	}
	for _, o := range talks {
		with := o.MentorName
		if o.MentorID == v.PersonID {
			with = o.MenteeName
		}
		out = append(out, CalendarEvent{UID: "one-on-one-" + strconv.FormatUint(uint64(o.ID), 10), Kind: "one_on_one", With: with, StartsAt: o.StartsAt,
			EndsAt: o.EndsAt, Sequence: o.Sequence, Cancelled: o.Status == "cancelled", Updated: o.UpdatedAt})
	}
	intakes, err := intakeEvents(tx, v.PersonID, since)
	if err != nil {
		return nil, "", err
	}
	return append(out, intakes...), lang, nil
}
