package models

import "testing"

func TestParseCSV(t *testing.T) {
	for name, data := range map[string]string{
		"comma":          "name,email\nAnna,anna@x.nl\n",
		"semicolon, BOM": "\xef\xbb\xbfNaam;E-mail;Projecten\nAnna;anna@x.nl;A,B\n",
	} {
		headers, records, err := ParseCSV([]byte(data))
		if err != nil || len(headers) < 2 || len(records) != 1 {
			t.Fatalf("%s: %v %v %v", name, headers, records, err)
		}
		m := GuessMapping(headers)
		if m[ColName] != 0 || m[ColEmail] != 1 {
			t.Fatalf("%s: mapping %v", name, m)
		}
	}
	if _, _, err := ParseCSV([]byte("name,email\n")); err == nil {
		t.Fatal("a header without rows is accepted")
	}
}

func TestPlanRows(t *testing.T) {
	rows := readRows([][]string{
		{"Anna", "anna@x.nl", "", "boss@x.nl"},
		{"", "leeg@x.nl", "", ""},
		{"Bert", "geen-adres", "", ""},
		{"Anna 2", "ANNA@x.nl", "", ""},
		{"Cor", "cor@x.nl", "", "onbekend@x.nl"},
		{"Boss", "boss@x.nl", "", ""},
		{"Dirk", "dirk@x.nl", "Team", ""},
	}, ImportMapping{ColName: 0, ColEmail: 1, ColTeam: 2, ColManagerEmail: 3, ColDiscipline: -1, ColProjects: -1})
	st := importState{people: map[string]Person{"dirk@x.nl": {ID: 9, Name: "Dirk", Email: "dirk@x.nl"}}, teams: map[uint]string{}, projects: map[uint][]string{}}
	counts := plan(rows, st, ImportMapping{ColName: 0, ColEmail: 1, ColTeam: 2, ColManagerEmail: 3, ColDiscipline: -1, ColProjects: -1})
	want := []struct {
		outcome ImportOutcome
		reason  string
	}{{ImportCreate, ""}, {ImportRefused, "name"}, {ImportRefused, "email"}, {ImportRefused, "duplicate"},
		{ImportRefused, "manager"}, {ImportCreate, ""}, {ImportUpdate, ""}}
	for i, w := range want {
		if rows[i].Outcome != w.outcome || rows[i].Reason != w.reason {
			t.Errorf("row %d: %s %s, want %s %s", rows[i].Line, rows[i].Outcome, rows[i].Reason, w.outcome, w.reason)
		}
	}
	if counts[string(ImportRefused)] != 4 || counts[string(ImportCreate)] != 2 || counts[string(ImportUpdate)] != 1 {
		t.Fatalf("counts %v", counts)
	}
	if csvSafe("=SUM(A1)") != "'=SUM(A1)" || csvSafe("Anna") != "Anna" {
		t.Fatal("formula cells not defused")
	}
}

// FuzzImportCSV feeds arbitrary bytes through the import's reading and
// planning: it may refuse a file, never panic, and every row it plans has
// an outcome, with a reason exactly when refused.
func FuzzImportCSV(f *testing.F) {
	for _, seed := range []string{
		"\xef\xbb\xbfNaam;E-mail;Team\nA;a@x.nl;T\n",
		"name,email,manager email\n\"B, b\",b@x.nl,a@x.nl\nA,a@x.nl,\n",
		"Naam;E-mail\n\"multi\nline\";c@x.nl\n;\n\"unterminated\n",
		"e-mail\n@\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		headers, records, err := ParseCSV(data)
		if err != nil {
			return
		}
		m := GuessMapping(headers)
		rows := readRows(records, m)
		counts := plan(rows, importState{people: map[string]Person{}, teams: map[uint]string{}, projects: map[uint][]string{}}, m)
		total := 0
		for _, n := range counts {
			total += n
		}
		if total != len(rows) {
			t.Fatalf("%d rows planned, %d counted", len(rows), total)
		}
		for _, r := range rows {
			if r.Outcome == "" || (r.Outcome == ImportRefused) != (r.Reason != "") {
				t.Fatalf("row %d: outcome %q reason %q", r.Line, r.Outcome, r.Reason)
			}
		}
	})
}
