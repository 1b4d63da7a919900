package models

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Application roles and statuses.
const (
	ApplyAsMentor = "mentor"
	ApplyAsMentee = "mentee"

	ApplicationOpen      = "open"
	ApplicationPlaced    = "placed"
	ApplicationWithdrawn = "withdrawn"
)

// Application is a person's wish to take part in a programme as mentor or
// mentee. L&D forms groups from the open ones; nobody else reads them.
type Application struct {
	ID              uint `gorm:"primaryKey"`
	ProgrammeID     uint `gorm:"not null;uniqueIndex:idx_application_programme_person"`
	Programme       Programme
	PersonID        uint   `gorm:"not null;uniqueIndex:idx_application_programme_person;index"`
	Role            string `gorm:"size:10;not null"`
	Discipline      string `gorm:"size:100;not null;default:''"`
	Capacity        int    `gorm:"not null;default:1"`
	LearningNeed    string `gorm:"type:text;not null;default:''" sealed:"applications"`
	Themes          string `gorm:"type:text;not null;default:''" sealed:"applications"` // comma-separated, lower case
	Weekdays        string `gorm:"size:20;not null;default:''"`                         // ISO weekdays, comma-separated
	ExperienceYears *int
	Status          string `gorm:"size:12;not null;default:'open'"`
	GroupID         *uint
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// ApplicationInput is what a person fills in to apply.
type ApplicationInput struct {
	ProgrammeID     uint     `form:"programme_id" json:"programme_id" validate:"required"`
	Role            string   `form:"role" json:"role" validate:"required,oneof=mentor mentee"`
	Discipline      string   `form:"discipline" json:"discipline" validate:"max=100"`
	Capacity        int      `form:"capacity" json:"capacity" validate:"omitempty,min=1,max=3"`
	LearningNeed    string   `form:"learning_need" json:"learning_need" validate:"max=300"`
	Themes          string   `form:"themes" json:"themes" validate:"max=300"`
	Weekdays        []string `form:"weekdays" json:"weekdays" validate:"max=5,dive,oneof=1 2 3 4 5"`
	ExperienceYears string   `form:"experience_years" json:"experience_years" validate:"omitempty,number,max=2"`
}

// ThemeList returns the application's themes.
func (a Application) ThemeList() []string { return splitList(a.Themes) }

// WeekdayList returns the application's weekdays as numbers.
func (a Application) WeekdayList() []int {
	var out []int
	for _, s := range splitList(a.Weekdays) {
		if d, err := strconv.Atoi(s); err == nil {
			out = append(out, d)
		}
	}
	return out
}

// HasWeekday says whether the application names the ISO weekday d.
func (a Application) HasWeekday(d int) bool {
	for _, x := range a.WeekdayList() {
		if x == d {
			return true
		}
	}
	return false
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// normalThemes cleans a comma-separated list of themes: lower case, trimmed,
// no duplicates, at most ten.
func normalThemes(s string) string {
	seen := map[string]bool{}
	var out []string
	for _, t := range splitList(strings.ReplaceAll(s, ";", ",")) {
		if !seen[t] && len(out) < 10 {
			seen[t] = true
			out = append(out, t)
		}
	}
	return strings.Join(out, ",")
}

// OpenProgrammes lists the programmes that take applications: those planned, not yet running.
func OpenProgrammes(ctx context.Context, db *gorm.DB) ([]Programme, error) {
	var out []Programme
	err := db.WithContext(ctx).Where("status = ?", ProgrammePlanned).Order("starts_on, id").Find(&out).Error
	return out, err
}

// MyApplications lists the viewer's own applications.
func MyApplications(ctx context.Context, db *gorm.DB, v Viewer) ([]Application, error) {
	var out []Application
	err := db.WithContext(ctx).Preload("Programme").Where("person_id = ?", v.PersonID).
		Order("created_at DESC, id DESC").Find(&out).Error
	return out, err
}

// Apply records or updates the viewer's application for a programme. An
// application that has led to a group can no longer change.
func Apply(ctx context.Context, db *gorm.DB, v Viewer, in ApplicationInput) (Application, error) {
	var a Application
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p Programme
		if err := tx.Where("status = ?", ProgrammePlanned).First(&p, in.ProgrammeID).Error; err != nil {
			return fieldErr("programme_id", "unknown_choice")
		}
		err := tx.Where("programme_id = ? AND person_id = ?", p.ID, v.PersonID).First(&a).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		if a.Status == ApplicationPlaced {
			return fieldErr("programme_id", "application_placed")
		}
		if err := applyApplicationInput(&a, in); err != nil {
			return err
		}
		a.ProgrammeID, a.PersonID, a.Status = p.ID, v.PersonID, ApplicationOpen
		return tx.Omit("Programme").Save(&a).Error
	})
	return a, err
}

func applyApplicationInput(a *Application, in ApplicationInput) error {
	a.Role = in.Role
	a.Discipline = CleanText(in.Discipline)
	a.Themes = normalThemes(in.Themes)
	days := append([]string(nil), in.Weekdays...)
	sort.Strings(days)
	a.Weekdays = strings.Join(days, ",")
	a.Capacity, a.LearningNeed, a.ExperienceYears = 1, "", nil
	if in.Role == ApplyAsMentor {
		a.Capacity = max(in.Capacity, 1)
		return nil
	}
	a.LearningNeed = CleanText(in.LearningNeed)
	if a.LearningNeed == "" {
		return fieldErr("learning_need", "required")
	}
	if in.ExperienceYears != "" {
		years, err := strconv.Atoi(in.ExperienceYears)
		if err != nil || years < 0 || years > 60 {
			return fieldErr("experience_years", "invalid")
		}
		a.ExperienceYears = &years
	}
	return nil
}

// WithdrawApplication withdraws one of the viewer's own open applications.
func WithdrawApplication(ctx context.Context, db *gorm.DB, v Viewer, id uint) error {
	res := db.WithContext(ctx).Model(&Application{}).
		Where("id = ? AND person_id = ? AND status = ?", id, v.PersonID, ApplicationOpen).
		Update("status", ApplicationWithdrawn)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// PoolRow is an open application with the applicant's name and team, as L&D sees it.
type PoolRow struct {
	Application
	Name     string
	TeamName string
}

// ProgrammePool lists the open applications of a programme; admins only.
func ProgrammePool(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint) ([]PoolRow, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	var out []PoolRow
	err := db.WithContext(ctx).Model(&Application{}).
		Select("applications.*, p.name, COALESCE(t.name, '') AS team_name").
		Joins("JOIN people p ON p.id = applications.person_id").
		Joins("LEFT JOIN teams t ON t.id = p.team_id").
		Where("applications.programme_id = ? AND applications.status = ?", programmeID, ApplicationOpen).
		Order("applications.role, p.name").Find(&out).Error
	return out, err
}

// LoadPool reads what the group proposal needs about a programme's open
// applications: composition facts, projects and groups people are already in.
func LoadPool(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint) (Pool, error) {
	if !v.Can(OrgManage) {
		return Pool{}, ErrNotFound
	}
	tx := db.WithContext(ctx)
	var p Programme
	if err := tx.First(&p, programmeID).Error; err != nil {
		return Pool{}, notFound(err)
	}
	pool := Pool{ProgrammeStart: p.StartsOn, ProgrammeEnd: p.EndsOn}
	var rows []struct {
		Application
		Name     string
		TeamID   *uint
		TeamName string
		Manager  *uint
		PersonD  string
	}
	err := tx.Model(&Application{}).Select(`applications.*, p.name, p.team_id, p.manager_id AS manager,
		p.discipline AS person_d, COALESCE(t.name, '') AS team_name`).
		Joins("JOIN people p ON p.id = applications.person_id").
		Joins("LEFT JOIN teams t ON t.id = p.team_id").
		Where("applications.programme_id = ? AND applications.status = ?", programmeID, ApplicationOpen).
		Order("p.name, p.id").Scan(&rows).Error
	if err != nil {
		return pool, err
	}
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.PersonID
	}
	assignments := map[uint][]Assignment{}
	var all []Assignment
	if err := tx.Preload("Project").Where("person_id IN ?", append(ids, 0)).Find(&all).Error; err != nil {
		return pool, err
	}
	for _, a := range all {
		assignments[a.PersonID] = append(assignments[a.PersonID], a)
	}
	others := map[uint][]string{}
	var placed []struct {
		PersonID uint
		Name     string
	}
	err = tx.Model(&Membership{}).Select("memberships.person_id, g.name").
		Joins("JOIN mentor_groups g ON g.id = memberships.group_id").
		Where("g.programme_id = ? AND memberships.status IN ('candidate','intake','active','frozen')", programmeID).
		Order("g.name").Scan(&placed).Error
	if err != nil {
		return pool, err
	}
	for _, m := range placed {
		others[m.PersonID] = append(others[m.PersonID], m.Name)
	}
	for _, r := range rows {
		discipline := r.Discipline
		if discipline == "" {
			discipline = r.PersonD
		}
		a := Applicant{CompositionMentee: CompositionMentee{PersonID: r.PersonID, Name: r.Name, Status: StatusActive,
			TeamID: r.TeamID, TeamName: r.TeamName, ManagerID: r.Manager, Discipline: discipline,
			Assignments: assignments[r.PersonID], OtherGroups: others[r.PersonID]},
			Themes: r.ThemeList(), Weekdays: r.WeekdayList(), ExperienceYears: r.ExperienceYears, Capacity: r.Capacity}
		if r.Role == ApplyAsMentor {
			pool.Mentors = append(pool.Mentors, a)
		} else {
			pool.Mentees = append(pool.Mentees, a)
		}
	}
	return pool, nil
}
