package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// LearningGoal is what a mentee wants to learn in the programme. It is
// theirs and their mentor's; the group sees it only when the mentee shares it.
type LearningGoal struct {
	ID         uint           `gorm:"primaryKey" json:"id"`
	PersonID   uint           `gorm:"not null" json:"person_id"`
	GroupID    uint           `gorm:"not null" json:"group_id"`
	What       string         `gorm:"type:text;not null" json:"what" sealed:"learning_goals"`
	Why        string         `gorm:"type:text;not null;default:''" json:"why" sealed:"learning_goals"`
	HowNoticed string         `gorm:"type:text;not null;default:''" json:"how_noticed" sealed:"learning_goals"`
	ByWhen     Date           `json:"by_when,omitzero"`
	Shared     bool           `gorm:"not null;default:false" json:"shared"`
	Done       bool           `gorm:"not null;default:false" json:"done"`
	Progress   []GoalProgress `gorm:"foreignKey:GoalID" json:"progress"`
	CreatedAt  time.Time      `json:"-"`
	UpdatedAt  time.Time      `json:"-"`
}

// GoalProgress is a dated note on the way to a goal.
type GoalProgress struct {
	ID        uint      `gorm:"primaryKey" json:"id"`
	GoalID    uint      `gorm:"not null" json:"-"`
	WrittenOn Date      `gorm:"not null" json:"written_on"`
	Text      string    `gorm:"type:text;not null" json:"text" sealed:"goal_progresses"`
	CreatedAt time.Time `json:"-"`
}

// TableName is the progress table.
func (GoalProgress) TableName() string { return "goal_progresses" }

// GoalInput is the goal form.
type GoalInput struct {
	What       string `form:"what" json:"what" validate:"required,max=2000"`
	Why        string `form:"why" json:"why" validate:"max=2000"`
	HowNoticed string `form:"how_noticed" json:"how_noticed" validate:"max=2000"`
	ByWhen     string `form:"by_when" json:"by_when" validate:"omitempty,date"`
	Shared     bool   `form:"shared" json:"shared"`
	Done       bool   `form:"done" json:"done"`
}

// ProgressInput is a progress entry.
type ProgressInput struct {
	WrittenOn string `form:"written_on" json:"written_on" validate:"required,date"`
	Text      string `form:"text" json:"text" validate:"required,max=5000"`
}

// visibleGoals is the only way goals are read: the viewer's own, those of
// mentees in groups the viewer mentors, and shared goals in the viewer's
// own groups: the SQL form of the GoalRead rule in policy.go. Goals are the
// mentee's current plan, so a new mentor sees them (not earlier notes).
func visibleGoals(tx *gorm.DB, v Viewer) *gorm.DB {
	return tx.Model(&LearningGoal{}).Where(`(learning_goals.person_id = ?
		OR learning_goals.group_id IN (?)
		OR (learning_goals.shared AND learning_goals.group_id IN (?)))`,
		v.PersonID,
		tx.Model(&MentorGroup{}).Select("id").Where("mentor_id = ?", v.PersonID),
		tx.Model(&Membership{}).Select("group_id").Where("person_id = ? AND status IN ?", v.PersonID, AdmittedStatuses))
}

// GoalRow is a goal with its owner's name.
type GoalRow struct {
	LearningGoal
	OwnerName string `json:"owner_name"`
	Mine      bool   `json:"mine"`
	Mentoring bool   `json:"-"` // the viewer mentors the owner's group
}

// ListGoals returns the goals the viewer may see, of one group when groupID
// is set, with their progress.
func ListGoals(ctx context.Context, db *gorm.DB, v Viewer, groupID uint) ([]GoalRow, error) {
	return listGoals(db.WithContext(ctx), v, groupID, 0, Window{})
}

// Window is a slice of a list: at most Limit rows (0: all) after skipping Offset.
type Window struct {
	Limit, Offset int
}

// MaxWindow is the largest Limit a list of the API accepts.
const MaxWindow = 500

// ListGoalsWindow is ListGoals for the API: one window of the list in its
// stable order (owner's name, then id).
func ListGoalsWindow(ctx context.Context, db *gorm.DB, v Viewer, w Window) ([]GoalRow, error) {
	if w.Limit < 1 || w.Limit > MaxWindow || w.Offset < 0 {
		return nil, &ValidationError{Fields: []FieldError{{Field: "limit", Code: "out_of_range", Args: map[string]any{"Min": 1, "Max": MaxWindow}}}}
	}
	return listGoals(db.WithContext(ctx), v, 0, 0, w)
}

func listGoals(tx *gorm.DB, v Viewer, groupID, goalID uint, w Window) ([]GoalRow, error) {
	q := visibleGoals(tx, v).Select("learning_goals.*, p.name AS owner_name").
		Joins("JOIN people p ON p.id = learning_goals.person_id")
	if groupID != 0 {
		q = q.Where("learning_goals.group_id = ?", groupID)
	}
	if goalID != 0 {
		q = q.Where("learning_goals.id = ?", goalID)
	}
	if w.Limit > 0 {
		q = q.Limit(w.Limit).Offset(w.Offset)
	}
	var out []GoalRow
	if err := q.Order("p.name, learning_goals.id").Find(&out).Error; err != nil {
		return nil, err
	}
	var mentored []uint
	if err := tx.Model(&MentorGroup{}).Where("mentor_id = ?", v.PersonID).Pluck("id", &mentored).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Mine = out[i].PersonID == v.PersonID
		if !out[i].Mine {
			if err := audit(tx, v.PersonID, AuditRead, "learning_goal", out[i].ID); err != nil {
				return nil, err
			}
		}
		for _, g := range mentored {
			out[i].Mentoring = out[i].Mentoring || g == out[i].GroupID
		}
		if err := tx.Where("goal_id = ?", out[i].ID).Order("written_on, id").Find(&out[i].Progress).Error; err != nil {
			return nil, err
		}
	}
	return out, nil
}

// GetGoal returns one goal the viewer may see.
func GetGoal(ctx context.Context, db *gorm.DB, v Viewer, id uint) (GoalRow, error) {
	rows, err := listGoals(db.WithContext(ctx), v, 0, id, Window{})
	if err != nil {
		return GoalRow{}, err
	}
	if len(rows) == 0 {
		return GoalRow{}, ErrNotFound
	}
	return rows[0], nil
}

// GoalInputOf turns a goal back into its form.
func GoalInputOf(g LearningGoal) GoalInput {
	return GoalInput{What: g.What, Why: g.Why, HowNoticed: g.HowNoticed, ByWhen: g.ByWhen.String(), Shared: g.Shared, Done: g.Done}
}

func applyGoal(g *LearningGoal, in GoalInput) error {
	g.What, g.Why, g.HowNoticed, g.Shared, g.Done = CleanText(in.What), CleanText(in.Why), CleanText(in.HowNoticed), in.Shared, in.Done
	g.ByWhen = Date{}
	if in.ByWhen != "" {
		d, err := ParseDate(in.ByWhen)
		if err != nil {
			return fieldErr("by_when", "date")
		}
		g.ByWhen = d
	}
	return nil
}

// CreateGoal adds a goal for the viewer in a group they are a mentee of.
func CreateGoal(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, in GoalInput) (LearningGoal, error) {
	var g LearningGoal
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := requireGroup(tx, v, GroupMember, groupID); err != nil {
			return err
		}
		g = LearningGoal{PersonID: v.PersonID, GroupID: groupID}
		if err := applyGoal(&g, in); err != nil {
			return err
		}
		return tx.Create(&g).Error
	})
	return g, err
}

// UpdateGoal changes one of the viewer's own goals.
func UpdateGoal(ctx context.Context, db *gorm.DB, v Viewer, id uint, in GoalInput) (LearningGoal, error) {
	var g LearningGoal
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&g, id).Error; err != nil {
			return notFound(err)
		}
		if !Decide(Access{ViewerID: v.PersonID}, GoalOwner, Subject{OwnerID: g.PersonID}) {
			return ErrNotFound
		}
		if err := applyGoal(&g, in); err != nil {
			return err
		}
		return tx.Select("what", "why", "how_noticed", "by_when", "shared", "done").Save(&g).Error
	})
	return g, err
}

// AddProgress adds a progress entry to a goal: by its owner or their mentor.
func AddProgress(ctx context.Context, db *gorm.DB, v Viewer, goalID uint, in ProgressInput) (GoalProgress, error) {
	var p GoalProgress
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var g LearningGoal
		if err := tx.First(&g, goalID).Error; err != nil {
			return notFound(err)
		}
		if _, err := authorize(tx, v, GoalProgressAdd, goalID); err != nil {
			return err
		}
		on, err := ParseDate(in.WrittenOn)
		if err != nil {
			return fieldErr("written_on", "date")
		}
		p = GoalProgress{GoalID: g.ID, WrittenOn: on, Text: CleanText(in.Text)}
		return tx.Create(&p).Error
	})
	return p, err
}
