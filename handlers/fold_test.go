package handlers

import (
	"html/template"
	"strings"
	"testing"
	"text/template/parse"

	"crossmentor/models"
)

// TestViewIsReadsRoles: View.Is answers as the viewer's list of roles
// does, for every combination of roles, and is false without a viewer.
func TestViewIsReadsRoles(t *testing.T) {
	roles := []string{"admin", "mentor", "mentee", "manager", "other"}
	for bits := 0; bits < 16; bits++ {
		v := models.Viewer{Admin: bits&1 != 0, Mentor: bits&2 != 0, Mentee: bits&4 != 0, Manager: bits&8 != 0}
		view := View{Viewer: &v}
		for _, r := range roles {
			if got, want := view.Is(r), contains(v.Roles(), r); got != want {
				t.Errorf("%+v Is(%q) = %v, want %v", v, r, got, want)
			}
		}
	}
	if (View{}).Is("admin") {
		t.Error("no viewer is an admin")
	}
}

// TestFoldedTemplateWritesTheSame: a template whose constant calls are
// written in, and whose escaped constants are plain text, writes what the
// template with the calls writes, in text, attributes, URLs and scripts.
func TestFoldedTemplateWritesTheSame(t *testing.T) {
	const src = `<p title="{{.T "a"}}">{{.T "a"}} {{$.T "b"}}</p><a href="{{.T "c"}}">{{.T "c"}}</a>` +
		`<script>var x = {{.T "b"}};</script><textarea>{{.T "a"}}</textarea>{{with .}}{{.T "b"}}{{end}}`
	texts := map[string]string{"a": `Tom & "Jerry" + 'co' <b>`, "b": "één\x00twee", "c": "/x?q=a b&c"}
	funcs := template.FuncMap{}
	plain := template.Must(template.New("p").Funcs(funcs).Parse(src))
	var want strings.Builder
	if err := plain.Execute(&want, fakeView{texts}); err != nil {
		t.Fatal(err)
	}
	folded := template.Must(template.New("p").Funcs(funcs).Parse(src))
	foldTree(folded.Tree, func(args []parse.Node) (string, bool) {
		id, ok := translationID(args)
		return texts[id], ok
	})
	_ = folded.Execute(&strings.Builder{}, nil) // escapes the tree, as Renderer.translate does
	foldEscaped(folded.Tree)
	if strings.Contains(folded.Tree.Root.String(), `.T`) {
		t.Fatalf("calls left: %s", folded.Tree.Root)
	}
	var got strings.Builder
	if err := folded.Execute(&got, fakeView{texts}); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Fatalf("folded:\n%s\nwant:\n%s", got.String(), want.String())
	}
	if !strings.Contains(folded.Tree.Root.String(), `Tom &amp; &#34;Jerry&#34; &#43; &#39;co&#39; &lt;b&gt;`) {
		t.Fatalf("the text of a is not written in: %s", folded.Tree.Root)
	}
}

// fakeView has a T like View's.
type fakeView struct{ texts map[string]string }

func (v fakeView) T(id string, _ ...any) string { return v.texts[id] }
