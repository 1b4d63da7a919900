package models

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net/mail"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// ImportColumn is a field an HR export can fill.
type ImportColumn string

// Import columns.
const (
	ColName         ImportColumn = "name"
	ColEmail        ImportColumn = "email"
	ColTeam         ImportColumn = "team"
	ColDiscipline   ImportColumn = "discipline"
	ColManagerEmail ImportColumn = "manager_email"
	ColProjects     ImportColumn = "projects"
	ColFirstName    ImportColumn = "first_name"
	ColLastName     ImportColumn = "last_name"
)

// ImportColumns lists the fields in form order.
var ImportColumns = []ImportColumn{ColName, ColFirstName, ColLastName, ColEmail, ColTeam, ColDiscipline, ColManagerEmail, ColProjects}

// headerNames are the Dutch and English headers recognised for each field.
var headerNames = map[ImportColumn][]string{
	ColName:         {"name", "naam", "volledige naam", "full name"},
	ColEmail:        {"email", "e-mail", "emailadres", "e-mailadres", "mail"},
	ColTeam:         {"team", "afdeling", "department"},
	ColDiscipline:   {"discipline", "vakdiscipline", "vakgebied"},
	ColManagerEmail: {"manager", "manager_email", "manager email", "manager e-mail", "leidinggevende", "e-mail leidinggevende", "leidinggevende e-mail"},
	ColProjects:     {"projects", "projecten", "project"},
	// BambooHR, Personio and AFAS export first and last names apart.
	ColFirstName: {"first name", "firstname", "first_name", "voornaam", "roepnaam"},
	ColLastName:  {"last name", "lastname", "last_name", "surname", "achternaam", "volledige achternaam"},
}

// ImportMapping says which column of the file fills which field (-1: none).
type ImportMapping map[ImportColumn]int

// Col is the column that fills c, or -1 (also for a mapping stored before
// c existed).
func (m ImportMapping) Col(c ImportColumn) int {
	if i, ok := m[c]; ok {
		return i
	}
	return -1
}

// hasName reports whether the mapping gives each row a name: a name
// column, or first and last name columns.
func (m ImportMapping) hasName() bool {
	return m.Col(ColName) >= 0 || m.Col(ColFirstName) >= 0 && m.Col(ColLastName) >= 0
}

// ImportOutcome is what applying a row does.
type ImportOutcome string

// Import outcomes.
const (
	ImportCreate    ImportOutcome = "create"
	ImportUpdate    ImportOutcome = "update"
	ImportUnchanged ImportOutcome = "unchanged"
	ImportRefused   ImportOutcome = "refused"
)

// ImportRow is one row of the file as read.
type ImportRow struct {
	Line         int
	Name         string
	Email        string
	Team         string
	Discipline   string
	ManagerEmail string
	Projects     []string
	Outcome      ImportOutcome
	Reason       string // why a row is refused: a message id suffix
	Fields       int    // fields read on the line
}

// ImportReport is the dry run of an import, or what applying it did.
type ImportReport struct {
	Headers  []string
	Mapping  ImportMapping
	Rows     []ImportRow
	Counts   map[string]int // by outcome
	Encoding string         // as DecodeImport names it
	// NewTeams and NewProjects are the names the file would create, each
	// with the closest existing name; applying needs a confirmation.
	NewTeams, NewProjects []NewName
	// Missing are the people not in a file marked as a complete export:
	// perhaps leavers. Nobody is removed; they are shown.
	Missing []PersonChoice
}

// NewName is a team or project name that does not exist yet, with the
// existing name closest to it ("" when none is close).
type NewName struct {
	Name, Closest string
}

// ImportOptions are the choices of the import form.
type ImportOptions struct {
	Complete   bool // the file holds everyone: flag who is missing
	ConfirmNew bool // create the new teams and projects the preview named
}

// ErrEmptyImport is a file without rows.
var ErrEmptyImport = errors.New("no rows")

// ParseCSV reads an HR export (see readImport): its header and records.
func ParseCSV(data []byte) ([]string, [][]string, error) {
	f, err := readImport(data)
	if err != nil {
		return nil, nil, err
	}
	return f.Headers, f.Records, nil
}

// GuessMapping maps the headers it recognises.
func GuessMapping(headers []string) ImportMapping {
	m := ImportMapping{}
	for _, col := range ImportColumns {
		m[col] = -1
		for i, h := range headers {
			for _, name := range headerNames[col] {
				if strings.EqualFold(strings.TrimSpace(h), name) {
					m[col] = i
				}
			}
		}
	}
	return m
}

// cell is field i of rec, cleaned; the quote the export puts before a
// value starting with = + - @ (so spreadsheets do not run it) is taken off
// again, so an export imports unchanged.
func cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	v := CleanText(rec[i])
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
		v = v[1:]
	}
	return v
}

// readRows turns records into rows by the mapping.
func readRows(records [][]string, m ImportMapping) []ImportRow {
	lines := make([]int, len(records))
	for i := range lines {
		lines[i] = i + 2
	}
	return readRowsOf(importFile{Records: records, Lines: lines}, m)
}

// readRowsOf turns a file's records into rows by the mapping. A record
// with more or fewer fields than the header is refused: its columns
// cannot be trusted to be the ones mapped.
func readRowsOf(f importFile, m ImportMapping) []ImportRow {
	rows := make([]ImportRow, 0, len(f.Records))
	for i, rec := range f.Records {
		name := cell(rec, m.Col(ColName))
		if name == "" {
			name = strings.TrimSpace(cell(rec, m.Col(ColFirstName)) + " " + cell(rec, m.Col(ColLastName)))
		}
		r := ImportRow{Line: f.Lines[i], Name: name, Email: NormalizeEmail(cell(rec, m.Col(ColEmail))),
			Team: cell(rec, m.Col(ColTeam)), Discipline: cell(rec, m.Col(ColDiscipline)),
			ManagerEmail: NormalizeEmail(cell(rec, m.Col(ColManagerEmail))), Fields: len(rec)}
		if f.Headers != nil && len(rec) != len(f.Headers) {
			r.Outcome, r.Reason = ImportRefused, "fields"
		}
		for _, p := range strings.FieldsFunc(cell(rec, m.Col(ColProjects)), func(c rune) bool { return c == '|' || c == ',' || c == ';' }) {
			if p = strings.TrimSpace(p); p != "" {
				r.Projects = append(r.Projects, p)
			}
		}
		sort.Strings(r.Projects)
		rows = append(rows, r)
	}
	return rows
}

// importState is what the database holds that an import compares with.
type importState struct {
	people   map[string]Person // by email
	teams    map[uint]string
	projects map[uint][]string // person id → current project names
}

func loadImportState(tx *gorm.DB) (importState, error) {
	st := importState{people: map[string]Person{}, teams: map[uint]string{}, projects: map[uint][]string{}}
	var people []Person
	if err := tx.Select("id", "name", "email", "team_id", "discipline", "manager_id").Find(&people).Error; err != nil {
		return st, err
	}
	for _, p := range people {
		st.people[p.Email] = p
	}
	var teams []Team
	if err := tx.Find(&teams).Error; err != nil {
		return st, err
	}
	for _, t := range teams {
		st.teams[t.ID] = t.Name
	}
	var assigned []struct {
		PersonID uint
		Name     string
	}
	if err := tx.Model(&Assignment{}).Select("assignments.person_id, p.name").Joins("JOIN projects p ON p.id = assignments.project_id").
		Scan(&assigned).Error; err != nil {
		return st, err
	}
	for _, a := range assigned {
		st.projects[a.PersonID] = append(st.projects[a.PersonID], a.Name)
	}
	return st, nil
}

// plan decides each row's outcome against the database and the file.
func plan(rows []ImportRow, st importState, m ImportMapping) map[string]int {
	counts := map[string]int{}
	seen := map[string]int{}
	inFile := map[string]bool{}
	for _, r := range rows {
		inFile[r.Email] = true
	}
	byID := map[uint]Person{}
	for _, p := range st.people {
		byID[p.ID] = p
	}
	for i := range rows {
		r := &rows[i]
		switch {
		case r.Outcome == ImportRefused: // decided while reading
		case r.Name == "" || len(r.Name) > 200:
			r.Outcome, r.Reason = ImportRefused, "name"
		case !validEmail(r.Email):
			r.Outcome, r.Reason = ImportRefused, "email"
		case seen[r.Email] > 0:
			r.Outcome, r.Reason = ImportRefused, "duplicate"
		case r.ManagerEmail != "" && (r.ManagerEmail == r.Email || (!inFile[r.ManagerEmail] && st.people[r.ManagerEmail].ID == 0)):
			r.Outcome, r.Reason = ImportRefused, "manager"
		case len(r.Team) > 200 || len(r.Discipline) > 100:
			r.Outcome, r.Reason = ImportRefused, "too_long"
		default:
			p, exists := st.people[r.Email]
			switch {
			case !exists:
				r.Outcome = ImportCreate
			case changed(*r, p, st, byID, m):
				r.Outcome = ImportUpdate
			default:
				r.Outcome = ImportUnchanged
			}
		}
		seen[r.Email] = r.Line
		counts[string(r.Outcome)]++
	}
	return counts
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254
}

// changed reports whether a row differs from the stored person in the
// columns the file has.
func changed(r ImportRow, p Person, st importState, byID map[uint]Person, m ImportMapping) bool {
	team := ""
	if p.TeamID != nil {
		team = st.teams[*p.TeamID]
	}
	manager := ""
	if p.ManagerID != nil {
		manager = byID[*p.ManagerID].Email
	}
	current := append([]string(nil), st.projects[p.ID]...)
	missing := false
	for _, want := range r.Projects {
		found := false
		for _, have := range current {
			found = found || strings.EqualFold(have, want)
		}
		missing = missing || !found
	}
	has := func(c ImportColumn) bool { return m.Col(c) >= 0 }
	return p.Name != r.Name || (has(ColTeam) && team != r.Team) || (has(ColDiscipline) && p.Discipline != r.Discipline) ||
		(has(ColManagerEmail) && manager != r.ManagerEmail) || (has(ColProjects) && missing)
}

// PlanImport is the dry run: what applying the file would do, row by row.
func PlanImport(ctx context.Context, db *gorm.DB, v Viewer, data []byte, m ImportMapping) (ImportReport, error) {
	return PlanImportWith(ctx, db, v, data, m, ImportOptions{})
}

// PlanImportWith is PlanImport with the form's options: the people missing
// from a complete export are listed.
func PlanImportWith(ctx context.Context, db *gorm.DB, v Viewer, data []byte, m ImportMapping, opts ImportOptions) (ImportReport, error) {
	if !v.Can(OrgManage) {
		return ImportReport{}, ErrNotFound
	}
	f, err := readImport(data)
	if err != nil {
		return ImportReport{Encoding: f.Encoding}, err
	}
	if m == nil {
		m = GuessMapping(f.Headers)
	}
	rep := ImportReport{Headers: f.Headers, Mapping: m, Rows: readRowsOf(f, m), Encoding: f.Encoding}
	if !m.hasName() || m.Col(ColEmail) < 0 {
		return rep, fieldErr("mapping", "mapping_needed")
	}
	st, err := loadImportState(db.WithContext(ctx))
	if err != nil {
		return rep, err
	}
	rep.Counts = plan(rep.Rows, st, m)
	if rep.NewTeams, rep.NewProjects, err = newNames(ctx, db, rep.Rows, st); err != nil {
		return rep, err
	}
	if opts.Complete {
		inFile := map[string]bool{}
		for _, r := range rep.Rows {
			inFile[r.Email] = true
		}
		for email, p := range st.people {
			if !inFile[email] && !strings.HasSuffix(email, "@invalid") {
				rep.Missing = append(rep.Missing, PersonChoice{ID: p.ID, Name: p.Name, Email: p.Email})
			}
		}
		sort.Slice(rep.Missing, func(i, j int) bool { return rep.Missing[i].Name < rep.Missing[j].Name })
	}
	return rep, nil
}

// ApplyImport applies the file in one transaction: new people are created,
// changed ones updated, teams and projects made as needed, project
// assignments added from today. Refused rows are skipped. Applying the
// same file again changes nothing.
func ApplyImport(ctx context.Context, db *gorm.DB, v Viewer, data []byte, m ImportMapping, today Date) (ImportReport, error) {
	return applyImport(ctx, db, v, data, m, today, nil)
}

// applyImport is ApplyImport that reports, every hundred rows, how many
// of the rows to write are written.
func applyImport(ctx context.Context, db *gorm.DB, v Viewer, data []byte, m ImportMapping, today Date, progress func(done, total int)) (ImportReport, error) {
	var rep ImportReport
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if rep, err = PlanImport(ctx, tx, v, data, m); err != nil {
			return err
		}
		m = rep.Mapping
		st, err := loadImportState(tx)
		if err != nil {
			return err
		}
		teamIDs := map[string]uint{}
		for id, name := range st.teams {
			teamIDs[strings.ToLower(name)] = id
		}
		teamID := func(name string) (*uint, error) {
			if name == "" {
				return nil, nil
			}
			if id, ok := teamIDs[strings.ToLower(name)]; ok {
				return &id, nil
			}
			t := Team{Name: name}
			if err := tx.Create(&t).Error; err != nil {
				return nil, err
			}
			teamIDs[strings.ToLower(name)] = t.ID
			return &t.ID, nil
		}
		ids := map[string]uint{}
		for email, p := range st.people {
			ids[email] = p.ID
		}
		writes := 2 * (rep.Counts[string(ImportCreate)] + rep.Counts[string(ImportUpdate)])
		done := 0
		step := func() {
			if done++; progress != nil && (done%100 == 0 || done == writes) {
				progress(done, writes)
			}
		}
		// People first, then managers (who may be new in the same file), then projects.
		for _, r := range rep.Rows {
			if r.Outcome != ImportCreate && r.Outcome != ImportUpdate {
				continue
			}
			step()
			tid, err := teamID(r.Team)
			if err != nil {
				return err
			}
			if r.Outcome == ImportCreate {
				p := Person{Name: r.Name, Email: r.Email, TeamID: tid, Discipline: r.Discipline, Language: "nl"}
				if err := tx.Create(&p).Error; err != nil {
					return err
				}
				ids[r.Email] = p.ID
				continue
			}
			changes := map[string]any{"name": r.Name}
			if m.Col(ColTeam) >= 0 {
				changes["team_id"] = tid
			}
			if m.Col(ColDiscipline) >= 0 {
				changes["discipline"] = r.Discipline
			}
			if err := tx.Model(&Person{}).Where("id = ?", ids[r.Email]).Updates(changes).Error; err != nil {
				return err
			}
		}
		for _, r := range rep.Rows {
			if r.Outcome != ImportCreate && r.Outcome != ImportUpdate {
				continue
			}
			step()
			if m.Col(ColManagerEmail) >= 0 {
				var manager any
				if r.ManagerEmail != "" {
					manager = ids[r.ManagerEmail]
				}
				if err := tx.Model(&Person{}).Where("id = ?", ids[r.Email]).Update("manager_id", manager).Error; err != nil {
					return err
				}
			}
			for _, name := range r.Projects {
				project, err := ProjectByName(ctx, tx, name)
				if err != nil {
					return err
				}
				var n int64
				tx.Model(&Assignment{}).Where("person_id = ? AND project_id = ?", ids[r.Email], project.ID).Count(&n)
				if n == 0 {
					if err := tx.Create(&Assignment{PersonID: ids[r.Email], ProjectID: project.ID, StartsOn: today}).Error; err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	return rep, err
}

// ExportPeople writes everyone as CSV with the same headers the import reads.
func ExportPeople(ctx context.Context, db *gorm.DB, v Viewer, w io.Writer) error {
	if !v.Can(OrgManage) {
		return ErrNotFound
	}
	tx := db.WithContext(ctx)
	st, err := loadImportState(tx)
	if err != nil {
		return err
	}
	byID := map[uint]Person{}
	for _, p := range st.people {
		byID[p.ID] = p
	}
	people := make([]Person, 0, len(st.people))
	for _, p := range st.people {
		if !strings.HasSuffix(p.Email, "@invalid") {
			people = append(people, p)
		}
	}
	sort.Slice(people, func(i, j int) bool { return people[i].Name < people[j].Name })
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"name", "email", "team", "discipline", "manager_email", "projects"}); err != nil {
		return err
	}
	for _, p := range people {
		team, manager := "", ""
		if p.TeamID != nil {
			team = st.teams[*p.TeamID]
		}
		if p.ManagerID != nil {
			manager = byID[*p.ManagerID].Email
		}
		projects := append([]string(nil), st.projects[p.ID]...)
		sort.Strings(projects)
		if err := cw.Write([]string{csvSafe(p.Name), p.Email, csvSafe(team), csvSafe(p.Discipline), manager, csvSafe(strings.Join(projects, "|"))}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
