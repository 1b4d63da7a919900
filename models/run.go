package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// LiveRun is the live state of a meeting being run: which block of the
// agenda is on and how long it has run. The clock is never ticked: the time
// left follows from the timestamps, so every replica and every screen
// computes the same clock.
type LiveRun struct {
	MeetingID uint       `gorm:"primaryKey;autoIncrement:false"`
	Phase     int        `gorm:"not null;default:0"` // index into the agenda
	StartedAt *time.Time // the meeting's real start
	ResumedAt *time.Time // when the clock last started; nil while paused
	Elapsed   int        `gorm:"not null;default:0"` // seconds the current block ran before ResumedAt
	Extra     int        `gorm:"not null;default:0"` // seconds added to the current block
	EndedAt   *time.Time // the meeting's real end
	Version   int        `gorm:"not null;default:0"` // rises with every change
	UpdatedAt time.Time
}

// TableName is the table of runs.
func (LiveRun) TableName() string { return "meeting_runs" }

// RunAction is one thing the facilitator, timekeeper or mentor does with
// the clock.
type RunAction string

// Run actions.
const (
	RunStart    RunAction = "start"
	RunPause    RunAction = "pause"
	RunResume   RunAction = "resume"
	RunExtend   RunAction = "extend"
	RunNext     RunAction = "next"
	RunPrevious RunAction = "previous"
	RunEnd      RunAction = "end"
)

// RunStatus is where a run stands.
type RunStatus string

// Run statuses.
const (
	RunIdle    RunStatus = "idle"
	RunRunning RunStatus = "running"
	RunPaused  RunStatus = "paused"
	RunEnded   RunStatus = "ended"
)

// ExtendSeconds is what "a minute more" adds.
const ExtendSeconds = 60

// ErrRunRefused is a change the run's state does not allow (pausing a
// clock that is not running, going past the last block).
var ErrRunRefused = errors.New("run: not possible now")

// Status says where the run stands.
func (r LiveRun) Status() RunStatus {
	switch {
	case r.EndedAt != nil:
		return RunEnded
	case r.StartedAt == nil:
		return RunIdle
	case r.ResumedAt == nil:
		return RunPaused
	}
	return RunRunning
}

// ElapsedAt is how many seconds the current block has run at now.
func (r LiveRun) ElapsedAt(now time.Time) int {
	e := r.Elapsed
	if r.ResumedAt != nil && r.EndedAt == nil && now.After(*r.ResumedAt) {
		e += int(now.Sub(*r.ResumedAt) / time.Second)
	}
	return e
}

// Apply returns the run after action at now, for an agenda of blocks
// blocks; a change the state does not allow is ErrRunRefused and leaves the
// run as it was. It is pure: the table test walks it.
func (r LiveRun) Apply(action RunAction, now time.Time, blocks int) (LiveRun, error) {
	st := r.Status()
	n := r
	at := now
	switch {
	case action == RunStart && st == RunIdle && blocks > 0:
		n.StartedAt, n.ResumedAt, n.Phase, n.Elapsed, n.Extra = &at, &at, 0, 0, 0
	case action == RunPause && st == RunRunning:
		n.Elapsed, n.ResumedAt = r.ElapsedAt(now), nil
	case action == RunResume && st == RunPaused:
		n.ResumedAt = &at
	case action == RunExtend && (st == RunRunning || st == RunPaused):
		n.Extra += ExtendSeconds
	case action == RunNext && (st == RunRunning || st == RunPaused) && r.Phase+1 < blocks:
		n.Phase++
		n.Elapsed, n.Extra = 0, 0
		if st == RunRunning {
			n.ResumedAt = &at
		}
	case action == RunPrevious && (st == RunRunning || st == RunPaused) && r.Phase > 0:
		n.Phase--
		n.Elapsed, n.Extra = 0, 0
		if st == RunRunning {
			n.ResumedAt = &at
		}
	case action == RunEnd && (st == RunRunning || st == RunPaused):
		n.Elapsed, n.ResumedAt, n.EndedAt = r.ElapsedAt(now), nil, &at
	default:
		return r, ErrRunRefused
	}
	n.Version = r.Version + 1
	return n, nil
}

// RunState is what every screen of a run is sent: the block and the clock,
// nothing of what is said. It carries no notes and no case text, so the
// live channel can never leak them.
type RunState struct {
	MeetingID uint       `json:"meeting_id"`
	Version   int        `json:"version"`
	Status    RunStatus  `json:"status"`
	Phase     int        `json:"phase"`
	Blocks    int        `json:"blocks"`
	Planned   int        `json:"planned"` // seconds of the current block, extensions included
	Elapsed   int        `json:"elapsed"` // seconds the current block has run at Now
	Now       time.Time  `json:"now"`
	StartedAt *time.Time `json:"started_at,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	// Live is whether the run may still change: started and not ended, or
	// not started while the meeting is near (half a day either side).
	Live bool `json:"live"`
}

// liveMargin is how long before and after its planned time a meeting not
// yet started can be started, and so is followed live.
const liveMargin = 12 * time.Hour

// Remaining is the seconds left of the current block at the state's Now;
// below zero when it has run over.
func (s RunState) Remaining() int { return s.Planned - s.Elapsed }

// StateOf is the state of a run over an agenda at now.
func StateOf(m Meeting, r LiveRun, agenda []AgendaItem, now time.Time) RunState {
	s := RunState{MeetingID: m.ID, Version: r.Version, Status: r.Status(), Phase: r.Phase, Blocks: len(agenda),
		Elapsed: r.ElapsedAt(now), Now: now, StartedAt: r.StartedAt, EndedAt: r.EndedAt}
	if r.Phase >= 0 && r.Phase < len(agenda) {
		s.Planned = agenda[r.Phase].Minutes*60 + r.Extra
	}
	switch s.Status {
	case RunRunning, RunPaused:
		s.Live = true
	case RunIdle:
		s.Live = m.Status != MeetingCancelled && now.After(m.StartsAt.Add(-liveMargin)) && now.Before(m.EndsAt.Add(liveMargin))
	}
	return s
}

// runAgenda is the blocks a meeting is run by: its agenda, or the whole
// meeting as one block when it has no method.
func runAgenda(m Meeting) []AgendaItem {
	if items := agendaOf(m); len(items) > 0 {
		return items
	}
	return []AgendaItem{{Key: "whole", Minutes: m.DurationMin()}}
}

// RunPage is a meeting's run view: the blocks, the roles, the cases the
// viewer may read and the live state.
type RunPage struct {
	MeetingPage
	Blocks   []AgendaItem
	State    RunState
	CanRun   bool // the viewer runs the clock
	CanWrite bool // the viewer writes the group notes
}

// GetRunPage returns the run view of a meeting for a member or the mentor.
func GetRunPage(ctx context.Context, db *gorm.DB, v Viewer, id uint, now time.Time) (RunPage, error) {
	page, err := GetMeetingPage(ctx, db, v, id)
	if err != nil {
		return RunPage{}, err
	}
	blocks := page.Agenda // the page's running order: one round per case presenter
	if len(blocks) == 0 {
		blocks = runAgenda(page.Meeting)
	}
	rp := RunPage{MeetingPage: page, Blocks: blocks}
	rp.State = StateOf(page.Meeting, page.Run, rp.Blocks, now)
	rp.CanRun = Authorize(ctx, db, v, MeetingRun, id) == nil
	rp.CanWrite = page.NotesShown && Authorize(ctx, db, v, MeetingNotesWrite, id) == nil
	return rp, nil
}

// GetRunState returns the live state of a meeting's run for anyone who may
// open the meeting.
func GetRunState(ctx context.Context, db *gorm.DB, v Viewer, id uint, now time.Time) (RunState, error) {
	tx := db.WithContext(ctx)
	m, _, err := meetingFor(tx, v, MeetingRead, id)
	if err != nil {
		return RunState{}, err
	}
	run, err := loadRun(tx, id)
	if err != nil {
		return RunState{}, err
	}
	return StateOf(m, run, runAgenda(m), now), nil
}

// loadRun reads a meeting's run; a meeting not yet run has the zero run.
func loadRun(tx *gorm.DB, id uint) (LiveRun, error) {
	if read, ok := memoOf(tx).meeting(id); ok {
		return read.run, nil
	}
	var run LiveRun
	if err := tx.Where("meeting_id = ?", id).Limit(1).Find(&run).Error; err != nil {
		return run, err
	}
	run.MeetingID = id
	return run, nil
}

// meetingRunRow is a meeting with its run's columns beside it (NULL when
// the meeting was never run).
type meetingRunRow struct {
	Meeting
	RunPhase     *int
	RunStartedAt *time.Time
	RunResumedAt *time.Time
	RunElapsed   *int
	RunExtra     *int
	RunEndedAt   *time.Time
	RunVersion   *int
	RunUpdatedAt *time.Time
}

// meetingWithRun reads a meeting and its run in one statement.
func meetingWithRun(tx *gorm.DB, id uint) (Meeting, LiveRun, error) {
	var row meetingRunRow
	err := tx.Model(&Meeting{}).Select(`meetings.*, r.phase AS run_phase, r.started_at AS run_started_at,
		r.resumed_at AS run_resumed_at, r.elapsed AS run_elapsed, r.extra AS run_extra, r.ended_at AS run_ended_at,
		r.version AS run_version, r.updated_at AS run_updated_at`).
		Joins("LEFT JOIN meeting_runs r ON r.meeting_id = meetings.id").Where("meetings.id = ?", id).Take(&row).Error
	if err != nil {
		return row.Meeting, LiveRun{}, err
	}
	run := LiveRun{MeetingID: id, StartedAt: row.RunStartedAt, ResumedAt: row.RunResumedAt, EndedAt: row.RunEndedAt}
	if row.RunVersion != nil {
		run.Phase, run.Elapsed, run.Extra, run.Version = *row.RunPhase, *row.RunElapsed, *row.RunExtra, *row.RunVersion
		if row.RunUpdatedAt != nil {
			run.UpdatedAt = *row.RunUpdatedAt
		}
	}
	return row.Meeting, run, nil
}

// RunInput is one action on a meeting's clock.
type RunInput struct {
	Action string `form:"action" json:"action" validate:"required,oneof=start pause resume extend next previous end"`
}

// ApplyRun changes a meeting's run: the mentor, the facilitator or the
// timekeeper start, pause, resume, extend, move between blocks and end it.
// Ending it marks the meeting held; its real start and end stay in the run.
// A change that the state does not allow, or that lost a race with another
// screen, is a field error on "action" and changes nothing.
func ApplyRun(ctx context.Context, db *gorm.DB, v Viewer, id uint, in RunInput, now time.Time) (RunState, error) {
	var state RunState
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, _, err := meetingFor(tx, v, MeetingRun, id)
		if err != nil {
			return err
		}
		if m.Status == MeetingCancelled {
			return fieldErr("action", "run_refused")
		}
		run, err := loadRun(tx, id)
		if err != nil {
			return err
		}
		blocks := runAgenda(m)
		next, err := run.Apply(RunAction(in.Action), now, len(blocks))
		if err != nil {
			return fieldErr("action", "run_refused")
		}
		if run.Version == 0 {
			err = tx.Create(&next).Error
		} else {
			res := tx.Model(&LiveRun{}).Where("meeting_id = ? AND version = ?", id, run.Version).
				Select("phase", "started_at", "resumed_at", "elapsed", "extra", "ended_at", "version", "updated_at").Updates(&next)
			err = res.Error
			if err == nil && res.RowsAffected == 0 {
				err = errRunRace
			}
		}
		if errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, errRunRace) {
			return fieldErr("action", "run_refused")
		}
		if err != nil {
			return err
		}
		if next.EndedAt != nil && m.Status != MeetingHeld {
			if err := tx.Model(&m).Select("status", "edited_by_hand").
				Updates(&Meeting{Status: MeetingHeld, EditedByHand: true}).Error; err != nil {
				return err
			}
		}
		state = StateOf(m, next, blocks, now)
		return nil
	})
	return state, err
}

// errRunRace is another screen changing the run at the same moment.
var errRunRace = errors.New("run changed meanwhile")

// MeetingTimes is when a run meeting really began and ended.
func MeetingTimes(ctx context.Context, db *gorm.DB, v Viewer, id uint) (start, end *time.Time, err error) {
	tx := db.WithContext(ctx)
	if _, _, err := meetingFor(tx, v, MeetingRead, id); err != nil {
		return nil, nil, err
	}
	run, err := loadRun(tx, id)
	return run.StartedAt, run.EndedAt, err
}
