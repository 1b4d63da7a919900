package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Project is a piece of work people are assigned to for a period.
// Mentees of one group do not work on the same project at the same time.
type Project struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"size:200;not null;uniqueIndex"`
	CreatedAt time.Time
}

// Assignment says who works on which project, from StartsOn until EndsOn
// (an open end when EndsOn is zero).
type Assignment struct {
	ID        uint `gorm:"primaryKey"`
	PersonID  uint `gorm:"not null;index"`
	ProjectID uint `gorm:"not null;index"`
	Project   Project
	StartsOn  Date `gorm:"not null"`
	EndsOn    Date
	CreatedAt time.Time
}

// ProjectInput names a project.
type ProjectInput struct {
	Name string `form:"name" json:"name" validate:"required,max=200"`
}

// AssignmentInput assigns a person to a project.
type AssignmentInput struct {
	ProjectID uint   `form:"project_id" json:"project_id" validate:"required"`
	StartsOn  string `form:"starts_on" json:"starts_on" validate:"required,date"`
	EndsOn    string `form:"ends_on" json:"ends_on" validate:"omitempty,date"`
	// ConfirmBrokenRules lets the assignment through when it breaks a group's rule.
	ConfirmBrokenRules bool `form:"confirm_broken_rules" json:"confirm_broken_rules"`
}

// ProjectWithCount is a project and how many people work on it now.
type ProjectWithCount struct {
	Project
	People int64
}

// ListProjects returns every project; admins only.
func ListProjects(ctx context.Context, db *gorm.DB, v Viewer) ([]ProjectWithCount, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	var out []ProjectWithCount
	err := db.WithContext(ctx).Model(&Project{}).
		Select("projects.*, (SELECT COUNT(DISTINCT a.person_id) FROM assignments a WHERE a.project_id = projects.id) AS people").
		Order("projects.name").Find(&out).Error
	return out, err
}

// CreateProject adds a project; admins only.
func CreateProject(ctx context.Context, db *gorm.DB, v Viewer, in ProjectInput) (Project, error) {
	if !v.Can(OrgManage) {
		return Project{}, ErrNotFound
	}
	p := Project{Name: CleanText(in.Name)}
	err := db.WithContext(ctx).Create(&p).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return p, fieldErr("name", "name_taken")
	}
	return p, err
}

// Overlaps reports whether the assignment runs during any day of [from, to].
// A zero to means open-ended.
func (a Assignment) Overlaps(from, to Date) bool {
	if !to.IsZero() && a.StartsOn.After(to) {
		return false
	}
	return a.EndsOn.IsZero() || !a.EndsOn.Before(from)
}

// AssignmentsOf returns a person's project assignments; admins only.
func AssignmentsOf(ctx context.Context, db *gorm.DB, v Viewer, personID uint) ([]Assignment, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	var out []Assignment
	err := db.WithContext(ctx).Preload("Project").Where("person_id = ?", personID).
		Order("starts_on DESC, id").Find(&out).Error
	return out, err
}

// AddAssignment assigns a person to a project; admins only.
func AddAssignment(ctx context.Context, db *gorm.DB, v Viewer, personID uint, in AssignmentInput) (Assignment, error) {
	if !v.Can(OrgManage) {
		return Assignment{}, ErrNotFound
	}
	a := Assignment{PersonID: personID, ProjectID: in.ProjectID}
	ve := &ValidationError{}
	var err error
	if a.StartsOn, err = ParseDate(in.StartsOn); err != nil {
		ve.Add("starts_on", "date", nil)
	}
	if in.EndsOn != "" {
		if a.EndsOn, err = ParseDate(in.EndsOn); err != nil {
			ve.Add("ends_on", "date", nil)
		} else if a.EndsOn.Before(a.StartsOn) {
			ve.Add("ends_on", "end_before_start", nil)
		}
	}
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&Person{}, personID).Error; err != nil {
			return notFound(err)
		}
		if tx.First(&Project{}, in.ProjectID).Error != nil {
			ve.Add("project_id", "unknown_choice", nil)
		}
		if err := ve.OrNil(); err != nil {
			return err
		}
		placements, err := checkPlacementsOf(tx, personID)
		if err != nil {
			return err
		}
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		return placements.verify(tx, in.ConfirmBrokenRules)
	})
	return a, err
}

// RemoveAssignment deletes a project assignment; admins only.
func RemoveAssignment(ctx context.Context, db *gorm.DB, v Viewer, personID, id uint) error {
	if !v.Can(OrgManage) {
		return ErrNotFound
	}
	res := db.WithContext(ctx).Where("id = ? AND person_id = ?", id, personID).Delete(&Assignment{})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// ProjectByName finds or creates a project by its name.
func ProjectByName(ctx context.Context, db *gorm.DB, name string) (Project, error) {
	p := Project{Name: CleanText(name)}
	err := db.WithContext(ctx).Where(Project{Name: p.Name}).FirstOrCreate(&p).Error
	return p, err
}
