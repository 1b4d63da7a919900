package models

import (
	"context"
	"fmt"
	"strings"
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
// is listed, read in one statement; admins only.
func AdminTodo(ctx context.Context, db *gorm.DB, v Viewer, today Date) ([]AdminTodoItem, error) {
	if !v.Can(OrgManage) {
		return nil, ErrNotFound
	}
	// One statement: each kind is a part of the union, ranked by urgency.
	var rows []struct {
		Rank  int
		Kind  AdminTodoKind
		Ref   uint
		Name  string
		Count int64
		Sort  string
	}
	err := db.WithContext(ctx).Raw(`
		SELECT 0 AS rank, 'rules' AS kind, g.id AS ref, g.name AS name, 1 AS count, g.name AS sort
		FROM mentor_groups g WHERE g.rules_broken = ?
		UNION ALL SELECT 1, 'mail', 0, '', COUNT(*), '' FROM mail_deliveries WHERE status = ? HAVING COUNT(*) > 0
		UNION ALL SELECT 2, 'import', MAX(id), '', COUNT(*), '' FROM import_runs WHERE status = ? HAVING COUNT(*) > 0
		UNION ALL SELECT 3, 'forming', pr.id, pr.name, COUNT(*), CAST(pr.starts_on AS TEXT)
		FROM mentor_groups g JOIN programmes pr ON pr.id = g.programme_id
		WHERE g.status = ? AND pr.status <> ? AND pr.starts_on <= ?
		GROUP BY pr.id, pr.name, pr.starts_on
		UNION ALL SELECT 4, 'applications', pr.id, pr.name, COUNT(*), CAST(pr.starts_on AS TEXT)
		FROM applications a JOIN programmes pr ON pr.id = a.programme_id
		WHERE a.status = ? AND pr.status <> ?
		GROUP BY pr.id, pr.name, pr.starts_on
		ORDER BY 1, 6, 3`,
		true, DeliveryFailed, ImportRunning,
		GroupForming, ProgrammeClosed, Date{today.Add(formingHorizon)},
		ApplicationOpen, ProgrammeClosed).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	links := map[AdminTodoKind]string{AdminTodoRules: "/groups/%d", AdminTodoMail: "/mailbox",
		AdminTodoImport: "/people/import/runs/%d", AdminTodoForming: "/programmes/%d", AdminTodoApplications: "/programmes/%d/pool"}
	out := make([]AdminTodoItem, 0, len(rows))
	for _, r := range rows {
		link := links[r.Kind]
		if strings.Contains(link, "%d") {
			link = fmt.Sprintf(link, r.Ref)
		}
		out = append(out, AdminTodoItem{Kind: r.Kind, Count: r.Count, Name: r.Name, Link: link})
	}
	return out, nil
}
