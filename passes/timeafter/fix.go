package timeafter

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// timerFix returns the rewrite of a direct time.After case into one timer
// created before the loop and reset before the select:
//
//	timer := time.NewTimer(d)
//	defer timer.Stop()
//	for ... {
//		if !timer.Stop() {
//			select {
//			case <-timer.C:
//			default:
//			}
//		}
//		timer.Reset(d)
//		select {
//		case <-timer.C:
//		...
//
// Stopping and draining without blocking before Reset is the pattern the
// time package documents for timers reused before Go 1.23, and it stays
// correct after. The rewrite keeps the meaning only if d has the same
// value before the loop as in every iteration, so it is offered only when
// d is built from constants and local variables declared before the loop
// and not assigned in it. The caller ensures the loop is the only loop
// around the select in the function, so the deferred Stop runs once per
// call.
func (c *checker) timerFix(fn *function, site *selectSite, ac *afterCase) (analysis.SuggestedFix, bool) {
	info := c.pass.TypesInfo
	loop := site.loops[0]
	call := ac.call
	if len(call.Args) != 1 || call.Ellipsis.IsValid() {
		return analysis.SuggestedFix{}, false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return analysis.SuggestedFix{}, false // dot import
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	if _, ok := info.Uses[pkg].(*types.PkgName); !ok {
		return analysis.SuggestedFix{}, false
	}
	d := call.Args[0]
	if !c.invariant(fn, loop, d) {
		return analysis.SuggestedFix{}, false
	}
	loopStmt := labeled(fn.Body, loop)
	selStmt := labeled(fn.Body, site.stmt)
	name := freshName(fn, "timer")
	dur := types.ExprString(d)
	loopIndent := c.indent(loopStmt.Pos())
	selIndent := c.indent(selStmt.Pos())
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Replace time.After with one timer created before the loop (%s)", name),
		TextEdits: []analysis.TextEdit{
			{
				Pos: loopStmt.Pos(),
				End: loopStmt.Pos(),
				NewText: fmt.Appendf(nil, "%[1]s := %[2]s.NewTimer(%[3]s)\n%[4]sdefer %[1]s.Stop()\n%[4]s",
					name, pkg.Name, dur, loopIndent),
			},
			{
				Pos: selStmt.Pos(),
				End: selStmt.Pos(),
				NewText: fmt.Appendf(nil, "if !%[1]s.Stop() {\n%[2]s\tselect {\n%[2]s\tcase <-%[1]s.C:\n%[2]s\tdefault:\n%[2]s\t}\n%[2]s}\n%[2]s%[1]s.Reset(%[3]s)\n%[2]s",
					name, selIndent, dur),
			},
			{
				Pos:     call.Pos(),
				End:     call.End(),
				NewText: []byte(name + ".C"),
			},
		},
	}, true
}

// labeled returns the labeled statement around s in body, or s.
func labeled(body *ast.BlockStmt, s ast.Stmt) ast.Stmt {
	var found ast.Stmt = s
	ast.Inspect(body, func(n ast.Node) bool {
		if l, ok := n.(*ast.LabeledStmt); ok && l.Stmt == s {
			found = l
			return false
		}
		return found == s
	})
	return found
}

// invariant reports whether e has the same value before loop as in each
// of its iterations: it is built from literals, constants, conversions
// and local variables of fn declared before the loop and not assigned or
// addressed inside it.
func (c *checker) invariant(fn *function, loop ast.Stmt, e ast.Expr) bool {
	info := c.pass.TypesInfo
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.BasicLit, *ast.ParenExpr, *ast.BinaryExpr:
		case *ast.UnaryExpr:
			ok = n.Op == token.ADD || n.Op == token.SUB || n.Op == token.XOR
		case *ast.SelectorExpr:
			// Only qualified constants, such as time.Second.
			_, isConst := info.Uses[n.Sel].(*types.Const)
			ok = isConst
			return false
		case *ast.CallExpr:
			// Conversions only, such as time.Duration(n).
			ok = info.Types[n.Fun].IsType() && len(n.Args) == 1
			if ok {
				ok = c.invariant(fn, loop, n.Args[0])
			}
			return false
		case *ast.Ident:
			switch obj := info.Uses[n].(type) {
			case *types.Const:
			case *types.TypeName:
			case *types.Var:
				declared := obj.Pos()
				ok = declared >= fn.Body.Pos() && declared < loop.Pos() || isParam(fn, obj)
				ok = ok && !assignedIn(info, loop, obj)
			default:
				ok = false
			}
		default:
			ok = false
		}
		return ok
	})
	return ok
}

// isParam reports whether v is a parameter of fn.
func isParam(fn *function, v *types.Var) bool {
	var ft *ast.FuncType
	if fn.Decl != nil {
		ft = fn.Decl.Type
	} else {
		ft = fn.Lit.Type
	}
	return v.Pos() >= ft.Pos() && v.Pos() < ft.End()
}

// assignedIn reports whether v is assigned, incremented or has its
// address taken inside node.
func assignedIn(info *types.Info, node ast.Node, v *types.Var) bool {
	found := false
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.ObjectOf(id) == v
	}
	ast.Inspect(node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				found = found || is(lhs)
			}
		case *ast.IncDecStmt:
			found = found || is(n.X)
		case *ast.UnaryExpr:
			found = found || n.Op == token.AND && is(n.X)
		case *ast.RangeStmt:
			found = found || n.Key != nil && is(n.Key) || n.Value != nil && is(n.Value)
		}
		return !found
	})
	return found
}

// freshName returns base, or base followed by a number, whichever is the
// first that no identifier in fn uses.
func freshName(fn *function, base string) string {
	var node ast.Node = fn.Lit
	if fn.Decl != nil {
		node = fn.Decl
	}
	used := make(map[string]bool)
	ast.Inspect(node, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			used[id.Name] = true
		}
		return true
	})
	name := base
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	return name
}

// indent returns the indentation of the line at pos, assuming gofmt's
// tabs.
func (c *checker) indent(pos token.Pos) string {
	col := c.pass.Fset.Position(pos).Column
	return strings.Repeat("\t", max(col-1, 0))
}
