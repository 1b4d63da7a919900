package models

import (
	"context"
	"sort"

	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"
)

// MinAggregatePeople is the fewest distinct people a shown figure may rest on.
const MinAggregatePeople = 5

// Cell is one figure of a report; a suppressed cell has no value.
type Cell struct {
	Value      float64 `json:"value"`
	Suppressed bool    `json:"suppressed"`
	people     int     // the distinct people the figure rests on
}

// ReportRow is one programme or department with its figures.
type ReportRow struct {
	Name           string `json:"name"`
	Participants   Cell   `json:"participants"`
	Groups         Cell   `json:"groups"`
	MeetingsHeld   Cell   `json:"meetings_held"`
	AttendanceRate Cell   `json:"attendance_rate"` // 0..1
	OneOnOnesHeld  Cell   `json:"one_on_ones_held"`
}

// cells lists a row's figures in column order.
func (r *ReportRow) cells() []*Cell {
	return []*Cell{&r.Participants, &r.Groups, &r.MeetingsHeld, &r.AttendanceRate, &r.OneOnOnesHeld}
}

// ParticipationReport is the aggregate report for managers and L&D.
type ParticipationReport struct {
	By    string      `json:"by"` // programme or department
	From  Date        `json:"from"`
	To    Date        `json:"to"`
	Rows  []ReportRow `json:"rows"`
	Total ReportRow   `json:"total"`
}

// ParticipantFact is one mentee in one group, with what the report groups by.
type ParticipantFact struct {
	PersonID  uint
	GroupID   uint
	Programme string
	Team      string
}

// AttendanceFact is one person's recorded attendance in the period.
type AttendanceFact struct {
	PersonID uint
	Recorded int
	Present  int
}

// MeetingFact is the number of meetings a group held in the period.
type MeetingFact struct {
	GroupID uint
	Held    int
}

// TalkFact is the number of one-on-ones a mentee had in the period.
type TalkFact struct {
	PersonID uint
	Held     int
}

// ReportFacts is everything the report is computed from, counted per
// person or group by the database.
type ReportFacts struct {
	Participants []ParticipantFact
	Attendance   []AttendanceFact
	MeetingsHeld []MeetingFact
	OneOnOnes    []TalkFact
}

// BuildReport computes the report rows by programme or department from
// facts, with suppression: a row resting on fewer than MinAggregatePeople
// people is hidden; when exactly one row would be hidden while the total
// shows, the next smallest row is hidden too, so the total minus the shown
// rows cannot reveal it.
func BuildReport(facts ReportFacts, by string) ([]ReportRow, ReportRow) {
	key := func(p ParticipantFact) string {
		if by == "department" {
			return p.Team
		}
		return p.Programme
	}
	type acc struct {
		people, groups, attendees, talkers map[uint]bool
		meetings, present, recorded, talks int
	}
	newAcc := func() *acc {
		return &acc{people: map[uint]bool{}, groups: map[uint]bool{}, attendees: map[uint]bool{}, talkers: map[uint]bool{}}
	}
	rows := map[string]*acc{}
	total := newAcc()
	// groupRows: which rows (and which people) a group's facts count for.
	personRows := map[uint]map[string]bool{}
	groupRows := map[uint]map[string]bool{}
	for _, p := range facts.Participants {
		k := key(p)
		if rows[k] == nil {
			rows[k] = newAcc()
		}
		for _, a := range []*acc{rows[k], total} {
			a.people[p.PersonID], a.groups[p.GroupID] = true, true
		}
		if personRows[p.PersonID] == nil {
			personRows[p.PersonID] = map[string]bool{}
		}
		if groupRows[p.GroupID] == nil {
			groupRows[p.GroupID] = map[string]bool{}
		}
		personRows[p.PersonID][k], groupRows[p.GroupID][k] = true, true
	}
	for _, m := range facts.MeetingsHeld {
		for k := range groupRows[m.GroupID] {
			rows[k].meetings += m.Held
		}
		if len(groupRows[m.GroupID]) > 0 {
			total.meetings += m.Held
		}
	}
	for _, a := range facts.Attendance {
		if len(personRows[a.PersonID]) == 0 || a.Recorded == 0 {
			continue
		}
		accs := []*acc{total}
		for k := range personRows[a.PersonID] {
			accs = append(accs, rows[k])
		}
		for _, x := range accs {
			x.recorded += a.Recorded
			x.present += a.Present
			x.attendees[a.PersonID] = true
		}
	}
	for _, talk := range facts.OneOnOnes {
		if len(personRows[talk.PersonID]) == 0 || talk.Held == 0 {
			continue
		}
		accs := []*acc{total}
		for k := range personRows[talk.PersonID] {
			accs = append(accs, rows[k])
		}
		for _, x := range accs {
			x.talks += talk.Held
			x.talkers[talk.PersonID] = true
		}
	}
	toRow := func(name string, a *acc) ReportRow {
		rate := 0.0
		if a.recorded > 0 {
			rate = float64(a.present) / float64(a.recorded)
		}
		n := len(a.people)
		return ReportRow{Name: name, Participants: Cell{Value: float64(n), people: n},
			Groups: Cell{Value: float64(len(a.groups)), people: n}, MeetingsHeld: Cell{Value: float64(a.meetings), people: n},
			AttendanceRate: Cell{Value: rate, people: len(a.attendees)},
			OneOnOnesHeld:  Cell{Value: float64(a.talks), people: len(a.talkers)}}
	}
	out := make([]ReportRow, 0, len(rows))
	for name, a := range rows {
		out = append(out, toRow(name, a))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	tot := toRow("", total)
	suppress(out, &tot)
	return out, tot
}

// suppress hides, column by column, every figure resting on fewer than
// MinAggregatePeople people; a figure hidden in the total hides its whole
// column; and where exactly one row's figure is hidden beside a shown
// total, the smallest shown figure of that column is hidden too, so
// subtracting the shown rows from the total reveals nothing.
func suppress(rows []ReportRow, total *ReportRow) {
	for col := range total.cells() {
		hide := func(c *Cell) { *c = Cell{Suppressed: true, people: c.people} }
		hidden := 0
		for i := range rows {
			if c := rows[i].cells()[col]; c.people < MinAggregatePeople {
				hide(c)
				hidden++
			}
		}
		if t := total.cells()[col]; t.people < MinAggregatePeople {
			hide(t)
			for i := range rows {
				hide(rows[i].cells()[col])
			}
			continue
		}
		if hidden == 1 && len(rows) > 1 {
			var smallest *Cell
			for i := range rows {
				if c := rows[i].cells()[col]; !c.Suppressed && (smallest == nil || c.people < smallest.people) {
					smallest = c
				}
			}
			if smallest != nil {
				hide(smallest)
			}
		}
	}
}

// ReportFilter chooses the grouping and the period of the report.
type ReportFilter struct {
	By   string `query:"by" json:"by" validate:"omitempty,oneof=programme department"`
	From string `query:"from" json:"from" validate:"omitempty,date"`
	To   string `query:"to" json:"to" validate:"omitempty,date"`
}

// Participation computes the aggregate report; admins and managers only.
// It holds programme and team names and counts, never a person.
func Participation(ctx context.Context, db *gorm.DB, v Viewer, f ReportFilter, today Date) (ParticipationReport, error) {
	if !v.Admin && !v.Manager {
		return ParticipationReport{}, ErrNotFound
	}
	r := ParticipationReport{By: f.By, From: today.AddMonths(-12), To: today}
	if r.By == "" {
		r.By = "programme"
	}
	var err error
	if f.From != "" {
		if r.From, err = ParseDate(f.From); err != nil {
			return r, fieldErr("from", "date")
		}
	}
	if f.To != "" {
		if r.To, err = ParseDate(f.To); err != nil {
			return r, fieldErr("to", "date")
		}
	}
	if r.To.Before(r.From) {
		return r, fieldErr("to", "end_before_start")
	}
	from := r.From.Time
	to := r.To.AddDate(0, 0, 1)
	// The four counts are independent: they run side by side.
	var facts ReportFacts
	g, gctx := errgroup.WithContext(ctx)
	tx := db.WithContext(gctx)
	g.Go(func() error {
		return tx.Model(&Membership{}).Select(`memberships.person_id, memberships.group_id, pr.name AS programme,
		COALESCE(t.name, '') AS team`).
			Joins("JOIN mentor_groups g ON g.id = memberships.group_id").
			Joins("JOIN programmes pr ON pr.id = g.programme_id").
			Joins("JOIN people p ON p.id = memberships.person_id").
			Joins("LEFT JOIN teams t ON t.id = p.team_id").
			Where("memberships.status IN ('active','frozen','stopped','referred','left') AND pr.starts_on <= ? AND pr.ends_on >= ?", r.To, r.From).
			Scan(&facts.Participants).Error
	})
	g.Go(func() error {
		return tx.Model(&Meeting{}).Select("group_id, COUNT(*) AS held").
			Where("status = ? AND starts_at >= ? AND starts_at < ?", MeetingHeld, from, to).
			Group("group_id").Scan(&facts.MeetingsHeld).Error
	})
	g.Go(func() error {
		return tx.Model(&Attendance{}).
			Select("attendances.person_id, COUNT(*) AS recorded, SUM(CASE WHEN attendances.status = ? THEN 1 ELSE 0 END) AS present", Present).
			Joins("JOIN meetings m ON m.id = attendances.meeting_id").
			Where("m.starts_at >= ? AND m.starts_at < ?", from, to).
			Group("attendances.person_id").Scan(&facts.Attendance).Error
	})
	g.Go(func() error {
		return tx.Model(&OneOnOne{}).Select("mentee_id AS person_id, COUNT(*) AS held").
			Where("status = 'held' AND starts_at >= ? AND starts_at < ?", from, to).
			Group("mentee_id").Scan(&facts.OneOnOnes).Error
	})
	if err := g.Wait(); err != nil {
		return r, err
	}
	r.Rows, r.Total = BuildReport(facts, r.By)
	return r, nil
}
