package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// The roles the people list filters on.
const (
	PeopleRoleAdmin   = "admin"
	PeopleRoleMentor  = "mentor"
	PeopleRoleMentee  = "mentee"
	PeopleRoleManager = "manager"
)

// PeopleRoles lists the roles the people list filters on, in menu order.
var PeopleRoles = []string{PeopleRoleAdmin, PeopleRoleMentor, PeopleRoleMentee, PeopleRoleManager}

// PersonRow is one line of L&D's people list: the person with their team,
// roles, and the group they are in now (as mentee: its status too).
type PersonRow struct {
	ID            uint
	Name          string
	Email         string
	Discipline    string
	Admin         bool
	TeamID        *uint
	TeamName      string
	IsManager     bool             // line manager of someone
	MentorOf      string           // a group they mentor that has not closed
	MentorGroupID uint             // its id
	MemberOf      string           // a group they are placed in as mentee that has not closed
	MemberGroupID uint             // its id
	Status        MembershipStatus // their status in it
}

// PeopleListFilter narrows L&D's people list.
type PeopleListFilter struct {
	Query   string
	Role    string // one of PeopleRoles, or "" for all
	TeamID  uint   // 0: every team
	NoGroup bool   // only people neither placed in nor mentoring a group that has not closed
}

// The person's current place as a mentee (a group that has not closed, a
// status that has not ended) and as a mentor, in SQL for the list.
const (
	peopleMemberWhere = `FROM memberships m JOIN mentor_groups g ON g.id = m.group_id
		WHERE m.person_id = people.id AND m.status IN ('candidate','intake','active','frozen') AND g.status <> 'closed'`
	peopleMentorWhere = `FROM mentor_groups g WHERE g.mentor_id = people.id AND g.status <> 'closed'`
	// peopleManagerSQL filters managers. The page's own column probes the
	// manager index per row instead (with LIMIT 1, which PostgreSQL cannot
	// turn into a hash of every person).
	peopleManagerSQL = `EXISTS (SELECT 1 FROM people r WHERE r.manager_id = people.id)`
)

// ListPeopleRows returns a page of L&D's people list, by name, with the
// filters applied; admins only. The page is read along the name index; the
// total is counted apart, and only when the first page is full (a window
// count would read every person to show fifty).
func ListPeopleRows(ctx context.Context, db *gorm.DB, v Viewer, f PeopleListFilter, page *Page) ([]PersonRow, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	filtered := func() *gorm.DB {
		return peopleListWhere(db.WithContext(ctx).Table("people").Joins("LEFT JOIN teams ON teams.id = people.team_id"), f)
	}
	q := filtered().Select(`people.id, people.name, people.email, people.discipline, people.admin,
		people.team_id, COALESCE(teams.name, '') AS team_name,
		(SELECT 1 FROM people r WHERE r.manager_id = people.id LIMIT 1) IS NOT NULL AS is_manager,
		(SELECT g.name ` + peopleMentorWhere + ` ORDER BY g.id DESC LIMIT 1) AS mentor_of,
		(SELECT g.id ` + peopleMentorWhere + ` ORDER BY g.id DESC LIMIT 1) AS mentor_group_id,
		(SELECT g.name ` + peopleMemberWhere + ` ORDER BY m.id DESC LIMIT 1) AS member_of,
		(SELECT g.id ` + peopleMemberWhere + ` ORDER BY m.id DESC LIMIT 1) AS member_group_id,
		(SELECT m.status ` + peopleMemberWhere + ` ORDER BY m.id DESC LIMIT 1) AS status`)
	var out []PersonRow
	if err := q.Order("people.name, people.id").Offset(page.Offset()).Limit(page.Size).Scan(&out).Error; err != nil {
		return nil, err
	}
	if page.Number <= 1 && len(out) < page.Size {
		page.Total = int64(len(out)) // all of them fit on the first page
		return out, nil
	}
	if err := filtered().Count(&page.Total).Error; err != nil {
		return nil, err
	}
	return out, nil
}

// peopleListWhere applies the people list's filters to q.
func peopleListWhere(q *gorm.DB, f PeopleListFilter) *gorm.DB {
	if s := strings.TrimSpace(f.Query); s != "" {
		like := "%" + likeEscaper.Replace(strings.ToLower(s)) + "%"
		q = q.Where(`(LOWER(people.name) LIKE ? ESCAPE '\' OR people.email LIKE ? ESCAPE '\' OR LOWER(people.discipline) LIKE ? ESCAPE '\')`,
			like, like, like)
	}
	switch f.Role {
	case PeopleRoleAdmin:
		q = q.Where("people.admin = ?", true)
	case PeopleRoleMentor:
		q = q.Where("EXISTS (SELECT 1 " + peopleMentorWhere + ")")
	case PeopleRoleMentee:
		q = q.Where("EXISTS (SELECT 1 " + peopleMemberWhere + ")")
	case PeopleRoleManager:
		q = q.Where(peopleManagerSQL)
	}
	if f.TeamID != 0 {
		q = q.Where("people.team_id = ?", f.TeamID)
	}
	if f.NoGroup {
		q = q.Where("NOT EXISTS (SELECT 1 " + peopleMentorWhere + ") AND NOT EXISTS (SELECT 1 " + peopleMemberWhere + ")")
	}
	return q
}
