package models

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"
)

// Figure columns: what the report and the dashboard count.
const (
	FigParticipants    = "participants"     // distinct mentees taking part
	FigGroups          = "groups"           // distinct groups with members in the row
	FigMeetingsHeld    = "meetings_held"    // group meetings held
	FigMeetingsPlanned = "meetings_planned" // group meetings not cancelled
	FigOneOnOnes       = "one_on_ones"      // one-on-ones held
	FigAttendance      = "attendance"       // share of recorded attendance that was present
)

// Breakdowns of the published figures; the total row is shared by both.
const (
	ByProgramme  = "programme"
	ByDepartment = "department"
	byTotal      = ""
)

var (
	stockColumns = []string{FigParticipants, FigGroups}
	flowColumns  = []string{FigMeetingsHeld, FigMeetingsPlanned, FigOneOnOnes}
)

// figKey names one published figure.
type figKey struct {
	Column, By, Row string
	Period          Period
}

// Figures is everything the organisation publishes in aggregate: every
// column for every programme, every department and the total, for every
// closed month, quarter and programme year, with suppression applied
// across all of it at once. The report and the dashboard only read it.
type Figures struct {
	Periods []Period            // the published periods, in the order they ended
	Rows    map[string][]string // by → row names, sorted
	cells   map[figKey]Cell
}

// Cell returns one published figure; one that was never published is hidden.
func (f *Figures) Cell(column, by, row string, p Period) Cell {
	c, ok := f.cells[figKey{column, by, row, p}]
	if !ok {
		return Cell{Suppressed: true}
	}
	return c
}

// Published reports whether p is one of the published periods.
func (f *Figures) Published(p Period) bool {
	for _, q := range f.Periods {
		if q == p {
			return true
		}
	}
	return false
}

// monthAgg is what one row counts in one month.
type monthAgg struct {
	participants, groups, meetPeople, talkPeople, attPeople map[uint]bool
	held, planned, talks, present, recorded                 int
}

func newMonthAgg() *monthAgg {
	return &monthAgg{participants: map[uint]bool{}, groups: map[uint]bool{}, meetPeople: map[uint]bool{},
		talkPeople: map[uint]bool{}, attPeople: map[uint]bool{}}
}

type rowMonth struct {
	by, row string
	month   int
}

// figureFacts is the raw material, read once.
type figureFacts struct {
	memberships []struct {
		PersonID, GroupID uint
		Status            MembershipStatus
		StatusSince       Date
		StartsOn, EndsOn  Date
		ClosedOn          *Date
	}
	groupProgramme map[uint]string
	personTeam     map[uint]string
	meetings       []struct {
		GroupID  uint
		Status   MeetingStatus
		StartsAt time.Time
	}
	attendance []struct {
		PersonID, GroupID uint
		Status            AttendanceStatus
		StartsAt          time.Time
	}
	talks []struct {
		MenteeID, GroupID uint
		StartsAt          time.Time
	}
}

// PublishedFigures returns the organisation's published figures as of
// today. Only periods that have ended are published, and each period's
// figures are counted once, when it is first asked for after it ended,
// and stored (figure_cells): later changes to the data (a late attendance
// record, a mentee added afterwards, an erasure) never change a published
// figure, so comparing the figures before and after a change reveals
// nothing. Suppression is then worked out over everything stored.
func PublishedFigures(ctx context.Context, db *gorm.DB, today Date) (*Figures, error) {
	tx := db.WithContext(ctx)
	f := &Figures{Rows: map[string][]string{}, cells: map[figKey]Cell{}}
	var programmes []Programme
	if err := tx.Order("starts_on").Limit(1).Find(&programmes).Error; err != nil {
		return nil, err
	}
	if len(programmes) == 0 {
		return f, nil
	}
	first := programmeYearOf(programmes[0].StartsOn)
	end := monthStart(today)
	if !first.Before(end) {
		return f, nil
	}
	f.Periods = periodsIn(first, end)
	stored, err := storedFigures(tx, f.Periods)
	if err != nil {
		return nil, err
	}
	var missing []Period
	for _, p := range f.Periods {
		if _, ok := stored[figKey{FigParticipants, byTotal, "", p}]; !ok {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		if err := freezePeriods(tx, first, end, missing); err != nil {
			return nil, err
		}
		if stored, err = storedFigures(tx, f.Periods); err != nil {
			return nil, err
		}
	}
	rowSet := map[string]map[string]bool{ByProgramme: {}, ByDepartment: {}}
	for k := range stored {
		if k.By != byTotal {
			rowSet[k.By][k.Row] = true
		}
	}
	for by, set := range rowSet {
		for r := range set {
			f.Rows[by] = append(f.Rows[by], r)
		}
		sort.Strings(f.Rows[by])
	}
	var months []Date
	for m := first; m.Before(end); m = m.AddMonths(1) {
		months = append(months, m)
	}
	decided, hidden := f.publish(stored, months)
	if err := storeDecisions(tx, decided, hidden); err != nil {
		return nil, err
	}
	return f, nil
}

// loadFigureFacts reads memberships, meetings, attendance and one-on-ones
// of the months [from, to).
func loadFigureFacts(tx *gorm.DB, from, to time.Time) (figureFacts, error) {
	var ff figureFacts
	if err := tx.Model(&Membership{}).Select(`memberships.person_id, memberships.group_id, memberships.status,
		memberships.status_since, p.starts_on, p.ends_on, g.closed_on`).
		Joins("JOIN mentor_groups g ON g.id = memberships.group_id").
		Joins("JOIN programmes p ON p.id = g.programme_id").
		Where("memberships.status IN ('active','frozen','stopped','referred','left')").
		Scan(&ff.memberships).Error; err != nil {
		return ff, err
	}
	var groups []struct {
		ID   uint
		Name string
	}
	if err := tx.Model(&MentorGroup{}).Select("mentor_groups.id, p.name").
		Joins("JOIN programmes p ON p.id = mentor_groups.programme_id").Scan(&groups).Error; err != nil {
		return ff, err
	}
	ff.groupProgramme = map[uint]string{}
	for _, g := range groups {
		ff.groupProgramme[g.ID] = g.Name
	}
	var people []struct {
		ID   uint
		Team string
	}
	if err := tx.Model(&Person{}).Select("people.id, COALESCE(t.name, '') AS team").
		Joins("LEFT JOIN teams t ON t.id = people.team_id").Scan(&people).Error; err != nil {
		return ff, err
	}
	ff.personTeam = map[uint]string{}
	for _, p := range people {
		ff.personTeam[p.ID] = p.Team
	}
	if err := tx.Model(&Meeting{}).Select("group_id, status, starts_at").
		Where("status <> ? AND starts_at >= ? AND starts_at < ?", MeetingCancelled, from, to).
		Scan(&ff.meetings).Error; err != nil {
		return ff, err
	}
	if err := tx.Model(&Attendance{}).Select("attendances.person_id, m.group_id, attendances.status, m.starts_at").
		Joins("JOIN meetings m ON m.id = attendances.meeting_id").
		Where("m.starts_at >= ? AND m.starts_at < ?", from, to).Scan(&ff.attendance).Error; err != nil {
		return ff, err
	}
	err := tx.Model(&OneOnOne{}).Select("mentee_id, group_id, starts_at").
		Where("status = 'held' AND starts_at >= ? AND starts_at < ?", from, to).Scan(&ff.talks).Error
	return ff, err
}

// aggregateMonths counts, per row and month, the figures and the distinct
// people behind each. A mentee takes part in a month when their group's
// programme has started and they had not left (stopped or referred)
// before the month began, up to the later of the programme's end and the
// group's close.
func aggregateMonths(ff figureFacts, months []Date) map[rowMonth]*monthAgg {
	aggs := map[rowMonth]*monthAgg{}
	get := func(by, row string, m int) *monthAgg {
		k := rowMonth{by, row, m}
		if aggs[k] == nil {
			aggs[k] = newMonthAgg()
		}
		return aggs[k]
	}
	// members[group][month] = the people taking part.
	members := map[uint]map[int][]uint{}
	for _, r := range ff.memberships {
		end := r.EndsOn
		if r.ClosedOn != nil && r.ClosedOn.After(end) {
			end = *r.ClosedOn
		}
		if r.Status == StatusStopped || r.Status == StatusReferred || r.Status == StatusLeft {
			end = r.StatusSince
		}
		prog, team := ff.groupProgramme[r.GroupID], ff.personTeam[r.PersonID]
		for i, m := range months {
			if !r.StartsOn.Before(m.AddMonths(1)) || end.Before(m) {
				continue
			}
			if members[r.GroupID] == nil {
				members[r.GroupID] = map[int][]uint{}
			}
			members[r.GroupID][i] = append(members[r.GroupID][i], r.PersonID)
			for _, k := range [][2]string{{ByProgramme, prog}, {ByDepartment, team}, {byTotal, ""}} {
				a := get(k[0], k[1], i)
				a.participants[r.PersonID], a.groups[r.GroupID] = true, true
			}
		}
	}
	index := func(t time.Time) int {
		d := DateOf(t.UTC())
		for i := len(months) - 1; i >= 0; i-- {
			if !d.Before(months[i]) {
				return i
			}
		}
		return -1
	}
	for _, mt := range ff.meetings {
		i := index(mt.StartsAt)
		if i < 0 {
			continue
		}
		if len(members[mt.GroupID][i]) == 0 {
			continue // a group without members that month: no one took part
		}
		held := 0
		if mt.Status == MeetingHeld {
			held = 1
		}
		byRow := map[[2]string][]uint{{ByProgramme, ff.groupProgramme[mt.GroupID]}: nil, {byTotal, ""}: nil}
		for _, p := range members[mt.GroupID][i] {
			for _, k := range [][2]string{{ByProgramme, ff.groupProgramme[mt.GroupID]}, {ByDepartment, ff.personTeam[p]}, {byTotal, ""}} {
				byRow[k] = append(byRow[k], p)
			}
		}
		for k, people := range byRow {
			a := get(k[0], k[1], i)
			a.planned++
			a.held += held
			for _, p := range people {
				a.meetPeople[p] = true
			}
		}
	}
	for _, at := range ff.attendance {
		i := index(at.StartsAt)
		if i < 0 {
			continue
		}
		for _, k := range [][2]string{{ByProgramme, ff.groupProgramme[at.GroupID]}, {ByDepartment, ff.personTeam[at.PersonID]}, {byTotal, ""}} {
			a := get(k[0], k[1], i)
			a.recorded++
			if at.Status == Present {
				a.present++
			}
			a.attPeople[at.PersonID] = true
		}
	}
	for _, t := range ff.talks {
		i := index(t.StartsAt)
		if i < 0 {
			continue
		}
		for _, k := range [][2]string{{ByProgramme, ff.groupProgramme[t.GroupID]}, {ByDepartment, ff.personTeam[t.MenteeID]}, {byTotal, ""}} {
			a := get(k[0], k[1], i)
			a.talks++
			a.talkPeople[t.MenteeID] = true
		}
	}
	return aggs
}
