package models

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"
)

// ProgrammeSeriesResult says what planning a programme's series did.
type ProgrammeSeriesResult struct {
	Groups   int `json:"groups"`   // groups that got a series
	Meetings int `json:"meetings"` // meetings planned in all
	Skipped  int `json:"skipped"`  // groups that already had meetings
}

// PlanProgrammeSeries plans the same series for every group of a programme
// that has no meetings yet, in one transaction; admins only. It is for
// L&D starting many groups at once; each mentor can change their group's
// series afterwards.
//
// Every group gets the same dates, so the meetings' places in their
// series are worked out once and written with the meetings, and the
// groups are told in one go: the statements do not grow with the number
// of groups (beyond one per batch of rows), where saving the groups one
// by one took a dozen each.
func PlanProgrammeSeries(ctx context.Context, db *gorm.DB, v Viewer, programmeID uint, in SeriesInput) (ProgrammeSeriesResult, error) {
	var res ProgrammeSeriesResult
	if !v.Can(OrgManage) {
		return res, ErrNotFound
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockRow(tx, "programmes", programmeID); err != nil {
			return err
		}
		var prog Programme
		if err := tx.First(&prog, programmeID).Error; err != nil {
			return notFound(err)
		}
		var groups []MentorGroup
		if err := tx.Where("programme_id = ? AND status <> ?", programmeID, GroupClosed).
			Where("NOT EXISTS (SELECT 1 FROM meetings m WHERE m.group_id = mentor_groups.id AND m.kind <> ?)", KindFirstMeeting).
			Order("id").Find(&groups).Error; err != nil {
			return err
		}
		var total int64
		if err := tx.Model(&MentorGroup{}).Where("programme_id = ? AND status <> ?", programmeID, GroupClosed).Count(&total).Error; err != nil {
			return err
		}
		res.Skipped = int(total) - len(groups)
		if len(groups) == 0 {
			return nil
		}
		p, s, err := seriesParams(tx, MentorGroup{Programme: prog}, in)
		if err != nil {
			return err
		}
		plan, err := PlanSeries(p)
		if err != nil {
			return err
		}
		instances := planInstances(plan.Meetings, s, p.Zone)
		s.Sequence++ // as saving a series raises it (refreshSeries)
		meetings := make([]Meeting, 0, len(groups)*len(plan.Meetings))
		series := make([]GroupSeries, len(groups))
		for i, g := range groups {
			uid := seriesUID(g.ID)
			for j, pm := range plan.Meetings {
				m := Meeting{GroupID: g.ID, Seq: pm.Seq, Kind: pm.Kind, StartsAt: pm.StartsAt, EndsAt: pm.EndsAt,
					Location: pm.Location, Status: MeetingPlanned}
				if pm.Kind == KindIntervision {
					m.MethodKey = "incident"
				}
				if at, ok := instances[j]; ok {
					m.SeriesUID, m.RecurrenceAt = uid, &at
				}
				meetings = append(meetings, m)
			}
			series[i] = s
			series[i].GroupID, series[i].UID = g.ID, uid
		}
		if err := tx.Select(plannedMeetingColumns).CreateInBatches(meetings, BatchRowsOf(tx, len(plannedMeetingColumns), 1000)).Error; err != nil {
			return conflict(err)
		}
		if err := tx.CreateInBatches(series, BatchRows(tx, &GroupSeries{}, 1000)).Error; err != nil {
			return err
		}
		if err := seriesSavedAll(tx, groups); err != nil {
			return err
		}
		res.Groups, res.Meetings = len(groups), len(meetings)
		return nil
	})
	return res, err
}

// plannedMeetingColumns are the columns a newly planned meeting of a series
// sets; the others keep their defaults. Naming them binds 12 parameters a
// meeting instead of 30, which is most of the cost of writing 27,000.
var plannedMeetingColumns = []string{"group_id", "seq", "kind", "starts_at", "ends_at", "location", "status",
	"method_key", "series_uid", "recurrence_at", "created_at", "updated_at"}

// planInstances gives each planned meeting in the series (all but a first
// meeting), by its index in planned, its instance of the series' weekly
// rule, as refreshSeries would for a group holding just these meetings.
func planInstances(planned []PlannedMeeting, s GroupSeries, zone *time.Location) map[int]time.Time {
	var ms []Meeting
	for i, pm := range planned {
		if pm.Kind != KindFirstMeeting {
			ms = append(ms, Meeting{ID: uint(i + 1), StartsAt: pm.StartsAt})
		}
	}
	sort.SliceStable(ms, func(a, b int) bool { return ms[a].StartsAt.Before(ms[b].StartsAt) })
	out := map[int]time.Time{}
	for id, at := range assignInstances(ms, s.Weekday, s.StartTime, zone) {
		out[int(id)-1] = at
	}
	return out
}

// seriesSavedAll is SeriesSaved for many groups at once: each group's
// active mentees and mentor are told that its series was planned.
func seriesSavedAll(tx *gorm.DB, groups []MentorGroup) error {
	at := nowOf(tx).UTC().Truncate(time.Second)
	ids := make([]uint, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	members := map[uint][]uint{}
	last := map[uint]time.Time{} // a group's newest earlier notice of a plan
	for start := 0; start < len(ids); start += idsPerStatement {
		chunk := ids[start:min(start+idsPerStatement, len(ids))]
		var ms []Membership
		if err := tx.Select("group_id", "person_id").Where("group_id IN ? AND status = ?", chunk, StatusActive).
			Order("id").Find(&ms).Error; err != nil {
			return err
		}
		for _, m := range ms {
			members[m.GroupID] = append(members[m.GroupID], m.PersonID)
		}
		var earlier []Notice
		if err := tx.Select("subject_id", "occurrence").Where("kind = ? AND subject_type = ? AND subject_id IN ?", NoticeSeriesPlanned, "group", chunk).
			Find(&earlier).Error; err != nil {
			return err
		}
		for _, n := range earlier {
			if n.Occurrence.After(last[n.SubjectID]) {
				last[n.SubjectID] = n.Occurrence
			}
		}
	}
	events := make([]noticeEvent, len(groups))
	for i, g := range groups {
		occurrence := at
		if l, ok := last[g.ID]; ok && !occurrence.After(l) {
			occurrence = l.Add(time.Second) // two saves within one second are still two notices
		}
		events[i] = noticeEvent{NoticeAbout{Type: "group", ID: g.ID, GroupID: g.ID,
			Path: "/groups/" + itoaU(g.ID) + "/calendar", Occurrence: occurrence}, append(members[g.ID], g.MentorID)}
	}
	return notifyAll(tx, NoticeSeriesPlanned, events)
}
