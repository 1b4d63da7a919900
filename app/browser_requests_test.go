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

// TestBrowserOneOnOneRequests: all through the pages, a mentee asks for a
// one-on-one three times: the mentor accepts one of the proposed times;
// counters an urgent request, which the mentee accepts; and declines the
// third with a message that the mentee reads.
func TestBrowserOneOnOneRequests(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	var noord models.MentorGroup
	if err := db.Where("name = ?", "Groep Noord").First(&noord).Error; err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	day := func(n int) string { return time.Now().In(loc).AddDate(0, 0, n).Format("2006-01-02") }
	p := fmt.Sprintf("#r%d-", noord.ID)
	askForm := fmt.Sprintf("form[action='/groups/%d/one-on-one-requests']", noord.ID)
	location := func() string {
		t.Helper()
		u, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(u, srv.URL)
	}
	// ask files a request as Sanne and returns its page.
	ask := func(name string, fill ...chromedp.Action[chromedp.Void]) string {
		t.Helper()
		signIn(t, ctx, srv.URL, "mentee@demo.test")
		steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(srv.URL + "/one-on-ones"), chromedp.WaitVisible(css(askForm))}
		steps = append(steps, fill...)
		steps = append(steps, chromedp.Click(css(askForm+" button[type=submit]")), chromedp.WaitVisible(css("#request-status")))
		must(t, name, chromedp.Do(ctx, steps...))
		path := location()
		signOut(t, ctx)
		return path
	}
	answer := func(path, action string) {
		t.Helper()
		form := fmt.Sprintf("form[action='%s']:has(input[name=action][value=%s])", path, action)
		must(t, action, chromedp.Do(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(css(form)),
			chromedp.Click(css(form+" button[type=submit]")), chromedp.WaitVisible(css(".flash"))))
	}

	// 1. Two times proposed; the mentor takes the second.
	first := ask("ask with two times",
		chromedp.SetValue(css(p+"date1"), day(3)), chromedp.SetValue(css(p+"time1"), "10:00"),
		chromedp.SetValue(css(p+"date2"), day(4)), chromedp.SetValue(css(p+"time2"), "14:30"),
		chromedp.SendKeys(css(p+"theme"), "Hoe houd ik mijn werkweek overzichtelijk"))
	signIn(t, ctx, srv.URL, "mentor@demo.test")
	must(t, "choose the second time", chromedp.Do(ctx, chromedp.Navigate(srv.URL+first),
		chromedp.WaitVisible(css("#h-accept")), chromedp.Click(css("input[name=option][value='2']"))))
	if s := text(t, ctx, "main"); !strings.Contains(s, "Hoe houd ik mijn werkweek overzichtelijk") {
		t.Error("the mentor does not see the theme")
	}
	must(t, "accept", chromedp.Do(ctx, chromedp.Click(css("form:has(input[name=action][value=accept]) button[type=submit]")),
		chromedp.WaitVisible(css(".flash"))))
	if loc := location(); !strings.HasPrefix(loc, "/one-on-ones/") {
		t.Fatalf("after accepting: %s, want the one-on-one", loc)
	}
	if s := text(t, ctx, "main"); !strings.Contains(s, "14:30") {
		t.Errorf("the one-on-one is not at the second time: %s", s)
	}
	signOut(t, ctx)

	// 2. As soon as possible: urgent on the mentor's home page; she counters, Sanne accepts.
	second := ask("ask urgently", chromedp.Click(css(p+"asap")))
	signIn(t, ctx, srv.URL, "mentor@demo.test")
	must(t, "the urgent request on the home page", chromedp.Do(ctx,
		chromedp.WaitVisible(css("#urgent-requests a[href='"+second+"']")),
		chromedp.Click(css("#urgent-requests a[href='"+second+"']")),
		chromedp.WaitVisible(css("#counter-date")),
		chromedp.SetValue(css("#counter-date"), day(2)), chromedp.SetValue(css("#counter-time"), "16:00"),
		chromedp.Click(css("form:has(input[name=action][value=counter]) button[type=submit]")),
		chromedp.WaitVisible(css("#counter")),
	))
	screenshot(t, ctx, "request-countered")
	signOut(t, ctx)
	signIn(t, ctx, srv.URL, "mentee@demo.test")
	answer(second, "accept_counter")
	if loc := location(); !strings.HasPrefix(loc, "/one-on-ones/") {
		t.Fatalf("after accepting the counter-proposal: %s", loc)
	}
	if s := text(t, ctx, "main"); !strings.Contains(s, "16:00") {
		t.Errorf("the one-on-one is not at the mentor's time: %s", s)
	}
	signOut(t, ctx)

	// 3. Declined with a message for Sanne.
	third := ask("ask once more", chromedp.SetValue(css(p+"date1"), day(5)), chromedp.SetValue(css(p+"time1"), "09:00"))
	signIn(t, ctx, srv.URL, "mentor@demo.test")
	must(t, "decline", chromedp.Do(ctx, chromedp.Navigate(srv.URL+third), chromedp.WaitVisible(css("#decline-message")),
		chromedp.SendKeys(css("#decline-message"), "Laten we dit in de groep oppakken"),
		script(`window.confirm = () => true`),
		chromedp.Click(css("form:has(input[name=action][value=decline]) button[type=submit]")),
		chromedp.WaitVisible(css(".flash"))))
	signOut(t, ctx)
	signIn(t, ctx, srv.URL, "mentee@demo.test")
	must(t, "read the answer", chromedp.Do(ctx, chromedp.Navigate(srv.URL+third), chromedp.WaitVisible(css("#h-message"))))
	if s := text(t, ctx, "main"); !strings.Contains(s, "Laten we dit in de groep oppakken") || !strings.Contains(s, "Afgewezen") {
		t.Errorf("Sanne's view of the declined request: %s", s)
	}
	screenshot(t, ctx, "request-declined")

	var statuses []string
	db.Model(&models.OneOnOneRequest{}).Order("id").Pluck("status", &statuses)
	if got := strings.Join(statuses, ","); !strings.HasSuffix(got, "agreed,agreed,declined") {
		t.Errorf("statuses %s", got)
	}
}
