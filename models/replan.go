package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Replanning a series moves what belongs to a slot with it: a future
// meeting of the series keeps its id, so its placed cases, roles, agenda
// and work-visit or guest details go to the slot's new date. Where the new
// plan has fewer slots, the last meetings lose theirs; when something is on
// them the preview lists them and the mentor keeps them on their own date
// or lets them go, their cases back on the list. Nothing is left pointing
// at a meeting that is gone.

// meetingMoving marks, inside the saving transaction only, a meeting that
// is moving to its new slot.
const meetingMoving MeetingStatus = "moving"

// SlotMove is a future meeting that moves to another date or time.
type SlotMove struct {
	Meeting Meeting
	To      PlannedMeeting
}

// LostMeeting is a future meeting with something on it whose slot the new
// plan no longer has.
type LostMeeting struct {
	Meeting Meeting
	Cases   int // cases placed on it
	Roles   int // roles given for it
	Details bool
}

// SeriesChange is what a saved series did to the group's meetings, for
// the notices that tell the group.
type SeriesChange struct {
	Moved    []Meeting // meetings that kept their content and got a new time
	Added    []Meeting // new meetings
	Removed  []Meeting // meetings that are gone (their content, if any, released)
	Kept     []Meeting // meetings that lost their slot and stay on their own date
	Released []uint    // cases that went back to the list of cases to place
}

// seriesChanged is called in the transaction that saves a series, with
// what changed; it is where the group is told: the mentor and members get
// a notice of the new series, whose mail invites them to the whole series
// at once. (A series planned before series invitations has no UID of its
// own: each moved meeting gets the usual change mail instead.)
func seriesChanged(tx *gorm.DB, g MentorGroup, ch SeriesChange, now time.Time) error {
	whole, err := refreshSeries(tx, g.ID)
	if err != nil {
		return err
	}
	if whole {
		// The series mail carries the whole series, moved meetings included.
		return SeriesSaved(tx, g.ID)
	}
	for _, m := range ch.Moved {
		if err := notifyMeetingChange(tx, m, now); err != nil {
			return err
		}
	}
	return SeriesSaved(tx, g.ID)
}

// hasDetails reports whether the mentor filled in a work visit or guest.
func (m Meeting) hasDetails() bool {
	return m.Host != "" || m.Address != "" || m.Contact != "" || m.Purpose != "" || m.Preparation != "" ||
		m.Practical != "" || m.GuestName != "" || m.GuestRole != "" || m.Topic != "" || m.Agenda != ""
}

// slotPlan is the plan for saving a series: the preview, the pairs of
// moving meetings and their new slots, the new meetings and the meetings
// that lose their slot.
type slotPlan struct {
	preview SeriesPreview
	series  GroupSeries
	moves   []SlotMove
	add     []PlannedMeeting
	lost    []Meeting
	content map[uint]LostMeeting
}

// planFor computes what saving the series would do at the moment now.
func planFor(tx *gorm.DB, g MentorGroup, in SeriesInput, now time.Time) (slotPlan, error) {
	var sp slotPlan
	p, s, err := seriesParams(tx, g, in)
	sp.series = s
	if err != nil {
		return sp, err
	}
	future, fixed, err := seriesMeetings(tx, g.ID, now)
	if err != nil {
		return sp, err
	}
	today := DateOf(now.In(p.Zone))
	for _, f := range fixed {
		p.FirstSeq = max(p.FirstSeq, f.Seq+1)
	}
	pv := &sp.preview
	if len(future)+len(fixed) == 0 {
		plan, err := PlanSeries(p)
		if err != nil {
			return sp, err
		}
		sp.add, pv.Plan = plan.Meetings, plan
	} else {
		r, err := ReplanFuture(p, today, fixedOf(future), fixedOf(fixed))
		if err != nil {
			return sp, err
		}
		pv.Plan.Meetings = r.Add
		for _, f := range fixed {
			if f.StartsAt.After(now) {
				pv.Kept = append(pv.Kept, f)
			}
		}
		// The i-th future meeting takes the i-th new slot.
		for i, slot := range r.Add {
			if i < len(future) {
				sp.moves = append(sp.moves, SlotMove{Meeting: future[i], To: slot})
			} else {
				sp.add = append(sp.add, slot)
			}
		}
		if len(future) > len(r.Add) {
			sp.lost = future[len(r.Add):]
		}
	}
	for _, mv := range sp.moves {
		if !mv.To.StartsAt.Equal(mv.Meeting.StartsAt) || !mv.To.EndsAt.Equal(mv.Meeting.EndsAt) || mv.To.Location != mv.Meeting.Location {
			pv.Moved = append(pv.Moved, mv)
		}
	}
	if sp.content, err = lostContent(tx, sp.lost); err != nil {
		return sp, err
	}
	for _, m := range sp.lost {
		if c, ok := sp.content[m.ID]; ok {
			pv.Lost = append(pv.Lost, c)
		} else {
			pv.Replaced++
		}
	}
	pv.ProgrammeEnd = g.Programme.EndsOn
	for _, m := range pv.Plan.Meetings {
		if DateOf(m.StartsAt.In(p.Zone)).After(g.Programme.EndsOn) {
			pv.PastEnd++
		}
		if m.StartsAt.Before(now) {
			pv.InPast++
		}
	}
	pv.Overlaps, err = mentorOverlaps(tx, g, pv.Plan.Meetings)
	return sp, err
}

// lostContent finds what is on meetings that lose their slot: placed
// cases, roles and filled-in details; meetings with nothing are left out.
func lostContent(tx *gorm.DB, lost []Meeting) (map[uint]LostMeeting, error) {
	out := map[uint]LostMeeting{}
	if len(lost) == 0 {
		return out, nil
	}
	ids := make([]uint, len(lost))
	for i, m := range lost {
		ids[i] = m.ID
	}
	var counts []struct {
		MeetingID uint
		N         int
	}
	if err := tx.Model(&CaseQuestion{}).Select("meeting_id, COUNT(*) AS n").
		Where("meeting_id IN ? AND status = ?", ids, CasePlanned).Group("meeting_id").Scan(&counts).Error; err != nil {
		return nil, err
	}
	cases := map[uint]int{}
	for _, c := range counts {
		cases[c.MeetingID] = c.N
	}
	counts = nil
	if err := tx.Model(&MeetingRoleAssignment{}).Select("meeting_id, COUNT(*) AS n").
		Where("meeting_id IN ?", ids).Group("meeting_id").Scan(&counts).Error; err != nil {
		return nil, err
	}
	roles := map[uint]int{}
	for _, c := range counts {
		roles[c.MeetingID] = c.N
	}
	for _, m := range lost {
		l := LostMeeting{Meeting: m, Cases: cases[m.ID], Roles: roles[m.ID], Details: m.hasDetails()}
		if l.Cases > 0 || l.Roles > 0 || l.Details {
			out[m.ID] = l
		}
	}
	return out, nil
}

// PreviewSeries shows what saving the series form would plan; the group's
// mentor only. It writes nothing.
func PreviewSeries(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, in SeriesInput, now time.Time) (SeriesPreview, error) {
	tx := db.WithContext(ctx)
	g, err := mentorsGroup(tx, v, groupID)
	if err != nil {
		return SeriesPreview{}, err
	}
	sp, err := planFor(tx, g, in, now)
	return sp.preview, err
}

// SaveSeries plans the group's series, in one transaction. Held, cancelled,
// past and hand-edited meetings stay as they are; the other future
// meetings move to the new slots with everything on them. A meeting with
// something on it that loses its slot needs the mentor's choice (Keep or
// ReleaseLost), else the save is refused and the preview says which.
func SaveSeries(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, in SeriesInput, now time.Time) (SeriesPreview, error) {
	var pv SeriesPreview
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		g, err := mentorsOpenGroup(tx, v, groupID)
		if err != nil {
			return err
		}
		sp, err := planFor(tx, g, in, now)
		pv = sp.preview
		if err != nil {
			return err
		}
		keep := map[uint]bool{}
		for _, id := range in.Keep {
			keep[id] = true
		}
		for _, l := range sp.preview.Lost {
			if !keep[l.Meeting.ID] && !in.ReleaseLost {
				return fieldErr("keep", "lost_choose")
			}
		}
		var ch SeriesChange
		// Moving meetings step out of their slots first (one planned meeting
		// per group and moment), so that one may take another's old time.
		if len(sp.moves) > 0 {
			ids := make([]uint, len(sp.moves))
			for i, mv := range sp.moves {
				ids[i] = mv.Meeting.ID
			}
			if err := tx.Model(&Meeting{}).Where("id IN ?", ids).Update("status", meetingMoving).Error; err != nil {
				return err
			}
		}
		for _, mv := range sp.moves {
			m := mv.Meeting
			moved := !mv.To.StartsAt.Equal(m.StartsAt) || !mv.To.EndsAt.Equal(m.EndsAt) || mv.To.Location != m.Location
			if moved {
				m.Sequence++
				if m.Agenda != "" && mv.To.EndsAt.Sub(mv.To.StartsAt) != m.EndsAt.Sub(m.StartsAt) {
					m.Agenda = "" // laid out again from the method for the new length
				}
			}
			m.Seq, m.StartsAt, m.EndsAt, m.Location = mv.To.Seq, mv.To.StartsAt, mv.To.EndsAt, mv.To.Location
			if k, ok := sp.explicitKind(in, mv.To.Seq); ok && m.Kind == KindIntervision && !m.hasDetails() {
				m.Kind = k
			}
			m.Status = MeetingPlanned
			if err := tx.Model(&m).Select("seq", "starts_at", "ends_at", "location", "kind", "agenda", "sequence", "status").Updates(&m).Error; err != nil {
				return conflict(err)
			}
			if m.Agenda == "" && m.MethodKey != "" {
				// One method round per case presenter, laid out for the new length.
				if err := relayRounds(tx, m.ID); err != nil {
					return err
				}
			}
			if moved {
				ch.Moved = append(ch.Moved, m)
			}
		}
		for _, m := range sp.lost {
			if keep[m.ID] {
				if err := tx.Model(&m).Update("edited_by_hand", true).Error; err != nil {
					return err
				}
				ch.Kept = append(ch.Kept, m)
				continue
			}
			var released []uint
			if err := tx.Model(&CaseQuestion{}).Where("meeting_id = ?", m.ID).Pluck("id", &released).Error; err != nil {
				return err
			}
			if len(released) > 0 {
				if err := tx.Model(&CaseQuestion{}).Where("id IN ?", released).
					Updates(map[string]any{"meeting_id": nil, "status": CaseSubmitted}).Error; err != nil {
					return err
				}
			}
			ch.Released = append(ch.Released, released...)
			if err := tx.Where("meeting_id = ?", m.ID).Delete(&MeetingRoleAssignment{}).Error; err != nil {
				return err
			}
			if err := tx.Delete(&m).Error; err != nil {
				return err
			}
			ch.Removed = append(ch.Removed, m)
		}
		added, err := insertPlanned(tx, g.ID, sp.add)
		if err != nil {
			return conflict(err)
		}
		ch.Added = added
		sp.series.UID = seriesUID(g.ID) // a new series only: an existing one keeps its own
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "group_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"weekday", "start_time", "duration_min", "cadence_weeks", "location",
				"policy", "first_on", "until", "visits_wanted", "visits_with", "updated_at"})}).Create(&sp.series).Error; err != nil {
			return err
		}
		return seriesChanged(tx, g, ch, now)
	})
	return pv, err
}

// explicitKind is the kind the series form names for slot seq, if any.
func (sp slotPlan) explicitKind(in SeriesInput, seq int) (MeetingKind, bool) {
	kinds := map[int]MeetingKind{}
	if slotList("work_visits", in.WorkVisits, KindWorkVisit, kinds) != nil || slotList("guests", in.Guests, KindGuest, kinds) != nil {
		return "", false
	}
	k, ok := kinds[seq]
	return k, ok
}
