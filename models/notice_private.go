package models

import (
	"time"

	"gorm.io/gorm"
)

// privateNotice reports whether a notice kind is one of the neutral kinds
// whose particulars (urgent, declined, apologies) stay out of the notice's
// and the mail's kind, key and text.
func privateNotice(kind string) bool {
	return kind == NoticeOneOnOneRequest || kind == NoticeMeetingNote
}

// sameInstant compares two stored times, which the databases keep to the
// microsecond or the nanosecond.
func sameInstant(a, b time.Time) bool {
	d := a.Sub(b)
	return d < time.Millisecond && d > -time.Millisecond
}

// requestSays is which step of request r a notice to recipient at
// occurrence tells of: to the mentee another time proposed or a refusal;
// to the mentor the request itself (urgent or not) or, at the time the
// mentor had proposed, the mentee's refusal of it.
func requestSays(r OneOnOneRequest, recipient uint, occurrence time.Time) string {
	switch {
	case recipient == r.MenteeID && r.CounterAt != nil:
		return SaysOneOnOneCountered
	case recipient == r.MenteeID:
		return SaysOneOnOneDeclined
	case r.CounterAt != nil && sameInstant(occurrence, *r.CounterAt):
		return SaysOneOnOneDeclined
	case r.Urgent:
		return SaysOneOnOneUrgent
	}
	return SaysOneOnOneAsked
}

// fillNoticeSays sets what each of a recipient's notices says in the app:
// its kind, or for a neutral kind the particular step.
func fillNoticeSays(tx *gorm.DB, rows []NoticeRow) error {
	var ids []uint
	for i := range rows {
		rows[i].Says = rows[i].Kind
		switch {
		case rows[i].Kind == NoticeMeetingNote:
			rows[i].Says = SaysApologySent
		case rows[i].Kind == NoticeOneOnOneRequest && rows[i].SubjectType == "talk_request":
			ids = append(ids, rows[i].SubjectID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var reqs []OneOnOneRequest
	if err := tx.Where("id IN ?", distinctIDs(ids)).Find(&reqs).Error; err != nil {
		return err
	}
	byID := make(map[uint]OneOnOneRequest, len(reqs))
	for _, r := range reqs {
		byID[r.ID] = r
	}
	for i := range rows {
		if r, ok := byID[rows[i].SubjectID]; ok && rows[i].Kind == NoticeOneOnOneRequest {
			rows[i].Says = requestSays(r, rows[i].RecipientID, rows[i].Occurrence)
		}
	}
	return nil
}

// urgentAsk reports whether a request delivery is the mail of an urgent
// request to the mentor, which goes at once whatever the mentor chose.
func urgentAsk(tx *gorm.DB, d MailDelivery) (bool, error) {
	if d.Kind != NoticeOneOnOneRequest || d.SubjectType != "talk_request" {
		return false, nil
	}
	var r OneOnOneRequest
	res := tx.Where("id = ?", d.SubjectID).Limit(1).Find(&r)
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	return requestSays(r, d.RecipientID, d.Occurrence) == SaysOneOnOneUrgent, nil
}

// composePrivateNotice is the mail of a neutral notice: that there is news
// about a one-on-one request or a meeting, with the meeting's date and a
// link; no name, no urgency, no reason.
func composePrivateNotice(tx *gorm.DB, d MailDelivery, out OutgoingMail) (OutgoingMail, error) {
	var n Notice
	if err := tx.Select("id", "path").Where("key = ?", d.Key).Take(&n).Error; err != nil {
		return out, staleIfGone(err)
	}
	out.Path = n.Path
	if d.Kind == NoticeMeetingNote && d.SubjectType == "meeting" {
		var m Meeting
		if err := tx.Select("id", "starts_at", "ends_at").Take(&m, d.SubjectID).Error; err != nil {
			return out, staleIfGone(err)
		}
		out.StartsAt, out.EndsAt = m.StartsAt, m.EndsAt
	}
	return out, nil
}
