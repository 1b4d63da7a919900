package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"crossmentor/handlers"
	"crossmentor/models"
)

// TestUnstorableTextIsRefused: a NUL byte or invalid UTF-8 in a query
// string, a JSON body or a form answers 400 with a message on both
// databases, and stores nothing.
func TestUnstorableTextIsRefused(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	before := count(t, db, &models.Programme{})
	for _, tc := range []struct {
		name, method, path string
		body               any
	}{
		{"NUL in a query", "GET", "/api/v1/people?q=%00", nil},
		{"invalid UTF-8 in a query", "GET", "/api/v1/people?q=%ff%fe", nil},
		{"NUL in a query name", "GET", "/api/v1/people?%00=1", nil},
		{"escaped NUL in JSON", "POST", "/api/v1/programmes", `{"name": "Cohort\u0000", "starts_on": "2028-01-10"}`},
		{"raw NUL in JSON", "POST", "/api/v1/programmes", "{\"name\": \"Cohort\x00\", \"starts_on\": \"2028-01-10\"}"},
		{"invalid UTF-8 in JSON", "POST", "/api/v1/programmes", "{\"name\": \"Cohort\xff\", \"starts_on\": \"2028-01-10\"}"},
		{"NUL in a page's query", "GET", "/people?q=%00", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := admin.JSON(tc.method, tc.path, "", tc.body)
			if r.Status != http.StatusBadRequest {
				t.Fatalf("%d, want 400: %s", r.Status, r.Body)
			}
			if strings.HasPrefix(tc.path, "/api/") && !strings.Contains(r.Body, "UTF-8") {
				t.Fatalf("no message: %s", r.Body)
			}
		})
	}
	r := admin.PostForm("/programmes", url.Values{"name": {"Cohort\x00"}, "starts_on": {"2028-01-10"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "UTF-8") {
		t.Fatalf("form with NUL: %d", r.Status)
	}
	if after := count(t, db, &models.Programme{}); after != before {
		t.Fatalf("%d programmes stored", after-before)
	}
	// Ordinary text, accents and emoji included, passes.
	ok := admin.JSON("GET", "/api/v1/people?q="+url.QueryEscape("é😀"), "", nil)
	if ok.Status != http.StatusOK {
		t.Fatalf("valid text: %d", ok.Status)
	}
}

// TestDecimal: numbers are written the way the page's language writes them.
func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		lang   string
		x      float64
		places int
		want   string
	}{{"nl", 2.5, 1, "2,5"}, {"en", 2.5, 1, "2.5"}, {"nl", 3.44, 1, "3,4"}, {"nl", 1234.5, 1, "1.234,5"}, {"en", 6, 0, "6"}} {
		if got := (handlers.View{Lang: c.lang}).Decimal(c.x, c.places); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.lang, c.x, got, c.want)
		}
	}
}
