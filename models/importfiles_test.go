package models_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "import", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestImportFilesFromHRSystems: the files spreadsheet programs and HR
// systems write import with the right names, the right line numbers and
// nothing overwritten wrongly. Three demo people are in each file as they
// are stored (unchanged) and Anaïs Dubois is new; no team "Financi�n".
func TestImportFilesFromHRSystems(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	admin, err := models.PersonByEmail(ctx, db, "admin@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	v := models.Viewer{PersonID: admin.ID, Admin: true}
	for _, c := range []struct {
		file, encoding string
		firstLine      int
	}{
		{"excel-nl-windows1252.csv", models.EncodingWindows1252, 2},
		{"excel-unicode-text.txt", models.EncodingUTF16, 2},
		{"utf16-no-bom.csv", models.EncodingUTF16, 2},
		{"excel-sep-line.csv", models.EncodingUTF8, 3},
		{"mac-cr.csv", models.EncodingUTF8, 2},
	} {
		rep, err := models.PlanImport(ctx, db, v, fixture(t, c.file), nil)
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if rep.Encoding != c.encoding {
			t.Errorf("%s: read as %s, want %s", c.file, rep.Encoding, c.encoding)
		}
		if len(rep.Rows) != 4 || rep.Rows[0].Line != c.firstLine || rep.Headers[0] != "Naam" {
			t.Errorf("%s: %d rows, first on line %d, headers %q", c.file, len(rep.Rows), rep.Rows[0].Line, rep.Headers)
			continue
		}
		if rep.Counts["unchanged"] != 3 || rep.Counts["create"] != 1 {
			t.Errorf("%s: %v (%+v)", c.file, rep.Counts, rep.Rows)
		}
		if new := rep.Rows[3]; new.Name != "Anaïs Dubois" || new.Team != "Financiën" {
			t.Errorf("%s: read %q in team %q", c.file, new.Name, new.Team)
		}
		if len(rep.NewTeams) != 0 {
			t.Errorf("%s: would create teams %v", c.file, rep.NewTeams)
		}
	}
	// Applying the Windows-1252 file creates Anaïs and renames nobody.
	if _, err := models.ApplyImport(ctx, db, v, fixture(t, "excel-nl-windows1252.csv"), nil, models.NewDate(2026, 11, 22)); err != nil {
		t.Fatal(err)
	}
	for email, name := range map[string]string{"anouk.peters@demo.test": "Anouk Peters", "anais.dubois@demo.test": "Anaïs Dubois"} {
		if p, err := models.PersonByEmail(ctx, db, email); err != nil || p.Name != name {
			t.Errorf("%s: %q, %v", email, p.Name, err)
		}
	}
	var teams int64
	db.Model(&models.Team{}).Where("name LIKE ?", "Financi%n").Count(&teams)
	if teams != 1 {
		t.Errorf("%d teams named like Financiën", teams)
	}
}

// TestImportRowsAsCSVToolsRead: first and last names are combined, a stray
// quote is a character, a row with a field too many is refused (not read
// with shifted columns), and people missing from a complete export are
// listed; a misspelt team is named with the closest existing one.
func TestImportRowsAsCSVToolsRead(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	admin, _ := models.PersonByEmail(ctx, db, "admin@demo.test")
	v := models.Viewer{PersonID: admin.ID, Admin: true}

	rep, err := models.PlanImportWith(ctx, db, v, fixture(t, "personio-first-last.csv"), nil, models.ImportOptions{Complete: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows[0].Name != "Anaïs Dubois" || rep.Rows[1].Outcome != models.ImportUnchanged {
		t.Errorf("first and last name: %+v", rep.Rows)
	}
	missing := map[string]bool{}
	for _, p := range rep.Missing {
		missing[p.Email] = true
	}
	if !missing["mentee@demo.test"] || missing["anouk.peters@demo.test"] || len(rep.Missing) < 10 {
		t.Errorf("missing from the complete export: %d, %v", len(rep.Missing), missing)
	}

	rep, err = models.PlanImport(ctx, db, v, fixture(t, "stray-quote.csv"), nil)
	if err != nil || rep.Rows[0].Name != `Anna "Ans" de Vries` || rep.Counts["create"] != 2 {
		t.Errorf("stray quote: %v %+v", err, rep.Rows)
	}

	rep, err = models.PlanImport(ctx, db, v, fixture(t, "extra-field.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		outcome models.ImportOutcome
		reason  string
	}{{models.ImportCreate, ""}, {models.ImportRefused, "fields"}, {models.ImportRefused, "fields"}}
	for i, w := range want {
		if r := rep.Rows[i]; r.Outcome != w.outcome || r.Reason != w.reason {
			t.Errorf("line %d: %s %s, want %s %s", r.Line, r.Outcome, r.Reason, w.outcome, w.reason)
		}
	}

	rep, err = models.PlanImport(ctx, db, v, []byte("naam,email,team\nNieuw,nieuw@demo.test,Financien\n"), nil)
	if err != nil || len(rep.NewTeams) != 1 || rep.NewTeams[0].Closest != "Financiën" {
		t.Errorf("misspelt team: %v %+v", err, rep.NewTeams)
	}

	// A wide file is refused with its column count, not previewed.
	wide := bytes.Repeat([]byte("k,"), models.MaxImportColumns+1)
	if _, err := models.PlanImport(ctx, db, v, append(wide, "\nx\n"...), nil); err == nil {
		t.Error("a file wider than the cap was read")
	}
}

// TestExportImportRoundTrip: what the export writes imports unchanged,
// also values starting with = + - @ (which the export guards with a quote).
func TestExportImportRoundTrip(t *testing.T) {
	db := apptest.Demo(t)
	ctx := context.Background()
	admin, _ := models.PersonByEmail(ctx, db, "admin@demo.test")
	v := models.Viewer{PersonID: admin.ID, Admin: true}
	if err := db.Model(&models.Person{}).Where("email = ?", "anouk.peters@demo.test").
		Updates(map[string]any{"name": "=Anouk Peters", "discipline": "-Financiën"}).Error; err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := models.ExportPeople(ctx, db, v, &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), []byte("'=Anouk Peters")) {
		t.Fatal("the export does not guard a formula")
	}
	rep, err := models.PlanImport(ctx, db, v, out.Bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Rows {
		if r.Outcome != models.ImportUnchanged {
			t.Errorf("line %d (%s): %s %s", r.Line, r.Email, r.Outcome, r.Reason)
		}
	}
}
