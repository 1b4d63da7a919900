package models

import (
	"context"
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
	CreatedAt        time.Time
	UpdatedAt        time.Time
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
}

// GetOrganisation returns the organisation, or ErrNotFound before set-up.
func GetOrganisation(ctx context.Context, db *gorm.DB) (Organisation, error) {
	var o Organisation
	err := db.WithContext(ctx).First(&o, OrganisationID).Error
	return o, notFound(err)
}

// Location returns the organisation's time zone, Europe/Amsterdam if unknown.
func (o Organisation) Location() *time.Location {
	if loc, err := time.LoadLocation(o.TimeZone); err == nil {
		return loc
	}
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	return loc
}

// UpdateOrganisation saves new settings; admins only.
func UpdateOrganisation(ctx context.Context, db *gorm.DB, v Viewer, in OrganisationInput) error {
	if !v.Admin {
		return ErrNotFound
	}
	return db.WithContext(ctx).Model(&Organisation{ID: OrganisationID}).Updates(map[string]any{
		"name": CleanText(in.Name), "time_zone": in.TimeZone, "default_language": in.DefaultLanguage,
		"good_friday_off": in.GoodFridayOff, "liberation_day_off": in.LiberationDayOff,
	}).Error
}
