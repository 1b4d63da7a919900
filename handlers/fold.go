package handlers

import (
	"strconv"
	"strings"
	"text/template/parse"
)

// constant answers the value of a call that reads the same on every
// request: a translation without placeholders (X.T "id") or an asset's
// address (asset "name"); ok is false for any other call.
type constant func(args []parse.Node) (value string, ok bool)

// foldTree replaces, in every pipeline of tree, a first command that is
// such a call by the string it returns. The template then writes the same
// text without a reflective call per use; html/template still escapes it
// as it would have escaped the call's result, since it only sees a
// pipeline with another operand.
func foldTree(tree *parse.Tree, fold constant) {
	if tree != nil && tree.Root != nil {
		foldNode(tree.Root, fold)
	}
}

func foldNode(n parse.Node, fold constant) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			foldNode(c, fold)
		}
	case *parse.ActionNode:
		foldPipe(n.Pipe, fold)
	case *parse.IfNode:
		foldBranch(&n.BranchNode, fold)
	case *parse.RangeNode:
		foldBranch(&n.BranchNode, fold)
	case *parse.WithNode:
		foldBranch(&n.BranchNode, fold)
	case *parse.TemplateNode:
		foldPipe(n.Pipe, fold)
	case *parse.PipeNode:
		foldPipe(n, fold)
	case *parse.ChainNode:
		foldNode(n.Node, fold)
	}
}

func foldBranch(b *parse.BranchNode, fold constant) {
	foldPipe(b.Pipe, fold)
	foldNode(b.List, fold)
	if b.ElseList != nil {
		foldNode(b.ElseList, fold)
	}
}

func foldPipe(p *parse.PipeNode, fold constant) {
	if p == nil {
		return
	}
	for i, cmd := range p.Cmds {
		// Only a pipeline's first command: a later one also receives the
		// result of the command before it as its last argument.
		if s, ok := fold(cmd.Args); ok && i == 0 {
			cmd.Args = []parse.Node{&parse.StringNode{NodeType: parse.NodeString, Pos: cmd.Position(),
				Quoted: strconv.Quote(s), Text: s}}
			continue
		}
		for _, a := range cmd.Args {
			foldNode(a, fold)
		}
	}
}

// translationID returns the message id of a call X.T "id" with no other
// argument. View is the only type with a T, so the call is View.T.
func translationID(args []parse.Node) (string, bool) {
	if len(args) != 2 {
		return "", false
	}
	id, ok := args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	var idents []string
	switch f := args[0].(type) {
	case *parse.FieldNode:
		idents = f.Ident
	case *parse.VariableNode:
		idents = f.Ident[1:]
	case *parse.ChainNode:
		idents = f.Field
	}
	if len(idents) == 0 || idents[len(idents)-1] != "T" {
		return "", false
	}
	return id.Text, true
}

// functionArg returns the argument of a call of the template function name
// with one constant string argument.
func functionArg(args []parse.Node, name string) (string, bool) {
	if len(args) != 2 {
		return "", false
	}
	fn, ok := args[0].(*parse.IdentifierNode)
	if !ok || fn.Ident != name {
		return "", false
	}
	s, ok := args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	return s.Text, true
}

// plainEscaper writes a plain string as html/template's escapers for HTML
// text, quoted attribute values and RCDATA do: the same table of
// replacements (html/template's htmlReplacementTable).
var plainEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;",
	"+", "&#43;", "<", "&lt;", ">", "&gt;")

// plainEscapers are the names html/template gives those escapers in an
// escaped tree.
var plainEscapers = map[string]bool{
	"_html_template_htmlescaper":   true,
	"_html_template_attrescaper":   true,
	"_html_template_rcdataescaper": true,
}

// foldEscaped replaces, in a tree html/template has escaped, each action
// that writes a constant string through escapers for text or attributes
// by the text it writes. Actions in other contexts (URLs, scripts, styles)
// keep their escapers.
func foldEscaped(tree *parse.Tree) {
	if tree != nil && tree.Root != nil {
		foldEscapedList(tree.Root)
	}
}

func foldEscapedList(l *parse.ListNode) {
	if l == nil {
		return
	}
	for i, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if text, ok := escapedConstant(n.Pipe); ok {
				l.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: n.Pos, Text: []byte(text)}
			}
		case *parse.IfNode:
			foldEscapedList(n.List)
			foldEscapedList(n.ElseList)
		case *parse.RangeNode:
			foldEscapedList(n.List)
			foldEscapedList(n.ElseList)
		case *parse.WithNode:
			foldEscapedList(n.List)
			foldEscapedList(n.ElseList)
		case *parse.ListNode:
			foldEscapedList(n)
		}
	}
}

// escapedConstant returns what a pipeline "constant | escaper…" writes,
// when every escaper is one of plainEscapers.
func escapedConstant(p *parse.PipeNode) (string, bool) {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) < 2 || len(p.Cmds[0].Args) != 1 {
		return "", false
	}
	s, ok := p.Cmds[0].Args[0].(*parse.StringNode)
	if !ok {
		return "", false
	}
	text := s.Text
	for _, cmd := range p.Cmds[1:] {
		if len(cmd.Args) != 1 {
			return "", false
		}
		fn, ok := cmd.Args[0].(*parse.IdentifierNode)
		if !ok || !plainEscapers[fn.Ident] {
			return "", false
		}
		text = plainEscaper.Replace(text)
	}
	return text, true
}
