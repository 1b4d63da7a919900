package models

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func amsterdam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func d(s string) Date {
	x, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return x
}

// params is a year of Monday meetings at 14:00 every six weeks from 11 January 2027.
func params(t *testing.T) SeriesParams {
	return SeriesParams{From: d("2027-01-11"), Until: d("2028-01-10"), Weekday: time.Monday, StartTime: "14:00",
		DurationMin: 120, CadenceWeeks: 6, Policy: PolicySkip, Zone: amsterdam(t), Holidays: NewDutchHolidays(false, false)}
}

func dates(ms []PlannedMeeting) string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Date.String()
	}
	return strings.Join(out, " ")
}

func TestPlanEverySixWeeks(t *testing.T) {
	p := params(t)
	p.Policy = PolicyWorkday
	plan, err := PlanSeries(p)
	if err != nil {
		t.Fatal(err)
	}
	// 17 May 2027 is Whit Monday: the meeting moves to Tuesday.
	want := "2027-01-11 2027-02-22 2027-04-05 2027-05-18 2027-06-28 2027-08-09 2027-09-20 2027-11-01 2027-12-13"
	if got := dates(plan.Meetings); got != want {
		t.Fatalf("dates\n got %s\nwant %s", got, want)
	}
	m := plan.Meetings[3]
	if m.MovedOn != d("2027-05-17") || m.Reason != "Tweede Pinksterdag" {
		t.Fatalf("moved meeting: %+v", m)
	}
	for i, m := range plan.Meetings {
		if m.Seq != i+1 || m.Kind != KindIntervision || m.EndsAt.Sub(m.StartsAt) != 2*time.Hour {
			t.Fatalf("meeting %d: %+v", i, m)
		}
		if local := m.StartsAt.In(p.Zone); local.Hour() != 14 || local.Minute() != 0 {
			t.Fatalf("meeting %d at %s local, want 14:00", i, local)
		}
		if m.StartsAt.Location() != time.UTC {
			t.Fatalf("meeting %d not in UTC", i)
		}
	}
}

func TestPlanFirstWeekdayOnOrAfterFrom(t *testing.T) {
	p := params(t)
	p.From, p.Weekday = d("2027-01-07"), time.Wednesday // a Thursday
	plan, err := PlanSeries(p)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Meetings[0].Date != d("2027-01-13") {
		t.Fatalf("first meeting %s, want the next Wednesday 2027-01-13", plan.Meetings[0].Date)
	}
}

func TestPlanHolidays2027(t *testing.T) {
	cases := []struct {
		name, from, moved, to, holiday string
		weekday                        time.Weekday
	}{
		{"King's Day", "2027-03-16", "2027-04-27", "2027-04-28", "Koningsdag", time.Tuesday},
		{"Ascension Day", "2027-03-25", "2027-05-06", "2027-05-07", "Hemelvaartsdag", time.Thursday},
		{"Whit Monday", "2027-04-05", "2027-05-17", "2027-05-18", "Tweede Pinksterdag", time.Monday},
		{"Easter Monday", "2027-02-15", "2027-03-29", "2027-03-30", "Tweede Paasdag", time.Monday},
		{"Christmas 2026 over the weekend", "2026-11-13", "2026-12-25", "2026-12-28", "Eerste Kerstdag", time.Friday},
		{"New Year", "2026-11-20", "2027-01-01", "2027-01-04", "Nieuwjaarsdag", time.Friday},
	}
	for _, tc := range cases {
		for _, policy := range []HolidayPolicy{PolicySkip, PolicyWorkday} {
			t.Run(tc.name+" "+string(policy), func(t *testing.T) {
				p := params(t)
				p.From, p.Weekday, p.Policy = d(tc.from), tc.weekday, policy
				plan, err := PlanSeries(p)
				if err != nil {
					t.Fatal(err)
				}
				got := dates(plan.Meetings)
				if strings.Contains(got, tc.moved) {
					t.Fatalf("a meeting is still on %s (%s): %s", tc.moved, tc.holiday, got)
				}
				switch policy {
				case PolicySkip:
					if len(plan.Skipped) == 0 || plan.Skipped[0].Date != d(tc.moved) || plan.Skipped[0].Reason != tc.holiday {
						t.Fatalf("skipped: %+v", plan.Skipped)
					}
				case PolicyWorkday:
					if !strings.Contains(got, tc.to) {
						t.Fatalf("no meeting on %s: %s", tc.to, got)
					}
				}
			})
		}
	}
}

func TestPlanOptionalHolidays(t *testing.T) {
	p := params(t)
	p.From, p.Weekday = d("2027-02-12"), time.Friday // 26 March 2027 is Good Friday
	plan, _ := PlanSeries(p)
	if !strings.Contains(dates(plan.Meetings), "2027-03-26") {
		t.Fatal("Good Friday is a working day unless the organisation says otherwise")
	}
	p.Holidays = NewDutchHolidays(true, false)
	plan, _ = PlanSeries(p)
	if strings.Contains(dates(plan.Meetings), "2027-03-26") {
		t.Fatal("Good Friday as a day off still has a meeting")
	}
}

func TestPlanBlackout(t *testing.T) {
	summer := Blackout{Name: "Zomervakantie", StartsOn: d("2027-07-17"), EndsOn: d("2027-08-29")}
	p := params(t)
	p.Blackouts = []Blackout{summer}
	plan, err := PlanSeries(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(dates(plan.Meetings), "2027-08-09") {
		t.Fatal("meeting in the summer blackout")
	}
	found := false
	for _, s := range plan.Skipped {
		found = found || (s.Date == d("2027-08-09") && s.Reason == "Zomervakantie")
	}
	if !found {
		t.Fatalf("blackout skip not reported: %+v", plan.Skipped)
	}
	p.Policy = PolicyWorkday
	plan, _ = PlanSeries(p)
	if !strings.Contains(dates(plan.Meetings), "2027-08-30") {
		t.Fatalf("shift after the blackout: %s", dates(plan.Meetings))
	}
	// A blackout longer than the cadence cannot be shifted out of: skipped.
	p.Blackouts = []Blackout{{Name: "Verbouwing", StartsOn: d("2027-06-01"), EndsOn: d("2027-09-30")}}
	plan, _ = PlanSeries(p)
	if got := dates(plan.Meetings); strings.Contains(got, "2027-08") || strings.Contains(got, "2027-07") {
		t.Fatalf("meetings during a long blackout: %s", got)
	}
}

func TestPlanAcrossDST(t *testing.T) {
	p := params(t)
	p.From, p.Until, p.Weekday, p.CadenceWeeks = d("2027-03-23"), d("2027-11-10"), time.Tuesday, 1
	plan, err := PlanSeries(p)
	if err != nil {
		t.Fatal(err)
	}
	utc := map[string]int{}
	for _, m := range plan.Meetings {
		utc[m.Date.String()] = m.StartsAt.Hour()
		if local := m.StartsAt.In(p.Zone); local.Hour() != 14 {
			t.Fatalf("%s at %s local", m.Date, local.Format("15:04"))
		}
	}
	// Clocks go forward on 28 March and back on 31 October 2027.
	for day, want := range map[string]int{"2027-03-23": 13, "2027-03-30": 12, "2027-10-26": 12, "2027-11-02": 13} {
		if utc[day] != want {
			t.Errorf("%s: %d:00 UTC, want %d:00", day, utc[day], want)
		}
	}
}

func TestPlanRefusesBadParameters(t *testing.T) {
	cases := map[string]struct {
		spoil func(*SeriesParams)
		field string
	}{
		"cadence 0":         {func(p *SeriesParams) { p.CadenceWeeks = 0 }, "cadence_weeks"},
		"cadence 27":        {func(p *SeriesParams) { p.CadenceWeeks = 27 }, "cadence_weeks"},
		"end before start":  {func(p *SeriesParams) { p.Until = d("2026-12-31") }, "until"},
		"end on start":      {func(p *SeriesParams) { p.Until = p.From }, "until"},
		"no start":          {func(p *SeriesParams) { p.From = Date{} }, "from"},
		"hour 25":           {func(p *SeriesParams) { p.StartTime = "25:00" }, "start_time"},
		"minute 75":         {func(p *SeriesParams) { p.StartTime = "14:75" }, "start_time"},
		"no time":           {func(p *SeriesParams) { p.StartTime = "" }, "start_time"},
		"text time":         {func(p *SeriesParams) { p.StartTime = "twee uur" }, "start_time"},
		"5 minutes":         {func(p *SeriesParams) { p.DurationMin = 5 }, "duration_min"},
		"unknown policy":    {func(p *SeriesParams) { p.Policy = "maybe" }, "policy"},
		"weekday 9":         {func(p *SeriesParams) { p.Weekday = 9 }, "weekday"},
		"location too long": {func(p *SeriesParams) { p.Location = strings.Repeat("x", 201) }, "location"},
		"time lost to DST": {func(p *SeriesParams) {
			p.From, p.Weekday, p.StartTime, p.CadenceWeeks = d("2027-03-21"), time.Sunday, "02:30", 1
		}, "start_time"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := params(t)
			tc.spoil(&p)
			_, err := PlanSeries(p)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a validation error", err)
			}
			for _, f := range ve.Fields {
				if f.Field == tc.field {
					return
				}
			}
			t.Fatalf("no error on %s: %+v", tc.field, ve.Fields)
		})
	}
}

func TestPlanKindsAndExtension(t *testing.T) {
	p := params(t)
	p.Kinds = map[int]MeetingKind{3: KindWorkVisit, 5: KindGuest}
	plan, err := PlanSeries(p)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Meetings[2].Kind != KindWorkVisit || plan.Meetings[4].Kind != KindGuest || plan.Meetings[3].Kind != KindIntervision {
		t.Fatalf("kinds: %v", plan.Meetings)
	}
	// Extending by six months continues the cadence and the numbering.
	last := plan.Meetings[len(plan.Meetings)-1]
	ext := p
	ext.From, ext.Until, ext.FirstSeq = Date{last.Date.AddDate(0, 0, 7*p.CadenceWeeks)}, p.Until.AddMonths(6), last.Seq+1
	more, err := PlanSeries(ext)
	if err != nil {
		t.Fatal(err)
	}
	if more.Meetings[0].Seq != last.Seq+1 || more.Meetings[0].Date != d("2028-01-24") {
		t.Fatalf("extension starts with %v, want #%d on 2028-01-24", more.Meetings[0], last.Seq+1)
	}
	if l := more.Meetings[len(more.Meetings)-1].Date; l.After(p.Until.AddMonths(6)) {
		t.Fatalf("extension runs past its end: %s", l)
	}
}

func TestReplanKeepsHeldAndEdited(t *testing.T) {
	p := params(t)
	plan, err := PlanSeries(p)
	if err != nil {
		t.Fatal(err)
	}
	// Two meetings held, the fifth moved by hand; replan on 2027-04-10 to every four weeks at 10:00.
	held := []FixedMeeting{{ID: 1, StartsAt: plan.Meetings[0].StartsAt}, {ID: 2, StartsAt: plan.Meetings[1].StartsAt}}
	edited := FixedMeeting{ID: 5, StartsAt: time.Date(2027, 6, 30, 9, 0, 0, 0, time.UTC)}
	var future []FixedMeeting
	for i, m := range plan.Meetings[2:] {
		if i+3 != 5 && m.Date.After(d("2027-04-10")) {
			future = append(future, FixedMeeting{ID: uint(i + 3), StartsAt: m.StartsAt})
		}
	}
	p.CadenceWeeks, p.StartTime = 4, "10:00"
	r, err := ReplanFuture(p, d("2027-04-10"), future, append(held, edited))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Kept) != 1 || r.Kept[0].ID != 5 {
		t.Fatalf("kept %+v, want the hand-edited meeting only (the held ones are in the past)", r.Kept)
	}
	for _, id := range r.Remove {
		if id == 1 || id == 2 || id == 5 {
			t.Fatalf("replan removes meeting %d", id)
		}
	}
	if len(r.Remove) != len(future) {
		t.Fatalf("removes %d, want %d", len(r.Remove), len(future))
	}
	for _, m := range r.Add {
		if !m.Date.After(d("2027-04-10")) {
			t.Fatalf("new meeting %s not after the replan date", m.Date)
		}
		if m.StartsAt.In(p.Zone).Hour() != 10 {
			t.Fatalf("new meeting at %s", m.StartsAt.In(p.Zone))
		}
		if m.Date == d("2027-06-30") {
			t.Fatal("new meeting on the day of the hand-edited one")
		}
	}
	if r.Add[0].Date != d("2027-04-12") {
		t.Fatalf("first new meeting %s, want Monday 2027-04-12", r.Add[0].Date)
	}
}

func TestOverlaps(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2027, 1, 1, h, 0, 0, 0, time.UTC) }
	if !Overlaps(at(10), at(12), at(11), at(13)) || Overlaps(at(10), at(12), at(12), at(14)) {
		t.Fatal("overlap wrong")
	}
}

// TestPlanShiftKeepsWeekday: shifting around a holiday or break keeps the
// weekday, the same day of the next free week; "workday" takes the next
// working day, whatever its weekday.
func TestPlanShiftKeepsWeekday(t *testing.T) {
	summer := Blackout{Name: "Zomervakantie", StartsOn: d("2027-07-17"), EndsOn: d("2027-08-29")}
	christmas := Blackout{Name: "Kerstvakantie", StartsOn: d("2026-12-19"), EndsOn: d("2027-01-03")}
	for _, c := range []struct {
		name      string
		from      string
		weekday   time.Weekday
		blackouts []Blackout
		policy    HolidayPolicy
		regular   string
		want      string
	}{
		{"Thursday in the Christmas break", "2026-11-19", time.Thursday, []Blackout{christmas}, PolicyShift, "2026-12-31", "2027-01-07"},
		{"Thursday in the Christmas break, next working day", "2026-11-19", time.Thursday, []Blackout{christmas}, PolicyWorkday, "2026-12-31", "2027-01-04"},
		{"Tuesday in the summer", "2027-06-15", time.Tuesday, []Blackout{summer}, PolicyShift, "2027-07-27", "2027-08-31"},
		{"Whit Monday", "2027-04-05", time.Monday, nil, PolicyShift, "2027-05-17", "2027-05-24"},
		{"King's Day", "2027-03-16", time.Tuesday, nil, PolicyShift, "2027-04-27", "2027-05-04"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := params(t)
			p.From, p.Weekday, p.Blackouts, p.Policy = d(c.from), c.weekday, c.blackouts, c.policy
			plan, err := PlanSeries(p)
			if err != nil {
				t.Fatal(err)
			}
			got := dates(plan.Meetings)
			if strings.Contains(got, c.regular) || !strings.Contains(got, c.want) {
				t.Fatalf("want %s instead of %s: %s", c.want, c.regular, got)
			}
			for _, m := range plan.Meetings {
				if c.policy == PolicyShift && m.Date.Weekday() != c.weekday {
					t.Errorf("%s is a %s", m.Date, m.Date.Weekday())
				}
			}
		})
	}
}

// TestYearlyBlackoutAndLiberationDay: a yearly blackout covers the same
// days every year, across New Year too; Liberation Day is off every year,
// every five years or never, by the organisation's choice.
func TestYearlyBlackoutAndLiberationDay(t *testing.T) {
	christmas := Blackout{Name: "Kerstvakantie", StartsOn: d("2025-12-20"), EndsOn: d("2026-01-04"), Yearly: true}
	for day, want := range map[string]bool{"2027-12-25": true, "2028-01-03": true, "2027-12-19": false, "2028-01-05": false, "2027-07-01": false} {
		if christmas.Covers(d(day)) != want {
			t.Errorf("yearly Christmas break covers %s: %v, want %v", day, !want, want)
		}
	}
	once := christmas
	once.Yearly = false
	if once.Covers(d("2027-12-25")) {
		t.Error("a one-off break covers the next year")
	}
	for _, c := range []struct {
		policy LiberationDay
		day    string
		want   bool
	}{
		{LiberationYearly, "2027-05-05", true}, {LiberationLustrum, "2027-05-05", false}, {LiberationLustrum, "2030-05-05", true},
		{LiberationNever, "2030-05-05", false}, {LiberationLustrum, "2030-05-06", false},
	} {
		if _, got := NewDutchHolidaysFor(false, c.policy).Holiday(d(c.day)); got != c.want {
			t.Errorf("%s on %s: %v, want %v", c.policy, c.day, got, c.want)
		}
	}
}
