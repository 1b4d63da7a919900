package models

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// GroupSeries holds how a group's meetings are planned: what the group
// agreed at its first meeting.
type GroupSeries struct {
	ID           uint          `gorm:"primaryKey" json:"-"`
	GroupID      uint          `gorm:"not null;uniqueIndex" json:"group_id"`
	Weekday      time.Weekday  `gorm:"not null" json:"weekday"`
	StartTime    string        `gorm:"size:5;not null" json:"start_time"`
	DurationMin  int           `gorm:"not null" json:"duration_min"`
	CadenceWeeks int           `gorm:"not null" json:"cadence_weeks"`
	Location     string        `gorm:"size:200;not null;default:''" json:"location"`
	Policy       HolidayPolicy `gorm:"size:10;not null" json:"policy"`
	FirstOn      Date          `gorm:"not null" json:"first_on"`
	Until        Date          `gorm:"not null" json:"until"`
	VisitsWanted bool          `gorm:"not null;default:false" json:"visits_wanted"`
	VisitsWith   string        `gorm:"size:500;not null;default:''" json:"visits_with"`
	// UID is the series' own calendar UID ("" for a series planned before
	// series invitations, whose meetings keep their own UIDs); Sequence is
	// its SEQUENCE, raised on every change calendars must follow.
	UID       string    `gorm:"column:uid;size:80;not null;default:''" json:"-"`
	Sequence  int       `gorm:"not null;default:0" json:"-"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// TableName keeps the table name plural-free.
func (GroupSeries) TableName() string { return "group_series" }

// WeekdayInput is a weekday, 0 (Sunday) to 6, as a form sends it; in JSON
// it is a number (a string of the number is read too).
type WeekdayInput string

// UnmarshalJSON reads a number, a string or null.
func (w *WeekdayInput) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case nil:
		*w = ""
	case string:
		*w = WeekdayInput(v)
	case float64:
		if v != math.Trunc(v) {
			return &json.UnmarshalTypeError{Value: "number " + string(b), Type: reflect.TypeFor[int]()}
		}
		*w = WeekdayInput(strconv.FormatFloat(v, 'f', -1, 64))
	default:
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[int]()}
	}
	return nil
}

// SeriesInput is the series form: the working agreements of the group.
type SeriesInput struct {
	FirstOn      string       `form:"first_on" json:"first_on" validate:"required,date"`
	Until        string       `form:"until" json:"until" validate:"omitempty,date"`
	Weekday      WeekdayInput `form:"weekday" json:"weekday" validate:"omitempty,oneof=0 1 2 3 4 5 6"`
	StartTime    string       `form:"start_time" json:"start_time" validate:"required,max=5"`
	DurationMin  int          `form:"duration_min" json:"duration_min"`
	CadenceWeeks int          `form:"cadence_weeks" json:"cadence_weeks"`
	Location     string       `form:"location" json:"location" validate:"max=200"`
	Policy       string       `form:"policy" json:"policy" validate:"omitempty,oneof=skip shift workday"`
	WorkVisits   string       `form:"work_visits" json:"work_visits" validate:"max=100"` // slot numbers, "3, 7"
	Guests       string       `form:"guests" json:"guests" validate:"max=100"`
	VisitsWanted bool         `form:"visits_wanted" json:"visits_wanted"`
	VisitsWith   string       `form:"visits_with" json:"visits_with" validate:"max=500"`
	// Keep lists meetings that lose their slot but stay on their own date,
	// outside the rhythm; ReleaseLost lets the others go, their cases back
	// on the list of cases to place. A replan that takes the slot of a
	// meeting with something on it needs one or the other.
	Keep        []uint `form:"keep" json:"keep"`
	ReleaseLost bool   `form:"release_lost" json:"release_lost"`
}

// DefaultDurationMin is the usual length of a meeting.
const DefaultDurationMin = 120

// SeriesPreview is what saving the series form would do.
type SeriesPreview struct {
	Plan     SeriesPlan
	Replaced int           // future meetings that lose their date and have nothing on them
	Kept     []Meeting     // meetings kept: held, cancelled or changed by hand
	Moved    []SlotMove    // future meetings that move to another date with all on them
	Lost     []LostMeeting // future meetings with something on them that lose their slot
	Overlaps []Overlap     // clashes with the mentor's other groups
	// PastEnd counts planned meetings after the programme's end
	// (ProgrammeEnd); InPast those before now. Both are warnings.
	PastEnd      int
	ProgrammeEnd Date
	InPast       int
}

// Overlap is a planned meeting that clashes with one of another group of
// the same mentor.
type Overlap struct {
	Date  Date
	Group string
}

// slotList reads "3, 7" into slot numbers.
func slotList(field, s string, kind MeetingKind, into map[int]MeetingKind) error {
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		n, err := strconv.Atoi(part)
		if err != nil || n < 1 || n > MaxSeriesSlots {
			return fieldErr(field, "slot_numbers")
		}
		into[n] = kind
	}
	return nil
}

// seriesParams turns the form into planner parameters for group g.
func seriesParams(tx *gorm.DB, g MentorGroup, in SeriesInput) (SeriesParams, GroupSeries, error) {
	org, err := GetOrganisation(tx.Statement.Context, tx)
	if err != nil {
		return SeriesParams{}, GroupSeries{}, err
	}
	var blackouts []Blackout
	if err := tx.Order("starts_on").Find(&blackouts).Error; err != nil {
		return SeriesParams{}, GroupSeries{}, err
	}
	first, err := ParseDate(in.FirstOn)
	if err != nil {
		return SeriesParams{}, GroupSeries{}, fieldErr("first_on", "date")
	}
	until := g.Programme.EndsOn
	if in.Until != "" {
		if until, err = ParseDate(in.Until); err != nil {
			return SeriesParams{}, GroupSeries{}, fieldErr("until", "date")
		}
	}
	weekday := first.Weekday()
	if in.Weekday != "" {
		n, _ := strconv.Atoi(string(in.Weekday))
		weekday = time.Weekday(n)
	}
	p := SeriesParams{From: first, Until: until, Weekday: weekday, StartTime: strings.TrimSpace(in.StartTime),
		DurationMin: in.DurationMin, CadenceWeeks: in.CadenceWeeks, Location: CleanText(in.Location),
		Policy: HolidayPolicy(in.Policy), Zone: org.Location(), Blackouts: blackouts,
		Holidays: NewDutchHolidaysFor(org.GoodFridayOff, org.Liberation()), Kinds: map[int]MeetingKind{}}
	if p.DurationMin == 0 {
		p.DurationMin = DefaultDurationMin
	}
	if p.CadenceWeeks == 0 {
		p.CadenceWeeks = g.Programme.CadenceWeeks
	}
	if p.Policy == "" {
		p.Policy = PolicyShift
	}
	if err := slotList("work_visits", in.WorkVisits, KindWorkVisit, p.Kinds); err != nil {
		return p, GroupSeries{}, err
	}
	if err := slotList("guests", in.Guests, KindGuest, p.Kinds); err != nil {
		return p, GroupSeries{}, err
	}
	s := GroupSeries{GroupID: g.ID, Weekday: weekday, StartTime: p.StartTime, DurationMin: p.DurationMin,
		CadenceWeeks: p.CadenceWeeks, Location: p.Location, Policy: p.Policy, FirstOn: first, Until: until,
		VisitsWanted: in.VisitsWanted, VisitsWith: CleanText(in.VisitsWith)}
	return p, s, nil
}

// mentorsGroup loads a group the viewer mentors; anyone else gets ErrNotFound.
func mentorsGroup(tx *gorm.DB, v Viewer, groupID uint) (MentorGroup, error) {
	a, err := requireGroup(tx, v, GroupMentor, groupID)
	return a.Group, err
}

// seriesMeetings splits the group's series meetings at the moment now:
// future ones that may be replanned, and fixed ones (held, cancelled, edited
// by hand, or past).
func seriesMeetings(tx *gorm.DB, groupID uint, now time.Time) (future, fixed []Meeting, err error) {
	var all []Meeting
	if err = tx.Where("group_id = ? AND kind <> ?", groupID, KindFirstMeeting).Order("starts_at").Find(&all).Error; err != nil {
		return
	}
	for _, m := range all {
		if m.StartsAt.After(now) && m.Status == MeetingPlanned && !m.EditedByHand {
			future = append(future, m)
		} else {
			fixed = append(fixed, m)
		}
	}
	return
}

func fixedOf(ms []Meeting) []FixedMeeting {
	out := make([]FixedMeeting, len(ms))
	for i, m := range ms {
		out[i] = FixedMeeting{ID: m.ID, StartsAt: m.StartsAt, EndsAt: m.EndsAt}
	}
	return out
}

// mentorOverlaps finds planned meetings that clash with meetings of the
// mentor's other groups.
func mentorOverlaps(tx *gorm.DB, g MentorGroup, planned []PlannedMeeting) ([]Overlap, error) {
	if len(planned) == 0 {
		return nil, nil
	}
	var others []struct {
		StartsAt, EndsAt time.Time
		Name             string
	}
	err := tx.Model(&Meeting{}).Select("meetings.starts_at, meetings.ends_at, g.name").
		Joins("JOIN mentor_groups g ON g.id = meetings.group_id").
		Where("g.mentor_id = ? AND g.id <> ? AND meetings.status <> ? AND meetings.starts_at < ? AND meetings.ends_at > ?",
			g.MentorID, g.ID, MeetingCancelled, planned[len(planned)-1].EndsAt, planned[0].StartsAt).
		Scan(&others).Error
	var out []Overlap
	for _, p := range planned {
		for _, o := range others {
			if Overlaps(p.StartsAt, p.EndsAt, o.StartsAt, o.EndsAt) {
				out = append(out, Overlap{Date: p.Date, Group: o.Name})
			}
		}
	}
	return out, err
}

// insertPlanned stores planned meetings and returns them.
func insertPlanned(tx *gorm.DB, groupID uint, planned []PlannedMeeting) ([]Meeting, error) {
	if len(planned) == 0 {
		return nil, nil
	}
	rows := make([]Meeting, len(planned))
	for i, p := range planned {
		rows[i] = Meeting{GroupID: groupID, Seq: p.Seq, Kind: p.Kind, StartsAt: p.StartsAt, EndsAt: p.EndsAt,
			Location: p.Location, Status: MeetingPlanned}
		if p.Kind == KindIntervision {
			rows[i].MethodKey = "incident"
		}
	}
	return rows, tx.CreateInBatches(rows, BatchRows(tx, &Meeting{}, 200)).Error
}

// GetSeries returns the group's series settings, if planned; mentor only.
func GetSeries(ctx context.Context, db *gorm.DB, v Viewer, groupID uint) (GroupSeries, MentorGroup, bool, error) {
	tx := db.WithContext(ctx)
	g, err := mentorsGroup(tx, v, groupID)
	if err != nil {
		return GroupSeries{}, g, false, err
	}
	var s GroupSeries
	err = tx.Where("group_id = ?", groupID).First(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return s, g, false, nil
	}
	return s, g, err == nil, err
}

// SeriesInputOf turns stored settings back into the form.
func SeriesInputOf(s GroupSeries) SeriesInput {
	return SeriesInput{FirstOn: s.FirstOn.String(), Until: s.Until.String(), Weekday: WeekdayInput(strconv.Itoa(int(s.Weekday))),
		StartTime: s.StartTime, DurationMin: s.DurationMin, CadenceWeeks: s.CadenceWeeks, Location: s.Location,
		Policy: string(s.Policy), VisitsWanted: s.VisitsWanted, VisitsWith: s.VisitsWith}
}

// ExtensionPreview is what extending a series by some months would add.
type ExtensionPreview struct {
	Months       int
	Until        Date // the series' new last day
	Plan         SeriesPlan
	ProgrammeEnd Date
	PastEnd      bool // the series will run past the programme's end
}

// planExtension works out the meetings an extension by months adds, after
// the group's last meeting in the series' rhythm.
func planExtension(tx *gorm.DB, g MentorGroup, months int) (ExtensionPreview, GroupSeries, error) {
	pv := ExtensionPreview{Months: months, ProgrammeEnd: g.Programme.EndsOn}
	if months < 1 || months > 12 {
		return pv, GroupSeries{}, &ValidationError{Fields: []FieldError{{Field: "months", Code: "out_of_range", Args: map[string]any{"Min": 1, "Max": 12}}}}
	}
	var s GroupSeries
	if err := tx.Where("group_id = ?", g.ID).First(&s).Error; err != nil {
		return pv, s, fieldErr("months", "no_series")
	}
	p, _, err := seriesParams(tx, g, SeriesInputOf(s))
	if err != nil {
		return pv, s, err
	}
	var last Meeting
	if err := tx.Where("group_id = ? AND kind <> ?", g.ID, KindFirstMeeting).Order("seq DESC").First(&last).Error; err != nil {
		return pv, s, fieldErr("months", "no_series")
	}
	regular := s.FirstOn
	for !regular.After(DateOf(last.StartsAt.In(p.Zone))) {
		regular = Date{regular.AddDate(0, 0, 7*s.CadenceWeeks)}
	}
	p.From, p.Until, p.FirstSeq = regular, s.Until.AddMonths(months), last.Seq+1
	p.Kinds = nil
	plan, err := PlanSeries(p)
	if err != nil {
		return pv, s, err
	}
	pv.Until, pv.Plan, pv.PastEnd = p.Until, plan, p.Until.After(g.Programme.EndsOn)
	return pv, s, nil
}

// PreviewExtension shows what extending the series by months would add;
// the group's mentor only. It writes nothing.
func PreviewExtension(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, months int) (ExtensionPreview, error) {
	tx := db.WithContext(ctx)
	g, err := mentorsGroup(tx, v, groupID)
	if err != nil {
		return ExtensionPreview{}, err
	}
	pv, _, err := planExtension(tx, g, months)
	return pv, err
}

// ExtendSeries lengthens a planned series by some months, appending
// meetings in the same rhythm (as PreviewExtension shows them), and marks
// the group extended; mentor only.
func ExtendSeries(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, months int) (int, error) {
	added := 0
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		g, err := mentorsOpenGroup(tx, v, groupID)
		if err != nil {
			return err
		}
		pv, s, err := planExtension(tx, g, months)
		if err != nil {
			return err
		}
		if _, err := insertPlanned(tx, groupID, pv.Plan.Meetings); err != nil {
			return err
		}
		added = len(pv.Plan.Meetings)
		if err := tx.Model(&s).Update("until", pv.Until).Error; err != nil {
			return err
		}
		if pv.PastEnd && g.Status != GroupForming {
			if err := setGroupStatus(tx, &g, GroupExtended, CauseExtended, v.PersonID); err != nil {
				return err
			}
		}
		if _, err := refreshSeries(tx, groupID); err != nil {
			return err
		}
		return SeriesSaved(tx, groupID)
	})
	return added, err
}
