package app_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// browser starts headless Chromium for a test. Without Chromium the test is
// skipped, except in CI (CI=true), where that is a failure.
func browser(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium found; .ci/run installs the chromium package")
		}
		t.Skip("browser test skipped: no Chromium on this machine (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 240*time.Second)
	t.Cleanup(cancelTimeout)
	// A failing test leaves a screenshot of the page it was on.
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			return
		}
		dir := os.Getenv("SCREENSHOT_DIR")
		if dir == "" {
			dir = os.TempDir()
		}
		path := filepath.Join(dir, "failed-"+strings.ReplaceAll(t.Name(), "/", "_")+".png")
		if os.WriteFile(path, shot, 0o600) == nil {
			t.Logf("screenshot of the failure: %s", path)
		}
	})
	return ctx
}

// screenshot saves the page as PNG in SCREENSHOT_DIR when that is set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// text returns the visible text of the first element matching css.
func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

func must(t *testing.T, step string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// TestBrowserFoundation walks the first journey in a real browser: set-up
// on an empty database, sign-out and sign-in, a programme, a group, and a
// member refused by the same-team rule.
func TestBrowserFoundation(t *testing.T) {
	db := apptest.DB(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	must(t, "open", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(css("#organisation"))))
	screenshot(t, ctx, "01-setup")
	must(t, "set-up", chromedp.Do(ctx,
		chromedp.SendKeys(css("#organisation"), "Gemeente Testdorp"),
		chromedp.SendKeys(css("#name"), "Femke Beheer"),
		chromedp.SendKeys(css("#email"), "femke@testdorp.nl"),
		chromedp.SendKeys(css("#password"), "een goed wachtwoord"),
		chromedp.SendKeys(css("#password_confirm"), "een goed wachtwoord"),
		chromedp.Click(css("form[action='/setup'] button[type=submit]")),
		chromedp.WaitVisible(css("form[action='/signout']")),
	))
	if s := text(t, ctx, "body"); !strings.Contains(s, "Femke Beheer") {
		t.Fatalf("home after set-up does not greet the admin:\n%s", s)
	}
	screenshot(t, ctx, "02-home-admin")

	must(t, "sign out", chromedp.Do(ctx,
		chromedp.Click(css("form[action='/signout'] button")),
		chromedp.WaitVisible(css("form[action='/signin']")),
	))
	must(t, "wrong password", chromedp.Do(ctx,
		chromedp.SendKeys(css("#email"), "femke@testdorp.nl"),
		chromedp.SendKeys(css("#password"), "niet goed"),
		chromedp.Click(css("form[action='/signin'] button[type=submit]")),
		chromedp.WaitVisible(css(".alert")),
	))
	screenshot(t, ctx, "03-signin-refused")
	must(t, "sign in", chromedp.Do(ctx,
		chromedp.SendKeys(css("#password"), "een goed wachtwoord"),
		chromedp.Click(css("form[action='/signin'] button[type=submit]")),
		chromedp.WaitVisible(css("form[action='/signout']")),
	))

	// People come from L&D's records; here straight into the database.
	team := models.Team{Name: "Klantcontact"}
	must(t, "team", db.Create(&team).Error)
	for _, p := range []models.Person{
		{Name: "Marieke Mentor", Email: "marieke@testdorp.nl", Language: "nl", Discipline: "ICT"},
		{Name: "Anna Aalders", Email: "anna@testdorp.nl", Language: "nl", Discipline: "ICT", TeamID: &team.ID},
		{Name: "Bert Bos", Email: "bert@testdorp.nl", Language: "nl", Discipline: "ICT", TeamID: &team.ID},
	} {
		must(t, "person", db.Create(&p).Error)
	}
	var mentor, anna, bert models.Person
	db.Where("email = ?", "marieke@testdorp.nl").First(&mentor)
	db.Where("email = ?", "anna@testdorp.nl").First(&anna)
	db.Where("email = ?", "bert@testdorp.nl").First(&bert)

	must(t, "new programme", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/programmes/new"),
		chromedp.WaitVisible(css("#starts_on")),
		chromedp.SendKeys(css("#name"), "Crossmentoring 2027"),
		chromedp.SetValue(css("#starts_on"), "2027-01-11"),
		chromedp.Click(css("form.card button[type=submit]")),
		chromedp.WaitVisible(css("form[action$='/groups']")),
	))
	screenshot(t, ctx, "04-programme")
	must(t, "new group", chromedp.Do(ctx,
		chromedp.SendKeys(css("form[action$='/groups'] #name"), "Groep Oost"),
		chromedp.SetValue(css("#mentor_id"), fmt.Sprint(mentor.ID)),
		chromedp.SendKeys(css("form[action$='/groups'] #discipline"), "ICT"),
		chromedp.Click(css("form[action$='/groups'] button[type=submit]")),
		chromedp.WaitVisible(css("#person_id")),
	))
	if s := text(t, ctx, "h1"); !strings.Contains(s, "Groep Oost") {
		t.Fatalf("group page heading: %q", s)
	}
	addActive := func(p models.Person) {
		must(t, "add "+p.Name, chromedp.Do(ctx,
			chromedp.SetValue(css("#person_id"), fmt.Sprint(p.ID)),
			chromedp.SetValue(css("#member_status"), "active"),
			chromedp.Click(css("form[action$='/members'] button[type=submit]")),
		))
	}
	addActive(anna)
	must(t, "Anna on the roster", chromedp.Do(ctx, chromedp.WaitVisible(css("table"))))
	addActive(bert)
	must(t, "refusal shown", chromedp.Do(ctx, chromedp.WaitVisible(css(".alert.refused"))))
	screenshot(t, ctx, "05-refused")
	refusal := text(t, ctx, ".alert.refused")
	for _, want := range []string{"Anna Aalders", "Bert Bos", "Klantcontact"} {
		if !strings.Contains(refusal, want) {
			t.Errorf("refusal does not name %q: %s", want, refusal)
		}
	}
	var n int64
	db.Model(&models.Membership{}).Where("person_id = ?", bert.ID).Count(&n)
	if n != 0 {
		t.Fatal("the refused member was stored")
	}
}

// TestBrowserDemoRoles signs in as each demo account, on a desktop and on a
// phone-sized screen: each sees their own home page, nothing runs off the
// side of a phone, and the manager sees no names.
func TestBrowserDemoRoles(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	cases := []struct {
		email   string
		pages   []string
		want    []string
		notWant []string
	}{
		{"admin@demo.test", []string{"/", "/people", "/programmes/1", "/groups/1", "/groups/1/calendar", "/settings", "/audit", "/reports/participation", "/account", "/mailbox", "/jobs", "/people/import",
			"/dashboard", "/dashboard/print", "/programmes/3/pool", "/programmes/3/proposal", "/apply"}, []string{"Crossmentoring 2026–2027"}, nil},
		{"mentor@demo.test", []string{"/", "/groups/1", "/groups/1/calendar", "/meetings/1", "/meetings/2", "/meetings/4",
			"/groups/1/series", "/groups/1/poll", "/one-on-ones", "/one-on-ones/1", "/groups/1/goals", "/groups/1/cases", "/cases/1", "/cases/2", "/evaluations"},
			[]string{"Groep Noord", "Wat er nu te doen is", "Casussen die nog ingepland moeten worden: 1", "Kandidaten die op hun intake wachten: 1"}, nil},
		{"mentee@demo.test", []string{"/", "/groups/1", "/groups/1/calendar", "/meetings/2", "/goals", "/one-on-ones", "/groups/1/cases", "/cases/2", "/consents", "/account", "/evaluations", "/apply"},
			[]string{"Groep Noord", "Marieke de Vries", "Actiepunt: Werkbezoek bij het Klant Contact Centrum regelen"}, []string{"leveranciers"}},
		{"manager@demo.test", []string{"/", "/reports/participation", "/shared", "/dashboard"}, []string{"deelnemers in de hele organisatie", "Naar het deelnamerapport"}, []string{"Sanne Bakker", "Noor Dekker", "Groep Noord"}},
	}
	for _, tc := range cases {
		name := strings.SplitN(tc.email, "@", 2)[0]
		must(t, "sign in "+tc.email, chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/signin"),
			chromedp.WaitVisible(css("#email")),
			chromedp.SendKeys(css("#email"), tc.email),
			chromedp.SendKeys(css("#password"), "demo-demo"),
			chromedp.Click(css("form[action='/signin'] button[type=submit]")),
			chromedp.WaitVisible(css("form[action='/signout']")),
		))
		home := text(t, ctx, "main")
		for _, w := range tc.want {
			if !strings.Contains(home, w) {
				t.Errorf("%s home lacks %q", tc.email, w)
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(home, w) {
				t.Errorf("%s home shows %q", tc.email, w)
			}
		}
		if banner := text(t, ctx, ".demo-banner"); banner == "" {
			t.Errorf("%s: no demo banner", tc.email)
		}
		// Keyboard focus is visible: tab to the first control and look at its outline.
		must(t, "tab", chromedp.Do(ctx, chromedp.KeyEvent("\t"), chromedp.KeyEvent("\t")))
		outline, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const e = document.activeElement; const s = getComputedStyle(e); return e.tagName + " " + s.outlineStyle + " " + s.outlineWidth })()`))
		must(t, "focus", err)
		if strings.Contains(outline, " none ") || strings.HasSuffix(outline, " 0px") || strings.HasPrefix(outline, "BODY") {
			t.Errorf("%s: keyboard focus is not visible (%s)", tc.email, outline)
		}
		for i, p := range tc.pages {
			for _, width := range []int64{1280, 390} {
				must(t, "open "+p, chromedp.Do(ctx,
					chromedp.EmulateViewport(width, 844),
					chromedp.Navigate(srv.URL+p),
					chromedp.WaitVisible(css("main")),
				))
				overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
				must(t, "measure", err)
				if overflow {
					t.Errorf("%s %s at %dpx: page is wider than the screen", tc.email, p, width)
				}
				unlabelled, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(
					'input:not([type=hidden]), select, textarea')].filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name)`))
				must(t, "labels", err)
				if len(unlabelled) > 0 {
					t.Errorf("%s %s: fields without a label: %v", tc.email, p, unlabelled)
				}
				// One h1, and headings that never skip a level going down.
				headings, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[...document.querySelectorAll('main h1, main h2, main h3, main h4')].map(h => +h.tagName[1])`))
				must(t, "headings", err)
				if len(headings) == 0 || headings[0] != 1 {
					t.Errorf("%s %s: headings %v do not start with one h1", tc.email, p, headings)
				}
				for i := 1; i < len(headings); i++ {
					if headings[i] > headings[i-1]+1 || headings[i] == 1 {
						t.Errorf("%s %s: heading order %v skips a level or repeats h1", tc.email, p, headings)
						break
					}
				}
				lowContrast, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](contrastCheck))
				must(t, "contrast", err)
				if len(lowContrast) > 0 {
					t.Errorf("%s %s: text with too little contrast: %v", tc.email, p, lowContrast)
				}
				screenshot(t, ctx, fmt.Sprintf("role-%s-%d-%d", name, i, width))
			}
		}
		must(t, "sign out", chromedp.Do(ctx,
			chromedp.EmulateViewport(1280, 900),
			chromedp.Click(css("form[action='/signout'] button")),
			chromedp.WaitVisible(css("form[action='/signin']")),
		))
	}
}

// contrastCheck lists visible text whose colour has less contrast with
// the background behind it than WCAG AA asks: 4.5:1, or 3:1 for large
// text. Disabled controls and chart labels inside SVG are left out.
const contrastCheck = `(() => {
  const rgba = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = e => { for (; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3); } return [255, 255, 255]; };
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('svg') || e.closest('[disabled]') || !e.getClientRects().length) continue;
    if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden' || +s.opacity === 0) continue;
    const fg = rgba(s.color).slice(0, 3), bg = background(e);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(s.fontSize), bold = +s.fontWeight >= 700;
    const need = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
    if (ratio < need) out.push(e.tagName + ' "' + e.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
  }
  return out;
})()`

// script runs JavaScript in the page as a step, ignoring its value.
func script(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](js)(ctx, tg)
		return err
	})
}

// signIn signs in through the sign-in page.
func signIn(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	must(t, "sign in "+email, chromedp.Do(ctx,
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), email),
		chromedp.SendKeys(css("#password"), "demo-demo"),
		chromedp.Click(css("form[action='/signin'] button[type=submit]")),
		chromedp.WaitVisible(css("form[action='/signout']")),
	))
}

// signOut signs out with the header button.
func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	must(t, "sign out", chromedp.Do(ctx,
		chromedp.Click(css("form[action='/signout'] button")),
		chromedp.WaitVisible(css("form[action='/signin']")),
	))
}

// TestBrowserFirstMeetingAndSeries: a mentor proposes dates, a mentee
// answers, the mentor fixes the first meeting, then previews and saves the
// year's series and sees it in the calendar.
func TestBrowserFirstMeetingAndSeries(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	var zuid models.MentorGroup
	must(t, "group", db.Where("name = ?", "Groep Zuid").First(&zuid).Error)
	poll := fmt.Sprintf("%s/groups/%d/poll", srv.URL, zuid.ID)

	signIn(t, ctx, srv.URL, "pieter.hendriks@demo.test")
	must(t, "propose dates", chromedp.Do(ctx,
		chromedp.Navigate(poll),
		chromedp.WaitVisible(css("#option-0")),
		chromedp.SetValue(css("#option-0"), "2027-02-01T14:00"),
		chromedp.SetValue(css("#option-1"), "2027-02-03T10:00"),
		chromedp.SetValue(css("#option-2"), "2027-02-08T14:00"),
		chromedp.SendKeys(css("#location"), "Stadhuis, kamer 4.01"),
		chromedp.Click(css("form[action$='/poll'] button[type=submit]")),
		chromedp.WaitVisible(css("table.answers")),
	))
	signOut(t, ctx)

	signIn(t, ctx, srv.URL, "noor.dekker@demo.test")
	must(t, "answer", chromedp.Do(ctx,
		chromedp.Navigate(poll),
		chromedp.WaitVisible(css("table.answers select")),
		script(`document.querySelectorAll('table.answers select').forEach((s, i) => s.value = i === 1 ? 'no' : 'yes')`),
		chromedp.Click(css("form[action$='/poll/answers'] button[type=submit]")),
		chromedp.WaitVisible(css(".flash")),
	))
	screenshot(t, ctx, "year-01-poll-answered")
	signOut(t, ctx)

	signIn(t, ctx, srv.URL, "pieter.hendriks@demo.test")
	must(t, "pick the date", chromedp.Do(ctx,
		chromedp.Navigate(poll),
		chromedp.WaitVisible(css("#option_id")),
		script(`window.confirm = () => true`),
		chromedp.Click(css("form[action$='/poll/pick'] button[type=submit]")),
		chromedp.WaitVisible(css("section[aria-labelledby=h-first]")),
	))
	if h := text(t, ctx, "h1"); !strings.Contains(h, "1 feb. 2027") {
		t.Fatalf("first meeting heading %q, want the date everyone could make", h)
	}
	// The mentor fills in a mentee's part of the agenda, as said at the meeting.
	must(t, "fill the agenda", chromedp.Do(ctx,
		chromedp.WaitVisible(css("#entries textarea[name$=_goal]")),
		chromedp.SendKeys(css("#entries textarea[name$=_goal]"), "Leren presenteren voor het MT"),
		chromedp.Click(css("#entries input[name$=_conduct_agreed]")),
		script(`document.querySelector('.flash')?.remove()`), // the next flash is the one of this save
		chromedp.Click(css("#entries button[value=entries]")),
		chromedp.WaitVisible(css(".flash")),
	))
	if s := text(t, ctx, "section[aria-labelledby=h-first]"); !strings.Contains(s, "Leren presenteren voor het MT") || !strings.Contains(s, "akkoord") {
		t.Fatalf("first-meeting agenda:\n%s", s)
	}
	screenshot(t, ctx, "year-02-first-meeting")
	must(t, "series preview", chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/groups/%d/series", srv.URL, zuid.ID)),
		chromedp.WaitVisible(css("#first_on")),
		chromedp.SetValue(css("#work_visits"), "3"),
		chromedp.Click(css("form[action$='/series/preview'] button[type=submit]")),
		chromedp.WaitVisible(css("#h-preview")),
	))
	screenshot(t, ctx, "year-03-series-preview")
	var before int64
	db.Model(&models.Meeting{}).Where("group_id = ?", zuid.ID).Count(&before)
	if before != 1 {
		t.Fatalf("the preview saved meetings: %d", before)
	}
	must(t, "save series", chromedp.Do(ctx,
		chromedp.Click(css("form[action$='/series'] button[type=submit]")),
		chromedp.WaitVisible(css("#h-month")),
	))
	screenshot(t, ctx, "year-04-calendar")
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#h-list ~ .table-wrap tbody tr').length`))
	must(t, "count rows", err)
	if rows < 5 { // the first meeting and four in the rest of the programme
		t.Fatalf("calendar lists %d meetings", rows)
	}
	if s := text(t, ctx, "main"); !strings.Contains(s, "Werkbezoek") {
		t.Fatal("the work visit is not in the calendar")
	}
}

// TestBrowserCaseAndConsent: a mentee brings in a case, then shares one
// text with her manager, who reads it under "shared with me"; after the
// mentee revokes it, the manager sees nothing.
func TestBrowserCaseAndConsent(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	var noord models.MentorGroup
	must(t, "group", db.Where("name = ?", "Groep Noord").First(&noord).Error)

	signIn(t, ctx, srv.URL, "mentee@demo.test")
	must(t, "bring in a case", chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/groups/%d/cases", srv.URL, noord.ID)),
		chromedp.WaitVisible(css("#title")),
		chromedp.SendKeys(css("#title"), "Vergadering loopt steeds uit"),
		chromedp.SendKeys(css("#situation"), "Het wekelijkse overleg duurt steeds een half uur langer."),
		chromedp.SendKeys(css("#question"), "Hoe breng ik dit ter sprake zonder iemand aan te vallen?"),
		chromedp.Click(css("form[action$='/cases'] button[type=submit]")),
		chromedp.WaitVisible(css("#take_aways")),
	))
	if h := text(t, ctx, "h1"); h != "Vergadering loopt steeds uit" {
		t.Fatalf("case page heading %q", h)
	}
	screenshot(t, ctx, "consent-01-case")
	caseURL, err := chromedp.Run(ctx, chromedp.Location())
	must(t, "case url", err)
	signOut(t, ctx)

	// The mentor puts the case on the agenda; the mentee sees it there.
	signIn(t, ctx, srv.URL, "mentor@demo.test")
	must(t, "place the case", chromedp.Do(ctx,
		chromedp.Navigate(caseURL),
		chromedp.WaitVisible(css("#meeting_id")),
		chromedp.Click(css("form[action$='/place'] button")),
		chromedp.WaitVisible(css(".flash")),
	))
	var placed models.CaseQuestion
	must(t, "case", db.Where("status = ?", models.CasePlanned).Order("id DESC").First(&placed).Error)
	signOut(t, ctx)
	signIn(t, ctx, srv.URL, "mentee@demo.test")
	must(t, "meeting agenda", chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/meetings/%d", srv.URL, *placed.MeetingID)),
		chromedp.WaitVisible(css("#h-cases")),
	))
	if s := text(t, ctx, "main"); !strings.Contains(s, "Vergadering loopt steeds uit") {
		t.Fatal("the mentee does not see her case on the meeting's agenda")
	}
	screenshot(t, ctx, "consent-01b-agenda")

	const shared = "Ik oefen met bedenktijd vragen in overleggen."
	must(t, "share with the manager", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/consents"),
		chromedp.WaitVisible(css("#recipient_id")),
		script(`document.querySelector('#recipient_id').value = [...document.querySelectorAll('#recipient_id option')].find(o => o.text === 'Karin Jansen').value`),
		chromedp.SendKeys(css("#purpose"), "Mijn functioneringsgesprek"),
		chromedp.SendKeys(css("#text"), shared),
		chromedp.Click(css("input[name=agreed]")),
		chromedp.Click(css("form[action='/consents'] button[type=submit]")),
		chromedp.WaitVisible(css(".flash")),
	))
	screenshot(t, ctx, "consent-02-shared")
	signOut(t, ctx)

	signIn(t, ctx, srv.URL, "manager@demo.test")
	must(t, "manager reads", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/shared"), chromedp.WaitVisible(css("main h1"))))
	if s := text(t, ctx, "main"); !strings.Contains(s, shared) || strings.Contains(s, "Vergadering loopt steeds uit") {
		t.Fatalf("manager's shared page:\n%s", s)
	}
	screenshot(t, ctx, "consent-03-manager")
	signOut(t, ctx)

	signIn(t, ctx, srv.URL, "mentee@demo.test")
	must(t, "revoke", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/consents"),
		chromedp.WaitVisible(css("#h-mine")),
		script(`window.confirm = () => true`),
		script(`[...document.querySelectorAll('form[action$="/revoke"]')].find(f => f.closest('li').innerText.includes('Mijn functioneringsgesprek')).querySelector('button').click()`),
		chromedp.WaitVisible(css(".flash")),
	))
	signOut(t, ctx)
	signIn(t, ctx, srv.URL, "manager@demo.test")
	must(t, "manager after revocation", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/shared"), chromedp.WaitVisible(css("main h1"))))
	if s := text(t, ctx, "main"); strings.Contains(s, shared) {
		t.Fatal("the manager still sees the revoked text")
	}
}

// TestBrowserMailbox: the reminders of tomorrow's one-on-one are made and
// delivered to the dev mailbox, where an admin reads one.
func TestBrowserMailbox(t *testing.T) {
	db := apptest.Demo(t)
	a := apptest.New(t, db)
	if err := a.Mail.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := apptest.Serve(t, a)
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	signIn(t, ctx, srv.URL, "admin@demo.test")
	must(t, "mailbox", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/mailbox"),
		chromedp.WaitVisible(css("a[href^='?view=']")),
		chromedp.Click(css("a[href^='?view=']")),
		chromedp.WaitVisible(css("#h-preview")),
	))
	screenshot(t, ctx, "mailbox")
	if s := text(t, ctx, "#h-preview"); !strings.Contains(s, "Morgen: gesprek met") {
		t.Fatalf("preview subject %q", s)
	}
	if s := text(t, ctx, "main"); strings.Contains(s, "leveranciers") || !strings.Contains(s, "verstuurd") {
		t.Fatalf("mailbox page:\n%s", s)
	}
}

// TestBrowserImport: L&D reads in an HR export, looks at the dry run and
// imports it.
func TestBrowserImport(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	file := filepath.Join(t.TempDir(), "hr-export.csv")
	csvText := "Naam;E-mail;Team;Vakdiscipline;Leidinggevende\nNieuwe Collega;nieuw@demo.test;Belastingen;Financiën;manager@demo.test\nFout;geen-adres;;;\n"
	must(t, "file", os.WriteFile(file, []byte(csvText), 0o600))
	signIn(t, ctx, srv.URL, "admin@demo.test")
	must(t, "upload", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/people/import"),
		chromedp.WaitVisible(css("#file")),
		chromedp.SetUploadFiles(css("#file"), []string{file}),
		chromedp.Click(css("form[enctype] button[type=submit]")),
		chromedp.WaitVisible(css("form[action='/people/import/apply']")),
	))
	screenshot(t, ctx, "import-preview")
	if s := text(t, ctx, "main"); !strings.Contains(s, "Nieuw: 1") || !strings.Contains(s, "geen geldig e-mailadres") {
		t.Fatalf("preview:\n%s", s)
	}
	must(t, "apply", chromedp.Do(ctx,
		script(`window.confirm = () => true`),
		chromedp.Click(css("form[action='/people/import/apply'] button")),
		chromedp.WaitVisible(css(".flash")),
	))
	var n int64
	db.Model(&models.Person{}).Where("email = ?", "nieuw@demo.test").Count(&n)
	if n != 1 {
		t.Fatal("the imported person is not there")
	}
}

// TestContrastCheckCanFail: the contrast check finds pale grey text on
// white, and passes the same text in the theme's ink colour.
func TestContrastCheckCanFail(t *testing.T) {
	srv := apptest.Serve(t, apptest.New(t, apptest.Demo(t)))
	ctx := browser(t)
	must(t, "open", chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/signin"), chromedp.WaitVisible(chromedp.CSS("main"))))
	for _, c := range []struct {
		colour string
		fails  bool
	}{{"#bbbbbb", true}, {"#1a1f24", false}} {
		must(t, "inject", chromedp.Do(ctx, script(`(() => { document.querySelector('#probe')?.remove();
			const p = document.createElement('p'); p.id = 'probe'; p.textContent = 'probe text';
			p.style.color = '`+c.colour+`'; p.style.background = '#ffffff'; document.querySelector('main').append(p); })()`)))
		found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](contrastCheck))
		must(t, "check", err)
		hit := false
		for _, f := range found {
			hit = hit || strings.Contains(f, "probe text")
		}
		if hit != c.fails {
			t.Errorf("%s: found %v", c.colour, found)
		}
	}
}
