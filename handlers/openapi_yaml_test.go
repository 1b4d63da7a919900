package handlers_test

import (
	"io/fs"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"crossmentor/templates"
)

// TestOpenAPIReadsTheSameInYAML12: the document uses no anchors, aliases
// or YAML 1.1 merge keys (a YAML 1.2 reader sees "<<" as a property), every
// operation has a unique operationId and declared tags, every operation
// documents 400 (text that cannot be stored) and every one with a body 415,
// and a property has one type wherever it appears.
func TestOpenAPIReadsTheSameInYAML12(t *testing.T) {
	data, err := fs.ReadFile(templates.FS(), "api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Anchor != "" || n.Kind == yaml.AliasNode {
			t.Errorf("line %d: anchor or alias %q", n.Line, n.Anchor+n.Value)
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i < len(n.Content); i += 2 {
				if k := n.Content[i]; k.Value == "<<" || k.Tag == "!!merge" {
					t.Errorf("line %d: merge key", k.Line)
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)

	var doc struct {
		Tags       []struct{ Name string }
		Paths      map[string]map[string]yaml.Node
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Type string `yaml:"type"`
				}
			}
		}
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, tag := range doc.Tags {
		declared[tag.Name] = true
	}
	ids := map[string]string{}
	ops := 0
	for path, item := range doc.Paths {
		for method, node := range item {
			if method == "parameters" {
				continue
			}
			var op struct {
				OperationID string         `yaml:"operationId"`
				Tags        []string       `yaml:"tags"`
				RequestBody map[string]any `yaml:"requestBody"`
				Responses   map[string]any `yaml:"responses"`
			}
			if err := node.Decode(&op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			ops++
			where := strings.ToUpper(method) + " " + path
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", where)
			} else if other, dup := ids[op.OperationID]; dup {
				t.Errorf("%s and %s share operationId %s", where, other, op.OperationID)
			}
			ids[op.OperationID] = where
			if len(op.Tags) == 0 {
				t.Errorf("%s: no tags", where)
			}
			for _, tag := range op.Tags {
				if !declared[tag] {
					t.Errorf("%s: tag %q is not declared", where, tag)
				}
			}
			want := []string{"400"}
			if op.RequestBody != nil {
				want = append(want, "415")
			}
			for _, code := range want {
				if _, ok := op.Responses[code]; !ok {
					t.Errorf("%s: %s is not documented", where, code)
				}
			}
		}
	}
	if ops < 30 {
		t.Fatalf("only %d operations read", ops)
	}
	// Names that mean different things in different schemas: a problem's
	// HTTP status, a person's role names against a meeting's role holders,
	// a poll answer against "this goal is mine".
	differ := map[string]bool{"status": true, "roles": true, "mine": true}
	types := map[string]string{}
	for name, s := range doc.Components.Schemas {
		for prop, p := range s.Properties {
			if p.Type == "" || differ[prop] {
				continue
			}
			if seen, ok := types[prop]; ok && seen != p.Type {
				t.Errorf("%s.%s is %s, elsewhere %s", name, prop, p.Type, seen)
			}
			types[prop] = p.Type
		}
	}
}
