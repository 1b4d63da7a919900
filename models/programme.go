package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// ProgrammeStatus is where a programme stands.
type ProgrammeStatus string

// Programme statuses.
const (
	ProgrammePlanned ProgrammeStatus = "planned"
	ProgrammeRunning ProgrammeStatus = "running"
	ProgrammeClosed  ProgrammeStatus = "closed"
)

// ProgrammeStatuses lists the statuses in their natural order.
var ProgrammeStatuses = []ProgrammeStatus{ProgrammePlanned, ProgrammeRunning, ProgrammeClosed}

// Programme is one cohort of mentor groups that runs for about a year.
type Programme struct {
	ID           uint            `gorm:"primaryKey"`
	Name         string          `gorm:"size:200;not null"`
	StartsOn     Date            `gorm:"not null"`
	EndsOn       Date            `gorm:"not null"`
	CadenceWeeks int             `gorm:"not null;default:6"`
	Status       ProgrammeStatus `gorm:"size:20;not null;default:'planned'"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ProgrammeInput is what an admin enters for a programme. An empty end
// means twelve months after the start.
type ProgrammeInput struct {
	Name         string `form:"name" json:"name" validate:"required,max=200"`
	StartsOn     string `form:"starts_on" json:"starts_on" validate:"required,date"`
	EndsOn       string `form:"ends_on" json:"ends_on" validate:"omitempty,date"`
	CadenceWeeks int    `form:"cadence_weeks" json:"cadence_weeks" validate:"omitempty,min=1,max=26"`
	Status       string `form:"status" json:"status" validate:"omitempty,oneof=planned running closed"`
}

// DefaultProgrammeMonths is the usual length of a programme.
const DefaultProgrammeMonths = 12

// DefaultCadenceWeeks is the usual time between intervision meetings.
const DefaultCadenceWeeks = 6

// ProgrammeSummary is a programme with its group counts.
type ProgrammeSummary struct {
	Programme
	Groups  int64
	Mentees int64
}

// ListProgrammes returns the programmes an admin runs, newest first.
func ListProgrammes(ctx context.Context, db *gorm.DB, v Viewer) ([]ProgrammeSummary, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	var out []ProgrammeSummary
	err := db.WithContext(ctx).Model(&Programme{}).Select(`programmes.*,
		(SELECT COUNT(*) FROM mentor_groups g WHERE g.programme_id = programmes.id) AS groups,
		(SELECT COUNT(*) FROM memberships m JOIN mentor_groups g ON g.id = m.group_id
		 WHERE g.programme_id = programmes.id AND m.status = 'active') AS mentees`).
		Order("programmes.starts_on DESC, programmes.id DESC").Find(&out).Error
	return out, err
}

// GetProgramme returns one programme; admins only.
func GetProgramme(ctx context.Context, db *gorm.DB, v Viewer, id uint) (Programme, error) {
	var p Programme
	if !v.Can(OrgManage) {
		return p, ErrNotFound
	}
	err := db.WithContext(ctx).First(&p, id).Error
	return p, notFound(err)
}

// CreateProgramme adds a programme; admins only.
func CreateProgramme(ctx context.Context, db *gorm.DB, v Viewer, in ProgrammeInput) (Programme, error) {
	if !v.Can(OrgManage) {
		return Programme{}, ErrNotFound
	}
	p := Programme{Status: ProgrammePlanned}
	if err := applyProgrammeInput(&p, in); err != nil {
		return p, err
	}
	return p, db.WithContext(ctx).Create(&p).Error
}

// UpdateProgramme changes a programme; admins only.
func UpdateProgramme(ctx context.Context, db *gorm.DB, v Viewer, id uint, in ProgrammeInput) (Programme, error) {
	var p Programme
	if !v.Can(OrgManage) {
		return p, ErrNotFound
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&p, id).Error; err != nil {
			return notFound(err)
		}
		if err := applyProgrammeInput(&p, in); err != nil {
			return err
		}
		return tx.Save(&p).Error
	})
	return p, err
}

func applyProgrammeInput(p *Programme, in ProgrammeInput) error {
	ve := &ValidationError{}
	p.Name = CleanText(in.Name)
	start, err := ParseDate(in.StartsOn)
	if err != nil {
		ve.Add("starts_on", "date", nil)
	}
	p.StartsOn = start
	p.EndsOn = start.AddMonths(DefaultProgrammeMonths)
	if in.EndsOn != "" {
		end, err := ParseDate(in.EndsOn)
		switch {
		case err != nil:
			ve.Add("ends_on", "date", nil)
		case !end.After(start):
			ve.Add("ends_on", "end_before_start", nil)
		default:
			p.EndsOn = end
		}
	}
	p.CadenceWeeks = DefaultCadenceWeeks
	if in.CadenceWeeks != 0 {
		p.CadenceWeeks = in.CadenceWeeks
	}
	if in.Status != "" {
		p.Status = ProgrammeStatus(in.Status)
	}
	return ve.OrNil()
}
