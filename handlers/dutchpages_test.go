package handlers_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// englishWords are words a Dutch page never shows: English UI words that
// are no Dutch words too.
var englishWords = []string{"the", "and", "with", "warning", "broken", "save", "cancel", "delete", "search",
	"previous", "submit", "choose", "none", "close", "show", "members", "meeting", "meetings", "groups",
	"people", "person", "goal", "goals", "settings", "password", "sign", "outcome",
	"active", "forming", "open", "closed", "pending", "failed", "running", "yes", "today", "month"}

var (
	tagOrComment = regexp.MustCompile(`(?s)<!--.*?-->|<script.*?</script>|<style.*?</style>|<[^>]*>`)
	spokenAttr   = regexp.MustCompile(`(?:aria-label|title|alt|placeholder)="([^"]*)"`)
	rawKey       = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+\.?$`)
)

// readText is what a person reads or hears of a page: its text and the
// attributes screen readers speak.
func readText(body string) string {
	var b strings.Builder
	for _, m := range spokenAttr.FindAllStringSubmatch(body, -1) {
		b.WriteString(html.UnescapeString(m[1]) + "\n")
	}
	b.WriteString(html.UnescapeString(tagOrComment.ReplaceAllString(body, " ")))
	return b.String()
}

// TestDutchPagesReadDutch: the pages each role sees in Dutch hold no
// English word of the list and no raw message id ("import.outcome.").
func TestDutchPagesReadDutch(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	pages := map[string][]string{
		"admin@demo.test":   {"/", "/people", "/programmes", "/audit", "/settings", "/account", "/mailbox", fmt.Sprintf("/groups/%d", noord), "/people/import"},
		"mentor@demo.test":  {"/", fmt.Sprintf("/groups/%d", noord), fmt.Sprintf("/groups/%d/series", noord), "/account"},
		"mentee@demo.test":  {"/", "/consents", fmt.Sprintf("/groups/%d", noord), fmt.Sprintf("/groups/%d/goals", noord), "/input"},
		"manager@demo.test": {"/"},
	}
	for who, paths := range pages {
		c := as(t, srv, who)
		for _, path := range paths {
			r := c.Get(path)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: %d", who, path, r.Status)
				continue
			}
			text := readText(r.Body)
			for _, word := range strings.FieldsFunc(text, func(r rune) bool {
				return !(r == '.' || r == '_' || r == '-' || r == '@' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
			}) {
				lower := strings.ToLower(strings.Trim(word, ".-"))
				for _, en := range englishWords {
					if lower == en {
						t.Errorf("%s %s: English word %q", who, path, word)
					}
				}
				if strings.Contains(word, ".") && !strings.Contains(word, "@") && rawKey.MatchString(word) && !strings.HasSuffix(word, ".csv") && !strings.HasSuffix(word, ".ics") {
					t.Errorf("%s %s: raw message id %q", who, path, word)
				}
			}
		}
	}
}
