package models

import (
	"context"

	"gorm.io/gorm"
)

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
