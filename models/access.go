package models

import (
	"context"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Role is how a viewer stands to one mentor group today. Together with the
// period in which it was taken up (tenure) it decides what of the group's
// year the viewer may see; policy.go turns it into permissions.
type Role int

// Roles, from least to most access to the group's content.
const (
	RoleNone      Role = iota
	RoleFormer         // mentored the group or was admitted to it once: nothing of the group any more
	RoleApplicant      // a candidate or in intake: their own place, nothing of the group's content
	RoleStaff          // L&D: roster, statuses and the dates and kinds of meetings; no content
	RoleMember         // an admitted mentee: schedule, agenda, group notes from their tenure on
	RoleMentor         // the group's current mentor: all of the group from their tenure on
)

// Tenure kinds, as stored in tenures.role.
const (
	tenureMentor = "mentor"
	tenureMember = "member"
)

// Membership statuses by what they give. Only admitted mentees see the
// group's content: candidates and people in intake have not been admitted
// (the intake may still end in "not now", a stop or a referral, and a
// candidate may never join), so they must not read what the group shared.
// A frozen mentee stays admitted: freezing pauses taking part, the member
// comes back to the same group and may catch up on its notes.
var (
	// AdmittedStatuses see the group's content and count as its members.
	AdmittedStatuses = []MembershipStatus{StatusActive, StatusFrozen}
	// ApplicantStatuses have a place in the group but see none of its content.
	ApplicantStatuses = []MembershipStatus{StatusCandidate, StatusIntake}
	// LeftStatuses have left the group: access ends on the status date.
	LeftStatuses = []MembershipStatus{StatusStopped, StatusReferred, StatusLeft}
)

// Admitted reports whether a membership status sees the group's content.
func (s MembershipStatus) Admitted() bool { return s == StatusActive || s == StatusFrozen }

// Left reports whether a membership status has left the group.
func (s MembershipStatus) Left() bool {
	return s == StatusStopped || s == StatusReferred || s == StatusLeft
}

// Tenure is a period in which a person held a role in a group.
type Tenure struct {
	ID        uint       `gorm:"primaryKey"`
	GroupID   uint       `gorm:"not null;index"`
	PersonID  uint       `gorm:"not null"`
	Role      string     `gorm:"size:10;not null"`
	StartsAt  *time.Time // nil: from the group's start
	EndsAt    *time.Time // nil: held today
	CreatedAt time.Time
}

// Access is one viewer's standing in one group, worked out once: their role,
// their own membership if any, and since when they hold the role. Only
// policy.go reads it to decide.
type Access struct {
	Group        MentorGroup
	ViewerID     uint
	Role         Role
	Staff        bool             // the viewer is L&D as well
	Status       MembershipStatus // the viewer's own membership status, "" when none
	MembershipID uint
	Since        *time.Time   // start of the current role; nil: from the group's start
	terms        []MentorTerm // the group's mentor terms, oldest first (read with the access)
}

// Covers reports whether something of the group dated at falls inside the
// viewer's current role: on or after its start.
func (a Access) Covers(at time.Time) bool {
	return a.Since == nil || !at.Before(*a.Since)
}

// groupAccess loads a group and the viewer's access to it. A group that does
// not exist is ErrNotFound; a viewer without any role gets RoleNone, which
// the policy refuses.
func groupAccess(tx *gorm.DB, v Viewer, groupID uint) (Access, error) {
	memo := memoOf(tx)
	key := accessKey{viewer: v.PersonID, admin: v.Admin, group: groupID}
	if a, ok := memo.get(key); ok {
		return a, nil
	}
	a, err := workOutAccess(tx, v, groupID)
	if err == nil {
		memo.put(key, a)
	}
	return a, err
}

// workOutAccess reads a viewer's access to a group from the database in
// one statement: the group with its programme and mentor, the viewer's
// membership and tenures, and the group's mentor terms (the group page
// shows those), one row per tenure.
func workOutAccess(tx *gorm.DB, v Viewer, groupID uint) (Access, error) {
	a := Access{ViewerID: v.PersonID, Staff: v.Admin}
	rows, err := accessRows(tx, v.PersonID, groupID)
	if err != nil {
		return a, err
	}
	if len(rows) == 0 {
		return a, ErrNotFound
	}
	a.Group = rows[0].group()
	var tenures []accessRow // the viewer's own, oldest first
	a.terms = []MentorTerm{}
	for _, r := range rows {
		a.Status, a.MembershipID = r.Status, r.MembershipID
		if r.Role == "" {
			continue // no tenures at all: the one row of the LEFT JOINs
		}
		if r.Role == tenureMentor {
			a.terms = append(a.terms, MentorTerm{PersonID: r.PersonID, Name: r.Name, StartsAt: r.StartsAt, EndsAt: r.EndsAt})
		}
		if r.PersonID == v.PersonID {
			tenures = append(tenures, r)
		}
	}
	open := func(kind string) *accessRow {
		for i := len(tenures) - 1; i >= 0; i-- {
			if tenures[i].Role == kind && tenures[i].EndsAt == nil {
				return &tenures[i]
			}
		}
		return nil
	}
	switch {
	case a.Group.MentorID == v.PersonID:
		a.Role = RoleMentor
		if t := open(tenureMentor); t != nil {
			a.Since = t.StartsAt
		}
	case a.Status.Admitted():
		a.Role = RoleMember
		if t := open(tenureMember); t != nil {
			a.Since = t.StartsAt
		}
	case a.Status == StatusCandidate || a.Status == StatusIntake:
		a.Role = RoleApplicant
	case a.Status.Left() || len(tenures) > 0:
		a.Role = RoleFormer
	}
	if v.Admin && a.Role < RoleStaff {
		a.Role = RoleStaff
	}
	return a, nil
}

// accessRow is one row of workOutAccess's statement: the group, its
// programme and mentor (the same on every row), and one standing.
type accessRow struct {
	GroupID                                   uint
	ProgrammeID, MentorID                     uint
	GroupName, GroupDiscipline                string
	GroupStatus                               GroupStatus
	ClosedOn                                  *Date
	RulesBroken                               bool
	GroupCreatedAt, GroupUpdatedAt            time.Time
	ProgrammeName                             string
	StartsOn, EndsOn                          Date
	CadenceWeeks                              int
	ProgrammeStatus                           ProgrammeStatus
	ProgrammeCreatedAt, ProgrammeUpdatedAt    time.Time
	MentorName, MentorEmail, MentorDiscipline string
	MentorTeamID, MentorManagerID             *uint
	MentorAdmin                               bool
	MentorLanguage, MentorReminderOptOuts     string
	MentorCreatedAt, MentorUpdatedAt          time.Time
	// The viewer's membership (the same on every row) and one tenure.
	MembershipID uint
	Status       MembershipStatus
	PersonID     uint
	Role         string
	StartsAt     *time.Time
	EndsAt       *time.Time
	Name         string
}

// accessRows runs workOutAccess's statement, scanned by hand: it is the most
// frequent read of all (every group and meeting page), and scanning its 33
// columns by reflection cost as much as the rest of it.
func accessRows(tx *gorm.DB, viewerID, groupID uint) ([]accessRow, error) {
	return scanEach(tx.Raw(`SELECT g.id, g.programme_id, g.mentor_id, g.name, g.discipline, g.status, g.closed_on, g.rules_broken,
			g.created_at, g.updated_at,
			pr.name, pr.starts_on, pr.ends_on, pr.cadence_weeks, pr.status, pr.created_at, pr.updated_at,
			mp.name, mp.email, mp.discipline, mp.team_id, mp.manager_id, mp.admin, mp.language, mp.reminder_opt_outs,
			mp.created_at, mp.updated_at,
			COALESCE(m.id, 0), COALESCE(m.status, ''), COALESCE(t.person_id, 0), COALESCE(t.role, ''), t.starts_at, t.ends_at,
			COALESCE(p.name, '')
		FROM mentor_groups g
		JOIN programmes pr ON pr.id = g.programme_id
		JOIN people mp ON mp.id = g.mentor_id
		LEFT JOIN memberships m ON m.group_id = g.id AND m.person_id = ?
		LEFT JOIN tenures t ON t.group_id = g.id AND (t.person_id = ? OR t.role = ?)
		LEFT JOIN people p ON p.id = t.person_id
		WHERE g.id = ? ORDER BY t.id`, viewerID, viewerID, tenureMentor, groupID), func(r *accessRow) []any {
		return []any{&r.GroupID, &r.ProgrammeID, &r.MentorID, &r.GroupName, &r.GroupDiscipline, &r.GroupStatus,
			&r.ClosedOn, &r.RulesBroken, &r.GroupCreatedAt, &r.GroupUpdatedAt,
			&r.ProgrammeName, &r.StartsOn, &r.EndsOn, &r.CadenceWeeks, &r.ProgrammeStatus, &r.ProgrammeCreatedAt, &r.ProgrammeUpdatedAt,
			&r.MentorName, &r.MentorEmail, &r.MentorDiscipline, &r.MentorTeamID, &r.MentorManagerID, &r.MentorAdmin,
			&r.MentorLanguage, &r.MentorReminderOptOuts, &r.MentorCreatedAt, &r.MentorUpdatedAt,
			&r.MembershipID, &r.Status, &r.PersonID, &r.Role, &r.StartsAt, &r.EndsAt, &r.Name}
	})
}

// group is the row's group with its programme and mentor (no password or
// sign-on link: access never needs them).
func (r accessRow) group() MentorGroup {
	return MentorGroup{ID: r.GroupID, ProgrammeID: r.ProgrammeID, MentorID: r.MentorID, Name: r.GroupName,
		Discipline: r.GroupDiscipline, Status: r.GroupStatus, ClosedOn: r.ClosedOn, RulesBroken: r.RulesBroken,
		CreatedAt: r.GroupCreatedAt, UpdatedAt: r.GroupUpdatedAt,
		Programme: Programme{ID: r.ProgrammeID, Name: r.ProgrammeName, StartsOn: r.StartsOn, EndsOn: r.EndsOn,
			CadenceWeeks: r.CadenceWeeks, Status: r.ProgrammeStatus, CreatedAt: r.ProgrammeCreatedAt, UpdatedAt: r.ProgrammeUpdatedAt},
		Mentor: Person{ID: r.MentorID, Name: r.MentorName, Email: r.MentorEmail, TeamID: r.MentorTeamID,
			Discipline: r.MentorDiscipline, ManagerID: r.MentorManagerID, Admin: r.MentorAdmin, Language: r.MentorLanguage,
			ReminderOptOuts: r.MentorReminderOptOuts, CreatedAt: r.MentorCreatedAt, UpdatedAt: r.MentorUpdatedAt}}
}

// accessMemo keeps the access worked out during one reading request, so
// the route's check and the page do not read it twice. Only requests that
// change nothing carry one: within them access cannot change.
type accessMemo struct {
	mu       sync.Mutex
	seen     map[accessKey]Access
	meetings map[uint]memoMeeting // meetings read whole by the route's check, for the page
}

type accessKey struct {
	viewer uint
	admin  bool
	group  uint
}

type accessMemoKey struct{}

// WithAccessMemo returns ctx for a reading request (GET or HEAD): each
// group's access is worked out once during it.
func WithAccessMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, accessMemoKey{}, &accessMemo{seen: map[accessKey]Access{}, meetings: map[uint]memoMeeting{}})
}

// WithoutAccessMemo returns ctx without the request's memo: for the later
// reads of a long reading request (an event stream), which must see
// changes since it began and check access again.
func WithoutAccessMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, accessMemoKey{}, (*accessMemo)(nil))
}

// memoOf returns the request's access memo; nil (which keeps nothing) when
// the request may change something.
func memoOf(tx *gorm.DB) *accessMemo {
	memo, _ := tx.Statement.Context.Value(accessMemoKey{}).(*accessMemo)
	return memo
}

// memoMeeting is a meeting read whole with its run.
type memoMeeting struct {
	meeting Meeting
	run     LiveRun
}

// meeting returns a meeting and its run read earlier in the request.
func (m *accessMemo) meeting(id uint) (memoMeeting, bool) {
	if m == nil {
		return memoMeeting{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	mt, ok := m.meetings[id]
	return mt, ok
}

// putMeeting keeps a meeting read whole, with its run.
func (m *accessMemo) putMeeting(mt Meeting, run LiveRun) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.meetings[mt.ID] = memoMeeting{mt, run}
	m.mu.Unlock()
}

func (m *accessMemo) get(k accessKey) (Access, bool) {
	if m == nil {
		return Access{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.seen[k]
	return a, ok
}

func (m *accessMemo) put(k accessKey, a Access) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.seen[k] = a
	m.mu.Unlock()
}

// requireGroup loads the viewer's access to a group and checks one group
// permission; refusals are ErrNotFound.
func requireGroup(tx *gorm.DB, v Viewer, p Permission, groupID uint) (Access, error) {
	a, err := groupAccess(tx, v, groupID)
	if err != nil {
		return a, err
	}
	if !Decide(a, p, Subject{}) {
		return a, ErrNotFound
	}
	return a, nil
}

// startTenure opens a period in which person holds role in the group, from
// at. When the group has held nothing yet the period reaches back to its
// start (nil), so a group formed before its first meeting loses nothing.
// An open period of the same role is left as it is.
func startTenure(tx *gorm.DB, groupID, personID uint, role string, at time.Time) error {
	var n int64
	if err := tx.Model(&Tenure{}).Where("group_id = ? AND person_id = ? AND role = ? AND ends_at IS NULL",
		groupID, personID, role).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	var held int64
	if err := tx.Model(&Meeting{}).Where("group_id = ? AND starts_at < ?", groupID, at).Count(&held).Error; err != nil {
		return err
	}
	t := Tenure{GroupID: groupID, PersonID: personID, Role: role}
	if held > 0 {
		at = at.UTC()
		t.StartsAt = &at
	}
	return tx.Create(&t).Error
}

// endTenure closes every open period of role for person in the group at at;
// when none is open (a group from before tenures were kept) it records one
// from the group's start, so the person shows as former.
func endTenure(tx *gorm.DB, groupID, personID uint, role string, at time.Time) error {
	at = at.UTC()
	res := tx.Model(&Tenure{}).Where("group_id = ? AND person_id = ? AND role = ? AND ends_at IS NULL",
		groupID, personID, role).Update("ends_at", at)
	if res.Error != nil || res.RowsAffected > 0 {
		return res.Error
	}
	return tx.Create(&Tenure{GroupID: groupID, PersonID: personID, Role: role, EndsAt: &at}).Error
}

// memberTenureFor keeps a membership's tenure in step with a status change:
// becoming admitted opens one, leaving closes it.
func memberTenureFor(tx *gorm.DB, m Membership, from MembershipStatus, at time.Time) error {
	switch {
	case m.Status.Admitted() && !from.Admitted():
		return startTenure(tx, m.GroupID, m.PersonID, tenureMember, at)
	case !m.Status.Admitted() && from.Admitted():
		return endTenure(tx, m.GroupID, m.PersonID, tenureMember, at)
	}
	return nil
}

// tenureMoment is when a status change dated since takes effect for access:
// now when it is dated today, else the start of that day (UTC).
func tenureMoment(tx *gorm.DB, since Date) time.Time {
	now := nowOf(tx)
	if since.Equal(DateOf(now).Time) {
		return now
	}
	return since.Time
}

// MentorTerm is a period in which someone mentored a group, for the group page.
type MentorTerm struct {
	PersonID uint
	Name     string
	StartsAt *time.Time
	EndsAt   *time.Time
}

// From is when the term started; zero when it reaches back to the group's start.
func (t MentorTerm) From() time.Time {
	if t.StartsAt == nil {
		return time.Time{}
	}
	return *t.StartsAt
}

// Until is when the term ended; zero while it lasts.
func (t MentorTerm) Until() time.Time {
	if t.EndsAt == nil {
		return time.Time{}
	}
	return *t.EndsAt
}

// groupsOf returns a query of the ids of groups in which the viewer is
// mentor or an admitted member, for use in IN (...) clauses.
func groupsOf(tx *gorm.DB, v Viewer) *gorm.DB {
	// A UNION, not "mentor_id = ? OR id IN (...)": the OR form makes
	// PostgreSQL read every group and then every meeting.
	return tx.Raw(`SELECT id FROM mentor_groups WHERE mentor_id = ? UNION
		SELECT group_id FROM memberships WHERE person_id = ? AND status IN ?`, v.PersonID, v.PersonID, AdmittedStatuses)
}

// tenureStart is a SQL expression for the start of the viewer's current role
// in the group named by groupColumn: NULL when it reaches back to the start.
func tenureStart(groupColumn string) string {
	return `(SELECT MAX(t.starts_at) FROM tenures t WHERE t.group_id = ` + groupColumn +
		` AND t.person_id = @viewer AND t.ends_at IS NULL)`
}

// activeMembers returns the ids of a group's admitted mentees (frozen ones
// with frozen = true), in name order.
func activeMembers(tx *gorm.DB, groupID uint) (active []uint, frozen map[uint]bool, err error) {
	var rows []struct {
		PersonID uint
		Status   MembershipStatus
	}
	err = tx.Model(&Membership{}).Select("memberships.person_id, memberships.status").
		Joins("JOIN people p ON p.id = memberships.person_id").
		Where("memberships.group_id = ? AND memberships.status IN ?", groupID, AdmittedStatuses).
		Order("p.name, p.id").Scan(&rows).Error
	frozen = map[uint]bool{}
	for _, r := range rows {
		active = append(active, r.PersonID)
		if r.Status == StatusFrozen {
			frozen[r.PersonID] = true
		}
	}
	return active, frozen, err
}

// GroupRoster returns the admitted mentees of a group by name, for its
// mentor, members and L&D.
func GroupRoster(ctx context.Context, db *gorm.DB, v Viewer, groupID uint) ([]PersonChoice, error) {
	tx := db.WithContext(ctx)
	if _, err := requireGroup(tx, v, GroupRosterRead, groupID); err != nil {
		return nil, err
	}
	ids, _, err := activeMembers(tx, groupID)
	if err != nil {
		return nil, err
	}
	var out []PersonChoice
	err = tx.Model(&Person{}).Select("id, name").Where("id IN ?", append(ids, 0)).Order("name").Scan(&out).Error
	return out, err
}

// IsMentor reports whether the viewer is the group's current mentor.
func (a Access) IsMentor() bool { return a.Role == RoleMentor }

// IsMember reports whether the viewer is an admitted mentee of the group.
func (a Access) IsMember() bool { return a.Role == RoleMember }

// Applicant reports whether the viewer is a candidate or in intake: placed,
// not yet admitted.
func (a Access) Applicant() bool { return a.Role == RoleApplicant }

// DatesOnly reports whether the viewer sees the group's dates and kinds only (L&D).
func (a Access) DatesOnly() bool { return a.Role == RoleStaff }

// SinceJoining reports whether the viewer's role started after the group's
// start, so that earlier notes are not shown to them.
func (a Access) SinceJoining() bool { return a.Since != nil }
