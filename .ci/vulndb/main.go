// Command vulndb builds a Go vulnerability database that govulncheck reads
// with -db file://DIR from the OSV entries of the golang.org/x/vulndb
// module (data/osv), for machines that cannot reach the database online.
//
//	go run ./.ci/vulndb SRC_OSV_DIR OUT_DIR
//
// With -check it reads govulncheck's JSON output (-format json) on standard
// input and fails when code calls a vulnerable function that a released
// version fixes; advisories without a fixed version are listed, since no
// upgrade can remove them.
//
//	govulncheck -db file://DIR -format json ./... | go run ./.ci/vulndb -check
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"
)

// validID is the form of a Go vulnerability id.
var validID = regexp.MustCompile(`^GO-[0-9]{4}-[0-9]+$`)

type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
	Affected []struct {
		Package struct {
			Name string `json:"name"` // the module path; stdlib and toolchain for Go itself
		} `json:"package"`
	} `json:"affected"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
}

type module struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type vuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "-check" {
		if err := check(os.Stdin); err != nil {
			fmt.Fprintln(os.Stderr, "vulndb:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: vulndb SRC_OSV_DIR OUT_DIR")
		os.Exit(2)
	}
	if err := build(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

func build(src, out string) error {
	files, err := filepath.Glob(filepath.Join(src, "GO-*.json"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no OSV entries in %s", src)
	}
	for _, dir := range []string{"ID", "index"} {
		if err := os.MkdirAll(filepath.Join(out, dir), 0o750); err != nil { // #nosec G703 -- OUT_DIR is CI's own argument
			return err
		}
	}
	modules := map[string][]moduleVuln{}
	var vulns []vuln
	var newest time.Time
	for _, f := range files {
		data, err := os.ReadFile(f) // #nosec G304 G703 -- files of CI's own module cache
		if err != nil {
			return err
		}
		var e entry
		if err := json.Unmarshal(data, &e); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if e.Modified.After(newest) {
			newest = e.Modified
		}
		vulns = append(vulns, vuln{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		seen := map[string]bool{}
		for _, a := range e.Affected {
			if p := a.Package.Name; p != "" && !seen[p] {
				seen[p] = true
				modules[p] = append(modules[p], moduleVuln{ID: e.ID, Modified: e.Modified})
			}
		}
		if !validID.MatchString(e.ID) {
			return fmt.Errorf("%s: unexpected id %q", f, e.ID)
		}
		if err := os.WriteFile(filepath.Join(out, "ID", e.ID+".json"), data, 0o644); err != nil { // #nosec G306 G703 -- public data; the id is checked
			return err
		}
	}
	var mods []module
	for p, vs := range modules {
		mods = append(mods, module{Path: p, Vulns: vs})
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })
	sort.Slice(vulns, func(i, j int) bool { return vulns[i].ID < vulns[j].ID })
	for name, v := range map[string]any{"modules.json": mods, "vulns.json": vulns, "db.json": map[string]time.Time{"modified": newest}} {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "index", name), data, 0o644); err != nil { // #nosec G306 G703 -- public data in CI's own folder
			return err
		}
	}
	fmt.Printf("%d entries, %d modules\n", len(vulns), len(mods))
	return nil
}

// check reads govulncheck's JSON stream and judges the findings whose
// trace reaches a function (called, not merely imported or required).
func check(r io.Reader) error {
	dec := json.NewDecoder(r)
	fixable, unfixed := map[string]string{}, map[string]bool{}
	for {
		var msg struct {
			Finding *struct {
				OSV          string `json:"osv"`
				FixedVersion string `json:"fixed_version"`
				Trace        []struct {
					Module   string `json:"module"`
					Function string `json:"function"`
				} `json:"trace"`
			} `json:"finding"`
		}
		if err := dec.Decode(&msg); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
		f := msg.Finding
		if f == nil || len(f.Trace) == 0 || f.Trace[0].Function == "" {
			continue
		}
		if f.FixedVersion != "" {
			fixable[f.OSV] = f.Trace[0].Module + " " + f.FixedVersion
		} else {
			unfixed[f.OSV+" ("+f.Trace[0].Module+")"] = true
		}
	}
	for id := range unfixed {
		fmt.Println("called, no fixed version released:", id)
	}
	for id, fix := range fixable {
		fmt.Println("called, fixed in", fix+":", id)
	}
	if len(fixable) > 0 {
		return fmt.Errorf("%d vulnerabilities the code calls have a fix: upgrade", len(fixable))
	}
	fmt.Printf("no called vulnerability has a fix to apply (%d without a released fix)\n", len(unfixed))
	return nil
}
