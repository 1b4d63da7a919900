package models

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Organisation holds the settings of the one organisation an installation serves.
type Organisation struct {
	ID              uint   `gorm:"primaryKey"`
	Name            string `gorm:"size:200;not null"`
	TimeZone        string `gorm:"size:64;not null"`
	DefaultLanguage string `gorm:"size:2;not null"`
	Demo            bool   `gorm:"not null;default:false"`
	// GoodFridayOff and LiberationDayOff add these days to the holidays.
	GoodFridayOff    bool `gorm:"not null;default:false"`
	LiberationDayOff bool `gorm:"not null;default:false"`
	// LiberationLustrum makes Liberation Day a day off every five years,
	// when it is not one every year.
	LiberationLustrum bool `gorm:"not null;default:false"`
	// RemindersOff lists the mail kinds switched off for everyone, comma-separated.
	RemindersOff string `gorm:"size:300;not null;default:''"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// OrganisationID is the id of the single organisation row.
const OrganisationID = 1

// OrganisationInput is what an admin may change in the settings.
type OrganisationInput struct {
	Name             string `form:"name" json:"name" validate:"required,max=200"`
	TimeZone         string `form:"time_zone" json:"time_zone" validate:"required,max=64,timezone"`
	DefaultLanguage  string `form:"default_language" json:"default_language" validate:"required,oneof=nl en"`
	GoodFridayOff    bool   `form:"good_friday_off" json:"good_friday_off"`
	LiberationDayOff bool   `form:"liberation_day_off" json:"liberation_day_off"`
	// LiberationDay is never, lustrum or yearly; when empty LiberationDayOff decides.
	LiberationDay string `form:"liberation_day" json:"liberation_day" validate:"omitempty,oneof=never lustrum yearly"`
	// RemindersOn are the mail kinds sent in this organisation; the others are off for everyone.
	RemindersOn []string `form:"reminders_on" json:"reminders_on" validate:"max=20"`
}

// GetOrganisation returns the organisation, or ErrNotFound before set-up.
func GetOrganisation(ctx context.Context, db *gorm.DB) (Organisation, error) {
	var o Organisation
	err := db.WithContext(ctx).First(&o, OrganisationID).Error
	return o, notFound(err)
}

// Location returns the organisation's time zone, Europe/Amsterdam if unknown.
func (o Organisation) Location() *time.Location {
	if loc, err := zoneNamed(o.TimeZone); err == nil {
		return loc
	}
	loc, _ := zoneNamed("Europe/Amsterdam")
	return loc
}

// loadedZones holds each time zone read once: reading one parses a file of
// the zone database, which pages did on every request.
var loadedZones sync.Map

// zoneNamed is time.LoadLocation, read once per zone.
func zoneNamed(name string) (*time.Location, error) {
	if loc, ok := loadedZones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	loadedZones.Store(name, loc)
	return loc, nil
}

// UpdateOrganisation saves new settings; admins only.
func UpdateOrganisation(ctx context.Context, db *gorm.DB, v Viewer, in OrganisationInput) error {
	if !v.Can(OrgManage) {
		return ErrNotFound
	}
	if err := knownReminderKinds("reminders_on", in.RemindersOn); err != nil {
		return err
	}
	switch LiberationDay(in.LiberationDay) {
	case LiberationYearly:
		in.LiberationDayOff = true
	case LiberationNever, LiberationLustrum:
		in.LiberationDayOff = false
	}
	return db.WithContext(ctx).Model(&Organisation{ID: OrganisationID}).Updates(map[string]any{
		"name": CleanText(in.Name), "time_zone": in.TimeZone, "default_language": in.DefaultLanguage,
		"good_friday_off": in.GoodFridayOff, "liberation_day_off": in.LiberationDayOff,
		"liberation_lustrum": LiberationDay(in.LiberationDay) == LiberationLustrum,
		"reminders_off":      remindersOff(in.RemindersOn),
	}).Error
}

// remindersOff returns the reminder kinds not in on, comma-separated, in
// the order of ReminderKinds.
func remindersOff(on []string) string {
	var off []string
	for _, k := range ReminderKinds {
		if !slices.Contains(on, k) {
			off = append(off, k)
		}
	}
	return strings.Join(off, ",")
}

// RemindersOn returns the reminder kinds this organisation sends.
func (o Organisation) RemindersOn() []string {
	off := kindSet(o.RemindersOff)
	var on []string
	for _, k := range ReminderKinds {
		if !off[k] {
			on = append(on, k)
		}
	}
	return on
}

// RemindersOffForAll returns the reminder kinds switched off for everyone.
func (o Organisation) RemindersOffForAll() map[string]bool { return kindSet(o.RemindersOff) }

// kindSet reads a comma-separated list of mail kinds.
func kindSet(list string) map[string]bool {
	out := map[string]bool{}
	for _, k := range strings.Split(list, ",") {
		if k != "" {
			out[k] = true
		}
	}
	return out
}

// knownReminderKinds refuses a list that names a kind that does not exist.
func knownReminderKinds(field string, kinds []string) error {
	for _, k := range kinds {
		if !slices.Contains(ReminderKinds, k) {
			return fieldErr(field, "unknown_choice")
		}
	}
	return nil
}

// reminderOff reports whether kind is switched off in the comma-separated
// list off (a person's or the organisation's); switching off change
// notices switches off cancellation notices too.
func reminderOff(off, kind string) bool {
	for _, k := range strings.Split(off, ",") {
		if k == kind || (k == MailMeetingChanged && kind == MailMeetingCancel) {
			return true
		}
	}
	return false
}

// Liberation says when Liberation Day is off in this organisation.
func (o Organisation) Liberation() LiberationDay {
	switch {
	case o.LiberationDayOff:
		return LiberationYearly
	case o.LiberationLustrum:
		return LiberationLustrum
	}
	return LiberationNever
}
