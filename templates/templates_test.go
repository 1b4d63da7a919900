package templates

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// inlineCode finds what the Content-Security-Policy (no 'unsafe-inline')
// would block in a browser: style attributes, event handler attributes,
// javascript: links and script elements without a src.
var inlineCode = regexp.MustCompile(`(?i)\sstyle\s*=|\son[a-z]+\s*=|javascript:|<script(\s[^>]*)?>`)

// TestNoInlineCode: no page, partial or layout carries code or style that
// the policy would silently drop.
func TestNoInlineCode(t *testing.T) {
	checked := 0
	err := fs.WalkDir(FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") || strings.HasPrefix(path, "mail/") {
			return err
		}
		b, err := fs.ReadFile(FS(), path)
		if err != nil {
			return err
		}
		checked++
		for _, m := range inlineCode.FindAllString(string(b), -1) {
			if strings.HasPrefix(strings.ToLower(m), "<script") && strings.Contains(m, "src=") {
				continue
			}
			t.Errorf("%s: %q would be blocked by the Content-Security-Policy", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("only %d templates checked", checked)
	}
}
