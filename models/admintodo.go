package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AdminTodoKind names one kind of item on L&D's to-do list.
type AdminTodoKind string

// The kinds on L&D's to-do list, most pressing first.
const (
	AdminTodoRules        AdminTodoKind = "rules"        // a group breaks a composition rule
	AdminTodoMail         AdminTodoKind = "mail"         // mails that could not be delivered
	AdminTodoImport       AdminTodoKind = "import"       // an HR import still running
	AdminTodoForming      AdminTodoKind = "forming"      // groups still forming near or after the start
	AdminTodoApplications AdminTodoKind = "applications" // people who applied and wait for a group
)

// formingHorizon is how long before a programme's start its forming groups
// count as something to do.
const formingHorizon = 28 * 24 * time.Hour

// AdminTodoItem is one line of L&D's to-do list: a count of something to do,
// where (a group or programme name, when it is about one) and a link.
type AdminTodoItem struct {
	Kind  AdminTodoKind
	Count int64
	Name  string // the group or programme it is about, or ""
	Link  string
}

// AdminTodo lists what L&D has to do now, most pressing first: groups that
// break a composition rule, mails that failed, imports still running,
// groups still forming in a programme that starts within four weeks or
// has started, and applications waiting for a group. Only what is there
// is listed; admins only.
func AdminTodo(ctx context.Context, db *gorm.DB, v Viewer, today Date) ([]AdminTodoItem, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	db = db.WithContext(ctx)
	var out []AdminTodoItem
	breaking, err := GroupsBreakingRules(ctx, db, v)
	if err != nil {
		return nil, err
	}
	for _, g := range breaking {
		out = append(out, AdminTodoItem{Kind: AdminTodoRules, Count: 1, Name: g.Name, Link: fmt.Sprintf("/groups/%d", g.ID)})
	}
	var failed int64
	if err := db.Model(&MailDelivery{}).Where("status = ?", DeliveryFailed).Count(&failed).Error; err != nil {
		return nil, err
	}
	if failed > 0 {
		out = append(out, AdminTodoItem{Kind: AdminTodoMail, Count: failed, Link: "/mailbox"})
	}
	var running []ImportRun
	if err := db.Select("id, status, created_at").Where("status = ?", ImportRunning).
		Order("id DESC").Find(&running).Error; err != nil {
		return nil, err
	}
	if len(running) > 0 {
		out = append(out, AdminTodoItem{Kind: AdminTodoImport, Count: int64(len(running)),
			Link: fmt.Sprintf("/people/import/runs/%d", running[0].ID)})
	}
	type perProgramme struct {
		ID    uint
		Name  string
		Count int64
	}
	var forming []perProgramme
	if err := db.Table("mentor_groups g").Select("pr.id, pr.name, COUNT(*) AS count").
		Joins("JOIN programmes pr ON pr.id = g.programme_id").
		Where("g.status = ? AND pr.status <> ? AND pr.starts_on <= ?", GroupForming, ProgrammeClosed,
			Date{today.Add(formingHorizon)}).
		Group("pr.id, pr.name, pr.starts_on").Order("pr.starts_on, pr.id").Scan(&forming).Error; err != nil {
		return nil, err
	}
	for _, p := range forming {
		out = append(out, AdminTodoItem{Kind: AdminTodoForming, Count: p.Count, Name: p.Name, Link: fmt.Sprintf("/programmes/%d", p.ID)})
	}
	var waiting []perProgramme
	if err := db.Table("applications a").Select("pr.id, pr.name, COUNT(*) AS count").
		Joins("JOIN programmes pr ON pr.id = a.programme_id").
		Where("a.status = ? AND pr.status <> ?", ApplicationOpen, ProgrammeClosed).
		Group("pr.id, pr.name, pr.starts_on").Order("pr.starts_on, pr.id").Scan(&waiting).Error; err != nil {
		return nil, err
	}
	for _, p := range waiting {
		out = append(out, AdminTodoItem{Kind: AdminTodoApplications, Count: p.Count, Name: p.Name, Link: fmt.Sprintf("/programmes/%d/pool", p.ID)})
	}
	return out, nil
}
