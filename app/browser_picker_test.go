package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestBrowserPersonSearch: in an organisation above the select limit, the
// admin types part of a name into the mentor field, is offered the
// matching people and creates the group with the one chosen.
func TestBrowserPersonSearch(t *testing.T) {
	db := apptest.Demo(t)
	a := apptest.New(t, db)
	a.Handlers.SelectLimit = 3
	srv := apptest.Serve(t, a)
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	signIn(t, ctx, srv.URL, "admin@demo.test")
	must(t, "type a name", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/programmes/1"),
		chromedp.WaitVisible(css("#mentor_id")),
		chromedp.SendKeys(css("#name"), "Groep Zuidas"),
		chromedp.SendKeys(css("#mentor_id"), "hann"),
	))
	var offered string
	for deadline := time.Now().Add(5 * time.Second); offered == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var err error
		offered, err = chromedp.Run(ctx, chromedp.Evaluate[string](
			`Array.from(document.querySelectorAll('#mentor-people option')).map(o => o.value + '|' + o.label).join(';')`))
		must(t, "read the suggestions", err)
	}
	if offered != "hanneke.smits@demo.test|Hanneke Smits (HR)" {
		t.Fatalf("suggestions %q", offered)
	}
	screenshot(t, ctx, "person-search")
	must(t, "choose and create", chromedp.Do(ctx,
		script(`document.getElementById('mentor_id').value = 'hanneke.smits@demo.test'`),
		chromedp.Click(css("form[action='/programmes/1/groups'] button[type=submit]")),
		chromedp.WaitVisible(css(".flash")),
	))
	if s := text(t, ctx, "main"); !strings.Contains(s, "Hanneke Smits") || !strings.Contains(s, "Groep Zuidas") {
		t.Fatalf("the new group does not show its mentor:\n%s", s)
	}
	var g models.MentorGroup
	must(t, "the group", db.Preload("Mentor").Where("name = ?", "Groep Zuidas").First(&g).Error)
	if g.Mentor.Email != "hanneke.smits@demo.test" {
		t.Fatalf("mentor %s", g.Mentor.Email)
	}
}
