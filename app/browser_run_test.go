package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"crossmentor/app/apptest"
)

// runViewer is one person's browser on the run view.
type runViewer struct {
	name string
	ctx  context.Context
}

// openRun signs in as email in a browser of its own and opens the run view.
func openRun(t *testing.T, base string, id uint, email string) runViewer {
	t.Helper()
	ctx := browser(t)
	signIn(t, ctx, base, email)
	must(t, "open the run view as "+email, chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(fmt.Sprintf("%s/meetings/%d/run", base, id)),
		chromedp.WaitVisible(chromedp.CSS("#clock")),
	))
	return runViewer{name: email, ctx: ctx}
}

// show reads the run view's status, part and clock in one go.
func (v runViewer) show(t *testing.T) (status, part, clock string) {
	t.Helper()
	got, err := chromedp.Run(v.ctx, chromedp.Evaluate[[]string](
		`[document.querySelector('#run-status').textContent, document.querySelector('#h-now').textContent, document.querySelector('#clock').textContent]`))
	must(t, "read "+v.name, err)
	return got[0], got[1], got[2]
}

// waitFor waits up to limit until the viewer's page shows status and part,
// and says how long that took.
func (v runViewer) waitFor(t *testing.T, status, part string, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		s, p, _ := v.show(t)
		if s == status && p == part {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("%s after %s: %q / %q, want %q / %q", v.name, limit, s, p, status, part)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// seconds reads a clock text "12:05" or "−0:30" as seconds.
func seconds(t *testing.T, clock string) int {
	t.Helper()
	neg := strings.HasPrefix(clock, "−")
	var m, s int
	if _, err := fmt.Sscanf(strings.TrimPrefix(clock, "−"), "%d:%d", &m, &s); err != nil {
		t.Fatalf("clock %q: %v", clock, err)
	}
	if neg {
		return -(m*60 + s)
	}
	return m*60 + s
}

// TestBrowserRunMeeting: the timekeeper and two members each open the run
// view in a browser of their own. The timekeeper starts the meeting and
// moves to the next part; both members see the new part and the same clock
// within a second. Pausing (with the space bar) stops every clock, and a
// member who opens the page late sees where things stand.
func TestBrowserRunMeeting(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	id := apptest.LiveMeeting(t, db, time.Now())

	keeper := openRun(t, srv.URL, id, "ahmed.elamrani@demo.test")
	members := []runViewer{openRun(t, srv.URL, id, "mentee@demo.test"), openRun(t, srv.URL, id, "daan.smit@demo.test")}
	if s, _, _ := members[0].show(t); s != "Nog niet gestart" {
		t.Fatalf("before the start: %q", s)
	}
	if n, err := chromedp.Run(members[0].ctx, chromedp.Evaluate[int](`document.querySelectorAll('#controls').length`)); err != nil || n != 0 {
		t.Fatalf("a member sees the controls (%d, %v)", n, err)
	}

	press := func(action string) {
		t.Helper()
		must(t, action, chromedp.Do(keeper.ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf("#controls button[value=%s]", action)))))
	}
	press("start")
	for _, m := range members {
		t.Logf("start reached %s in %s", m.name, m.waitFor(t, "Loopt", "Welkom en inchecken", time.Second))
	}
	screenshot(t, members[0].ctx, "run-member-started")
	press("next")
	for _, m := range members {
		t.Logf("next part reached %s in %s", m.name, m.waitFor(t, "Loopt", "Het incident vertellen", time.Second))
	}
	_, _, kc := keeper.show(t)
	for _, m := range members {
		if _, _, c := m.show(t); abs(seconds(t, c)-seconds(t, kc)) > 1 {
			t.Fatalf("%s shows %s, the timekeeper %s", m.name, c, kc)
		}
	}

	// Space pauses: every clock stands still.
	must(t, "space", chromedp.Do(keeper.ctx, script(`document.activeElement.blur()`), chromedp.KeyEvent(" ")))
	for _, m := range append(members, keeper) {
		m.waitFor(t, "Gepauzeerd", "Het incident vertellen", time.Second)
	}
	var before []string
	for _, m := range append(members, keeper) {
		_, _, c := m.show(t)
		before = append(before, c)
	}
	time.Sleep(1500 * time.Millisecond)
	for i, m := range append(members, keeper) {
		if _, _, c := m.show(t); c != before[i] {
			t.Fatalf("%s's clock moved while paused: %s → %s", m.name, before[i], c)
		}
	}

	// The arrow key goes on to the next part; a late joiner sees it, paused.
	must(t, "arrow", chromedp.Do(keeper.ctx, chromedp.KeyEvent(kb.ArrowRight)))
	for _, m := range members {
		m.waitFor(t, "Gepauzeerd", "Informatievragen", time.Second)
	}
	late := openRun(t, srv.URL, id, "yara.mulder@demo.test")
	late.waitFor(t, "Gepauzeerd", "Informatievragen", time.Second)
	_, _, lc := late.show(t)
	_, _, mc := members[0].show(t)
	if lc != mc {
		t.Fatalf("the late joiner shows %s, the others %s", lc, mc)
	}
	screenshot(t, late.ctx, "run-late-joiner")
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// TestBrowserRunViewChecks opens the run view as the mentor (controls,
// case and notes all shown) on a phone and a laptop, in Dutch and English
// and in screen mode, and checks what the other pages are checked for: no
// sideways scrolling, every field labelled, headings in order, enough
// contrast. With SCREENSHOT_DIR set it leaves screenshots there.
func TestBrowserRunViewChecks(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	id := apptest.LiveMeeting(t, db, time.Now())
	ctx := browser(t)
	signIn(t, ctx, srv.URL, "mentor@demo.test")
	must(t, "start", chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/meetings/%d/run", srv.URL, id)),
		chromedp.WaitVisible(chromedp.CSS("#controls")),
		chromedp.Click(chromedp.CSS("#controls button[value=start]")),
		chromedp.WaitVisible(chromedp.CSS("#controls button[value=pause]")),
	))
	for _, lang := range []string{"nl", "en"} {
		for _, screen := range []string{"", "&screen=1"} {
			for _, width := range []int64{390, 1280} {
				name := fmt.Sprintf("run-%s-%d%s", lang, width, strings.ReplaceAll(screen, "&screen=1", "-screen"))
				must(t, name, chromedp.Do(ctx,
					chromedp.EmulateViewport(width, 844),
					chromedp.Navigate(fmt.Sprintf("%s/meetings/%d/run?lang=%s%s", srv.URL, id, lang, screen)),
					chromedp.WaitVisible(chromedp.CSS("#clock")),
				))
				overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
				must(t, "measure", err)
				if overflow {
					t.Errorf("%s: wider than the screen", name)
				}
				unlabelled, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(
					'input:not([type=hidden]), select, textarea')].filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name)`))
				must(t, "labels", err)
				if len(unlabelled) > 0 {
					t.Errorf("%s: fields without a label: %v", name, unlabelled)
				}
				headings, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[...document.querySelectorAll('main h1, main h2, main h3, main h4')].map(h => +h.tagName[1])`))
				must(t, "headings", err)
				for i := 1; i < len(headings); i++ {
					if headings[0] != 1 || headings[i] > headings[i-1]+1 || headings[i] == 1 {
						t.Errorf("%s: heading order %v", name, headings)
						break
					}
				}
				lowContrast, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](contrastCheck))
				must(t, "contrast", err)
				if len(lowContrast) > 0 {
					t.Errorf("%s: text with too little contrast: %v", name, lowContrast)
				}
				screenshot(t, ctx, name)
			}
		}
	}
}
