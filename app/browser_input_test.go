package app_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestBrowserMentorInput walks the handbook's exception in a real browser:
// the mentee asks her mentor for input for her manager, the mentor finds
// the request on his home page and drafts it, the mentee reads and
// approves it, the manager reads exactly that text (in English too); after
// the mentee revokes it, the manager sees nothing and the link is a 404.
func TestBrowserMentorInput(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	const purpose = "Mijn beoordelingsgesprek in januari"
	const draft = "Sanne neemt in de groep steeds vaker het voortouw en vraagt om bedenktijd waar dat nodig is."

	// The mentee asks.
	signIn(t, ctx, srv.URL, "mentee@demo.test")
	must(t, "ask", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/input"),
		chromedp.WaitVisible(css("#recipient_id")),
		script(`document.querySelector('#recipient_id').value = [...document.querySelectorAll('#recipient_id option')].find(o => o.text === 'Karin Jansen').value`),
		chromedp.SendKeys(css("#purpose"), purpose),
		chromedp.Click(css("form[action='/input'] button[type=submit]")),
		chromedp.WaitVisible(css(".flash")),
	))
	screenshot(t, ctx, "input-01-asked")
	requestURL, err := chromedp.Run(ctx, chromedp.Location())
	must(t, "request url", err)
	if !strings.Contains(requestURL, "/input/") {
		t.Fatalf("after asking: %s", requestURL)
	}
	path := requestURL[strings.Index(requestURL, "/input/"):]
	sharedPath := "/shared/input/" + strings.TrimPrefix(path, "/input/")
	signOut(t, ctx)

	// The mentor finds it on his home page and drafts.
	signIn(t, ctx, srv.URL, "mentor@demo.test")
	must(t, "to-do", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(css("#h-todo"))))
	if s := text(t, ctx, "main"); !strings.Contains(s, "Sanne Bakker vraagt je om inbreng") {
		t.Fatalf("the request is not on the mentor's home page:\n%s", s)
	}
	screenshot(t, ctx, "input-02-mentor-home")
	must(t, "draft", chromedp.Do(ctx,
		chromedp.Click(css("ul.todo a[href='"+path+"']")),
		chromedp.WaitVisible(css("#text")),
		chromedp.SendKeys(css("#text"), draft),
		chromedp.Click(css("#send-draft")),
		chromedp.WaitVisible(css(".flash")),
	))
	screenshot(t, ctx, "input-03-drafted")
	signOut(t, ctx)

	// Nothing reaches the manager before the mentee approves.
	signIn(t, ctx, srv.URL, "manager@demo.test")
	must(t, "manager before", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/shared"), chromedp.WaitVisible(css("main h1"))))
	if s := text(t, ctx, "main"); strings.Contains(s, draft) {
		t.Fatal("the manager reads a draft")
	}
	signOut(t, ctx)

	// The mentee reads the draft and approves it.
	signIn(t, ctx, srv.URL, "mentee@demo.test")
	must(t, "read the draft", chromedp.Do(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(css("#draft-text"))))
	if s := text(t, ctx, "#draft-text"); s != draft {
		t.Fatalf("the mentee reads %q", s)
	}
	screenshot(t, ctx, "input-04-review")
	must(t, "approve", chromedp.Do(ctx, chromedp.Click(css("#approve")), chromedp.WaitVisible(css(".flash"))))
	if s := text(t, ctx, "#input-status"); s != "goedgekeurd en gedeeld" {
		t.Fatalf("status after approval: %q", s)
	}
	screenshot(t, ctx, "input-05-approved")
	must(t, "list", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/input"), chromedp.WaitVisible(css("#h-mine"))))
	if s := text(t, ctx, "#h-mine + ul"); !strings.Contains(s, purpose) || !strings.Contains(s, "goedgekeurd en gedeeld") {
		t.Fatalf("the mentee's list:\n%s", s)
	}
	screenshot(t, ctx, "input-05b-list")
	signOut(t, ctx)

	// The manager reads exactly that text, in Dutch and in English.
	signIn(t, ctx, srv.URL, "manager@demo.test")
	must(t, "manager reads", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/shared"), chromedp.WaitVisible(css("main h1"))))
	if s := text(t, ctx, "main"); !strings.Contains(s, draft) || !strings.Contains(s, "Inbreng van Marieke") {
		t.Fatalf("manager's shared page:\n%s", s)
	}
	screenshot(t, ctx, "input-06-recipient")
	must(t, "in English", chromedp.Do(ctx, chromedp.Navigate(srv.URL+sharedPath+"?lang=en"), chromedp.WaitVisible(css("main h2"))))
	if h := text(t, ctx, "main h2"); !strings.HasPrefix(h, "Input from Marieke") {
		t.Fatalf("English heading %q", h)
	}
	screenshot(t, ctx, "input-07-recipient-en")
	signOut(t, ctx)

	// The mentee revokes it.
	signIn(t, ctx, srv.URL, "mentee@demo.test")
	must(t, "revoke", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+path),
		chromedp.WaitVisible(css("#revoke")),
		script(`window.confirm = () => true`),
		chromedp.Click(css("#revoke")),
		chromedp.WaitVisible(css(".flash")),
	))
	if s := text(t, ctx, "#input-status"); s != "delen beëindigd" {
		t.Fatalf("status after revocation: %q", s)
	}
	signOut(t, ctx)
	signIn(t, ctx, srv.URL, "manager@demo.test")
	must(t, "manager after", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/shared"), chromedp.WaitVisible(css("main h1"))))
	if s := text(t, ctx, "main"); strings.Contains(s, draft) {
		t.Fatal("the manager still reads the revoked text")
	}
	must(t, "old link", chromedp.Do(ctx, chromedp.Navigate(srv.URL+sharedPath), chromedp.WaitVisible(css("main h1"))))
	if s := text(t, ctx, "main"); strings.Contains(s, draft) {
		t.Fatal("the old link still shows the text")
	}
	var r models.InputRequest
	must(t, "stored", db.Where("status = ?", models.InputRevoked).Order("id DESC").First(&r).Error)
	if r.SharedText != "" {
		t.Fatal("a revoked request keeps its shared copy")
	}
}
