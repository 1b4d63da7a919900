package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"crossmentor/models"
)

// TestActionDoneBox: an action item's done box is a real checkbox for
// assistive technology, unchecked while open and checked once ticked.
func TestActionDoneBox(t *testing.T) {
	_, db, srv := demo(t)
	noord := groupID(t, db, "Groep Noord")
	var a models.ActionItem
	if err := db.Where("group_id = ? AND done_at IS NULL", noord).Order("id").First(&a).Error; err != nil {
		t.Fatalf("an open action item in the demo: %v", err)
	}
	c := as(t, srv, "mentor@demo.test")
	page := fmt.Sprintf("/groups/%d/calendar", noord)
	box := func() string {
		r := c.Get(page)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", page, r.Status)
		}
		re := regexp.MustCompile(fmt.Sprintf(`(?s)action="/actions/%d/toggle"[^>]*>.*?<button[^>]*role="checkbox" aria-checked="(true|false)"`, a.ID))
		m := re.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no checkbox for action %d on %s", a.ID, page)
		}
		return m[1]
	}
	if got := box(); got != "false" {
		t.Fatalf("open action: aria-checked=%s", got)
	}
	if r := c.PostForm(fmt.Sprintf("/actions/%d/toggle", a.ID), url.Values{}); r.Status >= 400 {
		t.Fatalf("toggle: %d", r.Status)
	}
	if got := box(); got != "true" {
		t.Fatalf("ticked action: aria-checked=%s", got)
	}
}
