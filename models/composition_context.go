package models

import "gorm.io/gorm"

// contextRow is one fact about a mentee that the composition rules weigh,
// by kind: a line manager (Ref), a project assignment (Ref is the
// assignment; its creation time is not read) or another group of the
// programme.
type contextRow struct {
	Kind      string
	PersonID  uint
	Ref       uint
	Ord       uint   // the manager's place up the chain, the assignment's id, 0 for groups
	Name      string // the project's or the other group's
	ProjectID uint
	StartsOn  *Date
	EndsOn    *Date
}

// Kinds of contextRow, written into the statement.
const (
	contextManager = "manager"
	contextProject = "project"
	contextGroup   = "group"
)

// fillMenteeContexts loads what the rules weigh beyond the person of all
// mentees at once, in one statement however many mentees: their chains of
// line managers, their projects and their other active groups in the
// programme.
func fillMenteeContexts(tx *gorm.DB, mentees []CompositionMentee, g MentorGroup) error {
	if len(mentees) == 0 {
		return nil
	}
	ids := make([]uint, len(mentees))
	for i, m := range mentees {
		ids[i] = m.PersonID
	}
	var rows []contextRow
	err := tx.Raw(`WITH RECURSIVE chain(person_id, manager_id, depth) AS (
			SELECT id, manager_id, 1 FROM people WHERE id IN @ids AND manager_id IS NOT NULL
			UNION ALL
			SELECT c.person_id, p.manager_id, c.depth + 1 FROM chain c JOIN people p ON p.id = c.manager_id
			WHERE p.manager_id IS NOT NULL AND c.depth < 30)
		SELECT '`+contextManager+`' AS kind, person_id, manager_id AS ref, depth AS ord, '' AS name, 0 AS project_id,
			NULL AS starts_on, NULL AS ends_on FROM chain
		UNION ALL
		SELECT '`+contextProject+`', a.person_id, a.id, a.id, pr.name, a.project_id, a.starts_on, a.ends_on
			FROM assignments a JOIN projects pr ON pr.id = a.project_id WHERE a.person_id IN @ids
		UNION ALL
		SELECT '`+contextGroup+`', m.person_id, g.id, 0, g.name, 0, NULL, NULL
			FROM mentor_groups g JOIN memberships m ON m.group_id = g.id
			WHERE m.person_id IN @ids AND m.status = @active AND g.programme_id = @programme AND g.id <> @this
		ORDER BY 1, 2, 4, 5`,
		map[string]any{"ids": ids, "active": StatusActive, "programme": g.ProgrammeID, "this": g.ID}).Scan(&rows).Error
	if err != nil {
		return err
	}
	index := make(map[uint]*CompositionMentee, len(mentees))
	for i := range mentees {
		m := &mentees[i]
		m.Managers, m.Assignments, m.OtherGroups = nil, nil, nil
		index[m.PersonID] = m
	}
	for _, r := range rows {
		m := index[r.PersonID]
		if m == nil {
			continue
		}
		switch r.Kind {
		case contextManager:
			m.Managers = append(m.Managers, r.Ref)
		case contextProject:
			a := Assignment{ID: r.Ref, PersonID: r.PersonID, ProjectID: r.ProjectID, Project: Project{ID: r.ProjectID, Name: r.Name}}
			if r.StartsOn != nil {
				a.StartsOn = *r.StartsOn
			}
			if r.EndsOn != nil {
				a.EndsOn = *r.EndsOn
			}
			m.Assignments = append(m.Assignments, a)
		case contextGroup:
			m.OtherGroups = append(m.OtherGroups, r.Name)
		}
	}
	return nil
}
