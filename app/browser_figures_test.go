package app_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"crossmentor/app/apptest"
)

// TestBrowserFigures: the manager, L&D and a mentor look at the published
// figures in Dutch and English, on a wide screen and a phone: periods to
// choose instead of dates, a legend saying what "< 5" counts, attendance in
// bands, evaluation results only once a round has closed.
func TestBrowserFigures(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	exact := regexp.MustCompile(`(^|[^–0-9])(100|0)%`) // a rate not in a band
	legend := map[string]string{"nl": "minder dan 5 verschillende personen", "en": "fewer than 5 different people"}
	for _, tc := range []struct {
		email string
		pages []string
	}{
		{"manager@demo.test", []string{"/", "/reports/participation", "/dashboard"}},
		{"admin@demo.test", []string{"/reports/participation?by=department", "/dashboard"}},
		{"mentor@demo.test", []string{"/evaluations"}},
	} {
		signIn(t, ctx, srv.URL, tc.email)
		who := strings.SplitN(tc.email, "@", 2)[0]
		for _, lang := range []string{"nl", "en"} {
			for _, width := range []int64{1280, 390} {
				for i, page := range tc.pages {
					sep := "?"
					if strings.Contains(page, "?") {
						sep = "&"
					}
					must(t, page, chromedp.Do(ctx, chromedp.EmulateViewport(width, 900),
						chromedp.Navigate(srv.URL+page+sep+"lang="+lang), chromedp.WaitVisible(css("main"))))
					body := text(t, ctx, "main")
					if page == "/" {
						// The home page has one cached figure and a link, not the report.
						tables, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("main table, main a[href='/reports/participation']").length`))
						must(t, "home", err)
						if tables != 1 {
							t.Errorf("%s %s /: want the report's link and no table, found %d of them", who, lang, tables)
						}
					} else if page != "/evaluations" {
						if !strings.Contains(body, legend[lang]) {
							t.Errorf("%s %s %s: no legend for < 5", who, lang, page)
						}
						cells, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("main td")).map(e => e.innerText).join("\n")`))
						must(t, "cells", err)
						if exact.MatchString(cells) {
							t.Errorf("%s %s %s: an exact 100%% is shown", who, lang, page)
						}
					}
					if strings.Contains(page, "reports") {
						dates, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("main input[type=date]").length`))
						must(t, "date fields", err)
						if dates != 0 || !strings.Contains(body, map[string]string{"nl": "Periode", "en": "Period"}[lang]) {
							t.Errorf("%s %s: the report form has %d date fields", who, lang, dates)
						}
					}
					overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
					must(t, "overflow", err)
					if overflow {
						t.Errorf("%s %s %s at %dpx: the page scrolls sideways", who, lang, page, width)
					}
					screenshot(t, ctx, "figures-"+who+"-"+lang+"-"+itoaWidth(width)+"-"+string(rune('a'+i)))
				}
			}
		}
		signOut(t, ctx)
	}
}

func itoaWidth(w int64) string {
	if w < 500 {
		return "phone"
	}
	return "wide"
}
