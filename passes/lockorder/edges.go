package lockorder

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"iter"

	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/flow"
	"github.com/leaklint/leaklint/internal/locks"
)

// ---- edges ----

// edges returns the lock-order edges of fn, and reports same-class
// nesting on two instances.
func (c *checker) edges(fn *locks.Func) []*ownEdge {
	info := c.pass.TypesInfo
	ix := fn.Index()
	var out []*ownEdge
	name := fn.Name()
	fresh := c.freshVars(fn.Body)
	add := func(from locks.Held, toClass string, pos, end token.Pos, via string, retake bool) {
		fromClass := from.Path.Class()
		if fromClass == "" || toClass == "" || fromClass == toClass {
			return
		}
		if fresh[from.Path.Root] {
			// The held lock belongs to an object this function has just
			// made (c := &client{...}): no other goroutine can hold it
			// yet, so the nesting orders nothing.
			return
		}
		out = append(out, &ownEdge{
			edge: edge{
				From: fromClass, To: toClass, Func: name,
				At: c.shortPos(pos), Held: c.shortPos(from.By.Pos()), Via: via, Retake: retake,
			},
			pos: pos, end: end, heldPos: from.By.Pos(),
		})
	}
	// Direct acquisitions (and those of lock helpers, mapped to paths).
	for node, evs := range events(fn) {
		b, i := ix.Locate(node.Pos())
		if b == nil {
			continue
		}
		held := fn.HeldAllAt(info, b.Nodes[i])
		for _, e := range evs {
			if !e.Op.Acquire() || e.Deferred || e.Takes || fn.Try[e.Path] {
				continue
			}
			to := e.Path.Class()
			if fresh[e.Path.Root] {
				continue // a lock of an object just made: nobody else can hold it, so taking it cannot wait
			}
			for _, h := range held {
				if h.Path == e.Path {
					continue // a re-lock: the unlock pass's finding
				}
				if h.Path.Class() == to && to != "" {
					// Two elements of one map or slice (l.m[a], then
					// l.m[b]) are two keys or one: no instance rule
					// for them.
					if !fresh[h.Path.Root] && !h.Path.Elem() && !e.Path.Elem() {
						c.sameClass(fn, h, e)
					}
					continue
				}
				via := ""
				if e.Via != nil {
					via = e.Via.Name()
				}
				add(h, to, e.Call.Pos(), e.Call.End(), via, false)
			}
		}
	}
	// Calls of functions that acquire classed locks.
	deferred := deferredCalls(fn.Body)
	for _, call := range c.callsWithClasses(fn) {
		b, i := ix.Locate(call.Pos())
		if b == nil {
			continue
		}
		held := fn.HeldAllAt(info, b.Nodes[i])
		if deferred[call] && c.dynamic(call) {
			// A deferred literal or function value runs at the return,
			// often after releasing the locks held at the defer
			// statement (defer func() { mu.Unlock(); notify() }()): it
			// runs under those that nothing releases from here on.
			held = heldAtReturn(fn, b, i, held)
		}
		if len(held) == 0 {
			continue
		}
		// A call of a function value or interface method is here only
		// when it is made on every run of fn (callsMade).
		ts, _ := c.targets(call)
		via := c.calleeName(call)
		for _, cl := range c.acquiredBy(ts, nil) {
			for _, h := range held {
				add(h, cl, call.Pos(), call.End(), via, false)
			}
		}
		// A callee that gives up a lock of this function and takes it
		// back acquires it while the other held locks stay held. Only
		// when this function holds a lock of that class here: then the
		// callee's release is of that lock.
		for _, cl := range c.retakenBy(ts, nil) {
			holds := false
			for _, h := range held {
				holds = holds || h.Path.Class() == cl
			}
			if !holds {
				continue
			}
			for _, h := range held {
				add(h, cl, call.Pos(), call.End(), via, true)
			}
		}
	}
	return out
}

// heldAtReturn returns the locks of held, held at node i of block b,
// that a function deferred there runs under: those that no node from
// there on releases and no deferred call releases (one deferred after
// it runs first; the deferred literal itself may release it before its
// other work). The hold of a lock helper that returns holding a map
// element (URLLock, released by a deferred URLUnlock that finds it
// under a key) is one (hugo#3251).
func heldAtReturn(fn *locks.Func, b *cfg.Block, i int, held []locks.Held) []locks.Held {
	if len(held) == 0 {
		return nil
	}
	released := make(map[locks.Path]bool)
	note := func(n ast.Node, deferredOnly bool) {
		for _, evs := range [][]*locks.Event{fn.Events[n], fn.Elems[n]} {
			for _, e := range evs {
				if e.Op.Release() && (e.Deferred || !deferredOnly) {
					released[e.Path] = true
				}
			}
		}
	}
	for _, blk := range fn.CFG.Blocks {
		for _, n := range blk.Nodes {
			note(n, true)
		}
	}
	for _, n := range b.Nodes[i:] {
		note(n, false)
	}
	for blk := range flow.Reachable(b.Succs, nil) {
		for _, n := range blk.Nodes {
			note(n, false)
		}
	}
	var out []locks.Held
	for _, h := range held {
		if !released[h.Path] {
			out = append(out, h)
		}
	}
	return out
}

// events yields fn's lock operations by CFG node: those of Events, then
// those on elements of maps, slices and arrays (Elems), which are locks
// of a class too.
func events(fn *locks.Func) iter.Seq2[ast.Node, []*locks.Event] {
	return func(yield func(ast.Node, []*locks.Event) bool) {
		for n, evs := range fn.Events {
			if !yield(n, evs) {
				return
			}
		}
		for n, evs := range fn.Elems {
			if !yield(n, evs) {
				return
			}
		}
	}
}

// deferredCalls returns the calls of body's defer statements (not those
// of its function literals).
func deferredCalls(body *ast.BlockStmt) map[*ast.CallExpr]bool {
	out := make(map[*ast.CallExpr]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			out[n.Call] = true
		}
		return true
	})
	return out
}

// calleeName names the function call runs, for messages: its static
// callee, or the called expression as written (h.OnAdd, process) for a
// call of a function value or an interface method.
func (c *checker) calleeName(call *ast.CallExpr) string {
	if _, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		return "a function literal"
	}
	if c.dynamic(call) {
		return types.ExprString(call.Fun)
	}
	return callee.Of(c.pass.TypesInfo, call).Name()
}

// dynamic reports whether call calls a function value or an interface
// method: whether it has no static callee.
func (c *checker) dynamic(call *ast.CallExpr) bool {
	g := callee.Of(c.pass.TypesInfo, call)
	return g == nil || isInterfaceMethod(g)
}

// freshVars returns the variables of body that hold an object no other
// goroutine can reach yet: made in place (locks.FreshVars), or returned
// by a constructor of this package that makes it and hands it to nobody
// else (s, err := newSet(cfg)).
func (c *checker) freshVars(body *ast.BlockStmt) map[*types.Var]bool {
	info := c.pass.TypesInfo
	out := locks.FreshVars(info, body)
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 {
			return true
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok {
			return true
		}
		id, ok := as.Lhs[0].(*ast.Ident)
		if !ok {
			return true
		}
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok {
			return true
		}
		if g := callee.Of(info, call); g != nil && c.freshCtor(g) {
			out[v] = true
		}
		return true
	})
	return out
}

// freshCtor reports whether g, a function of this package, returns as its
// first result a new object that nothing else refers to: on every return
// nil, &T{...}, new(T), or a local variable made so whose other uses
// only read or set its fields (memoised).
func (c *checker) freshCtor(g *types.Func) bool {
	if v, ok := c.ctors[g]; ok {
		return v
	}
	c.ctors[g] = false
	if g.Pkg() != c.pass.Pkg {
		return false
	}
	sig, ok := g.Type().(*types.Signature)
	if !ok || sig.Recv() != nil || sig.Results().Len() == 0 {
		return false
	}
	var body *ast.BlockStmt
	for _, fn := range c.res.Funcs {
		if fn.Obj == g {
			body = fn.Body
		}
	}
	if body == nil {
		return false
	}
	info := c.pass.TypesInfo
	made := locks.FreshVars(info, body)
	ok = true
	returned := make(map[*types.Var]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) == 0 {
				ok = false
				return false
			}
			switch r := ast.Unparen(n.Results[0]).(type) {
			case *ast.Ident:
				v, _ := info.ObjectOf(r).(*types.Var)
				switch {
				case r.Name == "nil" && v == nil:
				case v != nil && made[v]:
					returned[v] = true
				default:
					ok = false
				}
			case *ast.UnaryExpr:
				if _, lit := ast.Unparen(r.X).(*ast.CompositeLit); !lit || r.Op != token.AND {
					ok = false
				}
			case *ast.CallExpr:
				if fid, isID := r.Fun.(*ast.Ident); !isID || fid.Name != "new" {
					ok = false
				}
			default:
				ok = false
			}
		}
		return ok
	})
	if !ok {
		return false
	}
	// The returned variables are used only through their fields, and
	// by the return statements.
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if id, isID := n.(*ast.Ident); isID {
			if v, _ := info.Uses[id].(*types.Var); v != nil && returned[v] {
				parent := stack[len(stack)-1]
				switch p := parent.(type) {
				case *ast.ReturnStmt:
				case *ast.SelectorExpr:
					if sel := info.Selections[p]; p.X != id || sel == nil || sel.Kind() != types.FieldVal {
						ok = false
					}
				default:
					ok = false
				}
			}
		}
		stack = append(stack, n)
		return ok
	})
	c.ctors[g] = ok
	return ok
}
