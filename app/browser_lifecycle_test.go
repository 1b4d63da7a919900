package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestBrowserPollWithMentorAndNoDateFits: the mentor's own answers count in
// the date poll; while no date suits everyone the page says so with the
// closest dates; once one does it is marked, "if need be" shown as such,
// and who answered what is readable without hovering.
func TestBrowserPollWithMentorAndNoDateFits(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	var west models.MentorGroup
	must(t, "group", db.Where("name = ?", "Groep West").First(&west).Error)
	poll := fmt.Sprintf("%s/groups/%d/poll", srv.URL, west.ID)

	signIn(t, ctx, srv.URL, "iris.vanleeuwen@demo.test")
	must(t, "open the poll", chromedp.Do(ctx, chromedp.Navigate(poll), chromedp.WaitVisible(css("#poll-none-fits"))))
	if s := text(t, ctx, "#poll-answered"); !strings.Contains(s, "2 van 4") {
		t.Fatalf("before the mentor answers: %q", s)
	}
	must(t, "the mentor answers", chromedp.Do(ctx,
		script(`document.querySelectorAll('table.answers select').forEach(s => s.value = 'yes')`),
		chromedp.Click(css("form[action$='/poll/answers'] button[type=submit]")),
		chromedp.WaitVisible(css(".flash")),
	))
	if s := text(t, ctx, "#poll-answered"); !strings.Contains(s, "3 van 4") {
		t.Fatalf("the mentor's answer is not counted: %q", s)
	}
	if s := text(t, ctx, "#poll-none-fits"); !strings.Contains(s, "Geen datum past bij iedereen") {
		t.Fatalf("no date fits yet, the page says %q", s)
	}
	screenshot(t, ctx, "lifecycle-01-poll-none-fits")
	signOut(t, ctx)

	signIn(t, ctx, srv.URL, "fleur.degroot@demo.test")
	must(t, "Fleur answers", chromedp.Do(ctx,
		chromedp.Navigate(poll),
		chromedp.WaitVisible(css("table.answers select")),
		script(`document.querySelectorAll('table.answers select').forEach(s => s.value = 'yes')`),
		chromedp.Click(css("form[action$='/poll/answers'] button[type=submit]")),
		chromedp.WaitVisible(css(".flash")),
	))
	table := text(t, ctx, "table.answers")
	if !strings.Contains(table, "iedereen kan (als het moet)") || !strings.Contains(table, "Bram Meijer") {
		t.Fatalf("the date everyone can make, some if need be, with names:\n%s", table)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('#poll-none-fits')`))
	must(t, "none-fits", err)
	if shown {
		t.Fatal("'no date fits' is still shown")
	}
	screenshot(t, ctx, "lifecycle-02-poll-fits")
}

// TestBrowserReplanMovesWorkVisit: the mentor moves the series to Thursdays;
// the preview says which meetings move with everything on them, and after
// saving the work visit keeps its details on its new Thursday.
func TestBrowserReplanMovesWorkVisit(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	var noord models.MentorGroup
	must(t, "group", db.Where("name = ?", "Groep Noord").First(&noord).Error)
	var visit models.Meeting
	must(t, "visit", db.Where("group_id = ? AND kind = ?", noord.ID, models.KindWorkVisit).First(&visit).Error)
	if visit.StartsAt.Before(time.Now()) {
		t.Skip("the demo's work visit is past")
	}
	signIn(t, ctx, srv.URL, "mentor@demo.test")
	must(t, "preview Thursdays", chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/groups/%d/series", srv.URL, noord.ID)),
		chromedp.WaitVisible(css("#first_on")),
		chromedp.SetValue(css("#first_on"), time.Now().AddDate(0, 0, 1).Format("2006-01-02")),
		chromedp.SetValue(css("#weekday"), "4"),
		chromedp.Click(css("form[action$='/series/preview'] button[type=submit]")),
		chromedp.WaitVisible(css("#series-moves")),
	))
	if s := text(t, ctx, "#series-moves-list"); !strings.Contains(s, "Klant Contact Centrum") {
		t.Fatalf("the preview does not show the work visit moving:\n%s", s)
	}
	screenshot(t, ctx, "lifecycle-03-replan-preview")
	must(t, "save", chromedp.Do(ctx,
		chromedp.Click(css("form[action$='/series'] button[type=submit]")),
		chromedp.WaitVisible(css("#h-month")),
	))
	var after models.Meeting
	must(t, "visit after", db.First(&after, visit.ID).Error)
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	if after.Kind != models.KindWorkVisit || after.Host != visit.Host || after.Purpose != visit.Purpose ||
		after.StartsAt.In(ams).Weekday() != time.Thursday {
		t.Fatalf("the work visit after replanning: %s %s %q", after.Kind, after.StartsAt.In(ams).Weekday(), after.Host)
	}
	must(t, "open the visit", chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/meetings/%d", srv.URL, visit.ID)), chromedp.WaitVisible(css("h1"))))
	if s := text(t, ctx, "main"); !strings.Contains(s, "Klant Contact Centrum") {
		t.Fatal("the moved work visit's page lost its details")
	}
}
