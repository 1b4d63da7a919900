package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Team is a unit people work in; mentees of one group come from different teams.
type Team struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"size:200;not null;uniqueIndex"`
	CreatedAt time.Time
}

// TeamInput names a team.
type TeamInput struct {
	Name string `form:"name" json:"name" validate:"required,max=200"`
}

// TeamWithCount is a team and how many people are in it.
type TeamWithCount struct {
	Team
	People int64
}

// ListTeams returns every team with its head count; admins only.
func ListTeams(ctx context.Context, db *gorm.DB, v Viewer) ([]TeamWithCount, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	var out []TeamWithCount
	err := db.WithContext(ctx).Model(&Team{}).
		Select("teams.*, (SELECT COUNT(*) FROM people p WHERE p.team_id = teams.id) AS people").
		Order("teams.name").Find(&out).Error
	return out, err
}

// CreateTeam adds a team; admins only.
func CreateTeam(ctx context.Context, db *gorm.DB, v Viewer, in TeamInput) (Team, error) {
	if !v.Can(OrgManage) {
		return Team{}, ErrNotFound
	}
	t := Team{Name: CleanText(in.Name)}
	err := db.WithContext(ctx).Create(&t).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return t, fieldErr("name", "name_taken")
	}
	return t, err
}

// TeamByName finds or creates a team by its name.
func TeamByName(ctx context.Context, db *gorm.DB, name string) (Team, error) {
	t := Team{Name: CleanText(name)}
	err := db.WithContext(ctx).Where(Team{Name: t.Name}).FirstOrCreate(&t).Error
	return t, err
}
