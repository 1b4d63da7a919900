package models

import (
	"context"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"
)

// newNames lists the teams and projects that applying rows would create,
// each with the closest existing name, so the preview can ask first (a
// misspelt "Financien" is most likely "Financiën").
func newNames(ctx context.Context, db *gorm.DB, rows []ImportRow, st importState) (teams, projects []NewName, err error) {
	var projectNames []string
	if err := db.WithContext(ctx).Model(&Project{}).Order("name").Pluck("name", &projectNames).Error; err != nil {
		return nil, nil, err
	}
	teamNames := make([]string, 0, len(st.teams))
	for _, name := range st.teams {
		teamNames = append(teamNames, name)
	}
	sort.Strings(teamNames)
	seenTeam, seenProject := map[string]bool{}, map[string]bool{}
	for _, r := range rows {
		if r.Outcome != ImportCreate && r.Outcome != ImportUpdate {
			continue
		}
		if r.Team != "" && !seenTeam[strings.ToLower(r.Team)] && !hasFold(teamNames, r.Team) {
			seenTeam[strings.ToLower(r.Team)] = true
			teams = append(teams, NewName{Name: r.Team, Closest: closest(r.Team, teamNames)})
		}
		for _, p := range r.Projects {
			if !seenProject[strings.ToLower(p)] && !hasFold(projectNames, p) {
				seenProject[strings.ToLower(p)] = true
				projects = append(projects, NewName{Name: p, Closest: closest(p, projectNames)})
			}
		}
	}
	return teams, projects, nil
}

func hasFold(names []string, name string) bool {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// closest is the name nearest to name by edit distance, ignoring case and
// accents, when it is near enough to be a likely misspelling; else "".
func closest(name string, names []string) string {
	best, bestD := "", -1
	key := foldName(name)
	for _, n := range names {
		d := editDistance(key, foldName(n))
		if bestD < 0 || d < bestD {
			best, bestD = n, d
		}
	}
	if bestD < 0 || bestD > max(2, len([]rune(key))/3) {
		return ""
	}
	return best
}

// foldName lowers a name and drops its accents ("Financiën" → "financien").
func foldName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r < 0x300 || r > 0x36f { // combining diacritical marks
			b.WriteRune(r)
		}
	}
	return b.String()
}

// editDistance is the Levenshtein distance of a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
