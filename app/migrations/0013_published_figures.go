package migrations

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"crossmentor/models"
)

// publishedFigures adds what is counted once and then never changes: the
// figures of each closed month, quarter and programme year, and the
// results of each closed evaluation round.
func publishedFigures() *gormigrate.Migration {
	type figureCell struct {
		ID          uint   `gorm:"primaryKey"`
		Period      string `gorm:"size:10;not null;uniqueIndex:idx_figure_cell"`
		Figure      string `gorm:"size:20;not null;uniqueIndex:idx_figure_cell"`
		Breakdown   string `gorm:"size:12;not null;uniqueIndex:idx_figure_cell"`
		RowName     string `gorm:"size:200;not null;uniqueIndex:idx_figure_cell"`
		Value       int    `gorm:"not null"`
		Denominator int    `gorm:"not null"`
		People      int    `gorm:"not null"`
		Decided     bool   `gorm:"not null;default:false"`
		Hidden      bool   `gorm:"not null;default:false"`
		CreatedAt   time.Time
	}
	type evaluationResult struct {
		ID         uint        `gorm:"primaryKey"`
		Scope      string      `gorm:"size:10;not null;uniqueIndex:idx_evaluation_result"`
		ScopeID    uint        `gorm:"not null;uniqueIndex:idx_evaluation_result"`
		Round      string      `gorm:"size:10;not null;uniqueIndex:idx_evaluation_result"`
		Role       string      `gorm:"size:10;not null;uniqueIndex:idx_evaluation_result"`
		ClosedOn   models.Date `gorm:"not null"`
		Answered   int         `gorm:"not null"`
		Suppressed bool        `gorm:"not null"`
		Mean1      float64     `gorm:"not null"`
		Mean2      float64     `gorm:"not null"`
		Mean3      float64     `gorm:"not null"`
		Mean4      float64     `gorm:"not null"`
		CreatedAt  time.Time
	}
	return &gormigrate.Migration{
		ID: "0013_published_figures",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().CreateTable(&figureCell{}, &evaluationResult{})
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable(&evaluationResult{}, &figureCell{})
		},
	}
}
