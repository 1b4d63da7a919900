package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Scopes of a frozen evaluation result.
const (
	ResultGroup     = "group"
	ResultProgramme = "programme"
)

// EvaluationResult is the aggregate of one round for one role of a group
// or a programme, computed once when the round closes and then never
// again: answers or erasures after the close change nothing anyone sees.
type EvaluationResult struct {
	ID         uint   `gorm:"primaryKey"`
	Scope      string `gorm:"size:10;not null;uniqueIndex:idx_evaluation_result"`
	ScopeID    uint   `gorm:"not null;uniqueIndex:idx_evaluation_result"`
	Round      string `gorm:"size:10;not null;uniqueIndex:idx_evaluation_result"`
	Role       string `gorm:"size:10;not null;uniqueIndex:idx_evaluation_result"`
	ClosedOn   Date   `gorm:"not null"`
	Answered   int    `gorm:"not null"`
	Suppressed bool   `gorm:"not null"`
	Mean1      float64
	Mean2      float64
	Mean3      float64
	Mean4      float64
	CreatedAt  time.Time
}

// roundOpens returns the day a group's round opens, and false when the
// group never reaches it: month 6 and month 12 of the programme (month 12
// at the close when the group closed earlier), and the close of a group
// that ran longer than thirteen months.
func roundOpens(g MentorGroup, p Programme, round string) (Date, bool) {
	closed := g.Status == GroupClosed && g.ClosedOn != nil
	month12 := p.StartsOn.AddMonths(12)
	switch round {
	case RoundMonth6:
		return p.StartsOn.AddMonths(6), true
	case RoundMonth12:
		if closed && g.ClosedOn.Before(month12) {
			return *g.ClosedOn, true
		}
		return month12, true
	case RoundClose:
		if closed && !g.ClosedOn.Before(p.StartsOn.AddMonths(13)) {
			return *g.ClosedOn, true
		}
	}
	return Date{}, false
}

// RoundCloses returns the fixed day a group's round closes: one month
// after it opens. From that day on no answer is taken and the round's
// results are frozen.
func RoundCloses(g MentorGroup, p Programme, round string) (Date, bool) {
	opens, ok := roundOpens(g, p, round)
	return opens.AddMonths(1), ok
}

// ProgrammeRoundCloses returns the fixed day a programme's round results
// are frozen: month 7 and month 13 of the programme, and for the closing
// round of groups that ran longer, twelve months after the programme's end.
// Only answers given before that day count.
func ProgrammeRoundCloses(p Programme, round string) Date {
	switch round {
	case RoundMonth6:
		return p.StartsOn.AddMonths(7)
	case RoundMonth12:
		return p.StartsOn.AddMonths(13)
	}
	return p.EndsOn.AddMonths(12)
}

// AnswerBand writes a number of answers as a band, so a count never
// tells when exactly one more person answered.
func AnswerBand(n int) string {
	switch {
	case n < MinAggregatePeople:
		return "<5"
	case n < 10:
		return "5–9"
	case n < 20:
		return "10–19"
	case n < 50:
		return "20–49"
	}
	return "50+"
}

// frozenResult returns the stored result of a round, computing and storing
// it first when it is not there yet. Replicas may compute it at the same
// time; the unique index keeps the first one stored and everyone reads that.
func frozenResult(tx *gorm.DB, scope string, scopeID uint, round, role string, closes Date, answers func() ([]EvaluationAnswer, error)) (EvaluationResult, error) {
	var r EvaluationResult
	where := "scope = ? AND scope_id = ? AND round = ? AND role = ?"
	err := tx.Where(where, scope, scopeID, round, role).Limit(1).Find(&r).Error
	if err != nil || r.ID != 0 {
		return r, err
	}
	list, err := answers()
	if err != nil {
		return r, err
	}
	s := summarise(round, role, list)
	r = EvaluationResult{Scope: scope, ScopeID: scopeID, Round: round, Role: role, ClosedOn: closes,
		Answered: len(list), Suppressed: s.Suppressed, Mean1: s.Means[0], Mean2: s.Means[1], Mean3: s.Means[2], Mean4: s.Means[3]}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
		return r, err
	}
	r = EvaluationResult{}
	err = tx.Where(where, scope, scopeID, round, role).First(&r).Error
	return r, err
}

// summary turns a frozen result into what is shown.
func (r EvaluationResult) summary() ScoreSummary {
	s := ScoreSummary{Round: r.Round, Role: r.Role, Closed: true, ClosedOn: r.ClosedOn, Suppressed: r.Suppressed,
		AnsweredBand: AnswerBand(r.Answered)}
	if !r.Suppressed {
		s.Means = [4]float64{r.Mean1, r.Mean2, r.Mean3, r.Mean4}
	}
	return s
}

// GroupEvaluation returns, for the group's mentor only, the mentees'
// results per round the group has reached: nothing before the round
// closes, and from then on the frozen means, shown only when at least
// MinAggregatePeople mentees answered, with the number of answers as a band.
func GroupEvaluation(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, today Date) ([]ScoreSummary, error) {
	tx := db.WithContext(ctx)
	var g MentorGroup
	if err := tx.Preload("Programme").Where("id = ? AND mentor_id = ?", groupID, v.PersonID).First(&g).Error; err != nil {
		return nil, notFound(err)
	}
	var out []ScoreSummary
	for _, round := range EvaluationRounds {
		opens, ok := roundOpens(g, g.Programme, round)
		if !ok || today.Before(opens) {
			continue
		}
		closes, _ := RoundCloses(g, g.Programme, round)
		if today.Before(closes) {
			out = append(out, ScoreSummary{Round: round, Role: ApplyAsMentee, ClosedOn: closes})
			continue
		}
		r, err := frozenResult(tx, ResultGroup, g.ID, round, ApplyAsMentee, closes, func() ([]EvaluationAnswer, error) {
			var list []EvaluationAnswer
			err := tx.Omit("open").Where("group_id = ? AND round = ? AND role = ? AND created_at < ?",
				g.ID, round, ApplyAsMentee, closes.Time).Find(&list).Error
			return list, err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, r.summary())
	}
	return out, nil
}
