package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm/logger"

	"crossmentor/models"
)

// statementCounter counts every statement the app sends to the database;
// with BUDGET_SQL set it prints them, to see where a page's budget goes.
type statementCounter struct {
	logger.Interface
	n atomic.Int64
}

func (c *statementCounter) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	c.n.Add(1)
	if os.Getenv("BUDGET_SQL") != "" {
		sql, _ := fc()
		fmt.Println("SQL:", sql)
	}
}

// TestStatementBudget: each person's page costs a bounded number of
// statements on the demo organisation, session check included; a page that
// starts to query per member or loads what it already has fails here.
func TestStatementBudget(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	var meeting models.Meeting
	if err := db.Where("group_id = ? AND kind = ?", noord, models.KindIntervision).Order("starts_at").First(&meeting).Error; err != nil {
		t.Fatal(err)
	}
	counter := &statementCounter{Interface: logger.Discard}
	db.Logger = counter
	for _, page := range []struct {
		who, path string
		budget    int64
	}{
		// A second visit takes the viewer from the session cache: no session read.
		// The groups' read counts what is waiting (actions due, requests
		// for input, one-on-one requests); a list is read only when its
		// count is not zero.
		{"mentee@demo.test", "/", 3},          // with an action item due this week
		{"ruben.deboer@demo.test", "/", 2},    // nothing due or waiting
		{"pieter.hendriks@demo.test", "/", 3}, // mentor: meetings ahead, the month's hours, groups with their to-do counts
		{"mentor@demo.test", "/", 4},          // and a one-on-one request waiting: is it urgent? (sealed)
		{"manager@demo.test", "/", 0},         // the participation figure is cached
		{"admin@demo.test", "/", 2},           // with the L&D to-do list
		// Access in one statement: the group with its programme and mentor,
		// the viewer's membership and tenures, the mentor terms.
		{"mentee@demo.test", fmt.Sprintf("/groups/%d", noord), 3},
		{"mentor@demo.test", fmt.Sprintf("/groups/%d", noord), 5}, // the composition rules' facts in one statement
		// The meeting and its run, read by the check, are the page's; the
		// people come with their attendance, apologies and roles; the
		// mentor's page proposes roles from one read of the history. The
		// member's page is five reads and the audit of the notes read.
		{"mentee@demo.test", fmt.Sprintf("/meetings/%d", meeting.ID), 6},
		{"mentor@demo.test", fmt.Sprintf("/meetings/%d", meeting.ID), 6},
	} {
		c := as(t, srv, page.who)
		if r := c.Get(page.path); r.Status != http.StatusOK { // a first visit fills what is cached
			t.Fatalf("%s as %s: %d", page.path, page.who, r.Status)
		}
		counter.n.Store(0)
		if r := c.Get(page.path); r.Status != http.StatusOK {
			t.Fatalf("%s as %s: %d", page.path, page.who, r.Status)
		}
		n := counter.n.Load()
		t.Logf("%-20s %-14s %2d statements (budget %d)", page.who, page.path, n, page.budget)
		if n > page.budget {
			t.Errorf("%s as %s: %d statements, budget %d", page.path, page.who, n, page.budget)
		}
	}
}
