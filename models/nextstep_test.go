package models_test

import (
	"context"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestNextStep: of a to-do list, the most pressing item comes first.
func TestNextStep(t *testing.T) {
	overdue := models.TodoItem{Kind: models.TodoAction, Overdue: true, Text: "late"}
	soon := models.TodoItem{Kind: models.TodoAction, Text: "soon"}
	attendance := models.TodoItem{Kind: models.TodoAttendance}
	intake := models.TodoItem{Kind: models.TodoIntake, Count: 1}
	pollDone := models.TodoItem{Kind: models.TodoPoll, Count: 5, Of: 5}
	pollWaiting := models.TodoItem{Kind: models.TodoPoll, Count: 2, Of: 5}
	first := models.TodoItem{Kind: models.TodoFirstPoll}
	cases := models.TodoItem{Kind: models.TodoCases, Count: 2}
	plan := models.TodoItem{Kind: models.TodoPlan}
	answer := models.TodoItem{Kind: models.TodoAnswerPoll}
	cases2 := models.TodoItem{Kind: models.TodoCases, Count: 1, GroupName: "second"}
	tests := []struct {
		name  string
		items []models.TodoItem
		want  models.TodoItem
	}{
		{"overdue action first", []models.TodoItem{plan, cases, attendance, overdue}, overdue},
		{"attendance before intake", []models.TodoItem{intake, soon, attendance}, attendance},
		{"intake before a finished poll", []models.TodoItem{pollDone, intake}, intake},
		{"a finished poll before a first date", []models.TodoItem{first, pollDone}, pollDone},
		{"answering a poll before cases", []models.TodoItem{cases, answer}, answer},
		{"a new group picks its first date before cases", []models.TodoItem{cases, first, plan}, first},
		{"cases before an action due soon", []models.TodoItem{soon, cases}, cases},
		{"an action due soon before planning", []models.TodoItem{plan, soon}, soon},
		{"planning before a poll still waiting", []models.TodoItem{pollWaiting, plan}, plan},
		{"the first of equals", []models.TodoItem{cases, cases2}, cases},
		{"one item", []models.TodoItem{pollWaiting}, pollWaiting},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := models.NextStep(tc.items)
			if !ok || got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	if _, ok := models.NextStep(nil); ok {
		t.Error("a next step from an empty list")
	}
}

// TestMentorTodoFirstPoll: a group that never met and has nothing planned
// asks for the date poll, not for a series.
func TestMentorTodoFirstPoll(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	mentor := models.Viewer{PersonID: demoPerson(t, db, "mentor@demo.test"), Mentor: true}
	var planned models.Programme
	if err := db.Where("status = ?", models.ProgrammePlanned).First(&planned).Error; err != nil {
		t.Fatal(err)
	}
	fresh := models.MentorGroup{ProgrammeID: planned.ID, MentorID: mentor.PersonID, Name: "Groep Nieuw", Status: models.GroupForming}
	if err := db.Create(&fresh).Error; err != nil {
		t.Fatal(err)
	}
	items, err := models.MentorTodo(ctx, db, mentor, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, it := range items {
		if it.GroupID != fresh.ID {
			continue
		}
		if it.Kind == models.TodoPlan {
			t.Errorf("a new group is sent to plan its series: %+v", it)
		}
		if it.Kind == models.TodoFirstPoll && it.Link == "/groups/"+itoa(fresh.ID)+"/poll" {
			found = true
		}
	}
	if !found {
		t.Errorf("no date poll for the new group: %+v", items)
	}
}
