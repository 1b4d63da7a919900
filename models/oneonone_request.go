package models

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A one-on-one is asked, not booked: a mentee proposes one to three times
// (or asks for one as soon as possible), the mentor accepts one, proposes
// another or declines; only an agreed request becomes a planned one-on-one.

// Notices of one-on-one requests and apologies. Every step of a request
// (asked, asked urgently, another time proposed, declined) is stored and
// mailed under the one neutral kind NoticeOneOnOneRequest, and apologies
// under NoticeMeetingNote: whether a request was urgent or declined, or a
// member is absent, is sealed (or in the request's row) and never in a
// notice's or a mail's kind, key or text. The app tells its recipient which
// step it was (NoticeRow.Says). An urgent request is mailed to the mentor
// at once, whatever they chose for the kind.
const (
	NoticeOneOnOneRequest = "oneonone_request"
	NoticeOneOnOneAgreed  = "oneonone_agreed"
	NoticeMeetingNote     = "meeting_note"
)

// What a request or apology notice says in the app, for its recipient only.
const (
	SaysOneOnOneAsked     = "oneonone_asked"
	SaysOneOnOneUrgent    = "oneonone_urgent"
	SaysOneOnOneCountered = "oneonone_countered"
	SaysOneOnOneDeclined  = "oneonone_declined"
	SaysApologySent       = "apology_sent"
)

// RequestStatus is where a one-on-one request stands.
type RequestStatus string

// Request states. Agreed, declined and withdrawn are ends.
const (
	RequestAsked     RequestStatus = "asked"
	RequestCountered RequestStatus = "countered"
	RequestAgreed    RequestStatus = "agreed"
	RequestDeclined  RequestStatus = "declined"
	RequestWithdrawn RequestStatus = "withdrawn"
)

// RequestAction is a step on a one-on-one request.
type RequestAction string

// Request steps, by who takes them.
const (
	RequestAccept        RequestAction = "accept"         // mentor: one of the proposed times
	RequestCounter       RequestAction = "counter"        // mentor: another time
	RequestDecline       RequestAction = "decline"        // mentor: with a message for the mentee
	RequestAcceptCounter RequestAction = "accept_counter" // mentee: the mentor's time
	RequestRefuseCounter RequestAction = "refuse_counter" // mentee: not the mentor's time either
	RequestWithdraw      RequestAction = "withdraw"       // mentee: before it is agreed
)

// RequestParty is who takes a step.
type RequestParty string

// The two parties of a request.
const (
	ByMentor RequestParty = "mentor"
	ByMentee RequestParty = "mentee"
)

type requestTransition struct {
	By RequestParty
	To RequestStatus
}

// requestTransitions is the whole state machine; a step not listed is refused.
var requestTransitions = map[RequestStatus]map[RequestAction]requestTransition{
	RequestAsked: {
		RequestAccept:   {ByMentor, RequestAgreed},
		RequestCounter:  {ByMentor, RequestCountered},
		RequestDecline:  {ByMentor, RequestDeclined},
		RequestWithdraw: {ByMentee, RequestWithdrawn},
	},
	RequestCountered: {
		RequestAcceptCounter: {ByMentee, RequestAgreed},
		RequestRefuseCounter: {ByMentee, RequestDeclined},
		RequestWithdraw:      {ByMentee, RequestWithdrawn},
	},
}

// NextRequestStatus is the state after party takes step act in state from,
// or a validation error when the step is refused (the state stays).
func NextRequestStatus(from RequestStatus, act RequestAction, party RequestParty) (RequestStatus, error) {
	t, ok := requestTransitions[from][act]
	if !ok || t.By != party {
		return from, fieldErr("_form", "request_step_refused")
	}
	return t.To, nil
}

// Steps lists what party may do in state s, for the page's buttons.
func (s RequestStatus) Steps(party RequestParty) map[string]bool {
	out := map[string]bool{}
	for act, t := range requestTransitions[s] {
		if t.By == party {
			out[string(act)] = true
		}
	}
	return out
}

// Open reports whether the request still waits for an answer.
func (s RequestStatus) Open() bool { return s == RequestAsked || s == RequestCountered }

// OneOnOneRequest is a mentee's request for a one-on-one with their
// mentor. The theme, the mentor's message and whether it is urgent are
// sealed; the proposed times are not confidential.
type OneOnOneRequest struct {
	ID          uint          `gorm:"primaryKey" json:"id"`
	GroupID     uint          `gorm:"not null" json:"group_id"`
	MenteeID    uint          `gorm:"not null" json:"mentee_id"`
	Status      RequestStatus `gorm:"size:20;not null" json:"status"`
	Option1     *time.Time    `json:"option1,omitempty"`
	Option2     *time.Time    `json:"option2,omitempty"`
	Option3     *time.Time    `json:"option3,omitempty"`
	DurationMin int           `gorm:"not null;default:60" json:"duration_min"`
	CounterAt   *time.Time    `json:"counter_at,omitempty"`
	Urgent      bool          `gorm:"-" json:"urgent"`
	Flags       string        `gorm:"type:text;not null;default:''" json:"-" sealed:"one_on_one_requests"`
	Theme       string        `gorm:"type:text;not null;default:''" json:"theme" sealed:"one_on_one_requests"`
	Message     string        `gorm:"type:text;not null;default:''" json:"message,omitempty" sealed:"one_on_one_requests"`
	OneOnOneID  *uint         `json:"one_on_one_id,omitempty"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"-"`
}

// PackSealed writes whether the request is urgent into the sealed Flags.
func (r *OneOnOneRequest) PackSealed() {
	r.Flags = "normal"
	if r.Urgent {
		r.Flags = "urgent"
	}
}

// UnpackSealed reads Urgent back from the opened Flags.
func (r *OneOnOneRequest) UnpackSealed() { r.Urgent = r.Flags == "urgent" }

// Options are the proposed times, in the order given.
func (r OneOnOneRequest) Options() []time.Time {
	var out []time.Time
	for _, t := range []*time.Time{r.Option1, r.Option2, r.Option3} {
		if t != nil {
			out = append(out, *t)
		}
	}
	return out
}

// OneOnOneRequestRow is a request with the mentee's and the group's names.
type OneOnOneRequestRow struct {
	OneOnOneRequest
	MenteeName string `json:"mentee_name"`
	GroupName  string `json:"group_name"`
}

// RequestInput is a mentee's request: up to three times, or as soon as
// possible, and an optional theme.
type RequestInput struct {
	ASAP        bool   `form:"asap" json:"asap"`
	Date1       string `form:"date1" json:"date1" validate:"omitempty,date"`
	Time1       string `form:"time1" json:"time1" validate:"omitempty,max=5"`
	Date2       string `form:"date2" json:"date2" validate:"omitempty,date"`
	Time2       string `form:"time2" json:"time2" validate:"omitempty,max=5"`
	Date3       string `form:"date3" json:"date3" validate:"omitempty,date"`
	Time3       string `form:"time3" json:"time3" validate:"omitempty,max=5"`
	DurationMin int    `form:"duration_min" json:"duration_min" validate:"omitempty,min=15,max=240"`
	Theme       string `form:"theme" json:"theme" validate:"max=2000"`
}

// AnswerInput is a step on a request: which proposed time (1–3) the mentor
// accepts, the time they propose instead, or the message of a refusal.
type AnswerInput struct {
	Action  string `form:"action" json:"action" validate:"required"`
	Option  int    `form:"option" json:"option"`
	Date    string `form:"date" json:"date" validate:"omitempty,date"`
	Time    string `form:"time" json:"time" validate:"omitempty,max=5"`
	Message string `form:"message" json:"message" validate:"max=2000"`
}

// The sensible range of a one-on-one time: not in the past, at most half a
// year ahead, starting between 07:00 and 20:00 local time.
const (
	requestMaxAhead  = 183 * 24 * time.Hour
	requestFirstHour = 7
	requestLastHour  = 20
)

// requestTime reads one proposed time and checks it lies in the sensible
// range; problems are added to ve under the form's field names.
func requestTime(tx *gorm.DB, ve *ValidationError, dateField, timeField, date, clock string, now time.Time) *time.Time {
	org, err := GetOrganisation(tx.Statement.Context, tx)
	if err != nil {
		ve.Add(dateField, "invalid", nil)
		return nil
	}
	loc := org.Location()
	t, err := ParseLocalTime(date, clock, loc)
	if err != nil {
		if e, ok := err.(*ValidationError); ok && len(e.Fields) > 0 {
			f := e.Fields[0]
			field := dateField
			if f.Field == "start_time" {
				field = timeField
			}
			ve.Add(field, f.Code, f.Args)
		}
		return nil
	}
	local := t.In(loc)
	switch {
	case !t.After(now):
		ve.Add(dateField, "in_past", nil)
	case t.Sub(now) > requestMaxAhead:
		ve.Add(dateField, "too_far_ahead", nil)
	case local.Hour() < requestFirstHour || local.Hour() >= requestLastHour:
		ve.Add(timeField, "outside_hours", map[string]any{"From": "07:00", "To": "20:00"})
	default:
		return &t
	}
	return nil
}

// visibleRequests is the only way requests are read: the viewer's own as
// mentee, and those of the groups the viewer mentors now, from their term
// on (an earlier one only while it still waits for an answer).
func visibleRequests(tx *gorm.DB, v Viewer) *gorm.DB {
	return tx.Model(&OneOnOneRequest{}).Where(`(one_on_one_requests.mentee_id = @viewer
		OR (one_on_one_requests.group_id IN (SELECT id FROM mentor_groups WHERE mentor_id = @viewer)
			AND (one_on_one_requests.status IN @open OR NOT EXISTS (SELECT 1 FROM tenures t
				WHERE t.group_id = one_on_one_requests.group_id AND t.person_id = @viewer AND t.role = @mentor
				AND t.ends_at IS NULL AND t.starts_at > one_on_one_requests.created_at))))`,
		map[string]any{"viewer": v.PersonID, "open": []RequestStatus{RequestAsked, RequestCountered}, "mentor": tenureMentor})
}

func requestRows(tx *gorm.DB, v Viewer) *gorm.DB {
	return visibleRequests(tx, v).Select("one_on_one_requests.*, me.name AS mentee_name, g.name AS group_name").
		Joins("JOIN people me ON me.id = one_on_one_requests.mentee_id").
		Joins("JOIN mentor_groups g ON g.id = one_on_one_requests.group_id")
}

// ListRequests returns the requests the viewer asked or answers: open
// ones first (urgent ones at the top), then the newest.
func ListRequests(ctx context.Context, db *gorm.DB, v Viewer) ([]OneOnOneRequestRow, error) {
	var out []OneOnOneRequestRow
	if err := requestRows(db.WithContext(ctx), v).Order("one_on_one_requests.created_at DESC, one_on_one_requests.id DESC").
		Find(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].MenteeID != v.PersonID {
			out[i].Message = "" // the mentor's message is for the mentee
		}
	}
	rank := func(r OneOnOneRequestRow) int {
		switch {
		case r.Status.Open() && r.Urgent:
			return 0
		case r.Status.Open():
			return 1
		}
		return 2
	}
	slices.SortStableFunc(out, func(a, b OneOnOneRequestRow) int { return rank(a) - rank(b) })
	return out, nil
}

// UrgentRequests returns the open urgent requests the viewer must answer
// as mentor, for the top of the home page.
func UrgentRequests(ctx context.Context, db *gorm.DB, v Viewer) ([]OneOnOneRequestRow, error) {
	var all []OneOnOneRequestRow
	if err := requestRows(db.WithContext(ctx), v).Where("one_on_one_requests.status = ? AND g.mentor_id = ?", RequestAsked, v.PersonID).
		Order("one_on_one_requests.created_at").Find(&all).Error; err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(r OneOnOneRequestRow) bool { return !r.Urgent }), nil
}

// GetRequest returns one request the viewer may see; anyone else gets
// ErrNotFound. The mentor's message is shown to the mentee only.
func GetRequest(ctx context.Context, db *gorm.DB, v Viewer, id uint) (OneOnOneRequestRow, error) {
	var out OneOnOneRequestRow
	tx := db.WithContext(ctx)
	if _, err := authorize(tx, v, RequestRead, id); err != nil {
		return out, err
	}
	res := requestRows(tx, v).Where("one_on_one_requests.id = ?", id).Limit(1).Find(&out)
	if res.Error != nil {
		return out, res.Error
	}
	if res.RowsAffected == 0 {
		return out, ErrNotFound
	}
	if out.MenteeID != v.PersonID {
		out.Message = ""
		if out.Theme != "" {
			return out, audit(tx, v.PersonID, AuditRead, "talk_request", out.ID)
		}
	}
	return out, nil
}

// AskOneOnOne files a mentee's request with the mentor of their group and
// tells the mentor (an urgent request by mail at once, whatever they chose).
func AskOneOnOne(ctx context.Context, db *gorm.DB, v Viewer, groupID uint, in RequestInput) (OneOnOneRequest, error) {
	var r OneOnOneRequest
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := requireGroup(tx, v, GroupMember, groupID)
		if err != nil {
			return err
		}
		if a.Group.Status == GroupClosed {
			return errGroupClosed
		}
		if in.DurationMin == 0 {
			in.DurationMin = 60
		}
		if in.DurationMin < 15 || in.DurationMin > 240 {
			return &ValidationError{Fields: []FieldError{{Field: "duration_min", Code: "out_of_range", Args: map[string]any{"Min": 15, "Max": 240}}}}
		}
		r = OneOnOneRequest{GroupID: groupID, MenteeID: v.PersonID, Status: RequestAsked, DurationMin: in.DurationMin,
			Urgent: in.ASAP, Theme: strings.TrimSpace(CleanText(in.Theme))}
		ve, now := &ValidationError{}, nowOf(tx)
		given := [][4]string{{"date1", "time1", in.Date1, in.Time1}, {"date2", "time2", in.Date2, in.Time2}, {"date3", "time3", in.Date3, in.Time3}}
		var times []*time.Time
		for _, g := range given {
			if g[2] == "" && g[3] == "" {
				continue
			}
			if t := requestTime(tx, ve, g[0], g[1], g[2], g[3], now); t != nil {
				times = append(times, t)
			}
		}
		if len(times) == 0 && len(ve.Fields) == 0 && !in.ASAP {
			ve.Add("date1", "times_needed", nil)
		}
		if err := ve.OrNil(); err != nil {
			return err
		}
		slots := []**time.Time{&r.Option1, &r.Option2, &r.Option3}
		for i, t := range times {
			*slots[i] = t
		}
		// The same request sent again (a double click, a retry) is the one
		// already waiting: no second request, no second notice.
		if err := lockRow(tx, "mentor_groups", groupID); err != nil {
			return err
		}
		if same, found, err := sameOpenRequest(tx, r); err != nil || found {
			r = same
			return err
		}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		about := requestAbout(r, r.CreatedAt)
		about.AtOnce = r.Urgent
		return Notify(tx, NoticeOneOnOneRequest, about, []uint{a.Group.MentorID})
	})
	return r, err
}

// sameOpenRequest finds the mentee's unanswered request in the group with
// the same times, length, urgency and theme as r.
func sameOpenRequest(tx *gorm.DB, r OneOnOneRequest) (OneOnOneRequest, bool, error) {
	var open []OneOnOneRequest
	if err := tx.Where("group_id = ? AND mentee_id = ? AND status = ? AND duration_min = ?",
		r.GroupID, r.MenteeID, RequestAsked, r.DurationMin).Order("id").Find(&open).Error; err != nil {
		return r, false, err
	}
	sameTime := func(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }
	for _, o := range open {
		if o.Urgent == r.Urgent && o.Theme == r.Theme &&
			sameTime(o.Option1, r.Option1) && sameTime(o.Option2, r.Option2) && sameTime(o.Option3, r.Option3) {
			return o, true, nil
		}
	}
	return r, false, nil
}

// requestAbout is what a notice of a request points to.
func requestAbout(r OneOnOneRequest, at time.Time) NoticeAbout {
	return NoticeAbout{Type: "talk_request", ID: r.ID, GroupID: r.GroupID, OtherID: r.MenteeID,
		Path: "/one-on-one-requests/" + itoaU(r.ID), Occurrence: at}
}

// AnswerRequest takes one step on a request: the mentor accepts a proposed
// time, proposes another or declines; the mentee accepts or refuses the
// mentor's time, or withdraws. An agreed request becomes a planned
// one-on-one, and both receive its invitation. Each step tells the other
// side; no theme or message reaches a mail.
func AnswerRequest(ctx context.Context, db *gorm.DB, v Viewer, id uint, in AnswerInput) (OneOnOneRequest, error) {
	var r OneOnOneRequest
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockRow(tx, "one_on_one_requests", id); err != nil {
			return err
		}
		act := RequestAction(in.Action)
		if !slices.Contains([]RequestAction{RequestAccept, RequestCounter, RequestDecline, RequestAcceptCounter,
			RequestRefuseCounter, RequestWithdraw}, act) {
			return fieldErr("action", "unknown_choice")
		}
		party, perm := ByMentee, RequestMentee
		if act == RequestAccept || act == RequestCounter || act == RequestDecline {
			party, perm = ByMentor, RequestMentor
		}
		a, err := authorize(tx, v, perm, id)
		if err != nil {
			return err
		}
		if err := tx.First(&r, id).Error; err != nil {
			return notFound(err)
		}
		next, err := NextRequestStatus(r.Status, act, party)
		if err != nil {
			return err
		}
		if a.Group.Status == GroupClosed && (next == RequestAgreed || next == RequestCountered) {
			return errGroupClosed
		}
		now, mentor := nowOf(tx), a.Group.MentorID
		var start time.Time
		switch act {
		case RequestAccept:
			opts := r.Options()
			if in.Option < 1 || in.Option > len(opts) {
				return fieldErr("option", "unknown_choice")
			}
			if start = opts[in.Option-1]; !start.After(now) {
				return fieldErr("option", "in_past")
			}
		case RequestCounter:
			ve := &ValidationError{}
			t := requestTime(tx, ve, "date", "time", in.Date, in.Time, now)
			if err := ve.OrNil(); err != nil {
				return err
			}
			r.CounterAt = t
		case RequestAcceptCounter:
			if r.CounterAt == nil || !r.CounterAt.After(now) {
				return fieldErr("_form", "in_past")
			}
			start = *r.CounterAt
		case RequestDecline:
			r.Message = strings.TrimSpace(CleanText(in.Message))
		}
		r.Status = next
		if next == RequestAgreed {
			o := OneOnOne{GroupID: r.GroupID, MentorID: mentor, MenteeID: r.MenteeID, StartsAt: start.UTC(),
				EndsAt: start.Add(time.Duration(r.DurationMin) * time.Minute).UTC(), Theme: "other", Urgent: r.Urgent, Status: "planned"}
			if err := tx.Create(&o).Error; err != nil {
				return err
			}
			r.OneOnOneID = &o.ID
			if err := tx.Save(&r).Error; err != nil {
				return err
			}
			// The invitation (iTIP REQUEST) to both, with the notice.
			return Notify(tx, NoticeOneOnOneAgreed, NoticeAbout{Type: "one_on_one", ID: o.ID, GroupID: o.GroupID,
				OtherID: r.MenteeID, Path: "/one-on-ones/" + itoaU(o.ID), Occurrence: o.StartsAt}, []uint{mentor, r.MenteeID})
		}
		if err := tx.Save(&r).Error; err != nil {
			return err
		}
		switch act {
		case RequestCounter, RequestDecline:
			return Notify(tx, NoticeOneOnOneRequest, requestAbout(r, now), []uint{r.MenteeID})
		case RequestRefuseCounter:
			// At the refused time: the app tells the mentor it was refused.
			return Notify(tx, NoticeOneOnOneRequest, requestAbout(r, *r.CounterAt), []uint{mentor})
		}
		return nil
	})
	return r, err
}
