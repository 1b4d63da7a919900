package models

import (
	"errors"
	"testing"
	"time"
)

// TestRunApply walks the run's state machine: every action from every
// state, the clock it leaves, and the changes it refuses.
func TestRunApply(t *testing.T) {
	t0 := time.Date(2027, 3, 4, 13, 0, 0, 0, time.UTC)
	at := func(sec int) *time.Time { x := t0.Add(time.Duration(sec) * time.Second); return &x }
	idle := LiveRun{}
	running := LiveRun{Phase: 1, StartedAt: at(0), ResumedAt: at(100), Elapsed: 30, Version: 3}
	paused := LiveRun{Phase: 1, StartedAt: at(0), Elapsed: 90, Extra: 60, Version: 4}
	first := LiveRun{Phase: 0, StartedAt: at(0), ResumedAt: at(0), Version: 1}
	last := LiveRun{Phase: 4, StartedAt: at(0), ResumedAt: at(200), Version: 9}
	ended := LiveRun{Phase: 2, StartedAt: at(0), Elapsed: 10, EndedAt: at(500), Version: 12}
	const blocks = 5
	now := t0.Add(160 * time.Second)

	rows := []struct {
		name    string
		from    LiveRun
		action  RunAction
		blocks  int
		status  RunStatus
		phase   int
		elapsed int // seconds of the current block at now
		extra   int
		refused bool
	}{
		{"start an idle run", idle, RunStart, blocks, RunRunning, 0, 0, 0, false},
		{"no start without blocks", idle, RunStart, 0, "", 0, 0, 0, true},
		{"no start twice", running, RunStart, blocks, "", 0, 0, 0, true},
		{"no start after the end", ended, RunStart, blocks, "", 0, 0, 0, true},
		{"pause keeps the time run", running, RunPause, blocks, RunPaused, 1, 90, 0, false},
		{"no pause while paused", paused, RunPause, blocks, "", 0, 0, 0, true},
		{"no pause before the start", idle, RunPause, blocks, "", 0, 0, 0, true},
		{"resume goes on from the time run", paused, RunResume, blocks, RunRunning, 1, 90, 60, false},
		{"no resume while running", running, RunResume, blocks, "", 0, 0, 0, true},
		{"no resume after the end", ended, RunResume, blocks, "", 0, 0, 0, true},
		{"extend a running block", running, RunExtend, blocks, RunRunning, 1, 90, 60, false},
		{"extend a paused block twice", paused, RunExtend, blocks, RunPaused, 1, 90, 120, false},
		{"no extending before the start", idle, RunExtend, blocks, "", 0, 0, 0, true},
		{"no extending after the end", ended, RunExtend, blocks, "", 0, 0, 0, true},
		{"next starts the next block's clock", running, RunNext, blocks, RunRunning, 2, 0, 0, false},
		{"next while paused stays paused", paused, RunNext, blocks, RunPaused, 2, 0, 0, false},
		{"no next after the last block", last, RunNext, blocks, "", 0, 0, 0, true},
		{"no next before the start", idle, RunNext, blocks, "", 0, 0, 0, true},
		{"previous goes back a block afresh", running, RunPrevious, blocks, RunRunning, 0, 0, 0, false},
		{"no previous before the first block", first, RunPrevious, blocks, "", 0, 0, 0, true},
		{"no previous after the end", ended, RunPrevious, blocks, "", 0, 0, 0, true},
		{"end a running meeting", running, RunEnd, blocks, RunEnded, 1, 90, 0, false},
		{"end a paused meeting", paused, RunEnd, blocks, RunEnded, 1, 90, 60, false},
		{"no end before the start", idle, RunEnd, blocks, "", 0, 0, 0, true},
		{"no end twice", ended, RunEnd, blocks, "", 0, 0, 0, true},
		{"an unknown action is refused", running, RunAction("rewind"), blocks, "", 0, 0, 0, true},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			got, err := r.from.Apply(r.action, now, r.blocks)
			if r.refused {
				if !errors.Is(err, ErrRunRefused) {
					t.Fatalf("want refused, got %v", err)
				}
				if got != r.from {
					t.Fatalf("a refused action changed the run: %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Status() != r.status || got.Phase != r.phase || got.ElapsedAt(now) != r.elapsed || got.Extra != r.extra {
				t.Fatalf("got %s phase %d elapsed %d extra %d, want %s %d %d %d",
					got.Status(), got.Phase, got.ElapsedAt(now), got.Extra, r.status, r.phase, r.elapsed, r.extra)
			}
			if got.Version != r.from.Version+1 {
				t.Fatalf("version %d, want %d", got.Version, r.from.Version+1)
			}
			if r.action == RunEnd && (got.EndedAt == nil || !got.EndedAt.Equal(now) || got.StartedAt != r.from.StartedAt) {
				t.Fatalf("the end keeps the real start and records the real end: %+v", got)
			}
		})
	}
}

// TestRunClock: the time left follows from the timestamps alone; a paused
// clock stands still and an extension adds a minute.
func TestRunClock(t *testing.T) {
	t0 := time.Date(2027, 3, 4, 13, 0, 0, 0, time.UTC)
	agenda := []AgendaItem{{Key: "welcome", Minutes: 10}, {Key: "incident_telling", Minutes: 5}}
	m := Meeting{ID: 7, StartsAt: t0, EndsAt: t0.Add(2 * time.Hour)}
	run, _ := LiveRun{}.Apply(RunStart, t0, len(agenda))
	if s := StateOf(m, run, agenda, t0.Add(95*time.Second)); s.Remaining() != 600-95 || !s.Live {
		t.Fatalf("running: %d left, live %v", s.Remaining(), s.Live)
	}
	run, _ = run.Apply(RunPause, t0.Add(100*time.Second), len(agenda))
	if a, b := StateOf(m, run, agenda, t0.Add(200*time.Second)), StateOf(m, run, agenda, t0.Add(900*time.Second)); a.Remaining() != b.Remaining() || a.Remaining() != 500 {
		t.Fatalf("a paused clock moved: %d then %d", a.Remaining(), b.Remaining())
	}
	run, _ = run.Apply(RunExtend, t0.Add(200*time.Second), len(agenda))
	run, _ = run.Apply(RunResume, t0.Add(300*time.Second), len(agenda))
	if s := StateOf(m, run, agenda, t0.Add(310*time.Second)); s.Remaining() != 660-110 {
		t.Fatalf("after +1 minute: %d left", s.Remaining())
	}
	run, _ = run.Apply(RunNext, t0.Add(400*time.Second), len(agenda))
	if s := StateOf(m, run, agenda, t0.Add(760*time.Second)); s.Remaining() != -60 || s.Phase != 1 {
		t.Fatalf("over time: %d left in block %d", s.Remaining(), s.Phase)
	}
	if s := StateOf(m, LiveRun{}, agenda, t0.AddDate(0, 0, 3)); s.Live {
		t.Fatal("a meeting days away that is not running is not live")
	}
	m.Status = MeetingCancelled
	if s := StateOf(m, LiveRun{}, agenda, t0); s.Live {
		t.Fatal("a cancelled meeting is not live")
	}
}
