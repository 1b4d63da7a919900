package handlers_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"crossmentor/models"
)

// TestDashboard: admins get four charts with their tables and the
// evaluation means; managers the participation and attendance charts and
// the means, never open answers; nobody finds a person's name or email, and
// every participant count shown rests on at least five people.
func TestDashboard(t *testing.T) {
	_, db, srv := demo(t)
	var people []models.Person
	db.Find(&people)
	admin := as(t, srv, "admin@demo.test")
	manager := as(t, srv, "manager@demo.test")
	a := admin.Get("/dashboard")
	m := manager.Get("/dashboard")
	if a.Status != http.StatusOK || m.Status != http.StatusOK {
		t.Fatalf("dashboard: admin %d, manager %d", a.Status, m.Status)
	}
	if n := strings.Count(a.Body, `<svg class="chart"`); n != 4 {
		t.Errorf("admin sees %d charts, want 4", n)
	}
	if n := strings.Count(m.Body, `<svg class="chart"`); n != 2 {
		t.Errorf("manager sees %d charts, want 2", n)
	}
	if !contains(a.Body, "Veilige sfeer, iedereen houdt zich") {
		t.Error("admin does not see last year's ten open answers")
	}
	if contains(m.Body, "Veilige sfeer") || contains(m.Body, "open antwoorden") {
		t.Error("the manager sees open answers")
	}
	for _, body := range []string{a.Body, m.Body, admin.Get("/dashboard/print").Body, manager.Get("/dashboard/print").Body} {
		for _, p := range people {
			if strings.Contains(body, p.Email) || (p.Name != "Femke Willems" && p.Name != "Karin Jansen" && strings.Contains(body, p.Name)) {
				t.Errorf("the dashboard names %s", p.Name)
			}
		}
		for _, group := range []string{"Groep Noord", "Groep Zuid", "Groep Oost"} {
			if strings.Contains(body, group) {
				t.Errorf("the dashboard names %s", group)
			}
		}
	}
	// The participation table: each shown count is at least five.
	table := a.Body[strings.Index(a.Body, "Deelnemers per maand"):strings.Index(a.Body, "Aanwezigheid per maand")]
	cells := regexp.MustCompile(`<td>([0-9]+)</td>`).FindAllStringSubmatch(table, -1)
	if len(cells) == 0 {
		t.Fatal("no participation figures shown")
	}
	for _, c := range cells {
		if n, _ := strconv.Atoi(c[1]); n < models.MinAggregatePeople {
			t.Errorf("a participation figure of %d is shown", n)
		}
	}
	// One programme, and a forged or unknown one.
	if r := admin.Get("/dashboard?programme=2"); r.Status != http.StatusOK || !contains(r.Body, `value="2" selected`) {
		t.Errorf("one programme: %d", r.Status)
	}
	if r := admin.Get("/dashboard?programme=abc"); r.Status != http.StatusBadRequest {
		t.Errorf("a programme that is not a number: %d", r.Status)
	}
	if r := admin.Get("/dashboard?programme=999"); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
		t.Errorf("an unknown programme: %d", r.Status)
	}
	if r := as(t, srv, "mentee@demo.test").Get("/dashboard"); r.Status != http.StatusNotFound {
		t.Errorf("a mentee opens the dashboard: %d", r.Status)
	}
}
