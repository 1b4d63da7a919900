package app_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"crossmentor/app/apptest"
)

// TestBrowserNotices: the mentee sees the unread count in the header,
// opens the list and a notice (which leads to its page and is then read),
// and chooses a daily digest for one kind under My account.
func TestBrowserNotices(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	signIn(t, ctx, srv.URL, "mentee@demo.test")
	before := text(t, ctx, "a.notices .badge")
	if before == "" || before == "0" {
		t.Fatalf("unread count %q", before)
	}
	must(t, "open the list and a notice", chromedp.Do(ctx,
		chromedp.Click(css("a.notices")),
		chromedp.WaitVisible(css("ul.notices li.unread a")),
		chromedp.Click(css("ul.notices li.unread a")),
		chromedp.WaitNotPresent(css("ul.notices")),
	))
	if after := text(t, ctx, "a.notices .badge"); after == before {
		t.Fatalf("the count stayed %s after opening a notice", after)
	}
	must(t, "choose a digest", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/account"),
		chromedp.WaitVisible(css("#h-notices")),
		chromedp.Click(css(`input[name="mode_case_placed"][value="digest"]`)),
		chromedp.Click(css(`form[action="/account/notices"] button[type="submit"]`)),
		chromedp.WaitVisible(css(".flash")),
	))
	screenshot(t, ctx, "notice-settings")
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('input[name="mode_case_placed"][value="digest"]').checked`))
	if err != nil || !checked {
		t.Fatal("the digest choice was not kept")
	}
	if s := text(t, ctx, "#h-notices"); !strings.Contains(s, "Meldingen") {
		t.Fatalf("settings heading %q", s)
	}
}
