package models_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestEvaluationAttack is the evaluation attack of issue 13: in a group of
// six, the means after five answers and after the sixth would give the
// sixth person's scores (6×M6 − 5×M5). Nothing is shown before the round
// closes; at the close the means are worked out once and never change.
func TestEvaluationAttack(t *testing.T) {
	db := apptest.DB(t)
	ctx := context.Background()
	mk := func(name string) uint {
		p := models.Person{Name: name, Email: name + "@org.test"}
		if err := db.Create(&p).Error; err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	start := models.NewDate(2026, 9, 1)
	prog := models.Programme{Name: "P", StartsOn: start, EndsOn: start.AddMonths(12)}
	if err := db.Create(&prog).Error; err != nil {
		t.Fatal(err)
	}
	g := models.MentorGroup{ProgrammeID: prog.ID, MentorID: mk("mentor"), Name: "G", Status: models.GroupActive}
	if err := db.Create(&g).Error; err != nil {
		t.Fatal(err)
	}
	var mentees []uint
	for i := 0; i < 6; i++ {
		id := mk(fmt.Sprintf("m%d", i))
		mentees = append(mentees, id)
		if err := db.Create(&models.Membership{GroupID: g.ID, PersonID: id, Status: models.StatusActive, StatusSince: start}).Error; err != nil {
			t.Fatal(err)
		}
	}
	mentor := models.Viewer{PersonID: g.MentorID, Mentor: true}
	admin := models.Viewer{PersonID: mk("admin"), Admin: true}
	answer := func(i int, s int, day models.Date) error {
		in := models.EvaluationInput{Score1: s, Score2: s, Score3: s, Score4: s}
		return models.SubmitEvaluation(ctx, db, models.Viewer{PersonID: mentees[i]}, g.ID, models.RoundMonth6, in, day)
	}
	seen := map[string]bool{}
	look := func(day models.Date) []models.ScoreSummary {
		list, err := models.GroupEvaluation(ctx, db, mentor, g.ID, day)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range list {
			if !s.Closed && (s.Means != [4]float64{} || s.AnsweredBand != "") {
				t.Errorf("%s: an open round shows %+v", day, s)
			}
			seen[fmt.Sprint(s.Means, s.AnsweredBand)] = true
		}
		p, err := models.ProgrammeEvaluations(ctx, db, admin, prog.ID, day)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range p {
			seen["programme "+fmt.Sprint(s.Means, s.AnsweredBand)] = true
		}
		return list
	}
	for i := 0; i < 5; i++ {
		if err := answer(i, 2, models.NewDate(2027, 3, 2+i)); err != nil {
			t.Fatal(err)
		}
		look(models.NewDate(2027, 3, 2+i))
	}
	if err := answer(5, 5, models.NewDate(2027, 3, 20)); err != nil {
		t.Fatal(err)
	}
	look(models.NewDate(2027, 3, 25))
	closes, _ := models.RoundCloses(g, prog, models.RoundMonth6)
	if closes != models.NewDate(2027, 4, 1) {
		t.Fatalf("the round closes on %s", closes)
	}
	if err := answer(5, 1, closes); err == nil {
		t.Error("an answer on the closing day was taken")
	}
	// Two replicas close the round at once: one result is stored.
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := models.GroupEvaluation(ctx, db, mentor, g.ID, closes); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	final := look(closes)
	if len(final) != 1 || !final[0].Closed || final[0].Suppressed || final[0].Means[0] != 2.5 || final[0].AnsweredBand != "5–9" {
		t.Fatalf("after the close: %+v", final)
	}
	// An answer removed afterwards (erasure) changes nothing.
	if err := db.Where("person_id = ?", mentees[5]).Delete(&models.EvaluationAnswer{}).Error; err != nil {
		t.Fatal(err)
	}
	if later := look(closes.AddMonths(3)); later[0].Means != final[0].Means {
		t.Errorf("the frozen means moved: %+v", later)
	}
	// Over the whole time the mentor saw one set of means (and the
	// pending state), so no two means can be compared.
	means := 0
	for k := range seen {
		if k != "[0 0 0 0]" && !strings.HasPrefix(k, "programme") {
			means++
		}
	}
	if means != 1 {
		t.Errorf("the mentor saw %d different results: %v", means, seen)
	}
	var n int64
	db.Model(&models.EvaluationResult{}).Where("scope = ?", models.ResultGroup).Count(&n)
	if n != 1 {
		t.Errorf("%d results stored for one round", n)
	}

}
