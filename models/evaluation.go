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

// RoundsOpen returns the rounds a group's evaluation has reached on a day
// (see roundOpens), whether still open or already closed.
func RoundsOpen(g MentorGroup, p Programme, today Date) []string {
	var out []string
	for _, round := range EvaluationRounds {
		if opens, ok := roundOpens(g, p, round); ok && !today.Before(opens) {
			out = append(out, round)
		}
	}
	return out
}

// OpenEvaluation is a round a person may answer, with their answer once given.
type OpenEvaluation struct {
	Group  MentorGroup
	Role   string
	Round  string
	Closes Date // the first day no answer is taken
	Closed bool
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
			closes, _ := RoundCloses(g, g.Programme, round)
			e := OpenEvaluation{Group: g, Role: role, Round: round, Closes: closes, Closed: !today.Before(closes)}
			for i := range answers {
				if answers[i].GroupID == g.ID && answers[i].Round == round {
					e.Answer = &answers[i]
				}
			}
			if e.Closed && e.Answer == nil {
				continue // a closed round nobody can answer any more
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
		opens, ok := roundOpens(g, g.Programme, round)
		if !ok || today.Before(opens) {
			return ErrNotFound
		}
		if closes, _ := RoundCloses(g, g.Programme, round); !today.Before(closes) {
			return fieldErr("score1", "round_closed")
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

// ScoreSummary is the frozen aggregate of one round for one role: the
// number of answers as a band and, when at least MinAggregatePeople
// answered, the mean per item. Before the round closes it holds nothing
// but the closing day.
type ScoreSummary struct {
	Round        string
	Role         string
	Programme    string
	Closed       bool
	ClosedOn     Date
	AnsweredBand string
	Suppressed   bool
	Means        [4]float64
	Open         []string // for L&D only, unattributed, when at least MinOpenAnswers were given
}

// summarise computes the mean per item of answers, suppressed under the threshold.
func summarise(round, role string, answers []EvaluationAnswer) ScoreSummary {
	s := ScoreSummary{Round: round, Role: role, AnsweredBand: AnswerBand(len(answers))}
	if len(answers) < MinAggregatePeople {
		s.Suppressed = true
		return s
	}
	for _, a := range answers {
		for i, v := range a.Scores() {
			s.Means[i] += float64(v) / float64(len(answers))
		}
	}
	return s
}

// ProgrammeEvaluations returns the frozen results per programme, round and
// role for admins and managers, only for rounds whose programme closing
// day (ProgrammeRoundCloses) has passed, means only from
// MinAggregatePeople answers. Admins also get the open answers given
// before the close, sorted and without names, once at least
// MinOpenAnswers were given; managers never do.
func ProgrammeEvaluations(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint, today Date) ([]ScoreSummary, error) {
	if !v.Can(FiguresRead) {
		return nil, ErrNotFound
	}
	tx := db.WithContext(ctx)
	var programmes []Programme
	q := tx.Order("starts_on, name, id")
	if programmeID != 0 {
		q = q.Where("id = ?", programmeID)
	}
	if err := q.Find(&programmes).Error; err != nil {
		return nil, err
	}
	ids := make([]uint, len(programmes))
	for i, p := range programmes {
		ids[i] = p.ID
	}
	// Every programme's frozen results in one read; a round that has closed
	// but is not frozen yet is frozen here, once.
	var stored []EvaluationResult
	if err := tx.Where("scope = ? AND scope_id IN ?", ResultProgramme, ids).Find(&stored).Error; err != nil {
		return nil, err
	}
	frozen := map[resultKey]EvaluationResult{}
	for _, r := range stored {
		frozen[resultKey{r.ScopeID, r.Round, r.Role}] = r
	}
	var out []ScoreSummary
	var shown []shownResult // of out, in order
	for _, p := range programmes {
		for _, round := range EvaluationRounds {
			closes := ProgrammeRoundCloses(p, round)
			if today.Before(closes) {
				continue
			}
			for _, role := range []string{ApplyAsMentee, ApplyAsMentor} {
				r, ok := frozen[resultKey{p.ID, round, role}]
				if !ok {
					var err error
					r, err = frozenResult(tx, ResultProgramme, p.ID, round, role, closes, func() ([]EvaluationAnswer, error) {
						var list []EvaluationAnswer
						err := tx.Where("round = ? AND role = ? AND created_at < ? AND group_id IN (?)", round, role, closes.Time,
							tx.Model(&MentorGroup{}).Select("id").Where("programme_id = ?", p.ID)).Omit("open").Find(&list).Error
						return list, err
					})
					if err != nil {
						return nil, err
					}
				}
				if r.Answered == 0 {
					continue
				}
				s := r.summary()
				s.Programme = p.Name
				out = append(out, s)
				shown = append(shown, shownResult{resultKey{p.ID, round, role}, closes})
			}
		}
	}
	if !v.Can(FiguresDetail) {
		return out, nil
	}
	return out, fillOpenAnswers(tx, out, shown)
}

// resultKey names a programme's result of one round and role.
type resultKey struct {
	programme   uint
	round, role string
}

// shownResult is a result on show and the day its round closes.
type shownResult struct {
	key    resultKey
	closes Date
}

// programmeAnswer is an evaluation answer with its group's programme.
type programmeAnswer struct {
	EvaluationAnswer `gorm:"embedded"`
	ProgrammeID      uint
}

// fillOpenAnswers gives each shown result that is not suppressed the open
// answers given before its round closed (see openAnswers), read for all
// of them in one statement.
func fillOpenAnswers(tx *gorm.DB, out []ScoreSummary, shown []shownResult) error {
	var programmes []uint
	want := map[resultKey]int{} // → index in out
	for i, r := range shown {
		if !out[i].Suppressed {
			want[r.key] = i
			programmes = append(programmes, r.key.programme)
		}
	}
	if len(want) == 0 {
		return nil
	}
	var rows []programmeAnswer
	err := tx.Model(&EvaluationAnswer{}).
		Select("evaluation_answers.id, evaluation_answers.round, evaluation_answers.role, evaluation_answers.open, evaluation_answers.created_at, g.programme_id").
		Joins("JOIN mentor_groups g ON g.id = evaluation_answers.group_id").
		Where("g.programme_id IN ? AND evaluation_answers.open <> ''", programmes).Find(&rows).Error
	if err != nil {
		return err
	}
	lists := map[int][]EvaluationAnswer{}
	for _, r := range rows {
		i, ok := want[resultKey{r.ProgrammeID, r.Round, r.Role}]
		if ok && r.CreatedAt.Before(shown[i].closes.Time) {
			lists[i] = append(lists[i], r.EvaluationAnswer)
		}
	}
	for _, i := range want {
		out[i].Open = openAnswers(lists[i])
	}
	return nil
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
