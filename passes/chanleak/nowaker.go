package chanleak

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/uses"
)

// checkNoWaker reports a receive from a channel that nothing in the
// program sends on or closes (grpc1275, cockroach25456): it blocks
// forever.
//
// Only channels no other package can send on or close count
// (internal/uses): an unexported field or package-level variable, or a
// local made in its function, used only in channel operations, made with
// make, and handed out at most receive-only (a getter returning <-chan T).
// Parameters, and locals that come from anywhere but make, are left
// alone. Only receives that wait for this channel alone count: a receive
// statement or assignment, a range, a select with this one case; a
// select with other cases may be woken by them. Test code is exempt.
func (c *checker) checkNoWaker() {
	info := c.pass.TypesInfo
	isChan := func(t types.Type) bool {
		_, ok := t.Underlying().(*types.Chan)
		return ok
	}
	isMake := func(e ast.Expr) bool {
		if e == nil {
			return false
		}
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		return ok && callee.IsBuiltin(info, call, "make")
	}
	made := madeVars(info, c.pass.Files, isMake)
	all := uses.Of(c.pass, isChan, isMake)
	getters := make(map[*types.Func]*uses.Uses)
	for _, u := range all {
		for _, g := range u.Getters {
			getters[g] = u
		}
	}
	// The blocking receives of each channel, direct or through a getter.
	blocking := make(map[*uses.Uses][]ast.Node)
	for _, f := range c.pass.Files {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			var ch ast.Expr
			switch n := n.(type) {
			case *ast.UnaryExpr:
				if n.Op != token.ARROW || !waitsAlone(stack) {
					return true
				}
				ch = n.X
			case *ast.RangeStmt:
				ch = n.X
			default:
				return true
			}
			if u := channelOf(info, ch, all, getters); u != nil {
				blocking[u] = append(blocking[u], n)
			}
			return true
		})
	}
	for u, recvs := range blocking {
		v := u.Obj
		if u.Escapes || len(u.Ops["send"]) > 0 || len(u.Ops["close"]) > 0 {
			continue
		}
		if !v.IsField() && !made[v] {
			continue // a parameter, or a local that came from elsewhere
		}
		first := recvs[0]
		for _, r := range recvs {
			if r.Pos() < first.Pos() {
				first = r
			}
		}
		if analysisutil.IsTestCode(c.pass, first.Pos()) || c.r.Suppressed(first.Pos()) {
			continue
		}
		c.r.Report(analysis.Diagnostic{
			Pos: first.Pos(),
			End: first.End(),
			Message: "nothing in the program sends on or closes " + v.Name() + ", and no other package can (it is unexported, handed out receive-only at most): this receive blocks forever; close " +
				v.Name() + " when the event it waits for happens, or send on it",
		})
	}
}

// channelOf returns the uses of the channel e names, directly (s.ch, ch)
// or through a getter (s.get()).
func channelOf(info *types.Info, e ast.Expr, all map[*types.Var]*uses.Uses, getters map[*types.Func]*uses.Uses) *uses.Uses {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := info.Uses[e].(*types.Var); ok {
			return all[v]
		}
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			if v, ok := sel.Obj().(*types.Var); ok {
				return all[v]
			}
		}
	case *ast.CallExpr:
		if fn := typeutil.StaticCallee(info, e); fn != nil {
			return getters[fn.Origin()]
		}
	}
	return nil
}

// waitsAlone reports whether the receive at the top of stack waits for
// its channel alone: anywhere but in a select, or as the only case of a
// select without default.
func waitsAlone(stack []ast.Node) bool {
	if len(stack) >= 4 {
		if cc, ok := stack[len(stack)-3].(*ast.CommClause); ok {
			if st, ok := stack[len(stack)-2].(ast.Stmt); ok && cc.Comm == st {
				return onlyCase(stack[len(stack)-4])
			}
		}
	}
	return true
}

// onlyCase reports whether n, the parent of a select case, is the body
// of a select with that one case.
func onlyCase(n ast.Node) bool {
	body, ok := n.(*ast.BlockStmt)
	return ok && len(body.List) == 1
}

// madeVars returns the local and package-level channel variables that
// are declared with make (package-level ones also with no value).
func madeVars(info *types.Info, files []*ast.File, isMake func(ast.Expr) bool) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	mark := func(id *ast.Ident, value ast.Expr) {
		v, ok := info.Defs[id].(*types.Var)
		if !ok {
			return
		}
		// A package-level channel may be made later (quit = make(...),
		// an initialisation uses sees); a local declared nil is the nil
		// channel rule's.
		if isMake(value) || value == nil && v.Parent() == v.Pkg().Scope() {
			out[v] = true
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, id := range n.Names {
					var value ast.Expr
					if len(n.Values) == len(n.Names) {
						value = n.Values[i]
					} else if len(n.Values) > 0 {
						continue
					}
					mark(id, value)
				}
			case *ast.AssignStmt:
				if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
					for i, lhs := range n.Lhs {
						if id, ok := lhs.(*ast.Ident); ok {
							mark(id, n.Rhs[i])
						}
					}
				}
			}
			return true
		})
	}
	return out
}
