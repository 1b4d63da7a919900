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
	TodoFirstPoll  TodoKind = "first_poll"  // a new group that never met and has no date yet
	TodoAnswerPoll TodoKind = "answer_poll" // a mentee's unanswered date poll
)

// TodoItem is one line of a to-do list. It carries dates, counts and the
// viewer's own action text, never what a mentee wrote.
type TodoItem struct {
	Kind      TodoKind
	GroupID   uint
	GroupName string
	MeetingID uint      // attendance
	When      time.Time // attendance: the meeting's start
	Text      string    // action: its text
	DueOn     Date      // action
	Overdue   bool      // action: its date has passed
	Count     int64     // intake: candidates; cases: waiting; poll: answered
	Of        int64     // poll: members asked
	Link      string
}

// todoHorizon is how far ahead an open action item counts as due soon.
const todoHorizon = 7 * 24 * time.Hour

// unrecordedSince is how far back a held meeting without attendance is
// still on the mentor's list.
func unrecordedSince(now time.Time) time.Time { return now.AddDate(0, -3, 0) }

// mentorGroupRow is one of a mentor's groups with the counts its to-do
// items come from, read in one statement.
type mentorGroupRow struct {
	GroupSummary
	Intakes  int64 // candidates without an intake
	Cases    int64 // cases waiting for a place on an agenda
	Polls    int64 // open date polls
	Answered int64 // people who answered the open poll
	Asked    int64 // members the poll asks
	Ahead    int64 // meetings ahead, not cancelled
	Met      int64 // meetings in the past, not cancelled
	// Unrecorded and ActionsDue count the meetings without attendance and
	// the mentor's own actions due, whose lists are read only when there
	// are any.
	Unrecorded, ActionsDue int64
	// InputWaiting and RequestsAsked count the requests for input the
	// mentor has to write and the one-on-one requests they have to answer.
	InputWaiting, RequestsAsked int64
}

// MentorHomeView is the mentor's part of the home page.
type MentorHomeView struct {
	Groups []GroupSummary // the groups they mentor, as MentoredGroups
	Todo   []TodoItem     // MentorTodo's list
	// InputWaiting and RequestsAsked count the requests for input waiting
	// for the mentor's text and the one-on-one requests waiting for their
	// answer, so that the page reads those lists only when there are any.
	InputWaiting, RequestsAsked int64
}

// MentorTodo lists what the viewer, as mentor, has to do next across their
// groups that are not closed: intakes, attendance to record, action items
// due, cases to place, date polls to close, a first date to pick for a
// group that never met and series to plan.
func MentorTodo(ctx context.Context, db *gorm.DB, v Viewer, now time.Time) ([]TodoItem, error) {
	home, err := MentorHome(ctx, db, v, now)
	return home.Todo, err
}

// MentorHome is the mentor's part of the home page: the groups they mentor
// (MentoredGroups) and MentorTodo's list, in one statement, whatever the
// number of groups, and one more for each list the counts call for.
func MentorHome(ctx context.Context, db *gorm.DB, v Viewer, now time.Time) (MentorHomeView, error) {
	tx := db.WithContext(ctx)
	rows, err := scanEach(groupSummaries(tx).Select(summaryFields+`,
		(SELECT COUNT(*) FROM memberships m WHERE m.group_id = mentor_groups.id AND m.status IN ('candidate','intake')
			AND NOT EXISTS (SELECT 1 FROM intakes i WHERE i.membership_id = m.id)) AS intakes,
		(SELECT COUNT(*) FROM case_questions c WHERE c.group_id = mentor_groups.id AND c.status = 'submitted') AS cases,
		(SELECT COUNT(*) FROM date_polls p WHERE p.group_id = mentor_groups.id AND p.status = 'open') AS polls,
		(SELECT COUNT(DISTINCT a.person_id) FROM date_polls p JOIN poll_options o ON o.poll_id = p.id JOIN poll_answers a ON a.option_id = o.id
			WHERE p.group_id = mentor_groups.id AND p.status = 'open' AND (a.person_id = mentor_groups.mentor_id OR a.person_id IN
				(SELECT m.person_id FROM memberships m WHERE m.group_id = mentor_groups.id AND m.status = 'active'))) AS answered,
		(SELECT COUNT(*) FROM memberships m WHERE m.group_id = mentor_groups.id AND m.status = 'active') + 1 AS asked,
		(SELECT COUNT(*) FROM meetings mt WHERE mt.group_id = mentor_groups.id AND mt.starts_at > ? AND mt.status <> ?) AS ahead,
		(SELECT COUNT(*) FROM meetings mt WHERE mt.group_id = mentor_groups.id AND mt.starts_at <= ? AND mt.status <> ?) AS met,
		(SELECT COUNT(*) FROM meetings mt WHERE mt.group_id = mentor_groups.id AND mt.ends_at <= ? AND mt.ends_at > ? AND mt.status <> ?
			AND NOT EXISTS (SELECT 1 FROM attendances a WHERE a.meeting_id = mt.id)) AS unrecorded,
		(SELECT COUNT(*) FROM action_items ai WHERE ai.group_id = mentor_groups.id AND ai.holder_id = ? AND ai.done_at IS NULL
			AND ai.due_on IS NOT NULL AND ai.due_on <= ?) AS actions_due,
		(SELECT COUNT(*) FROM input_requests ir WHERE ir.group_id = mentor_groups.id AND ir.mentor_id = mentor_groups.mentor_id
			AND ir.status IN ?) AS input_waiting,
		(SELECT COUNT(*) FROM one_on_one_requests r WHERE r.group_id = mentor_groups.id AND r.status = ?) AS requests_asked`,
		now, MeetingCancelled, now, MeetingCancelled, now, unrecordedSince(now), MeetingCancelled, v.PersonID, DateOf(now.Add(todoHorizon)),
		inputWaitingStatuses, RequestAsked).
		Where("mentor_groups.mentor_id = ?", v.PersonID), func(g *mentorGroupRow) []any {
		return append(g.fields(), &g.Intakes, &g.Cases, &g.Polls, &g.Answered, &g.Asked, &g.Ahead, &g.Met,
			&g.Unrecorded, &g.ActionsDue, &g.InputWaiting, &g.RequestsAsked)
	})
	if err != nil {
		return MentorHomeView{}, err
	}
	home := MentorHomeView{Groups: make([]GroupSummary, len(rows))}
	var running []mentorGroupRow
	for i, g := range rows {
		home.Groups[i] = g.GroupSummary
		home.InputWaiting += g.InputWaiting
		home.RequestsAsked += g.RequestsAsked
		if g.Status != GroupClosed {
			running = append(running, g)
		}
	}
	home.Todo, err = mentorTodo(tx, running, v, now)
	return home, err
}

// mentorTodo is MentorTodo's list from the counts of the running groups.
func mentorTodo(tx *gorm.DB, groups []mentorGroupRow, v Viewer, now time.Time) ([]TodoItem, error) {
	if len(groups) == 0 {
		return nil, nil
	}
	// The counts say which lists are worth reading: most days a mentor has
	// no attendance to record and no action due.
	names, unrecordedIn, dueIn := map[uint]string{}, []uint{}, map[uint]string{}
	for _, g := range groups {
		names[g.ID] = g.Name
		if g.Unrecorded > 0 {
			unrecordedIn = append(unrecordedIn, g.ID)
		}
		if g.ActionsDue > 0 {
			dueIn[g.ID] = g.Name
		}
	}
	var out []TodoItem
	for _, g := range groups {
		if g.Intakes > 0 {
			out = append(out, TodoItem{Kind: TodoIntake, GroupID: g.ID, GroupName: g.Name, Count: g.Intakes, Link: "/groups/" + itoaU(g.ID)})
		}
	}
	if len(unrecordedIn) > 0 {
		var unrecorded []Meeting
		if err := tx.Select("id", "group_id", "starts_at").Where("group_id IN ?", unrecordedIn).
			Where("ends_at <= ? AND ends_at > ? AND status <> ?", now, unrecordedSince(now), MeetingCancelled).
			Where("NOT EXISTS (SELECT 1 FROM attendances a WHERE a.meeting_id = meetings.id)").
			Order("starts_at").Find(&unrecorded).Error; err != nil {
			return nil, err
		}
		for _, m := range unrecorded {
			out = append(out, TodoItem{Kind: TodoAttendance, GroupID: m.GroupID, GroupName: names[m.GroupID],
				MeetingID: m.ID, When: m.StartsAt, Link: "/meetings/" + itoaU(m.ID)})
		}
	}
	if len(dueIn) > 0 {
		actions, err := actionsDue(tx, dueIn, v, now)
		if err != nil {
			return nil, err
		}
		out = append(out, actions...)
	}

	for _, g := range groups {
		if g.Cases > 0 {
			out = append(out, TodoItem{Kind: TodoCases, GroupID: g.ID, GroupName: g.Name, Count: g.Cases, Link: "/groups/" + itoaU(g.ID) + "/cases"})
		}
	}
	for _, g := range groups {
		if g.Polls > 0 {
			out = append(out, TodoItem{Kind: TodoPoll, GroupID: g.ID, GroupName: g.Name, Count: g.Answered, Of: g.Asked,
				Link: "/groups/" + itoaU(g.ID) + "/poll"})
		}
	}
	for _, g := range groups {
		switch {
		case g.Ahead > 0 || g.Polls > 0:
		case g.Met == 0: // a new group first picks the date everyone can make
			out = append(out, TodoItem{Kind: TodoFirstPoll, GroupID: g.ID, GroupName: g.Name, Link: "/groups/" + itoaU(g.ID) + "/poll"})
		default:
			out = append(out, TodoItem{Kind: TodoPlan, GroupID: g.ID, GroupName: g.Name, Link: "/groups/" + itoaU(g.ID) + "/series"})
		}
	}
	return out, nil
}

// MenteeTodo lists what the viewer, as mentee, has to do next in the groups
// they take part in: answer an open date poll, and their action items that
// are due soon or overdue.
func MenteeTodo(ctx context.Context, db *gorm.DB, v Viewer, now time.Time) ([]TodoItem, error) {
	home, err := MenteeHome(ctx, db, v, now)
	return home.Todo, err
}

// MenteeHomeView is the mentee's part of the home page.
type MenteeHomeView struct {
	Groups []GroupSummary // the groups they are placed in, as MemberGroups
	Todo   []TodoItem     // MenteeTodo's list
	// InputDrafts counts the mentor's drafts waiting for the viewer's
	// review, in any group; InputKnown says whether it was read (it comes
	// with the groups, and someone placed in none has no rows to carry it).
	InputDrafts int64
	InputKnown  bool
}

// MenteeHome is the mentee's part of the home page in two statements: the
// groups they are placed in (MemberGroups) with, per group, their own status
// and the open polls they have not answered; then their action items due in
// the open groups they are active in. The to-do list is MenteeTodo's.
func MenteeHome(ctx context.Context, db *gorm.DB, v Viewer, now time.Time) (MenteeHomeView, error) {
	tx := db.WithContext(ctx)
	rows, err := scanEach(tx.Model(&MentorGroup{}).Select(summaryFields+`, my.status AS my_status,
		(SELECT COUNT(*) FROM date_polls p WHERE p.group_id = mentor_groups.id AND p.status = 'open'
			AND NOT EXISTS (SELECT 1 FROM poll_options o JOIN poll_answers a ON a.option_id = o.id WHERE o.poll_id = p.id AND a.person_id = ?)) AS unanswered,
		(SELECT COUNT(*) FROM action_items ai WHERE ai.group_id = mentor_groups.id AND ai.holder_id = ? AND ai.done_at IS NULL
			AND ai.due_on IS NOT NULL AND ai.due_on <= ?) AS actions_due,
		(SELECT COUNT(*) FROM input_requests ir WHERE ir.mentee_id = ? AND ir.status = ?) AS input_drafts`,
		v.PersonID, v.PersonID, DateOf(now.Add(todoHorizon)), v.PersonID, InputDrafted).
		Joins("JOIN people ON people.id = mentor_groups.mentor_id").Joins("JOIN programmes pr ON pr.id = mentor_groups.programme_id").
		Joins("JOIN memberships my ON my.group_id = mentor_groups.id AND my.person_id = ?", v.PersonID).
		Where("my.status IN ?", append(AdmittedStatuses, ApplicantStatuses...)).
		Order("mentor_groups.name, mentor_groups.id"), func(g *memberGroupRow) []any {
		return append(g.fields(), &g.MyStatus, &g.Unanswered, &g.ActionsDue, &g.InputDrafts)
	})
	if err != nil {
		return MenteeHomeView{}, err
	}
	home := MenteeHomeView{Groups: make([]GroupSummary, len(rows)), InputKnown: len(rows) > 0}
	names := map[uint]string{}
	for i, g := range rows {
		home.Groups[i] = g.GroupSummary
		home.InputDrafts = g.InputDrafts
		if g.MyStatus != StatusActive || g.Status == GroupClosed {
			continue
		}
		if g.ActionsDue > 0 {
			names[g.ID] = g.Name
		}
		if g.Unanswered > 0 {
			home.Todo = append(home.Todo, TodoItem{Kind: TodoAnswerPoll, GroupID: g.ID, GroupName: g.Name, Link: "/groups/" + itoaU(g.ID) + "/poll"})
		}
	}
	if len(names) == 0 {
		return home, nil
	}
	actions, err := actionsDue(tx, names, v, now)
	if err != nil {
		return home, err
	}
	home.Todo = append(home.Todo, actions...)
	return home, nil
}

// memberGroupRow is a group of MenteeHome with the viewer's own status.
type memberGroupRow struct {
	GroupSummary
	MyStatus   MembershipStatus
	Unanswered int64 // open polls without an answer of the viewer
	ActionsDue int64 // the viewer's open action items due soon: read only when there are any
	// InputDrafts is the viewer's requests for input with a draft to
	// review, in any group: the same on every row.
	InputDrafts int64
}

// actionsDue lists the viewer's open action items in the named groups that
// are due within todoHorizon of now, or overdue.
func actionsDue(tx *gorm.DB, names map[uint]string, v Viewer, now time.Time) ([]TodoItem, error) {
	ids := make([]uint, 0, len(names))
	for id := range names {
		ids = append(ids, id)
	}
	var actions []ActionItem
	if err := tx.Where("holder_id = ? AND group_id IN ? AND done_at IS NULL AND due_on IS NOT NULL AND due_on <= ?",
		v.PersonID, ids, DateOf(now.Add(todoHorizon))).Order("due_on, id").Find(&actions).Error; err != nil {
		return nil, err
	}
	out := make([]TodoItem, len(actions))
	for i, a := range actions {
		out[i] = TodoItem{Kind: TodoAction, GroupID: a.GroupID, GroupName: names[a.GroupID],
			Text: a.Text, DueOn: a.DueOn, Overdue: a.DueOn.Before(DateOf(now)), Link: "/groups/" + itoaU(a.GroupID) + "/calendar"}
	}
	return out, nil
}

// nextStepRank orders to-do items by how pressing they are: lower first.
func nextStepRank(it TodoItem) int {
	switch it.Kind {
	case TodoAction:
		if it.Overdue {
			return 0
		}
		return 7
	case TodoAttendance:
		return 1
	case TodoIntake:
		return 2
	case TodoPoll:
		if it.Of > 0 && it.Count >= it.Of {
			return 3 // everyone answered: the mentor picks the date
		}
		return 9
	case TodoAnswerPoll:
		return 4
	case TodoFirstPoll:
		return 5
	case TodoCases:
		return 6
	case TodoPlan:
		return 8
	}
	return 10
}

// NextStep picks the one most pressing item of a to-do list: an overdue
// action item, then attendance to record, intakes, a date poll everyone
// answered, a poll to answer, a first date to pick, cases to place, an
// action item due soon, a series to plan, and last a poll still waiting
// for answers. Among equals, the first on the list. False for an empty list.
func NextStep(items []TodoItem) (TodoItem, bool) {
	if len(items) == 0 {
		return TodoItem{}, false
	}
	best := 0
	for i := range items {
		if nextStepRank(items[i]) < nextStepRank(items[best]) {
			best = i
		}
	}
	return items[best], true
}
