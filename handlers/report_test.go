package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"crossmentor/models"
)

// TestParticipationReport: managers and L&D get totals only; no name,
// email or text of a mentee ever reaches them; small figures are hidden.
func TestParticipationReport(t *testing.T) {
	_, db, srv := demo(t)
	var people []models.Person
	db.Find(&people)
	for _, email := range []string{"manager@demo.test", "admin@demo.test"} {
		c := as(t, srv, email)
		for _, by := range []string{"programme", "department"} {
			r := c.JSON(http.MethodGet, "/api/v1/reports/participation?by="+by+"&from=2026-01-01&to=2027-12-31", "", nil)
			if r.Status != http.StatusOK {
				t.Fatalf("%s by %s: %d %s", email, by, r.Status, r.Body)
			}
			page := c.Get("/reports/participation?by=" + by)
			for _, p := range people {
				for _, body := range []string{r.Body, page.Body} {
					if strings.Contains(body, p.Email) || (p.Email != "admin@demo.test" && p.Email != "manager@demo.test" && strings.Contains(body, p.Name)) {
						t.Errorf("%s by %s: report shows %s", email, by, p.Name)
					}
				}
			}
			for _, secret := range []string{"leveranciers", "dashboard dat niemand", "drukke weken", "Groep Noord"} {
				if strings.Contains(r.Body, secret) || strings.Contains(page.Body, secret) {
					t.Errorf("%s by %s: report shows %q", email, by, secret)
				}
			}
			var rep models.ParticipationReport
			r.Decode(t, &rep)
			for _, row := range append(rep.Rows, rep.Total) {
				if !row.Participants.Suppressed && row.Participants.Value < 5 {
					t.Errorf("%s by %s: %s shows %v participants", email, by, row.Name, row.Participants.Value)
				}
			}
		}
		if r := c.JSON(http.MethodGet, "/api/v1/reports/participation?by=group", "", nil); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("by group: %d, want 422", r.Status)
		}
		if r := c.JSON(http.MethodGet, "/api/v1/reports/participation?from=2027-01-01&to=2026-01-01", "", nil); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("period backwards: %d, want 422", r.Status)
		}
	}
	for _, email := range []string{"mentee@demo.test", "mentor@demo.test"} {
		if r := as(t, srv, email).Get("/reports/participation"); r.Status != http.StatusNotFound {
			t.Errorf("%s opens the report: %d", email, r.Status)
		}
	}
}
