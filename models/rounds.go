package models

import (
	"encoding/json"

	"gorm.io/gorm"
)

// RoundsShort says a meeting's running order holds fewer method rounds than
// it has case presenters (or none at all): the rounds do not fit.
type RoundsShort struct {
	Want int // case presenters, so rounds wanted
	Laid int // rounds in the running order
	Need int // minutes the wanted rounds need at least
	Max  int // the meeting's minutes
}

// agendaFor is a meeting's running order for presenters case presenters
// (one method round each, at least one): the saved running order when it
// has that many rounds, or else laid out afresh with as many rounds as fit.
// short is set when fewer rounds than wanted fit.
func agendaFor(m Meeting, presenters int) (items []AgendaItem, short *RoundsShort) {
	want := max(presenters, 1)
	var saved []AgendaItem
	if m.Agenda != "" && json.Unmarshal([]byte(m.Agenda), &saved) == nil && len(saved) > 0 && AgendaRounds(saved) == want {
		return saved, nil
	}
	method, ok := MethodByKey(m.MethodKey)
	if !ok {
		return saved, nil
	}
	for n := want; n >= 1; n-- {
		if items, err := LayRounds(method, m.DurationMin(), n); err == nil {
			if n < want {
				short = &RoundsShort{Want: want, Laid: n, Need: MethodMinimum(method, want), Max: m.DurationMin()}
			}
			return items, short
		}
	}
	return nil, &RoundsShort{Want: want, Need: MethodMinimum(method, want), Max: m.DurationMin()}
}

// presenterCount is the number of case presenters of a meeting.
func presenterCount(tx *gorm.DB, meetingID uint) (int, error) {
	var n int64
	err := tx.Model(&MeetingRoleAssignment{}).Where("meeting_id = ? AND role = ?", meetingID, RoleCaseBringer).Count(&n).Error
	return int(n), err
}

// relayRounds stores a meeting's running order again when its number of
// case presenters no longer matches the rounds in it, so the run view and
// the print follow the rounds without reading the roles.
func relayRounds(tx *gorm.DB, meetingID uint) error {
	var m Meeting
	if err := tx.First(&m, meetingID).Error; err != nil {
		return err
	}
	if _, ok := MethodByKey(m.MethodKey); !ok {
		return nil
	}
	n, err := presenterCount(tx, m.ID)
	if err != nil {
		return err
	}
	items, _ := agendaFor(m, n)
	if m.Agenda == "" && AgendaRounds(items) <= 1 {
		return nil // laid out from the method when read
	}
	data := ""
	if len(items) > 0 && AgendaRounds(items) > 1 {
		b, _ := json.Marshal(items)
		data = string(b)
	} else if len(items) > 0 && m.Agenda != "" {
		var saved []AgendaItem
		if json.Unmarshal([]byte(m.Agenda), &saved) == nil && AgendaRounds(saved) == AgendaRounds(items) {
			return nil // the mentor's own minutes for one round stay
		}
	}
	return tx.Model(&m).Update("agenda", data).Error
}

// fitMethod refuses a method whose fixed minutes (one round) exceed a
// meeting of total minutes; field names the form field to blame.
func fitMethod(key string, total int, field string) error {
	method, ok := MethodByKey(key)
	if !ok {
		return nil
	}
	if _, err := LayRounds(method, total, 1); err != nil {
		ve := err.(*ValidationError)
		ve.Fields[0].Field = field
		return ve
	}
	return nil
}

// PresenterOf is the case presenter of method round n (from 1), or 0.
func (p MeetingPage) PresenterOf(n int) uint {
	if n < 1 || n > len(p.Presenters) {
		return 0
	}
	return p.Presenters[n-1]
}
