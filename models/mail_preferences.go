package models

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// PersonalReminderKinds are the reminders a person switches on or off;
// the notice kinds among ReminderKinds are chosen per notice kind instead
// (see SetNoticeModes).
func PersonalReminderKinds() []string {
	return slices.DeleteFunc(slices.Clone(ReminderKinds), func(k string) bool { return slices.Contains(NoticeKinds, k) })
}

// SetReminderOptOuts keeps the kinds in on and switches the other
// personal reminder kinds off.
func SetReminderOptOuts(ctx context.Context, db *gorm.DB, v Viewer, on []string) error {
	kinds := PersonalReminderKinds()
	for _, k := range on {
		if !slices.Contains(kinds, k) {
			return fieldErr("on", "unknown_choice")
		}
	}
	var off []string
	for _, k := range kinds {
		if !slices.Contains(on, k) {
			off = append(off, k)
		}
	}
	return db.WithContext(ctx).Model(&Person{}).Where("id = ?", v.PersonID).Update("reminder_opt_outs", strings.Join(off, ",")).Error
}

// ReminderOptOuts returns the kinds the viewer switched off.
func ReminderOptOuts(ctx context.Context, db *gorm.DB, v Viewer) (map[string]bool, error) {
	var s string
	err := db.WithContext(ctx).Model(&Person{}).Where("id = ?", v.PersonID).Pluck("reminder_opt_outs", &s).Error
	return kindSet(s), err
}
