package models

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// MeetingStatus is where a meeting stands.
type MeetingStatus string

// Meeting statuses.
const (
	MeetingPlanned   MeetingStatus = "planned"
	MeetingHeld      MeetingStatus = "held"
	MeetingCancelled MeetingStatus = "cancelled"
)

// Meeting is one meeting of a group: the first meeting, an intervision
// meeting, a work visit or a guest meeting. Times are UTC.
type Meeting struct {
	ID           uint          `gorm:"primaryKey" json:"id"`
	GroupID      uint          `gorm:"not null" json:"group_id"`
	Seq          int           `gorm:"not null;default:0" json:"seq"`
	Kind         MeetingKind   `gorm:"size:20;not null" json:"kind"`
	StartsAt     time.Time     `gorm:"not null" json:"starts_at"`
	EndsAt       time.Time     `gorm:"not null" json:"ends_at"`
	Location     string        `gorm:"size:200;not null;default:''" json:"location"`
	Status       MeetingStatus `gorm:"size:20;not null;default:'planned'" json:"status"`
	StatusReason string        `gorm:"type:text;not null;default:''" json:"status_reason,omitempty" sealed:"meetings"`
	EditedByHand bool          `gorm:"not null;default:false" json:"edited_by_hand"`
	MethodKey    string        `gorm:"size:30;not null;default:''" json:"method,omitempty"`
	Agenda       string        `gorm:"type:text;not null;default:''" json:"-" sealed:"meetings"`
	Notes        string        `gorm:"type:text;not null;default:''" json:"notes,omitempty" sealed:"meetings"`
	IntroFormat  string        `gorm:"size:20;not null;default:''" json:"intro_format,omitempty"`
	Host         string        `gorm:"size:200;not null;default:''" json:"host,omitempty"`
	Address      string        `gorm:"size:300;not null;default:''" json:"address,omitempty"`
	Contact      string        `gorm:"size:200;not null;default:''" json:"contact,omitempty"`
	Purpose      string        `gorm:"type:text;not null;default:''" json:"purpose,omitempty" sealed:"meetings"`
	Preparation  string        `gorm:"type:text;not null;default:''" json:"preparation,omitempty" sealed:"meetings"`
	Practical    string        `gorm:"type:text;not null;default:''" json:"practical,omitempty" sealed:"meetings"`
	GuestName    string        `gorm:"size:200;not null;default:''" json:"guest_name,omitempty"`
	GuestRole    string        `gorm:"size:200;not null;default:''" json:"guest_role,omitempty"`
	Topic        string        `gorm:"type:text;not null;default:''" json:"topic,omitempty" sealed:"meetings"`
	// The first meeting's record: the group's preferred working form
	// (part 3) and its working agreements (part 5); 0 is not agreed.
	WorkingForm        string `gorm:"type:text;not null;default:''" json:"-" sealed:"meetings"`
	AgreedCadenceWeeks int    `gorm:"not null;default:0" json:"-"`
	AgreedDurationMin  int    `gorm:"not null;default:0" json:"-"`
	AgreedVisits       string `gorm:"type:text;not null;default:''" json:"-" sealed:"meetings"`
	Agreements         string `gorm:"type:text;not null;default:''" json:"-" sealed:"meetings"`
	// CaseDeadlineDays is how many days before the meeting cases must be in.
	CaseDeadlineDays int `gorm:"not null;default:7" json:"case_deadline_days"`
	// Sequence counts the changes calendars must follow (ICS SEQUENCE).
	Sequence int `gorm:"not null;default:0" json:"sequence"`
	// SeriesUID is the calendar UID of the recurring event this meeting is
	// part of ("" for a meeting outside a series, which has its own UID);
	// RecurrenceAt is the weekly instance of the series' rule it stands in
	// for (its RECURRENCE-ID).
	SeriesUID    string     `gorm:"column:series_uid;size:80;not null;default:''" json:"-"`
	RecurrenceAt *time.Time `json:"-"`
	CreatedAt    time.Time  `json:"-"`
	UpdatedAt    time.Time  `json:"-"`
}

// DurationMin is the meeting's length in minutes.
func (m Meeting) DurationMin() int { return int(m.EndsAt.Sub(m.StartsAt).Minutes()) }

// MeetingRoleAssignment is who has a role in a meeting.
type MeetingRoleAssignment struct {
	ID        uint        `gorm:"primaryKey"`
	MeetingID uint        `gorm:"not null"`
	Role      MeetingRole `gorm:"size:20;not null"`
	PersonID  uint        `gorm:"not null"`
}

// TableName is the table of role assignments.
func (MeetingRoleAssignment) TableName() string { return "meeting_roles" }

// AttendanceStatus is whether someone came to a meeting.
type AttendanceStatus string

// Attendance statuses.
const (
	Present AttendanceStatus = "present"
	Excused AttendanceStatus = "excused"
	Absent  AttendanceStatus = "absent"
)

// Attendance is one person's presence at a meeting, recorded by the mentor.
type Attendance struct {
	ID        uint             `gorm:"primaryKey"`
	MeetingID uint             `gorm:"not null"`
	PersonID  uint             `gorm:"not null"`
	Status    AttendanceStatus `gorm:"size:10;not null"`
	UpdatedAt time.Time
}

// GroupCalendar is a group's meetings as a viewer may see them. Admins get
// dates and kinds only.
type GroupCalendar struct {
	Group    MentorGroup
	Access   Access
	Meetings []Meeting
	Series   *GroupSeries
}

// ListMeetings returns the group's meetings in time order, limited to what
// the viewer may see: admins get dates, kinds and status only.
func ListMeetings(ctx context.Context, db *gorm.DB, v Viewer, groupID uint) (GroupCalendar, error) {
	tx := db.WithContext(ctx)
	a, err := requireGroup(tx, v, GroupRosterRead, groupID)
	if err != nil {
		return GroupCalendar{}, err
	}
	cal := GroupCalendar{Group: a.Group, Access: a}
	q := tx.Where("group_id = ?", groupID).Order("starts_at")
	if !Decide(a, GroupContent, Subject{}) {
		q = q.Select("id", "group_id", "seq", "kind", "starts_at", "ends_at", "status")
	}
	if err := q.Find(&cal.Meetings).Error; err != nil {
		return cal, err
	}
	for i := range cal.Meetings {
		if !Decide(a, MeetingNotesRead, Subject{At: cal.Meetings[i].StartsAt}) {
			cal.Meetings[i].Notes = ""
		}
	}
	if Decide(a, GroupMentor, Subject{}) {
		var s GroupSeries
		if tx.Where("group_id = ?", groupID).Limit(1).Find(&s).RowsAffected > 0 {
			cal.Series = &s
		}
	}
	return cal, nil
}

// MeetingPage is one meeting as a member or the mentor sees it.
type MeetingPage struct {
	Meeting    Meeting
	Group      MentorGroup
	Access     Access
	NotesShown bool // the meeting falls in the viewer's tenure: notes, entries and actions are shown
	Agenda     []AgendaItem
	Roles      map[MeetingRole][]uint
	Proposed   map[MeetingRole]uint
	People     []PersonChoice            // active and frozen members, for roles and attendance
	Attendance map[uint]AttendanceStatus // all for the mentor, own for a member
	Actions    []ActionItemRow
	Entries    []FirstMeetingEntry // first meeting only
	Frozen     map[uint]bool
	// Earlier is the group's open action items from before this meeting.
	Earlier []ActionItemRow
	// Run is the meeting's live run: when it really began and ended.
	Run LiveRun
	// Former are people in People who are no longer admitted members but
	// attended or held a role at this meeting: the record keeps them.
	Former map[uint]bool
	// AttendanceOpen says whether attendance can be recorded: from the
	// meeting's start on, unless it was cancelled.
	AttendanceOpen bool
	// Apologies are the members' apologies: all with reasons for the
	// mentor, the viewer's own for a member.
	Apologies MeetingApologies
	// Presenters is the case presenters in order: round i is theirs.
	Presenters []uint
	// RoundsShort is set when not every case presenter's round fits.
	RoundsShort *RoundsShort
}

// meetingFor loads a meeting and the viewer's access to its group, and
// checks permission p on it; refusals are ErrNotFound (L&D sees meetings in
// the calendar only).
func meetingFor(tx *gorm.DB, v Viewer, p Permission, id uint) (Meeting, Access, error) {
	read, ok := memoOf(tx).meeting(id)
	m := read.meeting
	if !ok {
		if err := tx.First(&m, id).Error; err != nil {
			return m, Access{}, notFound(err)
		}
	}
	subject, err := meetingSubject(tx, v, p, m)
	if err != nil {
		return Meeting{}, Access{}, err
	}
	a, err := groupAccess(tx, v, m.GroupID)
	if err != nil {
		return Meeting{}, a, err
	}
	if !Decide(a, p, subject) {
		return Meeting{}, a, ErrNotFound
	}
	return m, a, nil
}

// mentorsMeeting is meetingFor for changes only the group's mentor may make.
func mentorsMeeting(tx *gorm.DB, v Viewer, id uint) (Meeting, MentorGroup, error) {
	m, a, err := meetingFor(tx, v, MeetingMentor, id)
	return m, a.Group, err
}

// lockedMentorsMeeting is mentorsMeeting after locking the meeting's row
// for the transaction, so that two changes of one meeting take turns.
func lockedMentorsMeeting(tx *gorm.DB, v Viewer, id uint) (Meeting, MentorGroup, error) {
	if err := lockRow(tx, "meetings", id); err != nil {
		return Meeting{}, MentorGroup{}, err
	}
	return mentorsMeeting(tx, v, id)
}

// GetMeetingPage returns a meeting for a member or the mentor of its group.
func GetMeetingPage(ctx context.Context, db *gorm.DB, v Viewer, id uint) (MeetingPage, error) {
	tx := db.WithContext(ctx)
	m, a, err := meetingFor(tx, v, MeetingRead, id)
	if err != nil {
		return MeetingPage{}, err
	}
	g, mentor := a.Group, a.IsMentor()
	page := MeetingPage{Meeting: m, Group: g, Access: a, Attendance: map[uint]AttendanceStatus{},
		NotesShown: Decide(a, MeetingNotesRead, Subject{At: m.StartsAt})}
	if !page.NotesShown {
		page.Meeting.Notes = ""
	}
	if page.Meeting.Notes != "" && !mentor {
		if err := audit(tx, v.PersonID, AuditRead, "meeting_notes", m.ID); err != nil {
			return page, err
		}
	}
	if page.Run, err = loadRun(tx, m.ID); err != nil {
		return page, err
	}
	// The people come with the roles they hold at this meeting.
	ids, frozen, err := meetingPeople(tx, &page, v, mentor)
	if err != nil {
		return page, err
	}
	page.Presenters = page.Roles[RoleCaseBringer]
	page.Agenda, page.RoundsShort = agendaFor(m, len(page.Presenters))
	page.AttendanceOpen = attendanceOpen(m, nowOf(tx))
	// The mentor's page proposes roles from the earlier meetings' turns.
	if mentor && m.Kind != KindFirstMeeting {
		roles, err := roleHistory(tx, m)
		if err != nil {
			return page, err
		}
		page.Proposed = proposedRoles(roles, ids, frozen, page.Presenters)
	}
	if !page.NotesShown {
		return page, nil
	}
	// One read of the group's action items in the viewer's tenure: this
	// meeting's, and the open ones of earlier meetings.
	all, err := actionRows(tx, g.ID, nil, nil)
	if err != nil {
		return page, err
	}
	for _, r := range all {
		switch {
		case r.MeetingID != nil && *r.MeetingID == m.ID:
			page.Actions = append(page.Actions, r)
		case r.DoneAt == nil && r.CreatedAt.Before(m.StartsAt) && (a.Since == nil || !r.CreatedAt.Before(*a.Since)):
			page.Earlier = append(page.Earlier, r)
		}
	}
	if m.Kind == KindFirstMeeting {
		page.Entries, err = firstMeetingEntries(tx, m.ID, ids)
	}
	return page, err
}

// agendaOf returns the meeting's agenda: as saved, or laid out from its method.
func agendaOf(m Meeting) []AgendaItem {
	var items []AgendaItem
	if m.Agenda != "" && json.Unmarshal([]byte(m.Agenda), &items) == nil && len(items) > 0 {
		return items
	}
	if method, ok := MethodByKey(m.MethodKey); ok {
		return LayAgenda(method, m.DurationMin())
	}
	return nil
}

// MeetingInput changes a meeting's time, place and kind; mentor only.
type MeetingInput struct {
	Date        string `form:"date" json:"date" validate:"required,date"`
	StartTime   string `form:"start_time" json:"start_time" validate:"required,max=5"`
	DurationMin int    `form:"duration_min" json:"duration_min" validate:"min=15,max=480"`
	Location    string `form:"location" json:"location" validate:"max=200"`
	Kind        string `form:"kind" json:"kind" validate:"omitempty,oneof=first intervision work_visit guest"`
	Method      string `form:"method" json:"method" validate:"max=30"`
	IntroFormat string `form:"intro_format" json:"intro_format" validate:"omitempty,oneof=object interview round"`
	Host        string `form:"host" json:"host" validate:"max=200"`
	Address     string `form:"address" json:"address" validate:"max=300"`
	Contact     string `form:"contact" json:"contact" validate:"max=200"`
	Purpose     string `form:"purpose" json:"purpose" validate:"max=1000"`
	Preparation string `form:"preparation" json:"preparation" validate:"max=2000"`
	Practical   string `form:"practical" json:"practical" validate:"max=2000"`
	GuestName   string `form:"guest_name" json:"guest_name" validate:"max=200"`
	GuestRole   string `form:"guest_role" json:"guest_role" validate:"max=200"`
	Topic       string `form:"topic" json:"topic" validate:"max=500"`
	Reason      string `form:"move_reason" json:"move_reason" validate:"max=500"` // why the meeting moves
}

// localStart reads a date and wall-clock time in the organisation's zone.
func localStart(tx *gorm.DB, date, clock string) (time.Time, error) {
	org, err := GetOrganisation(tx.Statement.Context, tx)
	if err != nil {
		return time.Time{}, err
	}
	return ParseLocalTime(date, clock, org.Location())
}

// UpdateMeeting saves the meeting form. A changed time marks the meeting as
// edited by hand, so replanning the series leaves it alone.
func UpdateMeeting(ctx context.Context, db *gorm.DB, v Viewer, id uint, in MeetingInput) (Meeting, error) {
	var m Meeting
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if m, _, err = mentorsMeeting(tx, v, id); err != nil {
			return err
		}
		start, err := localStart(tx, in.Date, in.StartTime)
		if err != nil {
			return err
		}
		seqBefore := m.Sequence
		if in.Method != "" {
			if _, ok := MethodByKey(in.Method); !ok {
				return fieldErr("method", "unknown_choice")
			}
		}
		end := start.Add(time.Duration(in.DurationMin) * time.Minute)
		if in.Method != "" && (in.Method != m.MethodKey || in.DurationMin != m.DurationMin()) {
			field := "method"
			if in.Method == m.MethodKey {
				field = "duration_min"
			}
			if err := fitMethod(in.Method, in.DurationMin, field); err != nil {
				return err
			}
		}
		if start.After(nowOf(tx)) && !start.Equal(m.StartsAt) {
			if n, err := attendanceCount(tx, m.ID); err != nil {
				return err
			} else if n > 0 {
				return fieldErr("date", "attended_meeting_to_future")
			}
		}
		if !start.Equal(m.StartsAt) || !end.Equal(m.EndsAt) || CleanText(in.Location) != m.Location {
			m.EditedByHand = true
			m.Sequence++
			if CleanText(in.Reason) != "" {
				m.StatusReason = CleanText(in.Reason)
			}
		}
		if in.Method != m.MethodKey || !end.Equal(m.EndsAt) || !start.Equal(m.StartsAt) {
			m.Agenda = "" // laid out again from the method
		}
		m.StartsAt, m.EndsAt, m.Location, m.MethodKey = start, end, CleanText(in.Location), in.Method
		if in.Kind != "" && (in.Kind == string(KindFirstMeeting)) == (m.Kind == KindFirstMeeting) {
			m.Kind = MeetingKind(in.Kind)
		}
		m.IntroFormat = in.IntroFormat
		m.Host, m.Address, m.Contact = CleanText(in.Host), CleanText(in.Address), CleanText(in.Contact)
		m.Purpose, m.Preparation, m.Practical = CleanText(in.Purpose), CleanText(in.Preparation), CleanText(in.Practical)
		m.GuestName, m.GuestRole, m.Topic = CleanText(in.GuestName), CleanText(in.GuestRole), CleanText(in.Topic)
		moved := m.Sequence != seqBefore
		if err := tx.Save(&m).Error; err != nil {
			return err
		}
		if err := relayRounds(tx, m.ID); err != nil {
			return err
		}
		if moved {
			return notifyMeetingChange(tx, m, nowOf(tx))
		}
		return nil
	})
	return m, err
}

// AgendaInput sets the minutes of each agenda block.
type AgendaInput struct {
	Minutes []int `form:"minutes" json:"minutes"`
}

// SaveAgenda stores the mentor's own minutes per block of the method's
// agenda; mentor only.
func SaveAgenda(ctx context.Context, db *gorm.DB, v Viewer, id uint, in AgendaInput) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, _, err := lockedMentorsMeeting(tx, v, id)
		if err != nil {
			return err
		}
		presenters, err := presenterCount(tx, m.ID)
		if err != nil {
			return err
		}
		items, _ := agendaFor(m, presenters)
		if len(in.Minutes) != len(items) {
			return fieldErr("minutes", "invalid")
		}
		start := 0
		for i := range items {
			if in.Minutes[i] < 0 || in.Minutes[i] > 480 {
				return fieldErr("minutes", "out_of_range")
			}
			items[i].Start, items[i].Minutes = start, in.Minutes[i]
			start += in.Minutes[i]
		}
		if start > m.DurationMin() {
			return &ValidationError{Fields: []FieldError{{Field: "minutes", Code: "agenda_too_long",
				Args: map[string]any{"Total": start, "Max": m.DurationMin()}}}}
		}
		data, _ := json.Marshal(items)
		return tx.Model(&m).Update("agenda", string(data)).Error
	})
}

// NotesInput is the group notes of a meeting.
type NotesInput struct {
	Notes string `form:"notes" json:"notes" validate:"max=20000"`
}

// SaveNotes stores a meeting's group notes: by the mentor or the meeting's
// note-taker.
func SaveNotes(ctx context.Context, db *gorm.DB, v Viewer, id uint, in NotesInput) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockRow(tx, "meetings", id); err != nil {
			return err
		}
		m, _, err := meetingFor(tx, v, MeetingNotesWrite, id)
		if err != nil {
			return err
		}
		return tx.Model(&m).Update("notes", CleanText(in.Notes)).Error
	})
}

// UpcomingMeetings returns the next meetings of the viewer's groups (as
// mentor or member) from now on, at most limit: when, where, what kind and
// in which group, nothing of their content.
func UpcomingMeetings(ctx context.Context, db *gorm.DB, v Viewer, now time.Time, limit int) ([]MeetingWithGroup, error) {
	tx := db.WithContext(ctx)
	return scanEach(tx.Raw(`SELECT mt.id, mt.group_id, mt.kind, mt.status, mt.starts_at, mt.ends_at, mt.location, g.name
		FROM meetings mt JOIN mentor_groups g ON g.id = mt.group_id
		WHERE mt.group_id IN (?) AND mt.ends_at > ? AND mt.status <> ? ORDER BY mt.starts_at LIMIT ?`,
		groupsOf(tx, v), now, MeetingCancelled, max(limit, 0)), func(m *MeetingWithGroup) []any {
		return []any{&m.ID, &m.GroupID, &m.Kind, &m.Status, &m.StartsAt, &m.EndsAt, &m.Location, &m.GroupName}
	})
}

// MeetingWithGroup is a meeting with its group's name, for lists across groups.
type MeetingWithGroup struct {
	Meeting
	GroupName string `json:"group_name"`
}

// SetAttendanceForAll records every active member as present (the demo and
// quick entry after a full meeting); mentor only.
func SetAttendanceForAll(ctx context.Context, db *gorm.DB, v Viewer, id uint) error {
	tx := db.WithContext(ctx)
	m, g, err := mentorsMeeting(tx, v, id)
	if err != nil {
		return err
	}
	ids, frozen, err := activeMembers(tx, g.ID)
	if err != nil {
		return err
	}
	statuses := map[uint]string{}
	for _, pid := range ids {
		if !frozen[pid] {
			statuses[pid] = string(Present)
		}
	}
	return SaveAttendance(ctx, db, v, m.ID, statuses)
}

// memberSet is the set of a group's active and frozen mentees.
func memberSet(tx *gorm.DB, groupID uint) (map[uint]bool, error) {
	ids, _, err := activeMembers(tx, groupID)
	set := make(map[uint]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, err
}
