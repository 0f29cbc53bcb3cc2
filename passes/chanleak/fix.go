package chanleak

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// A bufFix is the suggested fix "Give ch a buffer of N".
type bufFix struct {
	analysis.SuggestedFix
	bufferSize string // N as written in the fix: 1, len(xs)
	attached   bool   // given to a diagnostic already
}

// bufferFix returns the fix that gives the channel of s a buffer with
// room for every send, when that is mechanical: an unbuffered channel,
// one goroutine start whose goroutine sends at most once per run (on
// whichever path it takes), started once
// (a buffer of 1) or once per element of a range over a variable xs
// that is in scope at the make and never assigned (a buffer of
// len(xs)). It returns nil otherwise.
func (c *checker) bufferFix(s *search) *bufFix {
	ch := s.ch
	if s.role != senders || ch.cap != 0 || len(ch.starts) != 1 {
		return nil
	}
	st := ch.starts[0]
	if st.use.sendW != 1 {
		return nil // several sends per goroutine: the count is not mechanical
	}
	call := c.syn.makeCall(ch.make)
	if call == nil || len(call.Args) == 0 {
		return nil
	}
	size := "1"
	if s.repeats[0] {
		size = c.rangeLen(ch, call, st.instr.Pos())
		if size == "" {
			return nil
		}
	}
	var edit analysis.TextEdit
	switch len(call.Args) {
	case 1:
		edit = analysis.TextEdit{Pos: call.Args[0].End(), End: call.Args[0].End(), NewText: []byte(", " + size)}
	case 2:
		lit, ok := ast.Unparen(call.Args[1]).(*ast.BasicLit)
		if !ok || lit.Value != "0" {
			return nil // a named constant: leave its definition alone
		}
		edit = analysis.TextEdit{Pos: lit.Pos(), End: lit.End(), NewText: []byte(size)}
	default:
		return nil
	}
	name := c.syn.makeName(ch.make)
	return &bufFix{
		SuggestedFix: analysis.SuggestedFix{
			Message:   fmt.Sprintf("Give %s a buffer of %s", name, size),
			TextEdits: []analysis.TextEdit{edit},
		},
		bufferSize: size,
	}
}

// rangeLen returns "len(xs)" when the go statement at goPos is inside
// exactly one loop of the function, a range over xs (a slice, an array,
// a pointer to an array, a map or a string: at most len(xs) iterations),
// and len(xs) at the make call means the same: xs is a variable declared
// before it, visible there, and never assigned in the function. It
// returns "" otherwise.
func (c *checker) rangeLen(ch *channel, mk *ast.CallExpr, goPos token.Pos) string {
	c.syn.build()
	stack, ok := c.syn.gos[goPos]
	if !ok {
		return "" // started by errgroup's Go or the like: not followed
	}
	fnSyn := ch.fn.Syntax()
	var loops []ast.Node
	for i := len(stack) - 1; i >= 0 && stack[i] != fnSyn; i-- {
		switch n := stack[i].(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			loops = append(loops, n)
		case *ast.FuncLit:
			return "" // inside another function: not the loop of F
		}
	}
	if len(loops) != 1 {
		return ""
	}
	rng, ok := loops[0].(*ast.RangeStmt)
	if !ok || mk.Pos() > rng.Pos() {
		return ""
	}
	id, ok := ast.Unparen(rng.X).(*ast.Ident)
	if !ok {
		return ""
	}
	info := c.pass.TypesInfo
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() || v.Pos() > mk.Pos() {
		return "" // a global (others may assign it), or declared after the make
	}
	switch t := v.Type().Underlying().(type) {
	case *types.Slice, *types.Array, *types.Map:
	case *types.Pointer:
		if _, ok := t.Elem().Underlying().(*types.Array); !ok {
			return ""
		}
	case *types.Basic:
		if t.Info()&types.IsString == 0 {
			return "" // a range over an integer: it may be negative
		}
	default:
		return "" // a channel or an iterator function: no length
	}
	// The same xs is visible at the make, not shadowed there.
	if scope := c.pass.Pkg.Scope().Innermost(mk.Pos()); scope == nil {
		return ""
	} else if _, obj := scope.LookupParent(id.Name, mk.Pos()); obj != v {
		return ""
	}
	if assigned(info, fnSyn, v) {
		return ""
	}
	return "len(" + id.Name + ")"
}

// assigned reports whether v is assigned, incremented or has its
// address taken anywhere in the syntax of root.
func assigned(info *types.Info, root ast.Node, v *types.Var) bool {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	found := false
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				found = found || is(l)
			}
		case *ast.IncDecStmt:
			found = found || is(n.X)
		case *ast.UnaryExpr:
			found = found || n.Op == token.AND && is(n.X)
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				found = found || n.Key != nil && is(n.Key) || n.Value != nil && is(n.Value)
			}
		}
		return !found
	})
	return found
}
