package app_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// axeRun runs the vendored axe-core over the page it is injected into and
// returns its serious and critical findings.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r =>
	r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
	 .map(v => v.impact + " " + v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")))`

// firstID returns the id of the first row a query finds, or fails.
func firstID(t *testing.T, what string, q *gorm.DB) uint {
	t.Helper()
	var id uint
	if err := q.Limit(1).Pluck("id", &id).Error; err != nil || id == 0 {
		t.Fatalf("%s: %v", what, err)
	}
	return id
}

// TestBrowserAxeEveryPage runs axe-core over one page of every page type
// as each demo role (and signed out), in Dutch and English, on a phone and
// a laptop: no serious or critical finding. One browser does it all. A
// page is the same in both widths but for its layout and the same in both
// languages but for its words, so each page is checked in Dutch on a phone
// (390 px) and in English on a laptop (1280 px): both languages and both
// widths, in half the time of all four pairs (this test runs twice in CI).
func TestBrowserAxeEveryPage(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	src, err := os.ReadFile("testdata/axe/axe.min.js")
	must(t, "read axe-core", err)

	planned := plannedMeeting(t, db)
	noord := firstID(t, "Groep Noord", db.Model(&models.MentorGroup{}).Where("name = ?", "Groep Noord"))
	intake := firstID(t, "a candidate", db.Model(&models.Membership{}).Where("group_id = ? AND status = ?", noord, models.StatusCandidate))
	held := firstID(t, "a held meeting", db.Model(&models.Meeting{}).Where("group_id = ? AND status = ?", noord, models.MeetingHeld).Order("starts_at DESC"))
	oneOnOne := firstID(t, "a one-on-one", db.Model(&models.OneOnOne{}).Order("id"))
	caseID := firstID(t, "a case", db.Model(&models.CaseQuestion{}).Where("group_id = ?", noord).Order("id"))
	pending := firstID(t, "a planned programme", db.Model(&models.Programme{}).Where("status = ?", models.ProgrammePlanned))
	person := firstID(t, "a person", db.Model(&models.Person{}).Where("email = ?", "mentee@demo.test"))
	g, m, c, p := fmt.Sprint(noord), fmt.Sprint(planned), fmt.Sprint(caseID), fmt.Sprint(pending)

	roles := []struct {
		email string // "" signed out
		pages []string
	}{
		{"", []string{"/signin", "/password/forgot"}},
		{"admin@demo.test", []string{"/", "/people", "/people/" + fmt.Sprint(person), "/people/new", "/people/import",
			"/teams", "/projects", "/programmes", "/programmes/new", "/programmes/" + p, "/programmes/" + p + "/edit",
			"/programmes/" + p + "/pool", "/programmes/" + p + "/proposal", "/groups/" + g, "/groups/" + g + "/calendar",
			"/settings", "/audit", "/mailbox", "/jobs", "/dashboard", "/dashboard/print", "/reports/participation",
			"/mentor-time", "/notices", "/account", "/apply", "/shared"}},
		{"mentor@demo.test", []string{"/", "/groups/" + g, "/memberships/" + fmt.Sprint(intake) + "/intake",
			"/groups/" + g + "/poll", "/groups/" + g + "/series", "/groups/" + g + "/goals", "/groups/" + g + "/cases",
			"/cases/" + c, "/meetings/" + m, "/meetings/" + fmt.Sprint(held), "/meetings/" + m + "/print",
			"/one-on-ones", "/one-on-ones/" + fmt.Sprint(oneOnOne), "/evaluations", "/input", "/notices"}},
		{"mentee@demo.test", []string{"/", "/groups/" + g, "/groups/" + g + "/calendar", "/goals", "/consents",
			"/meetings/" + m, "/cases/" + c, "/one-on-ones", "/evaluations", "/input", "/account"}},
		{"manager@demo.test", []string{"/", "/dashboard", "/reports/participation", "/shared"}},
	}
	ctx := browser(t)
	// axe-core comes with every document the browser opens from now on.
	must(t, "add axe-core", chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: string(src)})
		return err
	})))
	start := time.Now()
	var navigating, checking time.Duration
	checked := 0
	for _, role := range roles {
		who := "signed out"
		if role.email != "" {
			who = role.email
			signIn(t, ctx, srv.URL, role.email)
		}
		for _, width := range []int64{390, 1280} {
			must(t, "viewport", chromedp.Do(ctx, chromedp.EmulateViewport(width, 844)))
			for _, lang := range []string{"nl", "en"} {
				if (lang == "nl") != (width == 390) {
					continue
				}
				for _, path := range role.pages {
					sep := "?"
					if strings.Contains(path, "?") {
						sep = "&"
					}
					name := fmt.Sprintf("%s %s (%s, %d px)", who, path, lang, width)
					t0 := time.Now()
					must(t, name, chromedp.Do(ctx,
						chromedp.Navigate(srv.URL+path+sep+"lang="+lang),
						chromedp.WaitReady(chromedp.CSS("body")),
					))
					t1 := time.Now()
					found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
					navigating, checking = navigating+t1.Sub(t0), checking+time.Since(t1)
					must(t, "axe-core on "+name, err)
					if len(found) > 0 {
						t.Errorf("%s:\n  %s", name, strings.Join(found, "\n  "))
					}
					checked++
				}
			}
		}
		if role.email != "" {
			must(t, "viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
			signOut(t, ctx)
		}
	}
	t.Logf("axe-core checked %d pages in %s (loading %s, checking %s)", checked, time.Since(start).Round(time.Second),
		navigating.Round(time.Second), checking.Round(time.Second))
}
