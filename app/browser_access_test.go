package app_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestBrowserMentorChange: L&D gives Groep Noord a new mentor with the group
// form; the members see the change on the group page, and the new mentor
// opens an earlier meeting without its notes, told why, in Dutch and English.
func TestBrowserMentorChange(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	var g models.MentorGroup
	if err := db.Where("name = ?", "Groep Noord").First(&g).Error; err != nil {
		t.Fatal(err)
	}
	var hanneke models.Person
	if err := db.Where("email = ?", "hanneke.smits@demo.test").First(&hanneke).Error; err != nil {
		t.Fatal(err)
	}
	var held models.Meeting
	if err := db.Where("group_id = ? AND notes <> ''", g.ID).Order("starts_at").First(&held).Error; err != nil {
		t.Fatal(err)
	}

	signIn(t, ctx, srv.URL, "admin@demo.test")
	must(t, "change the mentor", chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/groups/%d", srv.URL, g.ID)),
		chromedp.WaitVisible(css("#mentor_id")),
		chromedp.SetValue(css("#mentor_id"), fmt.Sprint(hanneke.ID)),
		chromedp.Submit(css("#mentor_id")),
		chromedp.WaitVisible(css("#h-mentors")),
	))
	if got := text(t, ctx, "#h-mentors"); got != "Mentoren van deze groep" {
		t.Errorf("the group page heading for mentors: %q", got)
	}
	signOut(t, ctx)

	signIn(t, ctx, srv.URL, "mentee@demo.test")
	must(t, "the member's group page", chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(fmt.Sprintf("%s/groups/%d", srv.URL, g.ID)),
		chromedp.WaitVisible(css("#h-mentors")),
	))
	if list := text(t, ctx, "main"); !strings.Contains(list, "Hanneke Smits") || !strings.Contains(list, "Marieke de Vries") {
		t.Errorf("the member does not see both mentors: %q", list)
	}
	screenshot(t, ctx, "mentor-change-member")
	signOut(t, ctx)

	signIn(t, ctx, srv.URL, "hanneke.smits@demo.test")
	for _, lang := range []struct{ code, want string }{
		{"nl", "vóór je komst"}, {"en", "before you joined"},
	} {
		must(t, "an earlier meeting", chromedp.Do(ctx,
			chromedp.Navigate(fmt.Sprintf("%s/meetings/%d?lang=%s", srv.URL, held.ID, lang.code)),
			chromedp.WaitVisible(css("#h-notes")),
		))
		section := text(t, ctx, "section[aria-labelledby=h-notes]")
		if !strings.Contains(section, lang.want) {
			t.Errorf("%s: the notes section does not say why it is empty: %q", lang.code, section)
		}
		if strings.Contains(text(t, ctx, "main"), "dashboard dat niemand") {
			t.Errorf("%s: the new mentor reads the earlier notes", lang.code)
		}
		screenshot(t, ctx, "mentor-change-earlier-meeting-"+lang.code)
	}
}
