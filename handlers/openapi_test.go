package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// TestOpenAPIDocument: the document at /api/v1/openapi.yaml is valid, has
// every API route of the router, and real responses of the API (answers and
// problems, for several roles) match it.
func TestOpenAPIDocument(t *testing.T) {
	a, db, srv := demo(t)
	anon := apptest.NewClient(t, srv)
	r := anon.Get("/api/v1/openapi.yaml")
	if r.Status != http.StatusOK {
		t.Fatalf("document: %d", r.Status)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid document: %v", err)
	}
	// Every route under /api/v1 is in the document.
	for _, rt := range a.Echo.Routes() {
		if !strings.HasPrefix(rt.Path, "/api/v1/") || strings.HasSuffix(rt.Path, "/*") || rt.Path == "/api/v1/openapi.yaml" || rt.Method == echo.RouteNotFound {
			continue
		}
		path := strings.TrimPrefix(rt.Path, "/api/v1")
		for _, p := range []string{":id"} {
			path = strings.ReplaceAll(path, p, "{id}")
		}
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(rt.Method) == nil {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, rt.Path)
		}
	}
	strict(doc)
	doc.Servers = openapi3.Servers{{URL: srv.URL + "/api/v1"}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	noord := groupID(t, db, "Groep Noord")
	ms := meetingIDs(t, db, noord)
	var talk models.OneOnOne
	db.Where("notes <> ''").First(&talk)
	var caseQ models.CaseQuestion
	db.First(&caseQ)
	sanneMembership := membershipOf(t, db, "mentee@demo.test")
	type call struct {
		who, method, path string
		body              any
	}
	calls := []call{
		{"admin@demo.test", "GET", "/api/v1/me", nil},
		{"admin@demo.test", "GET", "/api/v1/people?q=bakker", nil},
		{"admin@demo.test", "POST", "/api/v1/people", map[string]any{"name": "Nieuw", "email": "nieuw@demo.test"}},
		{"admin@demo.test", "POST", "/api/v1/people", map[string]any{"name": 3}},
		{"admin@demo.test", "GET", fmt.Sprintf("/api/v1/people/%d", sanneMembership.PersonID), nil},
		{"admin@demo.test", "GET", "/api/v1/programmes", nil},
		{"admin@demo.test", "POST", "/api/v1/programmes", map[string]any{"name": "Cohort 2028", "starts_on": "2028-01-10"}},
		{"admin@demo.test", "GET", fmt.Sprintf("/api/v1/groups/%d", noord), nil},
		{"admin@demo.test", "GET", fmt.Sprintf("/api/v1/groups/%d/meetings", noord), nil},
		{"admin@demo.test", "POST", fmt.Sprintf("/api/v1/groups/%d/members", noord), map[string]any{"person_id": personID(t, db, "emma.bos@demo.test"), "status": "active"}},
		{"admin@demo.test", "GET", "/api/v1/reports/participation?by=department", nil},
		{"manager@demo.test", "GET", "/api/v1/reports/participation", nil},
		{"mentor@demo.test", "GET", fmt.Sprintf("/api/v1/groups/%d", noord), nil},
		{"mentor@demo.test", "GET", fmt.Sprintf("/api/v1/meetings/%d", ms[2].ID), nil},
		{"mentor@demo.test", "POST", fmt.Sprintf("/api/v1/groups/%d/series/preview", noord), map[string]any{"first_on": "2027-03-02", "start_time": "14:00", "cadence_weeks": 4}},
		{"mentor@demo.test", "POST", fmt.Sprintf("/api/v1/groups/%d/series/preview", noord), map[string]any{"first_on": "2027-03-02", "start_time": "25:00"}},
		{"mentor@demo.test", "POST", fmt.Sprintf("/api/v1/groups/%d/series/preview", noord), map[string]any{"first_on": "2027-03-02", "start_time": "14:00", "weekday": 2}},
		{"mentor@demo.test", "PUT", fmt.Sprintf("/api/v1/meetings/%d/attendance", ms[3].ID), map[string]any{"attendance": map[string]string{fmt.Sprint(sanneMembership.PersonID): "present"}}},
		{"mentor@demo.test", "PUT", fmt.Sprintf("/api/v1/memberships/%d/status", sanneMembership.ID), map[string]any{"status": "frozen", "reason": "Lange reis"}},
		{"mentee@demo.test", "GET", fmt.Sprintf("/api/v1/groups/%d", noord), nil},
		{"mentee@demo.test", "GET", fmt.Sprintf("/api/v1/groups/%d/poll", noord), nil},
		{"mentee@demo.test", "GET", "/api/v1/one-on-ones", nil},
		{"mentee@demo.test", "GET", fmt.Sprintf("/api/v1/one-on-ones/%d", talk.ID), nil},
		{"mentee@demo.test", "GET", "/api/v1/goals", nil},
		{"mentee@demo.test", "POST", fmt.Sprintf("/api/v1/groups/%d/goals", noord), map[string]any{"what": "Beter plannen"}},
		{"mentee@demo.test", "GET", fmt.Sprintf("/api/v1/groups/%d/cases", noord), nil},
		{"mentee@demo.test", "POST", fmt.Sprintf("/api/v1/groups/%d/cases", noord), map[string]any{"title": "Vraag", "question": "Hoe?", "visibility": "group"}},
		{"mentee@demo.test", "GET", fmt.Sprintf("/api/v1/cases/%d", caseQ.ID), nil},
		{"mentee@demo.test", "GET", "/api/v1/people", nil},
		{"noor.dekker@demo.test", "GET", fmt.Sprintf("/api/v1/meetings/%d", ms[2].ID), nil},
		{"", "GET", "/api/v1/me", nil},
		{"", "POST", "/api/v1/password/forgot", map[string]any{"email": "niemand@demo.test"}},
		{"", "POST", "/api/v1/password/forgot", map[string]any{"email": "geen adres"}},
		{"mentor@demo.test", "PUT", "/api/v1/me/password", map[string]any{"current_password": "fout", "password": "zeven blauwe fietsen", "password_confirm": "zeven blauwe fietsen"}},
		{"admin@demo.test", "POST", fmt.Sprintf("/api/v1/people/%d/invitation", personID(t, db, "mentee@demo.test")), nil},
		{"admin@demo.test", "POST", fmt.Sprintf("/api/v1/people/%d/reset-access", personID(t, db, "noor.dekker@demo.test")), nil},
		{"", "POST", "/api/v1/session", map[string]any{"email": "mentor@demo.test", "password": "demo-demo"}},
	}
	clients := map[string]*apptest.Client{"": anon}
	for _, c := range calls {
		cl, ok := clients[c.who]
		if !ok {
			cl = as(t, srv, c.who)
			clients[c.who] = cl
		}
		resp := cl.JSON(c.method, c.path, "", c.body)
		if resp.Status >= 500 {
			t.Fatalf("%s %s: %d", c.method, c.path, resp.Status)
		}
		req, _ := http.NewRequest(c.method, srv.URL+c.path, bytes.NewReader(nil))
		req.Header.Set("Content-Type", "application/json")
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s: no route in the document: %v", c.method, c.path, err)
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
			Status: resp.Status, Header: resp.Header, Body: io.NopCloser(strings.NewReader(resp.Body)),
			Options: &openapi3filter.Options{IncludeResponseStatus: true},
		}
		if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
			t.Errorf("%s %s (%s): response does not match the document: %v\n%.300s", c.method, c.path, c.who, err, resp.Body)
		}
	}
}

// strict makes every object schema that lists its properties refuse other
// ones, so a handler that returns an undeclared field fails the test.
func strict(doc *openapi3.T) {
	no := false
	seen := map[*openapi3.Schema]bool{}
	var walk func(s *openapi3.Schema)
	walk = func(s *openapi3.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			s.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
		}
		for _, p := range s.Properties {
			walk(p.Value)
		}
		if s.Items != nil {
			walk(s.Items.Value)
		}
		for _, a := range s.AllOf {
			walk(a.Value)
		}
		if s.AdditionalProperties.Schema != nil {
			walk(s.AdditionalProperties.Schema.Value)
		}
	}
	for _, s := range doc.Components.Schemas {
		walk(s.Value)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for _, mt := range r.Value.Content {
					if mt.Schema != nil {
						walk(mt.Schema.Value)
					}
				}
			}
		}
	}
}
