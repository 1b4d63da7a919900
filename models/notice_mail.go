package models

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
)

// ScheduleDigests puts the digest notices that are waiting into one mail
// per person, once a day from DigestHour in the organisation's zone. A
// notice read in the app before then is left out. A run missed while the
// app was down is caught up by the next.
func ScheduleDigests(ctx context.Context, db *gorm.DB, now time.Time) error {
	org, err := GetOrganisation(ctx, db)
	if err != nil {
		return err
	}
	loc := org.Location()
	local := now.In(loc)
	cutoff := time.Date(local.Year(), local.Month(), local.Day(), DigestHour, 0, 0, 0, loc)
	if now.Before(cutoff) {
		cutoff = cutoff.AddDate(0, 0, -1)
	}
	day := cutoff.UTC()
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		waiting := func() *gorm.DB {
			return tx.Model(&Notice{}).Where("digest AND digest_on IS NULL AND read_at IS NULL AND created_at < ?", day)
		}
		var people []uint
		if err := waiting().Distinct().Pluck("recipient_id", &people).Error; err != nil || len(people) == 0 {
			return err
		}
		if err := waiting().Where("recipient_id IN ?", people).Update("digest_on", day).Error; err != nil {
			return err
		}
		for _, p := range people {
			if err := enqueue(tx, NoticeDigest, "person", p, day, now, []uint{p}); err != nil {
				return err
			}
		}
		return nil
	})
}

// composeNotice fills a mail from the notice it was queued with (same
// key); a notice that is gone makes the delivery stale.
func composeNotice(tx *gorm.DB, d MailDelivery, out OutgoingMail) (OutgoingMail, error) {
	var n NoticeRow
	err := tx.Model(&Notice{}).Select("notices.*, COALESCE(g.name, '') AS group_name, COALESCE(o.name, '') AS other_name").
		Joins("LEFT JOIN mentor_groups g ON g.id = notices.group_id").Joins("LEFT JOIN people o ON o.id = notices.other_id").
		Where("notices.key = ?", d.Key).Take(&n).Error
	if err != nil {
		return out, staleIfGone(err)
	}
	out.GroupName, out.With, out.Path = n.GroupName, n.OtherName, n.Path
	return out, nil
}

// composeDigest lists the unread notices gathered for a digest; when all
// were read meanwhile, there is nothing to send.
func composeDigest(tx *gorm.DB, d MailDelivery, out OutgoingMail) (OutgoingMail, error) {
	err := tx.Model(&Notice{}).Select("notices.*, COALESCE(g.name, '') AS group_name, COALESCE(o.name, '') AS other_name").
		Joins("LEFT JOIN mentor_groups g ON g.id = notices.group_id").Joins("LEFT JOIN people o ON o.id = notices.other_id").
		Where("notices.recipient_id = ? AND notices.digest_on = ? AND notices.read_at IS NULL", d.RecipientID, d.Occurrence).
		Order("notices.created_at, notices.id").Find(&out.Items).Error
	if err != nil {
		return out, err
	}
	if len(out.Items) == 0 {
		return out, ErrStale
	}
	out.Path = "/notices"
	return out, nil
}

// noticeMailOff reports whether the recipient no longer wants a notice of
// this kind by mail at once (they chose a digest or the app since).
func noticeMailOff(tx *gorm.DB, kind string, person uint) (bool, error) {
	if !slices.Contains(NoticeKinds, kind) {
		return false, nil
	}
	modes, err := noticeModesOf(tx, kind, []uint{person})
	if err != nil {
		return false, err
	}
	return modes[person] != NoticeByMail, nil
}
