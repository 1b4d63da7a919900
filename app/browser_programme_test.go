package app_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestBrowserApplyProposeAccept: a colleague applies for next year's
// cohort; L&D opens the pool, has groups proposed, tries a move the rules
// refuse, and accepts; then reads the dashboard, whose charts are drawn and
// name nobody; the manager sees the smaller dashboard.
func TestBrowserApplyProposeAccept(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	var next models.Programme
	must(t, "next programme", db.Where("status = ?", models.ProgrammePlanned).First(&next).Error)

	signIn(t, ctx, srv.URL, "sem.jacobs@demo.test")
	must(t, "apply", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/apply"),
		chromedp.WaitVisible(css("#learning_need")),
		chromedp.SendKeys(css("#learning_need"), "Beter plannen als alles tegelijk komt"),
		chromedp.SendKeys(css("#themes"), "overzicht houden"),
		chromedp.Click(css("input[name=weekdays][value='2']")),
		chromedp.Click(css("form[action='/apply'] button[type=submit]")),
		chromedp.WaitVisible(css(".flash")),
	))
	screenshot(t, ctx, "apply")
	if s := text(t, ctx, "main"); !strings.Contains(s, "ingediend") {
		t.Fatalf("the application is not listed:\n%s", s)
	}
	signOut(t, ctx)

	signIn(t, ctx, srv.URL, "admin@demo.test")
	must(t, "pool", chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/programmes/%d", srv.URL, next.ID)),
		chromedp.Click(css("a[href$='/pool']")),
		chromedp.WaitVisible(css("form[action$='/proposal'] button")),
	))
	if s := text(t, ctx, "main"); !strings.Contains(s, "Sem Jacobs") || !strings.Contains(s, "mentees 14") {
		t.Fatalf("the pool:\n%s", s)
	}
	screenshot(t, ctx, "pool")
	must(t, "propose", chromedp.Do(ctx,
		script(`window.confirm = () => true`),
		chromedp.Click(css("form[action$='/proposal'] button")),
		chromedp.WaitVisible(css(".group-proposal")),
	))
	screenshot(t, ctx, "proposal")
	groups, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.group-proposal').length`))
	must(t, "count groups", err)
	if groups != 3 {
		t.Fatalf("%d groups proposed, want 3", groups)
	}
	// Lars and Niels share a team: putting Lars in Niels's group is refused.
	lars, niels := personOf(t, db, "lars.willemsen@demo.test"), personOf(t, db, "niels.post@demo.test")
	target, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`document.querySelector('#move-%d option[selected]').value`, niels)))
	must(t, "Niels's group", err)
	must(t, "move", chromedp.Do(ctx,
		chromedp.SetValue(css(fmt.Sprintf("#move-%d", lars)), target),
		chromedp.Click(css(fmt.Sprintf("#person-%d form button", lars))),
		chromedp.WaitVisible(css(".alert.refused")),
	))
	screenshot(t, ctx, "proposal-refused")
	if s := text(t, ctx, ".alert.refused"); !strings.Contains(s, "Software A") {
		t.Errorf("the refusal does not name the team: %s", s)
	}
	must(t, "accept", chromedp.Do(ctx,
		script(`window.confirm = () => true`),
		chromedp.Click(css("form[action$='/proposal/accept'] button")),
		chromedp.WaitVisible(css(".flash")),
	))
	var created int64
	db.Model(&models.MentorGroup{}).Where("programme_id = ?", next.ID).Count(&created)
	if created != 3 {
		t.Fatalf("%d groups created, want 3", created)
	}

	var people []models.Person
	db.Find(&people)
	dashboard := func(wantCharts int) {
		t.Helper()
		must(t, "dashboard", chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/dashboard"),
			chromedp.WaitVisible(css("svg.chart")),
		))
		charts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('svg.chart').length`))
		must(t, "charts", err)
		drawn, err := chromedp.Run(ctx, chromedp.Evaluate[int](
			`[...document.querySelectorAll('svg.chart')].filter(s => s.querySelector('rect.bar') && s.getBoundingClientRect().height > 100).length`))
		must(t, "bars", err)
		if charts != wantCharts || drawn != wantCharts {
			t.Errorf("%d charts, %d drawn; want %d", charts, drawn, wantCharts)
		}
		main := text(t, ctx, "main")
		for _, p := range people {
			if p.Name != "Femke Willems" && p.Name != "Karin Jansen" && strings.Contains(main, p.Name) {
				t.Errorf("the dashboard names %s", p.Name)
			}
		}
	}
	dashboard(4)
	screenshot(t, ctx, "dashboard-admin")
	signOut(t, ctx)
	signIn(t, ctx, srv.URL, "manager@demo.test")
	dashboard(2)
	screenshot(t, ctx, "dashboard-manager")
}

func personOf(t *testing.T, db *gorm.DB, email string) uint {
	t.Helper()
	var id uint
	must(t, email, db.Model(&models.Person{}).Where("email = ?", email).Pluck("id", &id).Error)
	return id
}
