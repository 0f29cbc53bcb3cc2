package ctxdone

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/knowledge"
	"github.com/leaklint/leaklint/internal/uses"
)

// This file (with discard.go and callgraph.go) holds the rules for a
// goroutine that waits on a context only a stored cancel can end (issue
// 19): a function makes
// ctx, cancel := context.WithCancel(parent), keeps cancel in a field of
// an object, and starts a goroutine whose first statement waits for
// ctx.Done(). Nothing but that cancel (or the parent ending) ends the
// wait, so the goroutine leaks when the cancel is never called:
//
//   - ownedCancel: nothing calls the field, or only the waiting goroutine
//     does, after its wait (cockroach13755);
//   - discarded: the function returns the object, and a caller, in any
//     package, throws the result away (cockroach13197).

// ownedWait is a goroutine that waits on a context only a stored cancel
// ends.
type ownedWait struct {
	fd     *ast.FuncDecl // the function that makes the context and starts the goroutine
	fn     *types.Func
	g      *ast.GoStmt    // the go statement that starts the goroutine
	wait   *ast.UnaryExpr // <-ctx.Done(), the goroutine's first statement
	waiter *types.Func    // the function the goroutine runs, nil for a literal
	lit    *ast.FuncLit   // the literal the goroutine runs, nil for a declared function
	name   string         // the goroutine's function, for messages
	cancel *types.Var     // the field the cancel is kept in
	parent ast.Expr       // the context WithCancel derives from
	obj    *types.Var     // the local holding the object cancel is a field of, or nil
}

// ownedWaits finds the goroutines of the package that wait on a context
// only a stored cancel ends.
func (c *checker) ownedWaits() []*ownedWait {
	var out []*ownedWait
	info := c.pass.TypesInfo
	for fn, fd := range c.decls {
		if analysisutil.IsTestFile(c.pass, fd.Pos()) || !mentionsWithCancel(info, fd) {
			continue
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.AssignStmt:
				if w := c.ownedWait(fd, fn, n); w != nil {
					out = append(out, w)
				}
			}
			return true
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].wait.Pos() < out[j].wait.Pos() })
	return out
}

// mentionsWithCancel reports whether fd calls context.WithCancel or
// WithCancelCause: a quick filter.
func mentionsWithCancel(info *types.Info, fd *ast.FuncDecl) bool {
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && isWithCancel(info, call) {
			found = true
		}
		return !found
	})
	return found
}

func isWithCancel(info *types.Info, call *ast.CallExpr) bool {
	return callee.IsFunc(callee.Of(info, call), "context", "WithCancel", "WithCancelCause")
}

// ownedWait returns the owned wait that the assignment a in fd sets up,
// or nil.
func (c *checker) ownedWait(fd *ast.FuncDecl, fn *types.Func, a *ast.AssignStmt) *ownedWait {
	info := c.pass.TypesInfo
	if len(a.Lhs) != 2 || len(a.Rhs) != 1 {
		return nil
	}
	call, ok := ast.Unparen(a.Rhs[0]).(*ast.CallExpr)
	if !ok || !isWithCancel(info, call) || len(call.Args) == 0 {
		return nil
	}
	w := &ownedWait{fd: fd, fn: fn, parent: call.Args[0]}
	// The variables and fields that hold the context.
	ctxs := make(map[*types.Var]bool)
	switch v := varOf(info, a.Lhs[0]).(type) {
	case *types.Var:
		ctxs[v] = true
		if !v.IsField() {
			for _, f := range storedIn(info, fd, v) {
				ctxs[f.field] = true
			}
		}
	default:
		return nil
	}
	// The field that holds the cancel, and the object it belongs to.
	v, _ := varOf(info, a.Lhs[1]).(*types.Var)
	switch {
	case v == nil:
		return nil
	case v.IsField():
		w.cancel = v
		w.obj = baseVar(info, a.Lhs[1])
	default:
		stores := storedIn(info, fd, v)
		if len(stores) != 1 || uses1(info, fd, v) != 1 {
			return nil // called, deferred, passed, or stored twice
		}
		w.cancel, w.obj = stores[0].field, stores[0].obj
	}
	if w.cancel.Pkg() != c.pass.Pkg || w.cancel.Exported() || w.cancel.Embedded() {
		return nil // code leaklint cannot see may call it
	}
	// The goroutine started after it, whose first statement waits.
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		g, ok := n.(*ast.GoStmt)
		if !ok || w.wait != nil {
			return w.wait == nil
		}
		if g.Pos() > a.End() {
			c.waitsFirst(w, g, ctxs)
		}
		return true
	})
	if w.wait == nil {
		return nil
	}
	return w
}

// waitsFirst sets w's waiter when the goroutine g starts begins by
// waiting for one of ctxs (or a parameter bound to one) to end.
func (c *checker) waitsFirst(w *ownedWait, g *ast.GoStmt, ctxs map[*types.Var]bool) {
	info := c.pass.TypesInfo
	var body *ast.BlockStmt
	var params *types.Tuple
	switch fun := ast.Unparen(g.Call.Fun).(type) {
	case *ast.FuncLit:
		body = fun.Body
		if sig, ok := info.TypeOf(fun).(*types.Signature); ok {
			params = sig.Params()
		}
		w.lit, w.name = fun, "a function literal"
	default:
		fn, recvArg := calledFunc(info, g.Call, fun)
		fd := c.decls[fn]
		if fn == nil || fd == nil || recvArg {
			return
		}
		body = fd.Body
		params = fn.Type().(*types.Signature).Params()
		w.waiter, w.name = fn, types.ExprString(fun)
	}
	ids := make(map[*types.Var]bool)
	for v := range ctxs {
		ids[v] = true
	}
	if params != nil && !g.Call.Ellipsis.IsValid() {
		for i, arg := range g.Call.Args {
			if v, ok := varOf(info, arg).(*types.Var); ok && ctxs[v] && i < params.Len() {
				ids[params.At(i)] = true
			}
		}
	}
	if body == nil || len(body.List) == 0 {
		return
	}
	if recv := doneWait(info, body.List[0]); recv != nil {
		if v, ok := varOf(info, recv.X.(*ast.CallExpr).Fun.(*ast.SelectorExpr).X).(*types.Var); ok && ids[v] {
			w.wait, w.g = recv, g
		}
	}
}

// doneWait returns the receive <-x.Done() that st consists of: a
// statement, or a select with that one case.
func doneWait(info *types.Info, st ast.Stmt) *ast.UnaryExpr {
	if sel, ok := st.(*ast.SelectStmt); ok && len(sel.Body.List) == 1 {
		if cc, ok := sel.Body.List[0].(*ast.CommClause); ok && cc.Comm != nil {
			st = cc.Comm
		}
	}
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return nil
	}
	recv, ok := ast.Unparen(es.X).(*ast.UnaryExpr)
	if !ok || recv.Op != token.ARROW {
		return nil
	}
	call, ok := ast.Unparen(recv.X).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return nil
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Done" || !isContext(info.TypeOf(sel.X)) {
		return nil
	}
	return recv
}

// varOf returns the variable (defined or used) or field e names, or
// nil.
func varOf(info *types.Info, e ast.Expr) types.Object {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		return info.ObjectOf(id)
	}
	if v := uses.VarOf(info, e); v != nil {
		return v
	}
	return nil
}

// baseVar returns the local variable x of a selection x.f, or nil.
func baseVar(info *types.Info, e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := info.ObjectOf(id).(*types.Var)
	return v
}

// store is a field a local is stored in: x.f = v, or T{f: v} assigned to
// x.
type store struct {
	field *types.Var
	obj   *types.Var // x, or nil
}

// storedIn returns the fields the local v is stored in within fd.
func storedIn(info *types.Info, fd *ast.FuncDecl, v *types.Var) []store {
	var out []store
	var stack []ast.Node
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				return true
			}
			for i, rhs := range n.Rhs {
				if id, ok := ast.Unparen(rhs).(*ast.Ident); ok && info.Uses[id] == v {
					if f, ok := varOf(info, n.Lhs[i]).(*types.Var); ok && f.IsField() {
						out = append(out, store{f, baseVar(info, n.Lhs[i])})
					}
				}
			}
		case *ast.KeyValueExpr:
			id, ok := ast.Unparen(n.Value).(*ast.Ident)
			if !ok || info.Uses[id] != v || len(stack) < 2 {
				return true
			}
			lit, ok := stack[len(stack)-2].(*ast.CompositeLit)
			if !ok {
				return true
			}
			key, ok := n.Key.(*ast.Ident)
			if !ok {
				return true
			}
			f, ok := info.Uses[key].(*types.Var)
			if !ok || !f.IsField() {
				return true
			}
			out = append(out, store{f.Origin(), litOwner(info, stack[:len(stack)-2], lit)})
		}
		return true
	})
	return out
}

// litOwner returns the local x in x := T{...} or x := &T{...}, where
// stack ends just above lit.
func litOwner(info *types.Info, stack []ast.Node, lit *ast.CompositeLit) *types.Var {
	var e ast.Expr = lit
	i := len(stack) - 1
	if i >= 0 {
		if u, ok := stack[i].(*ast.UnaryExpr); ok && u.Op == token.AND {
			e = u
			i--
		}
	}
	if i < 0 {
		return nil
	}
	as, ok := stack[i].(*ast.AssignStmt)
	if !ok || len(as.Lhs) != len(as.Rhs) {
		return nil
	}
	for j, rhs := range as.Rhs {
		if rhs == e {
			if id, ok := as.Lhs[j].(*ast.Ident); ok {
				v, _ := info.ObjectOf(id).(*types.Var)
				return v
			}
		}
	}
	return nil
}

// uses1 counts the uses of the local v in fd.
func uses1(info *types.Info, fd *ast.FuncDecl, v *types.Var) int {
	n := 0
	ast.Inspect(fd.Body, func(node ast.Node) bool {
		if id, ok := node.(*ast.Ident); ok && info.Uses[id] == v {
			n++
		}
		return true
	})
	return n
}

// cancelCalls returns the positions of the calls of the cancel field f
// in the package, and false when f may be called in ways not seen (it
// is copied, passed or returned).
func (c *checker) cancelCalls(f *types.Var) ([]token.Pos, bool) {
	if c.cancels == nil {
		info := c.pass.TypesInfo
		isCancel := func(t types.Type) bool {
			return callee.IsNamed(t, "context", "CancelFunc") || callee.IsNamed(t, "context", "CancelCauseFunc")
		}
		isInit := func(e ast.Expr) bool {
			switch e := ast.Unparen(e).(type) {
			case *ast.CallExpr:
				return isWithCancel(info, e)
			case *ast.Ident:
				// A local cancel stored once: ownedWait checked it is used
				// nowhere else.
				v, ok := info.Uses[e].(*types.Var)
				return ok && !v.IsField() && v.Parent() != v.Pkg().Scope()
			}
			return false
		}
		c.cancels = uses.Of(c.pass, isCancel, isInit)
	}
	u := c.cancels[f]
	if u == nil {
		return nil, true
	}
	if u.Escapes || len(u.Calls) > 1 {
		return nil, false
	}
	var out []token.Pos
	for _, call := range u.Calls[""] {
		out = append(out, call.Pos())
	}
	return out, true
}

// checkOwnedCancels reports a goroutine's wait on a context whose cancel
// nothing calls, or only the goroutine itself does after the wait.
func (c *checker) checkOwnedCancels(waits []*ownedWait) {
	for _, w := range waits {
		calls, ok := c.cancelCalls(w.cancel)
		if !ok {
			continue
		}
		// The goroutine's own calls come after its wait: they do not
		// count.
		var before []token.Pos
		for _, pos := range calls {
			if w.lit != nil && w.lit.Pos() <= pos && pos < w.lit.End() {
				continue
			}
			if w.waiter != nil && c.graph().enclosing(pos) == w.waiter {
				continue
			}
			before = append(before, pos)
		}
		// Whatever else may call it must itself be reachable from code
		// that runs: an unexported function no one else calls never runs.
		if _, open := c.graph().reachers(before, w.waiter); open {
			continue
		}
		if !c.neverEnds(w.fn, w.parent) || analysisutil.IsTestCode(c.pass, w.wait.Pos()) || c.r.Suppressed(w.wait.Pos()) {
			continue
		}
		after := ""
		if len(calls) > 0 {
			after = " except " + w.name + " itself, after this wait"
		}
		c.r.Report(analysis.Diagnostic{
			Pos: w.wait.Pos(),
			End: w.wait.End(),
			Message: fmt.Sprintf("nothing calls %s%s, and the context's parent never ends: this wait blocks forever; call %s from the owner's Close or Stop",
				w.cancel.Name(), after, w.cancel.Name()),
		})
	}
}

// neverEnds reports whether the parent context of a WithCancel in fd
// never ends: context.Background() or TODO(), directly or as a parameter
// of fd that every call passes one of them to, fd being called only from
// this package.
//
// It is not contexts.uncancellable, and cannot be without changing the
// findings: a true here is the proof a report rests on, while
// uncancellable only ever silences one, so it is wider (nil,
// context.WithoutCancel, WithValue of such a context, a package-level
// context whatever it holds, locals followed through their assignments
// up to eight deep) and it finds a parameter's arguments through its
// own map of plain calls (contexts.args) rather than the call graph
// (open, callers, callSites), which counts other calls and other
// escapes.
func (c *checker) neverEnds(fn *types.Func, parent ast.Expr) bool {
	info := c.pass.TypesInfo
	if knowledge.IsBackground(info, parent) {
		return true
	}
	i := c.paramIndex(fn, parent)
	if i < 0 || c.graph().open[fn] || len(c.graph().callers[fn]) == 0 {
		return false
	}
	all := true
	for _, call := range c.callSites[fn] {
		all = all && i < len(call.Args) && knowledge.IsBackground(info, call.Args[i])
	}
	return all
}

// paramIndex returns the index of the parameter of fn that e names, or
// -1.
func (c *checker) paramIndex(fn *types.Func, e ast.Expr) int {
	v, ok := varOf(c.pass.TypesInfo, e).(*types.Var)
	if !ok {
		return -1
	}
	params := fn.Type().(*types.Signature).Params()
	for i := 0; i < params.Len(); i++ {
		if params.At(i) == v {
			return i
		}
	}
	return -1
}
