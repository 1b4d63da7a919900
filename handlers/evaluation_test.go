package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/models"
)

// answer fills in a round for a demo person through the model.
func answer(t *testing.T, db *gorm.DB, email, group string, scores [4]int, open string) {
	t.Helper()
	v := models.Viewer{PersonID: personID(t, db, email)}
	in := models.EvaluationInput{Score1: scores[0], Score2: scores[1], Score3: scores[2], Score4: scores[3], Open: open}
	if err := models.SubmitEvaluation(t.Context(), db, v, groupID(t, db, group), models.RoundMonth6, in, models.NewDate(2027, 3, 15)); err != nil {
		t.Fatalf("%s: %v", email, err)
	}
}

// TestEvaluationVisibility: the author sees their own answers; the mentor
// sees the group's means only from five answers; admins and managers see
// programme means from five; open answers reach admins without names from
// ten, and managers never.
func TestEvaluationVisibility(t *testing.T) {
	a, db, srv := demo(t)
	a.Handlers.Now = func() time.Time { return time.Date(2027, 3, 15, 10, 0, 0, 0, time.UTC) }
	zuid := groupID(t, db, "Groep Zuid")
	storedAnswers := count(t, db, &models.EvaluationAnswer{}) // last year's, in the demo
	ruben := as(t, srv, "ruben.deboer@demo.test")
	page := ruben.Get("/evaluations")
	if !contains(page.Body, "Groep Zuid: na zes maanden") || !contains(page.Body, `name="score4"`) {
		t.Fatalf("Ruben's evaluation form is missing")
	}
	path := "/groups/" + itoa(zuid) + "/evaluations/month6"
	if r := ruben.PostForm(path, url.Values{"score1": {"6"}, "score2": {"3"}, "score3": {"3"}, "score4": {"3"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("a score of 6: %d", r.Status)
	}
	if r := ruben.PostForm("/groups/"+itoa(zuid)+"/evaluations/month12", url.Values{"score1": {"3"}, "score2": {"3"}, "score3": {"3"}, "score4": {"3"}}); r.Status != http.StatusNotFound {
		t.Errorf("a round not yet open: %d", r.Status)
	}
	if r := as(t, srv, "mentee@demo.test").PostForm(path, url.Values{"score1": {"3"}, "score2": {"3"}, "score3": {"3"}, "score4": {"3"}}); r.Status != http.StatusNotFound {
		t.Errorf("a mentee of another group answering: %d", r.Status)
	}
	if count(t, db, &models.EvaluationAnswer{}) != storedAnswers {
		t.Fatal("a refused answer was stored")
	}
	form := url.Values{"score1": {"4"}, "score2": {"5"}, "score3": {"3"}, "score4": {"4"}, "open": {"Rubens eigen woorden"}}
	if r := ruben.PostForm(path, form); r.Status != http.StatusSeeOther {
		t.Fatalf("Ruben answers: %d %s", r.Status, r.Body)
	}
	if r := ruben.PostForm(path, form); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("answering twice: %d", r.Status)
	}
	if page := ruben.Get("/evaluations"); !contains(page.Body, "Rubens eigen woorden") {
		t.Error("Ruben does not see his own answer")
	}
	for _, e := range []string{"noor.dekker@demo.test", "thijs.vandijk@demo.test", "emma.bos@demo.test"} {
		answer(t, db, e, "Groep Zuid", [4]int{2, 3, 4, 5}, "Open van "+e)
	}
	pieter := as(t, srv, "pieter.hendriks@demo.test")
	answer(t, db, "jesse.vos@demo.test", "Groep Zuid", [4]int{2, 3, 4, 5}, "")
	// Five answers, but the round is still open: the mentor sees no means,
	// so the means after five and after six answers can never be compared.
	if page := pieter.Get("/evaluations"); contains(page.Body, "2,4") || !contains(page.Body, "uitslag vanaf 2027-04-01") {
		t.Error("the mentor sees means before the round closed")
	}
	ctx := t.Context()
	adminV := models.Viewer{PersonID: personID(t, db, "admin@demo.test"), Admin: true}
	managerV := models.Viewer{PersonID: personID(t, db, "manager@demo.test"), Manager: true}
	menteeV := models.Viewer{PersonID: personID(t, db, "noor.dekker@demo.test"), Mentee: true}
	var zuidGroup models.MentorGroup
	db.First(&zuidGroup, zuid)
	current := zuidGroup.ProgrammeID
	open := models.NewDate(2027, 3, 15)
	if _, err := models.ProgrammeEvaluations(ctx, db, menteeV, current, open); err != models.ErrNotFound {
		t.Errorf("a mentee reads programme aggregates: %v", err)
	}
	if list, _ := models.ProgrammeEvaluations(ctx, db, adminV, current, open); len(list) != 0 {
		t.Errorf("programme results before the close: %+v", list)
	}
	for _, e := range []string{"ahmed.elamrani@demo.test", "lotte.visser@demo.test", "daan.smit@demo.test", "yara.mulder@demo.test"} {
		answer(t, db, e, "Groep Noord", [4]int{5, 5, 5, 5}, "Open van "+e)
	}
	answer(t, db, "anouk.peters@demo.test", "Groep West", [4]int{3, 3, 3, 3}, "Open van anouk")
	answer(t, db, "bram.meijer@demo.test", "Groep West", [4]int{3, 3, 3, 3}, "Open van bram")
	// The mentor's own answer is a mentor aggregate of one: suppressed.
	answer(t, db, "pieter.hendriks@demo.test", "Groep Zuid", [4]int{4, 4, 4, 4}, "")

	// The round closes on 1 April: the results are worked out once.
	a.Handlers.Now = func() time.Time { return time.Date(2027, 4, 1, 9, 0, 0, 0, time.UTC) }
	pieter = as(t, srv, "pieter.hendriks@demo.test") // a fresh session at the new time
	page = pieter.Get("/evaluations")
	// Means of (4,5,3,4) and four times (2,3,4,5): 2,4, 3,4, 3,8, 4,8 (a Dutch page).
	for _, want := range []string{"2,4", "3,4", "3,8", "4,8", "5–9 antwoorden"} {
		if !contains(page.Body, want) {
			t.Errorf("the mentor's page lacks %s", want)
		}
	}
	if contains(page.Body, "Rubens eigen woorden") || contains(page.Body, "Open van") {
		t.Error("the mentor sees open answers")
	}
	// After the close: no answer is taken, and an answer that disappears
	// (an erasure) changes nothing anyone sees.
	if r := as(t, srv, "noor.dekker@demo.test").PostForm(path, form); r.Status != http.StatusUnprocessableEntity || !contains(r.Body, "gesloten") {
		t.Errorf("an answer after the close: %d", r.Status)
	}
	if err := db.Where("group_id = ? AND person_id = ?", zuid, personID(t, db, "jesse.vos@demo.test")).Delete(&models.EvaluationAnswer{}).Error; err != nil {
		t.Fatal(err)
	}
	if again := pieter.Get("/evaluations"); !contains(again.Body, "2,4") || !contains(again.Body, "4,8") {
		t.Error("the frozen means changed after an answer was removed")
	}
	closed := models.NewDate(2027, 4, 1)
	programmeOpen := func(v models.Viewer) (models.ScoreSummary, bool) {
		list, err := models.ProgrammeEvaluations(ctx, db, v, current, closed)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range list {
			if s.Role == models.ApplyAsMentee && s.Round == models.RoundMonth6 {
				return s, true
			}
		}
		return models.ScoreSummary{}, false
	}
	s, ok := programmeOpen(adminV)
	if !ok || s.Suppressed || s.AnsweredBand != "10–19" || len(s.Open) != 9 && len(s.Open) != 10 {
		t.Fatalf("admin after the close: %+v", s)
	}
	for _, o := range s.Open {
		if strings.Contains(o, "Ruben de Boer") {
			t.Error("an open answer carries a name")
		}
		if !strings.HasPrefix(o, "Open van ") && o != "Rubens eigen woorden" {
			t.Errorf("open answer %q is not the text given", o)
		}
	}
	m, _ := programmeOpen(managerV)
	if m.Suppressed || m.AnsweredBand != "10–19" || m.Open != nil {
		t.Errorf("manager: %+v", m)
	}
	list, _ := models.ProgrammeEvaluations(ctx, db, adminV, current, closed)
	for _, s := range list {
		if s.Role == models.ApplyAsMentor && !s.Suppressed {
			t.Errorf("one mentor's answer is shown: %+v", s)
		}
	}
	var stored int64
	db.Model(&models.EvaluationResult{}).Where("scope = ? AND scope_id = ?", models.ResultProgramme, current).Count(&stored)
	if _, err := models.ProgrammeEvaluations(ctx, db, adminV, current, closed.AddMonths(2)); err != nil {
		t.Fatal(err)
	}
	var again int64
	db.Model(&models.EvaluationResult{}).Where("scope = ? AND scope_id = ?", models.ResultProgramme, current).Count(&again)
	if stored == 0 || again != stored {
		t.Errorf("programme results stored %d times, then %d", stored, again)
	}
}
