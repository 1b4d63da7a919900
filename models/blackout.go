package models

import (
	"context"

	"gorm.io/gorm"
)

// BlackoutInput is a new blackout period.
type BlackoutInput struct {
	Name     string `form:"name" json:"name" validate:"required,max=100"`
	StartsOn string `form:"starts_on" json:"starts_on" validate:"required,date"`
	EndsOn   string `form:"ends_on" json:"ends_on" validate:"required,date"`
	Yearly   bool   `form:"yearly" json:"yearly"`
}

// ListBlackouts returns the organisation's blackout periods; admins only.
func ListBlackouts(ctx context.Context, db *gorm.DB, v Viewer) ([]Blackout, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	var out []Blackout
	err := db.WithContext(ctx).Order("starts_on").Find(&out).Error
	return out, err
}

// AddBlackout adds a period without meetings; admins only. Series already
// planned keep their dates until they are planned again.
func AddBlackout(ctx context.Context, db *gorm.DB, v Viewer, in BlackoutInput) (Blackout, error) {
	if !v.Can(OrgManage) {
		return Blackout{}, ErrNotFound
	}
	b := Blackout{Name: CleanText(in.Name), Yearly: in.Yearly}
	var err error
	if b.StartsOn, err = ParseDate(in.StartsOn); err != nil {
		return b, fieldErr("starts_on", "date")
	}
	if b.EndsOn, err = ParseDate(in.EndsOn); err != nil {
		return b, fieldErr("ends_on", "date")
	}
	if b.EndsOn.Before(b.StartsOn) {
		return b, fieldErr("ends_on", "end_before_start")
	}
	return b, db.WithContext(ctx).Create(&b).Error
}

// DeleteBlackout removes a blackout period; admins only.
func DeleteBlackout(ctx context.Context, db *gorm.DB, v Viewer, id uint) error {
	if !v.Can(OrgManage) {
		return ErrNotFound
	}
	res := db.WithContext(ctx).Delete(&Blackout{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}
