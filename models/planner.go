package models

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// MeetingKind tells what a meeting of a group is.
type MeetingKind string

// Meeting kinds.
const (
	KindFirstMeeting MeetingKind = "first"
	KindIntervision  MeetingKind = "intervision"
	KindWorkVisit    MeetingKind = "work_visit"
	KindGuest        MeetingKind = "guest"
)

// MeetingKinds lists the kinds a slot of the series can have.
var MeetingKinds = []MeetingKind{KindIntervision, KindWorkVisit, KindGuest}

// HolidayPolicy says what happens to a meeting that falls on a holiday or
// in a blackout period.
type HolidayPolicy string

// Holiday policies.
const (
	PolicySkip    HolidayPolicy = "skip"    // the meeting is left out
	PolicyShift   HolidayPolicy = "shift"   // the meeting moves to the same weekday of the next free week
	PolicyWorkday HolidayPolicy = "workday" // the meeting moves to the next working day
)

// Blackout is a period in which the organisation plans no meetings, such
// as the summer holiday. Both ends are included.
type Blackout struct {
	ID        uint   `gorm:"primaryKey" json:"id"`
	Name      string `gorm:"size:100;not null" json:"name"`
	StartsOn  Date   `gorm:"not null" json:"starts_on"`
	EndsOn    Date   `gorm:"not null" json:"ends_on"`
	Yearly    bool   `gorm:"not null;default:false" json:"yearly"` // the same days every year
	CreatedAt time.Time
}

// Covers reports whether d lies in the period; a yearly period covers the
// same days of every year (a period across New Year wraps).
func (b Blackout) Covers(d Date) bool {
	if !b.Yearly {
		return !d.Before(b.StartsOn) && !d.After(b.EndsOn)
	}
	if b.EndsOn.Sub(b.StartsOn.Time) >= 365*24*time.Hour {
		return true
	}
	md := func(x Date) int { return int(x.Month())*100 + x.Day() }
	from, to, day := md(b.StartsOn), md(b.EndsOn), md(d)
	if from <= to {
		return day >= from && day <= to
	}
	return day >= from || day <= to
}

// SeriesParams is everything the series planner needs.
type SeriesParams struct {
	From         Date         // no meeting before this day
	Until        Date         // no meeting after this day
	Weekday      time.Weekday // the meetings' day of the week
	StartTime    string       // local wall-clock time, "14:00"
	DurationMin  int          // minutes
	CadenceWeeks int          // weeks between meetings
	Location     string
	Policy       HolidayPolicy
	Zone         *time.Location
	Holidays     Holidays
	Blackouts    []Blackout
	Kinds        map[int]MeetingKind // slot number (1-based) → work visit or guest; others are intervision
	FirstSeq     int                 // number of the first slot (1 unless extending)
}

// PlannedMeeting is one meeting the planner proposes.
type PlannedMeeting struct {
	Seq      int         `json:"seq"`
	Kind     MeetingKind `json:"kind"`
	Date     Date        `json:"date"`
	StartsAt time.Time   `json:"starts_at"` // UTC
	EndsAt   time.Time   `json:"ends_at"`   // UTC
	Location string      `json:"location"`
	MovedOn  Date        `json:"moved_from,omitzero"` // the regular date, when shifted
	Reason   string      `json:"reason,omitempty"`    // why it was shifted
}

// SkippedDate is a regular date on which no meeting is planned, and why.
type SkippedDate struct {
	Date   Date   `json:"date"`
	Reason string `json:"reason"`
}

// SeriesPlan is the planner's proposal.
type SeriesPlan struct {
	Meetings []PlannedMeeting `json:"meetings"`
	Skipped  []SkippedDate    `json:"skipped"`
}

// Limits of the planner's parameters.
const (
	MinDurationMin = 15
	MaxDurationMin = 8 * 60
	MaxCadence     = 26
	MaxSeriesSlots = 120
)

// parseClock reads "HH:MM" into hours and minutes.
func parseClock(s string) (int, int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(m) != 2 || len(h) < 1 || len(h) > 2 {
		return 0, 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, 0, false
	}
	return hh, mm, true
}

// check validates the parameters field by field.
func (p SeriesParams) check() error {
	ve := &ValidationError{}
	if p.From.IsZero() {
		ve.Add("from", "required", nil)
	}
	if p.Until.IsZero() {
		ve.Add("until", "required", nil)
	} else if !p.From.IsZero() && !p.Until.After(p.From) {
		ve.Add("until", "end_before_start", nil)
	}
	if p.CadenceWeeks < 1 || p.CadenceWeeks > MaxCadence {
		ve.Add("cadence_weeks", "out_of_range", map[string]any{"Min": 1, "Max": MaxCadence})
	}
	if p.DurationMin < MinDurationMin || p.DurationMin > MaxDurationMin {
		ve.Add("duration_min", "out_of_range", map[string]any{"Min": MinDurationMin, "Max": MaxDurationMin})
	}
	if _, _, ok := parseClock(p.StartTime); !ok {
		ve.Add("start_time", "time", nil)
	}
	if p.Weekday < time.Sunday || p.Weekday > time.Saturday {
		ve.Add("weekday", "unknown_choice", nil)
	}
	if p.Policy != PolicySkip && p.Policy != PolicyShift && p.Policy != PolicyWorkday {
		ve.Add("policy", "unknown_choice", nil)
	}
	if len(p.Location) > 200 {
		ve.Add("location", "too_long", map[string]any{"Max": 200})
	}
	return ve.OrNil()
}

// at returns the UTC instant of a wall-clock time on d in zone, and false
// when that time does not exist there (the hour skipped when clocks go forward).
func at(d Date, hh, mm int, zone *time.Location) (time.Time, bool) {
	t := time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, zone)
	return t.UTC(), t.Hour() == hh && t.Minute() == mm
}

// ParseLocalTime reads a date (2006-01-02) and a wall-clock time (15:04)
// as people mean them in zone, and returns the moment in UTC. A time that
// does not exist there, in the hour skipped when summer time starts, is
// refused at the time field.
func ParseLocalTime(date, clock string, zone *time.Location) (time.Time, error) {
	d, err := ParseDate(date)
	if err != nil {
		return time.Time{}, fieldErr("date", "date")
	}
	hh, mm, ok := parseClock(clock)
	if !ok {
		return time.Time{}, fieldErr("start_time", "time")
	}
	t, ok := at(d, hh, mm, zone)
	if !ok {
		return time.Time{}, &ValidationError{Fields: []FieldError{{Field: "start_time", Code: "time_missing", Args: map[string]any{"Date": d.String()}}}}
	}
	return t, nil
}

// dayOff says why no meeting can be held on d, or "".
func (p SeriesParams) dayOff(d Date) string {
	if name, ok := p.Holidays.Holiday(d); ok {
		return name
	}
	for _, b := range p.Blackouts {
		if b.Covers(d) {
			return b.Name
		}
	}
	return ""
}

// isWorkday reports whether d is a weekday without holiday or blackout.
func (p SeriesParams) isWorkday(d Date) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday && p.dayOff(d) == ""
}

// PlanSeries proposes the meetings of a series: every CadenceWeeks weeks on
// Weekday at StartTime local time, from the first such day on or after From
// up to Until. A regular date on a holiday or in a blackout is skipped, or
// moved before the following regular date: to the same weekday of the next
// free week (shift) or to the next working day (workday), by Policy.
// Instants are UTC; the wall-clock time stays the same across DST changes.
func PlanSeries(p SeriesParams) (SeriesPlan, error) {
	var plan SeriesPlan
	if p.Holidays == nil {
		p.Holidays = NewDutchHolidays(false, false)
	}
	if p.Zone == nil {
		p.Zone = time.UTC
	}
	if p.FirstSeq < 1 {
		p.FirstSeq = 1
	}
	if err := p.check(); err != nil {
		return plan, err
	}
	hh, mm, _ := parseClock(p.StartTime)
	first := Date{p.From.AddDate(0, 0, (int(p.Weekday)-int(p.From.Weekday())+7)%7)}
	step := 7 * p.CadenceWeeks
	seq := p.FirstSeq
	for regular := first; !regular.After(p.Until); regular = (Date{regular.AddDate(0, 0, step)}) {
		if len(plan.Meetings) >= MaxSeriesSlots {
			return plan, fieldErr("until", "too_many_meetings")
		}
		day, moved, reason := regular, Date{}, p.dayOff(regular)
		if reason != "" {
			if p.Policy == PolicySkip {
				plan.Skipped = append(plan.Skipped, SkippedDate{Date: regular, Reason: reason})
				continue
			}
			next := Date{regular.AddDate(0, 0, step)}
			// Shift keeps the weekday: the same day of the next free week.
			// Workday takes the next working day.
			by := 7
			if p.Policy == PolicyWorkday {
				by = 1
			}
			day = Date{regular.AddDate(0, 0, by)}
			for !p.isWorkday(day) && day.Before(next) {
				day = Date{day.AddDate(0, 0, by)}
			}
			if !day.Before(next) || day.After(p.Until) {
				plan.Skipped = append(plan.Skipped, SkippedDate{Date: regular, Reason: reason})
				continue
			}
			moved = regular
		}
		start, ok := at(day, hh, mm, p.Zone)
		if !ok {
			return plan, &ValidationError{Fields: []FieldError{{Field: "start_time", Code: "time_missing",
				Args: map[string]any{"Date": day.String()}}}}
		}
		kind := KindIntervision
		if k, ok := p.Kinds[seq]; ok {
			kind = k
		}
		plan.Meetings = append(plan.Meetings, PlannedMeeting{Seq: seq, Kind: kind, Date: day, StartsAt: start,
			EndsAt: start.Add(time.Duration(p.DurationMin) * time.Minute), Location: CleanText(p.Location),
			MovedOn: moved, Reason: reason})
		seq++
	}
	if len(plan.Meetings) == 0 {
		return plan, fieldErr("until", "no_meetings")
	}
	return plan, nil
}

// FixedMeeting is a meeting that a replan must keep: held, cancelled or
// changed by hand.
type FixedMeeting struct {
	ID       uint
	StartsAt time.Time
	EndsAt   time.Time
}

// Replan is what changing a series' parameters does: which future,
// untouched meetings go, and which new ones come.
type Replan struct {
	Remove []uint           // ids of future meetings that are replaced
	Add    []PlannedMeeting // the new meetings
	Kept   []FixedMeeting   // meetings kept as they are
}

// ReplanFuture plans again from the day after `after`: the meetings in
// `future` that were not edited by hand are replaced by the new plan; those
// in `fixed` stay, and a new meeting on the same day as a fixed one is left out.
func ReplanFuture(p SeriesParams, after Date, future []FixedMeeting, fixed []FixedMeeting) (Replan, error) {
	var r Replan
	from := Date{after.AddDate(0, 0, 1)}
	if from.After(p.From) {
		p.From = from
	}
	plan, err := PlanSeries(p)
	if err != nil {
		return r, err
	}
	taken := map[string]bool{}
	for _, f := range fixed {
		taken[DateOf(f.StartsAt.In(p.Zone)).String()] = true
		if f.StartsAt.After(time.Date(after.Year(), after.Month(), after.Day(), 23, 59, 59, 0, p.Zone)) {
			r.Kept = append(r.Kept, f)
		}
	}
	for _, m := range future {
		r.Remove = append(r.Remove, m.ID)
	}
	for _, m := range plan.Meetings {
		if !taken[m.Date.String()] {
			r.Add = append(r.Add, m)
		}
	}
	sort.Slice(r.Kept, func(i, j int) bool { return r.Kept[i].StartsAt.Before(r.Kept[j].StartsAt) })
	return r, nil
}

// Overlaps reports whether two time ranges share a moment.
func Overlaps(aStart, aEnd, bStart, bEnd time.Time) bool {
	return aStart.Before(bEnd) && bStart.Before(aEnd)
}

// String describes a planned meeting for logs and tests.
func (m PlannedMeeting) String() string {
	return fmt.Sprintf("#%d %s %s %s", m.Seq, m.Kind, m.Date, m.StartsAt.Format(time.RFC3339))
}
