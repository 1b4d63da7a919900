package handlers_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// upload posts a file to the import form.
func upload(t *testing.T, c *apptest.Client, content string) apptest.Response {
	t.Helper()
	if c.Cookie("cm_csrf") == "" {
		c.Get("/healthz")
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.Cookie("cm_csrf"))
	f, _ := w.CreateFormFile("file", "hr.csv")
	_, _ = f.Write([]byte(content))
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.Server.URL+"/people/import", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

// applyImport applies a previewed import and follows its run until it is
// done; it returns the finished run's page.
func applyImport(t *testing.T, c *apptest.Client, form url.Values) string {
	t.Helper()
	r := c.PostForm("/people/import/apply", form)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/people/import/runs/") {
		t.Fatalf("apply: %d %s", r.Status, r.Location)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		page := c.Get(r.Location)
		if page.Status != http.StatusOK {
			t.Fatalf("run page: %d", page.Status)
		}
		if contains(page.Body, "De import is klaar") {
			return page.Body
		}
		if contains(page.Body, "mislukt") {
			t.Fatal("the import run failed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the import run did not finish")
	return ""
}

// TestImportPeople: a Dutch semicolon export with a BOM is previewed (dry
// run, nothing written), applied in one go, and applying it again changes
// nothing; bad rows are refused with their reason; the export reads back.
func TestImportPeople(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	file := "\xef\xbb\xbfNaam;E-mail;Team;Vakdiscipline;Leidinggevende;Projecten\n" +
		"Nieuwe Collega;nieuw@demo.test;Belastingen;Financiën;baas@demo.test;Begroting 2027|Nieuw project\n" +
		"De Baas;baas@demo.test;Belastingen;Financiën;;\n" +
		"Sanne Bakker;MENTEE@demo.test;Klantcontact;ICT;manager@demo.test;Nieuw klantportaal\n" +
		"Zonder Adres;geen-adres;;;;\n" +
		"Dubbel;nieuw@demo.test;;;;\n" +
		"Onbekende Baas;x@demo.test;;;niemand@demo.test;\n"
	people := count(t, db, &models.Person{})
	r := upload(t, admin, file)
	if r.Status != http.StatusOK {
		t.Fatalf("preview: %d %s", r.Status, r.Body)
	}
	for _, want := range []string{"Nieuw: 2", "ongewijzigd: 1", "geweigerd: 3", "geen geldig e-mailadres", "staat al eerder in het bestand", "leidinggevende onbekend"} {
		if !contains(r.Body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if n := count(t, db, &models.Person{}); n != people {
		t.Fatal("the dry run wrote people")
	}
	apply := url.Values{"content": {file}, "mapped": {"1"}, "col_name": {"0"}, "col_email": {"1"}, "col_team": {"2"},
		"col_discipline": {"3"}, "col_manager_email": {"4"}, "col_projects": {"5"}}
	// New teams and projects are named first, and created only when confirmed.
	if !contains(r.Body, "Project ‘Nieuw project’ bestaat nog niet.") || contains(r.Body, "‘Begroting 2027’ bestaat nog niet") {
		i := strings.Index(r.Body, "h-new-names")
		t.Errorf("the preview does not name just the new project: %.600s", r.Body[max(i, 0):])
	}
	if refused := admin.PostForm("/people/import/apply", apply); refused.Status != http.StatusUnprocessableEntity || !contains(refused.Body, `href="#confirm_new"`) {
		t.Fatalf("apply without confirming the new names: %d", refused.Status)
	}
	if n := count(t, db, &models.Person{}); n != people {
		t.Fatal("an unconfirmed import wrote people")
	}
	apply.Set("confirm_new", "true")
	if body := applyImport(t, admin, apply); !contains(body, "Nieuw: 2") {
		t.Fatalf("the finished run does not report its counts")
	}
	if n := count(t, db, &models.Person{}); n != people+2 {
		t.Fatalf("%d people after the import, want %d", n, people+2)
	}
	var files int64
	db.Model(&models.ImportRun{}).Where("content <> ''").Count(&files)
	if files != 0 {
		t.Fatalf("%d uploaded files kept after the import was applied", files)
	}
	var p models.Person
	db.Preload("Team").Where("email = ?", "nieuw@demo.test").First(&p)
	var boss models.Person
	db.Where("email = ?", "baas@demo.test").First(&boss)
	if p.Team == nil || p.Team.Name != "Belastingen" || p.ManagerID == nil || *p.ManagerID != boss.ID {
		t.Fatalf("imported person: %+v", p)
	}
	var assignments int64
	db.Model(&models.Assignment{}).Where("person_id = ?", p.ID).Count(&assignments)
	if assignments != 2 {
		t.Fatalf("%d project assignments, want 2", assignments)
	}
	// The same file again: nothing to create or update.
	r = upload(t, admin, file)
	if !contains(r.Body, "Nieuw: 0") || !contains(r.Body, "bijwerken") && !contains(r.Body, "ongewijzigd: 3") {
		t.Fatalf("second preview:\n%s", r.Body[strings.Index(r.Body, "Nieuw:"):][:120])
	}
	applyImport(t, admin, apply)
	if n := count(t, db, &models.Person{}); n != people+2 {
		t.Fatal("the second import changed the number of people")
	}
	// Export: a CSV the import reads back unchanged.
	exp := admin.Get("/people/export.csv")
	if exp.Status != http.StatusOK || !contains(exp.Header.Get("Content-Type"), "text/csv") || !contains(exp.Body, "nieuw@demo.test") {
		t.Fatalf("export: %d", exp.Status)
	}
	r = upload(t, admin, exp.Body)
	if !contains(r.Body, "Nieuw: 0") || !contains(r.Body, "geweigerd: 0") || !contains(r.Body, "bijwerken: 0") && !contains(r.Body, "bijgewerkt: 0") {
		i := strings.Index(r.Body, "Nieuw:")
		t.Fatalf("re-import of the export is not a no-op: %s", r.Body[i:i+120])
	}
	if r := as(t, srv, "mentor@demo.test").Get("/people/export.csv"); r.Status != http.StatusNotFound {
		t.Fatalf("mentor exports people: %d", r.Status)
	}
}

// TestImportTenThousandRows: a messy export of 10,000 rows (BOM,
// semicolons, a quoted newline, trailing spaces, upper-case addresses,
// duplicates, unknown managers) is previewed with a reason per refused
// row, applied in the background while its progress page answers, and
// applying it again changes nothing.
func TestImportTenThousandRows(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	var b strings.Builder
	b.WriteString("\xef\xbb\xbfNaam;E-mailadres;Afdeling;Discipline;Manager\n")
	for i := 0; i < 10000; i++ {
		manager := ""
		if i%10 != 0 {
			manager = fmt.Sprintf("persoon%05d@groot.test", i-i%10)
		}
		name := fmt.Sprintf("Persoon %05d  ", i)
		if i == 7 {
			name = "\"Persoon\n00007\""
		}
		email := fmt.Sprintf(" PERSOON%05d@Groot.test ", i)
		switch {
		case i%1000 == 999:
			email = fmt.Sprintf("persoon%05d@groot.test", i-1) // a duplicate
		case i%1000 == 998:
			manager = "niemand@groot.test"
		}
		fmt.Fprintf(&b, "%s;%s;Team %d ;Discipline %d;%s\n", name, email, i%40, i%5, manager)
	}
	file := b.String()
	before := count(t, db, &models.Person{})
	r := upload(t, admin, file)
	if r.Status != http.StatusOK || !contains(r.Body, "Nieuw: 9980") || !contains(r.Body, "geweigerd: 20") {
		i := strings.Index(r.Body, "Nieuw:")
		t.Fatalf("preview: %d %s", r.Status, r.Body[max(i, 0):max(i, 0)+100])
	}
	if count(t, db, &models.Person{}) != before {
		t.Fatal("the dry run wrote people")
	}
	form := url.Values{"content": {file}, "mapped": {"1"}, "col_name": {"0"}, "col_email": {"1"}, "col_team": {"2"},
		"col_discipline": {"3"}, "col_manager_email": {"4"}, "col_projects": {"-1"}, "confirm_new": {"true"}}
	applyImport(t, admin, form)
	if n := count(t, db, &models.Person{}); n != before+9980 {
		t.Fatalf("%d people imported, want 9980", n-before)
	}
	var p models.Person
	db.Where("email = ?", "persoon00007@groot.test").First(&p)
	if p.Name != "Persoon\n00007" {
		t.Errorf("quoted newline: %q", p.Name)
	}
	if r := upload(t, admin, file); !contains(r.Body, "Nieuw: 0") || !contains(r.Body, "bijwerken: 0") && !contains(r.Body, "ongewijzigd: 9980") {
		t.Error("the second preview is not a no-op")
	}
}
