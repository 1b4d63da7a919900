package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// TodoKind names a kind of thing a mentor or mentee has to do next.
type TodoKind string

// The kinds of the to-do lists, in the order the home page shows them.
const (
	TodoIntake     TodoKind = "intake"      // candidates waiting for their intake
	TodoAttendance TodoKind = "attendance"  // a past meeting without attendance
	TodoAction     TodoKind = "action"      // the viewer's open action item, due soon or overdue
	TodoCases      TodoKind = "cases"       // cases waiting for a place on an agenda
	TodoPoll       TodoKind = "poll"        // an open date poll
	TodoPlan       TodoKind = "plan"        // a running group without a meeting ahead
	TodoAnswerPoll TodoKind = "answer_poll" // a mentee's unanswered date poll
)

// TodoItem is one line of a mentor's to-do list. It carries dates, counts
// and the mentor's own action text, never what a mentee wrote.
type TodoItem struct {
	Kind      TodoKind
	GroupID   uint
	GroupName string
	MeetingID uint      // attendance
	When      time.Time // attendance: the meeting's start
	Text      string    // action: its text
	DueOn     Date      // action
	Count     int64     // cases: waiting; poll: answered
	Of        int64     // poll: members asked
	Link      string
}

// todoHorizon is how far ahead an open action item counts as due soon.
const todoHorizon = 7 * 24 * time.Hour

// MentorTodo lists what the viewer, as mentor, has to do next across their
// groups that are not closed: record attendance, action items due, cases to
// place, date polls to close and series to plan.
func MentorTodo(ctx context.Context, db *gorm.DB, v Viewer, now time.Time) ([]TodoItem, error) {
	tx := db.WithContext(ctx)
	var groups []MentorGroup
	if err := tx.Where("mentor_id = ? AND status <> ?", v.PersonID, GroupClosed).Order("name, id").Find(&groups).Error; err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, nil
	}
	ids, names := idsAndNames(groups)
	var out []TodoItem

	var candidates []struct {
		GroupID uint
		N       int64
	}
	if err := tx.Model(&Membership{}).Select("group_id, COUNT(*) AS n").
		Where("group_id IN ? AND status IN ?", ids, []MembershipStatus{StatusCandidate, StatusIntake}).
		Where("NOT EXISTS (SELECT 1 FROM intakes i WHERE i.membership_id = memberships.id)").
		Group("group_id").Order("group_id").Scan(&candidates).Error; err != nil {
		return nil, err
	}
	for _, c := range candidates {
		out = append(out, TodoItem{Kind: TodoIntake, GroupID: c.GroupID, GroupName: names[c.GroupID],
			Count: c.N, Link: "/groups/" + itoaU(c.GroupID)})
	}

	var unrecorded []Meeting
	if err := tx.Where("group_id IN ? AND ends_at <= ? AND ends_at > ? AND status <> ?", ids, now, now.AddDate(0, -3, 0), MeetingCancelled).
		Where("NOT EXISTS (SELECT 1 FROM attendances a WHERE a.meeting_id = meetings.id)").
		Order("starts_at").Find(&unrecorded).Error; err != nil {
		return nil, err
	}
	for _, m := range unrecorded {
		out = append(out, TodoItem{Kind: TodoAttendance, GroupID: m.GroupID, GroupName: names[m.GroupID],
			MeetingID: m.ID, When: m.StartsAt, Link: "/meetings/" + itoaU(m.ID)})
	}

	actions, err := actionsDue(tx, names, v, now)
	if err != nil {
		return nil, err
	}
	out = append(out, actions...)

	var waiting []struct {
		GroupID uint
		N       int64
	}
	if err := tx.Model(&CaseQuestion{}).Select("group_id, COUNT(*) AS n").
		Where("group_id IN ? AND status = ?", ids, CaseSubmitted).Group("group_id").Scan(&waiting).Error; err != nil {
		return nil, err
	}
	for _, w := range waiting {
		out = append(out, TodoItem{Kind: TodoCases, GroupID: w.GroupID, GroupName: names[w.GroupID],
			Count: w.N, Link: "/groups/" + itoaU(w.GroupID) + "/cases"})
	}

	var polls []struct {
		GroupID  uint
		Answered int64
		Asked    int64
	}
	if err := tx.Model(&DatePoll{}).Select(`date_polls.group_id,
		(SELECT COUNT(DISTINCT a.person_id) FROM poll_answers a JOIN poll_options o ON o.id = a.option_id WHERE o.poll_id = date_polls.id) AS answered,
		(SELECT COUNT(*) FROM memberships m WHERE m.group_id = date_polls.group_id AND m.status IN ('intake','active')) AS asked`).
		Where("date_polls.group_id IN ? AND date_polls.status = 'open'", ids).Order("date_polls.id").Scan(&polls).Error; err != nil {
		return nil, err
	}
	for _, p := range polls {
		out = append(out, TodoItem{Kind: TodoPoll, GroupID: p.GroupID, GroupName: names[p.GroupID],
			Count: p.Answered, Of: p.Asked, Link: "/groups/" + itoaU(p.GroupID) + "/poll"})
	}

	var idle []uint
	if err := tx.Model(&MentorGroup{}).Where("id IN ?", ids).
		Where("NOT EXISTS (SELECT 1 FROM meetings m WHERE m.group_id = mentor_groups.id AND m.starts_at > ? AND m.status <> ?)", now, MeetingCancelled).
		Where("NOT EXISTS (SELECT 1 FROM date_polls p WHERE p.group_id = mentor_groups.id AND p.status = 'open')").
		Order("name, id").Pluck("id", &idle).Error; err != nil {
		return nil, err
	}
	for _, id := range idle {
		out = append(out, TodoItem{Kind: TodoPlan, GroupID: id, GroupName: names[id], Link: "/groups/" + itoaU(id) + "/series"})
	}
	return out, nil
}

// MenteeTodo lists what the viewer, as mentee, has to do next in the groups
// they take part in: answer an open date poll, and their action items that
// are due soon or overdue.
func MenteeTodo(ctx context.Context, db *gorm.DB, v Viewer, now time.Time) ([]TodoItem, error) {
	tx := db.WithContext(ctx)
	var groups []MentorGroup
	if err := tx.Where("status <> ? AND id IN (SELECT group_id FROM memberships WHERE person_id = ? AND status IN ('intake','active'))",
		GroupClosed, v.PersonID).Order("name, id").Find(&groups).Error; err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, nil
	}
	ids, names := idsAndNames(groups)
	var out []TodoItem
	var unanswered []uint
	if err := tx.Model(&DatePoll{}).Where("group_id IN ? AND status = 'open'", ids).
		Where("NOT EXISTS (SELECT 1 FROM poll_answers a JOIN poll_options o ON o.id = a.option_id WHERE o.poll_id = date_polls.id AND a.person_id = ?)", v.PersonID).
		Order("id").Pluck("group_id", &unanswered).Error; err != nil {
		return nil, err
	}
	for _, id := range unanswered {
		out = append(out, TodoItem{Kind: TodoAnswerPoll, GroupID: id, GroupName: names[id], Link: "/groups/" + itoaU(id) + "/poll"})
	}
	actions, err := actionsDue(tx, names, v, now)
	if err != nil {
		return nil, err
	}
	out = append(out, actions...)
	return out, nil
}

// actionsDue lists the viewer's open action items in the named groups that
// are due within todoHorizon of now, or overdue.
func actionsDue(tx *gorm.DB, names map[uint]string, v Viewer, now time.Time) ([]TodoItem, error) {
	ids := make([]uint, 0, len(names))
	for id := range names {
		ids = append(ids, id)
	}
	var actions []ActionItem
	if err := tx.Where("group_id IN ? AND holder_id = ? AND done_at IS NULL AND due_on IS NOT NULL AND due_on <= ?",
		ids, v.PersonID, DateOf(now.Add(todoHorizon))).Order("due_on, id").Find(&actions).Error; err != nil {
		return nil, err
	}
	out := make([]TodoItem, len(actions))
	for i, a := range actions {
		out[i] = TodoItem{Kind: TodoAction, GroupID: a.GroupID, GroupName: names[a.GroupID],
			Text: a.Text, DueOn: a.DueOn, Link: "/groups/" + itoaU(a.GroupID) + "/calendar"}
	}
	return out, nil
}

// idsAndNames returns the ids of the groups and their names by id.
func idsAndNames(groups []MentorGroup) ([]uint, map[uint]string) {
	ids := make([]uint, len(groups))
	names := map[uint]string{}
	for i, g := range groups {
		ids[i], names[g.ID] = g.ID, g.Name
	}
	return ids, names
}
