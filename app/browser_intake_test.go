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

// TestBrowserIntakePlan: the mentor opens a candidate's intake from the
// group page, plans it and sees when and where on the page; calling it off
// asks first (declining keeps it), and once confirmed it is gone.
func TestBrowserIntakePlan(t *testing.T) {
	db := apptest.Demo(t)
	var ms models.Membership
	if err := db.Joins("JOIN people p ON p.id = memberships.person_id").Joins("JOIN mentor_groups g ON g.id = memberships.group_id").
		Where("p.email = ? AND g.name = ?", "mentee@demo.test", "Groep Noord").Take(&ms).Error; err != nil {
		t.Fatal(err)
	}
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	link := fmt.Sprintf(`a[href="/memberships/%d/intake"]`, ms.ID)
	date := time.Now().AddDate(0, 0, 9).Format("2006-01-02")
	signIn(t, ctx, srv.URL, "mentor@demo.test")
	must(t, "plan", chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/groups/%d", srv.URL, ms.GroupID)),
		chromedp.WaitVisible(css(link)),
		chromedp.Click(css(link)),
		chromedp.WaitVisible(css("#intake-plan")),
		script(`document.querySelector('#plan-date').value = '`+date+`'; document.querySelector('#plan-start').value = '10:30'`),
		chromedp.SendKeys(css("#plan-location"), "Kamer 2.14"),
		chromedp.Click(css(`#intake-plan form[action$="/intake/schedule"] button[type=submit]`)),
		chromedp.WaitVisible(css("#intake-when")),
	))
	if s := text(t, ctx, "#intake-when"); !strings.Contains(s, "10:30") || !strings.Contains(s, "Kamer 2.14") {
		t.Fatalf("the planned intake reads %q", s)
	}
	screenshot(t, ctx, "intake-planned")
	cancel := css(`#intake-plan form[action$="/intake/cancel"] button`)
	must(t, "call off, then think better of it", chromedp.Do(ctx,
		script(`window.confirm = q => { window.asked = q; return false }`),
		chromedp.Click(cancel),
	))
	asked, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.asked || ''`))
	if err != nil || !strings.Contains(asked, "afzeggen") {
		t.Fatalf("no confirmation asked (%q, %v)", asked, err)
	}
	if s := text(t, ctx, "#intake-when"); !strings.Contains(s, "Kamer 2.14") {
		t.Fatal("declining the confirmation called the intake off")
	}
	must(t, "call off", chromedp.Do(ctx,
		script(`window.confirm = () => true`),
		chromedp.Click(cancel),
		chromedp.WaitNotPresent(css("#intake-when")),
		chromedp.WaitVisible(css("#intake-plan .muted")),
	))
	var a models.IntakeAppointment
	if err := db.Where("membership_id = ?", ms.ID).Take(&a).Error; err != nil || a.Status != models.IntakeCancelled {
		t.Fatalf("after calling off: %+v, %v", a, err)
	}
}
