package app_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// plannedMeeting is the last planned intervision meeting of the demo
// mentor's group.
func plannedMeeting(t *testing.T, db *gorm.DB) uint {
	t.Helper()
	var m models.Meeting
	err := db.Joins("JOIN mentor_groups g ON g.id = meetings.group_id").Joins("JOIN people p ON p.id = g.mentor_id").
		Where("p.email = ? AND meetings.kind = ? AND meetings.status = ?", "mentor@demo.test", models.KindIntervision, models.MeetingPlanned).
		Order("meetings.starts_at DESC").First(&m).Error
	if err != nil {
		t.Fatalf("a planned meeting: %v", err)
	}
	return m.ID
}

// TestBrowserMeetingNotesSurviveRoles: the mentor types group notes, then
// saves the roles further up the page, then reloads: the notes are there,
// and the save came back to the roles, not to the top of the page.
func TestBrowserMeetingNotesSurviveRoles(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	id := plannedMeeting(t, db)
	ctx := browser(t)
	signIn(t, ctx, srv.URL, "mentor@demo.test")
	const typed = "Lotte neemt de casus over de planning mee."
	must(t, "type notes", chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(fmt.Sprintf("%s/meetings/%d", srv.URL, id)),
		chromedp.WaitVisible(chromedp.CSS("#notes-text")),
		chromedp.SendKeys(chromedp.CSS("#notes-text"), typed),
		script(`const s = document.getElementById("role-timekeeper"); s.value = s.options[s.options.length - 1].value`),
		chromedp.Click(chromedp.CSS(`button[name=at][value=roles]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash, [role=status]")),
	))
	place, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[location.hash === "#roles" ? 1 : 0, document.getElementById("roles").getBoundingClientRect().top]`))
	must(t, "place", err)
	if place[0] != 1 || place[1] < -5 || place[1] > 200 {
		t.Errorf("after saving the roles the page is not at the roles: hash ok %v, top %v", place[0] == 1, place[1])
	}
	must(t, "reload", chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#notes-text"))))
	notes, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("notes-text").value`))
	must(t, "read notes", err)
	if notes != typed {
		t.Fatalf("notes after saving the roles and reloading: %q", notes)
	}
	last, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(s => s.value === s.options[s.options.length - 1].value)(document.getElementById("role-timekeeper"))`))
	if must(t, "read role", err); !last {
		t.Fatal("the roles were not saved")
	}
}

// axeViolations runs axe-core (vendored in testdata, injected into the
// page; the app never serves it) and returns its serious and critical
// findings.
func axeViolations(t *testing.T, ctx context.Context) []string {
	t.Helper()
	src, err := os.ReadFile("testdata/axe/axe.min.js")
	must(t, "read axe-core", err)
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+";true"))
	must(t, "inject axe-core", err)
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
		 .map(v => v.impact + " " + v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")))`, chromedp.EvalAwaitPromise))
	must(t, "run axe-core", err)
	return found
}

// TestAxeCheckCanFail: the axe-core check finds a field without a label
// and text without contrast, so a clean result means something.
func TestAxeCheckCanFail(t *testing.T) {
	ctx := browser(t)
	must(t, "page", chromedp.Do(ctx, chromedp.Navigate(`data:text/html,<html lang="nl"><title>x</title><main><h1>x</h1><input type="text"><p style="color:%23eee">licht</p></main></html>`)))
	found := axeViolations(t, ctx)
	joined := strings.Join(found, "\n")
	if !strings.Contains(joined, "label") || !strings.Contains(joined, "color-contrast") {
		t.Fatalf("axe-core missed the broken page: %v", found)
	}
}

// TestBrowserMeetingAccessibility runs axe-core over the meeting page (as
// a form before the meeting, as a record after) and the run view, in Dutch
// and English, on a phone and a laptop: no serious or critical violation.
// With SCREENSHOT_DIR set it leaves the phone screenshots there.
func TestBrowserMeetingAccessibility(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	planned := plannedMeeting(t, db)
	live := apptest.LiveMeeting(t, db, time.Now())
	var held models.Meeting
	if err := db.Where("status = ? AND group_id = (SELECT group_id FROM meetings WHERE id = ?)", models.MeetingHeld, planned).Order("starts_at DESC").First(&held).Error; err != nil {
		t.Fatalf("a held meeting: %v", err)
	}
	ctx := browser(t)
	signIn(t, ctx, srv.URL, "mentor@demo.test")
	pages := []struct{ name, path, ready string }{
		{"meeting-planned", fmt.Sprintf("/meetings/%d", planned), "#meeting-form"},
		{"meeting-held", fmt.Sprintf("/meetings/%d", held.ID), "#edit-link"},
		{"meeting-held-edit", fmt.Sprintf("/meetings/%d?edit=1", held.ID), "#meeting-form"},
		{"run", fmt.Sprintf("/meetings/%d/run", live), "#clock"},
	}
	for _, lang := range []string{"nl", "en"} {
		for _, p := range pages {
			for _, width := range []int64{390, 1280} {
				name := fmt.Sprintf("%s-%s-%d", p.name, lang, width)
				sep := "?"
				if strings.Contains(p.path, "?") {
					sep = "&"
				}
				must(t, name, chromedp.Do(ctx,
					chromedp.EmulateViewport(width, 844),
					chromedp.Navigate(srv.URL+p.path+sep+"lang="+lang),
					chromedp.WaitVisible(chromedp.CSS(p.ready)),
				))
				if found := axeViolations(t, ctx); len(found) > 0 {
					t.Errorf("%s: %s", name, strings.Join(found, "\n  "))
				}
				overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
				if must(t, "measure", err); overflow {
					t.Errorf("%s: wider than the screen", name)
				}
				if width == 390 {
					screenshot(t, ctx, name)
				}
			}
		}
	}
}

// TestBrowserRunBesideTheClock: the mentor turns the chime on, ticks who
// is there and adds an action item in the run view, starts a meeting whose
// first part has no minutes (so its time is up at once: the chime sounds,
// made with WebAudio), and ends it: the meeting page then shows it held,
// with its real times, the attendance and the action item.
func TestBrowserRunBesideTheClock(t *testing.T) {
	db := apptest.Demo(t)
	srv := apptest.Serve(t, apptest.New(t, db))
	id := apptest.LiveMeeting(t, db, time.Now())
	var mentor models.Person
	if err := db.Where("email = ?", "mentor@demo.test").First(&mentor).Error; err != nil {
		t.Fatal(err)
	}
	if err := models.SaveAgenda(context.Background(), db, models.Viewer{PersonID: mentor.ID, Mentor: true}, id,
		models.AgendaInput{Minutes: []int{0, 10, 25, 10, 35, 20, 10}}); err != nil {
		t.Fatalf("agenda: %v", err)
	}
	ctx := browser(t)
	signIn(t, ctx, srv.URL, "mentor@demo.test")
	// Count the tones the page makes instead of playing them.
	countTones := `window.tones = 0; (() => { const A = window.AudioContext; window.AudioContext = class extends A {
		createOscillator() { window.tones++; return super.createOscillator(); } }; })();`
	must(t, "open", chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(fmt.Sprintf("%s/meetings/%d/run", srv.URL, id)),
		chromedp.WaitVisible(chromedp.CSS("#attendance-form")),
		script(countTones+`document.getElementById("sound").click();`),
	))
	first, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.tones`))
	must(t, "tones", err)
	if first == 0 {
		t.Fatal("turning the chime on plays no sample")
	}
	must(t, "tick and add", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#attendance-form input[name=present]`)),
		chromedp.WaitVisible(chromedp.CSS(`#attendance-status:not(:empty)`)),
		chromedp.SendKeys(chromedp.CSS("#action-text"), "Planning delen met de groep"),
		chromedp.SetValue(chromedp.CSS("#due_on"), "2027-03-01"),
		chromedp.Click(chromedp.CSS(`#action-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#action-list li`)),
		chromedp.Click(chromedp.CSS("#controls button[value=start]")),
		chromedp.WaitVisible(chromedp.CSS("#signal")),
	))
	deadline := time.Now().Add(3 * time.Second)
	for {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.tones`))
		must(t, "tones", err)
		if n > first {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no chime when the part's time ran out")
		}
		time.Sleep(100 * time.Millisecond)
	}
	must(t, "end", chromedp.Do(ctx,
		script(`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS("#controls button[value=end]")),
		chromedp.WaitVisible(chromedp.CSS("#run.ended")),
		chromedp.Navigate(fmt.Sprintf("%s/meetings/%d", srv.URL, id)),
		chromedp.WaitVisible(chromedp.CSS("#ran")),
	))
	body := text(t, ctx, "main")
	for _, want := range []string{"gehouden", "Planning delen met de groep", "aanwezig"} {
		if !strings.Contains(body, want) {
			t.Errorf("the meeting page after the run lacks %q", want)
		}
	}
	screenshot(t, ctx, "meeting-after-run")
}
