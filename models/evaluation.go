package models

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Evaluation rounds: halfway, at twelve months, and at the close of a group
// that ran longer.
const (
	RoundMonth6  = "month6"
	RoundMonth12 = "month12"
	RoundClose   = "close"
)

// EvaluationRounds lists the rounds in order.
var EvaluationRounds = []string{RoundMonth6, RoundMonth12, RoundClose}

// MinOpenAnswers is the fewest open answers L&D may read, unattributed.
const MinOpenAnswers = 10

// EvaluationItems are the keys of the four scale items, per role.
var EvaluationItems = map[string][4]string{
	ApplyAsMentee: {"goal_progress", "safety", "usefulness", "mentor_attitude"},
	ApplyAsMentor: {"group_engagement", "safety", "usefulness", "support"},
}

// EvaluationAnswer is one person's answers to one round of their group's
// evaluation. Only its author reads it; everyone else sees aggregates.
type EvaluationAnswer struct {
	ID        uint   `gorm:"primaryKey"`
	GroupID   uint   `gorm:"not null;uniqueIndex:idx_evaluation_answer"`
	Round     string `gorm:"size:10;not null;uniqueIndex:idx_evaluation_answer"`
	PersonID  uint   `gorm:"not null;uniqueIndex:idx_evaluation_answer;index"`
	Role      string `gorm:"size:10;not null"`
	Score1    int    `gorm:"not null"`
	Score2    int    `gorm:"not null"`
	Score3    int    `gorm:"not null"`
	Score4    int    `gorm:"not null"`
	Open      string `gorm:"type:text;not null;default:''" sealed:"evaluation_answers"`
	CreatedAt time.Time
}

// Scores returns the four scale answers.
func (a EvaluationAnswer) Scores() [4]int { return [4]int{a.Score1, a.Score2, a.Score3, a.Score4} }

// EvaluationInput is one filled-in survey.
type EvaluationInput struct {
	Score1 int    `form:"score1" json:"score1" validate:"required,min=1,max=5"`
	Score2 int    `form:"score2" json:"score2" validate:"required,min=1,max=5"`
	Score3 int    `form:"score3" json:"score3" validate:"required,min=1,max=5"`
	Score4 int    `form:"score4" json:"score4" validate:"required,min=1,max=5"`
	Open   string `form:"open" json:"open" validate:"max=2000"`
}

// RoundsOpen returns the rounds a group's evaluation has reached on a day:
// month 6 and month 12 of the programme, month 12 early when the group
// closed before it, and a closing round for a group that ran longer.
func RoundsOpen(g MentorGroup, p Programme, today Date) []string {
	var out []string
	closedOn := Date{}
	if g.Status == GroupClosed && g.ClosedOn != nil {
		closedOn = *g.ClosedOn
	}
	month12 := p.StartsOn.AddMonths(12)
	if !today.Before(p.StartsOn.AddMonths(6)) {
		out = append(out, RoundMonth6)
	}
	if !today.Before(month12) || (!closedOn.IsZero() && closedOn.Before(month12)) {
		out = append(out, RoundMonth12)
	}
	if !closedOn.IsZero() && !closedOn.Before(p.StartsOn.AddMonths(13)) {
		out = append(out, RoundClose)
	}
	return out
}

// OpenEvaluation is a round a person may answer, with their answer once given.
type OpenEvaluation struct {
	Group  MentorGroup
	Role   string
	Round  string
	Answer *EvaluationAnswer
}

// MyEvaluations lists the rounds the viewer takes part in, as mentor or mentee, newest first.
func MyEvaluations(ctx context.Context, db *gorm.DB, v Viewer, today Date) ([]OpenEvaluation, error) {
	tx := db.WithContext(ctx)
	var groups []MentorGroup
	err := tx.Preload("Programme").Where(`id IN (SELECT id FROM mentor_groups WHERE mentor_id = ? UNION SELECT group_id FROM memberships
		WHERE person_id = ? AND status IN ('active','frozen','stopped'))`, v.PersonID, v.PersonID).
		Order("name, id").Find(&groups).Error
	if err != nil {
		return nil, err
	}
	var answers []EvaluationAnswer
	if err := tx.Where("person_id = ?", v.PersonID).Find(&answers).Error; err != nil {
		return nil, err
	}
	var out []OpenEvaluation
	for _, g := range groups {
		role := ApplyAsMentee
		if g.MentorID == v.PersonID {
			role = ApplyAsMentor
		}
		for _, round := range RoundsOpen(g, g.Programme, today) {
			e := OpenEvaluation{Group: g, Role: role, Round: round}
			for i := range answers {
				if answers[i].GroupID == g.ID && answers[i].Round == round {
					e.Answer = &answers[i]
				}
			}
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return (out[i].Answer == nil) && (out[j].Answer != nil) })
	return out, nil
}

// SubmitEvaluation stores the viewer's answers to a round of their group's
// evaluation. A round is answered once.
func SubmitEvaluation(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, round string, in EvaluationInput, today Date) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var g MentorGroup
		if err := tx.Preload("Programme").First(&g, groupID).Error; err != nil {
			return notFound(err)
		}
		role := ApplyAsMentor
		if g.MentorID != v.PersonID {
			var n int64
			tx.Model(&Membership{}).Where("group_id = ? AND person_id = ? AND status IN ('active','frozen','stopped')", groupID, v.PersonID).Count(&n)
			if n == 0 {
				return ErrNotFound
			}
			role = ApplyAsMentee
		}
		open := false
		for _, r := range RoundsOpen(g, g.Programme, today) {
			open = open || r == round
		}
		if !open {
			return ErrNotFound
		}
		a := EvaluationAnswer{GroupID: groupID, Round: round, PersonID: v.PersonID, Role: role,
			Score1: in.Score1, Score2: in.Score2, Score3: in.Score3, Score4: in.Score4, Open: CleanText(in.Open)}
		err := tx.Create(&a).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return fieldErr("score1", "already_answered")
		}
		return err
	})
}

// ScoreSummary is the aggregate of one round for one role: how many
// answered and, when at least MinAggregatePeople did, the mean per item.
type ScoreSummary struct {
	Round      string
	Role       string
	Programme  string
	Answered   int
	Suppressed bool
	Means      [4]float64
	Open       []string // for L&D only, unattributed, when at least MinOpenAnswers were given
}

// summarise computes the mean per item of answers, suppressed under the threshold.
func summarise(round, role string, answers []EvaluationAnswer) ScoreSummary {
	s := ScoreSummary{Round: round, Role: role, Answered: len(answers)}
	if len(answers) < MinAggregatePeople {
		s.Suppressed, s.Answered = true, 0
		return s
	}
	for _, a := range answers {
		for i, v := range a.Scores() {
			s.Means[i] += float64(v) / float64(len(answers))
		}
	}
	return s
}

// GroupEvaluation returns, for the group's mentor only, the mentees'
// aggregate per round, shown only when at least MinAggregatePeople answered.
func GroupEvaluation(ctx context.Context, db *gorm.DB, v Viewer, groupID uint) ([]ScoreSummary, error) {
	tx := db.WithContext(ctx)
	var g MentorGroup
	if err := tx.Where("id = ? AND mentor_id = ?", groupID, v.PersonID).First(&g).Error; err != nil {
		return nil, notFound(err)
	}
	var answers []EvaluationAnswer
	if err := tx.Omit("open").Where("group_id = ? AND role = ?", groupID, ApplyAsMentee).Find(&answers).Error; err != nil {
		return nil, err
	}
	var out []ScoreSummary
	for _, round := range EvaluationRounds {
		var in []EvaluationAnswer
		for _, a := range answers {
			if a.Round == round {
				in = append(in, a)
			}
		}
		if len(in) > 0 {
			out = append(out, summarise(round, ApplyAsMentee, in))
		}
	}
	return out, nil
}

// ProgrammeEvaluations returns the evaluation aggregates per programme,
// round and role, for admins and managers, each resting on at least
// MinAggregatePeople answers. Admins also get the open answers, sorted and
// without names, once at least MinOpenAnswers were given; managers never do.
func ProgrammeEvaluations(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint) ([]ScoreSummary, error) {
	if !v.Admin && !v.Manager {
		return nil, ErrNotFound
	}
	tx := db.WithContext(ctx).Model(&EvaluationAnswer{}).
		Joins("JOIN mentor_groups g ON g.id = evaluation_answers.group_id").
		Joins("JOIN programmes p ON p.id = g.programme_id")
	if programmeID != 0 {
		tx = tx.Where("g.programme_id = ?", programmeID)
	}
	var rows []struct {
		EvaluationAnswer
		Programme string
	}
	cols := "evaluation_answers.id, evaluation_answers.round, evaluation_answers.role, evaluation_answers.score1, evaluation_answers.score2, evaluation_answers.score3, evaluation_answers.score4, p.name AS programme, p.starts_on"
	if v.Admin {
		cols += ", evaluation_answers.open"
	}
	if err := tx.Select(cols).Order("p.starts_on, p.name").Find(&rows).Error; err != nil {
		return nil, err
	}
	type key struct{ programme, round, role string }
	var order []key
	byKey := map[key][]EvaluationAnswer{}
	firstSeen := map[string]int{}
	for i, r := range rows {
		if _, ok := firstSeen[r.Programme]; !ok {
			firstSeen[r.Programme] = i
		}
		k := key{r.Programme, r.Round, r.Role}
		if _, ok := byKey[k]; !ok {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], r.EvaluationAnswer)
	}
	rank := map[string]int{RoundMonth6: 0, RoundMonth12: 1, RoundClose: 2}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.programme != b.programme {
			return firstSeen[a.programme] < firstSeen[b.programme]
		}
		if a.round != b.round {
			return rank[a.round] < rank[b.round]
		}
		return a.role > b.role
	})
	var out []ScoreSummary
	for _, k := range order {
		s := summarise(k.round, k.role, byKey[k])
		s.Programme = k.programme
		if v.Admin && !s.Suppressed {
			s.Open = openAnswers(byKey[k])
		}
		out = append(out, s)
	}
	return out, nil
}

// openAnswers returns the non-empty open answers in alphabetical order, so
// their order tells nothing about who wrote them, or nil under MinOpenAnswers.
func openAnswers(answers []EvaluationAnswer) []string {
	var out []string
	for _, a := range answers {
		if t := strings.TrimSpace(a.Open); t != "" {
			out = append(out, t)
		}
	}
	if len(out) < MinOpenAnswers {
		return nil
	}
	sort.Strings(out)
	return out
}
