package ctxdone

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/uses"
)

// This file holds the rules for a goroutine that waits on a context only
// a stored cancel can end (issue 19): a function makes
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

// hasDiscardLeaks is the package fact that the package declares a
// function with a discardLeaks fact: importers of none skip the walk
// for discarded results.
type hasDiscardLeaks struct{}

func (*hasDiscardLeaks) AFact()         {}
func (*hasDiscardLeaks) String() string { return "hasDiscardLeaks" }

// discardLeaks is the fact that a function returns an object whose
// goroutine waits until the object's cancel is called: a caller that
// throws the result away leaks the goroutine.
type discardLeaks struct {
	// Parent is the index of the parameter the context derives from, or
	// -1 when the function derives it from context.Background().
	Parent  int
	Waiter  string   // the goroutine's function: "tx.awaitDone"
	Closers []string // exported methods of the result that call the cancel
	At      string   // base name and line of the go statement
}

func (*discardLeaks) AFact() {}
func (f *discardLeaks) String() string {
	return fmt.Sprintf("discardLeaks(%s)", f.Waiter)
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

// varOf returns the variable or field e names, or nil.
func varOf(info *types.Info, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return info.ObjectOf(e)
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			if f, ok := sel.Obj().(*types.Var); ok {
				return f.Origin() // one object for every instance of a generic type
			}
		}
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

// callGraph is the package's static call graph, for "who can call the
// cancel": each declared function's callers, and the functions code
// leaklint cannot see may call (exported, used as a value, named like a
// method of one of the package's interfaces, init and main).
type callGraph struct {
	callers map[*types.Func][]*types.Func
	open    map[*types.Func]bool
	decls   map[*types.Func]*ast.FuncDecl
}

func (c *checker) graph() *callGraph {
	if c.calls != nil {
		return c.calls
	}
	info := c.pass.TypesInfo
	g := &callGraph{callers: make(map[*types.Func][]*types.Func), open: make(map[*types.Func]bool), decls: c.decls}
	ifaceMethods := make(map[string]bool)
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if it, ok := n.(*ast.InterfaceType); ok {
				for _, m := range it.Methods.List {
					for _, name := range m.Names {
						ifaceMethods[name.Name] = true
					}
				}
			}
			return true
		})
	}
	for fn, fd := range c.decls {
		if fn.Exported() || fn.Name() == "init" || fn.Name() == "main" || fd.Recv != nil && ifaceMethods[fn.Name()] {
			g.open[fn] = true
		}
		inCall := make(map[*ast.Ident]bool)
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if callee := typeutil.StaticCallee(info, n); callee != nil && callee.Pkg() == c.pass.Pkg {
					callee = callee.Origin()
					g.callers[callee] = append(g.callers[callee], fn)
					switch f := ast.Unparen(n.Fun).(type) {
					case *ast.Ident:
						inCall[f] = true
					case *ast.SelectorExpr:
						inCall[f.Sel] = true
					case *ast.IndexExpr:
						if id, ok := f.X.(*ast.Ident); ok {
							inCall[id] = true
						}
					}
				}
			case *ast.Ident:
				if used, ok := info.Uses[n].(*types.Func); ok && !inCall[n] && used.Pkg() == c.pass.Pkg {
					g.open[used.Origin()] = true // a function or method value
				}
			}
			return true
		})
	}
	// Function values in package-level initialisers.
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok {
				ast.Inspect(gd, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok {
						if used, ok := info.Uses[id].(*types.Func); ok && used.Pkg() == c.pass.Pkg {
							g.open[used.Origin()] = true
						}
					}
					return true
				})
			}
		}
	}
	c.calls = g
	return g
}

// enclosing returns the declared function whose body holds pos, or nil.
func (g *callGraph) enclosing(pos token.Pos) *types.Func {
	for fn, fd := range g.decls {
		if fd.Body.Pos() <= pos && pos < fd.Body.End() {
			return fn
		}
	}
	return nil
}

// reachers returns the functions that may run a call at one of calls,
// directly or through static calls, not counting calls from skip; and
// whether one of them may be called by code the graph does not show.
func (g *callGraph) reachers(calls []token.Pos, skip *types.Func) (map[*types.Func]bool, bool) {
	seen := make(map[*types.Func]bool)
	var queue []*types.Func
	for _, pos := range calls {
		fn := g.enclosing(pos)
		if fn == nil {
			return seen, true // a package-level initialiser
		}
		if !seen[fn] {
			seen[fn] = true
			queue = append(queue, fn)
		}
	}
	open := false
	for len(queue) > 0 {
		fn := queue[0]
		queue = queue[1:]
		if g.open[fn] {
			open = true
		}
		for _, caller := range g.callers[fn] {
			if caller != skip && !seen[caller] {
				seen[caller] = true
				queue = append(queue, caller)
			}
		}
	}
	return seen, open
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
		if !c.neverEnds(w.fd, w.fn, w.parent) || analysisutil.IsTestCode(c.pass, w.wait.Pos()) || c.r.Suppressed(w.wait.Pos()) {
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
func (c *checker) neverEnds(fd *ast.FuncDecl, fn *types.Func, parent ast.Expr) bool {
	info := c.pass.TypesInfo
	if isBackground(info, parent) {
		return true
	}
	i := c.paramIndex(fn, parent)
	if i < 0 || c.graph().open[fn] || len(c.graph().callers[fn]) == 0 {
		return false
	}
	all := true
	for _, fd := range c.decls {
		ast.Inspect(fd.Body, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok {
				return true
			}
			if f := typeutil.StaticCallee(info, call); f != nil && f.Origin() == fn {
				all = all && i < len(call.Args) && isBackground(info, call.Args[i])
			}
			return true
		})
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

// isBackground reports whether e is context.Background() or
// context.TODO().
func isBackground(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && callee.IsFunc(callee.Of(info, call), "context", "Background", "TODO")
}

// exportDiscards exports the discardLeaks fact for the functions that
// return the object owning an owned wait and let it go nowhere else.
func (c *checker) exportDiscards(waits []*ownedWait) {
	info := c.pass.TypesInfo
	for _, w := range waits {
		sig := w.fn.Type().(*types.Signature)
		if w.obj == nil || sig.Results().Len() != 1 || !types.Identical(sig.Results().At(0).Type(), w.obj.Type()) {
			continue
		}
		parent := -1
		if !isBackground(info, w.parent) {
			if parent = c.paramIndex(w.fn, w.parent); parent < 0 {
				continue
			}
		}
		if !c.onlyReturned(w) {
			continue
		}
		calls, ok := c.cancelCalls(w.cancel)
		if !ok || c.callsIn(calls, w.fn) {
			continue // the function may cancel it itself
		}
		seen, open := c.graph().reachers(calls, w.waiter)
		if !open {
			continue // nothing can end it, kept or not: checkOwnedCancels' finding
		}
		var closers []string
		for fn := range seen {
			if fn.Exported() && fn.Type().(*types.Signature).Recv() != nil {
				closers = append(closers, fn.Name())
			}
		}
		sort.Strings(closers)
		pos := c.pass.Fset.Position(w.wait.Pos())
		waiter := w.name
		if w.waiter != nil {
			waiter = w.waiter.Name()
		}
		c.pass.ExportObjectFact(w.fn, &discardLeaks{Parent: parent, Waiter: waiter, Closers: closers, At: fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line)})
		c.discards = true
	}
	if c.discards {
		c.pass.ExportPackageFact(new(hasDiscardLeaks))
	}
}

// callsIn reports whether one of calls is in fn's body.
func (c *checker) callsIn(calls []token.Pos, fn *types.Func) bool {
	for _, pos := range calls {
		if c.graph().enclosing(pos) == fn {
			return true
		}
	}
	return false
}

// onlyReturned reports whether w's object is used in its function only
// to be built, to have fields set, to start w's goroutine and to be
// returned: nothing else can keep it.
func (c *checker) onlyReturned(w *ownedWait) bool {
	info := c.pass.TypesInfo
	ok, returned := true, false
	var stack []ast.Node
	ast.Inspect(w.fd.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, isID := n.(*ast.Ident)
		if !isID || info.ObjectOf(id) != w.obj || len(stack) < 2 {
			return true
		}
		for _, outer := range stack {
			if lit, isLit := outer.(*ast.FuncLit); isLit && lit != w.lit {
				ok = false // another function literal keeps it
			}
		}
		switch p := stack[len(stack)-2].(type) {
		case *ast.AssignStmt:
			// x := &T{...}: its definition.
			if info.Defs[id] == nil {
				ok = false
			}
		case *ast.SelectorExpr:
			// x.f, x.f = v, or go x.m(): a field, or the goroutine.
			sel := info.Selections[p]
			if sel == nil {
				ok = false
			} else if sel.Kind() == types.MethodVal {
				if len(stack) < 4 {
					ok = false
				} else if g, isGo := stack[len(stack)-4].(*ast.GoStmt); !isGo || g != w.g {
					ok = false // a method call, or another goroutine, may keep it
				}
			} else if sel.Kind() != types.FieldVal {
				ok = false
			}
		case *ast.ReturnStmt:
			returned = true
		default:
			ok = false
		}
		return true
	})
	return ok && returned
}

// checkDiscards reports calls that throw away a result whose goroutine
// only its cancel can end (discardLeaks facts, from any package).
func (c *checker) checkDiscards() {
	info := c.pass.TypesInfo
	if !c.discards {
		imported := false
		for _, imp := range c.pass.Pkg.Imports() {
			if c.pass.ImportPackageFact(imp, new(hasDiscardLeaks)) {
				imported = true
				break
			}
		}
		if !imported {
			return // no function here or in an import has the fact
		}
	}
	for _, f := range c.pass.Files {
		if analysisutil.IsTestFile(c.pass, f.Pos()) {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var call *ast.CallExpr
			switch n := n.(type) {
			case *ast.ExprStmt:
				call, _ = ast.Unparen(n.X).(*ast.CallExpr)
			case *ast.AssignStmt:
				if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
					if id, ok := n.Lhs[0].(*ast.Ident); ok && id.Name == "_" {
						call, _ = ast.Unparen(n.Rhs[0]).(*ast.CallExpr)
					}
				}
			}
			if call == nil {
				return true
			}
			fn := typeutil.StaticCallee(info, call)
			if fn == nil {
				return true
			}
			var fact discardLeaks
			if !c.pass.ImportObjectFact(fn.Origin(), &fact) {
				return true
			}
			if fact.Parent >= 0 && (fact.Parent >= len(call.Args) || !isBackground(info, call.Args[fact.Parent])) {
				return true // the parent context may end, and the goroutine with it
			}
			if analysisutil.IsTestCode(c.pass, call.Pos()) || c.r.Suppressed(call.Pos()) {
				return true
			}
			fix := "keep it and end it when done"
			if len(fact.Closers) > 0 {
				fix = "keep it and call its " + strings.Join(fact.Closers, " or ") + " when done"
			}
			c.r.Report(analysis.Diagnostic{
				Pos: call.Pos(),
				End: call.End(),
				Message: fmt.Sprintf("%s starts a goroutine (%s, %s) that waits until the result's context is cancelled, and only the result can cancel it: it is discarded here, so that goroutine never ends; %s",
					fn.Name(), fact.Waiter, fact.At, fix),
			})
			return true
		})
	}
}
