package lockorder

import (
	_ "embed"
	"go/ast"
	"go/types"
	"slices"
	"sort"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/locks"
	"github.com/leaklint/leaklint/internal/resolve"
)

// ---- acquisitions through calls ----

// summarise computes, for each function of the package, declared or
// literal, the classes it acquires itself or through calls, to a fixed
// point, and exports those of the declared ones (a literal has no object
// to carry a fact; its sets serve the calls of this package that run it).
func (c *checker) summarise() {
	direct := make(map[*locks.Func]map[string]bool)
	type call struct {
		expr    *ast.CallExpr
		targets []target
	}
	calls := make(map[*locks.Func][]call)
	retakes := make(map[*locks.Func]map[string]bool)
	for _, fn := range c.res.Funcs {
		if fn.CFG == nil {
			continue
		}
		// Only acquisitions on every run of the function count (see
		// runs: every path, but a loop reached runs at least once and a
		// bare guard return does no work): a function that locks only
		// in some mode is not blamed for every call, since the fact
		// can't tell which mode a call takes. Nor do re-acquisitions of
		// a lock its caller holds.
		set, back := make(map[string]bool), make(map[string]bool)
		for node, evs := range events(fn) {
			for _, e := range evs {
				if !e.Op.Acquire() || e.Via != nil || e.Deferred {
					continue
				}
				cl := e.Path.Class()
				if cl == "" || !c.runs(fn).node(node) {
					continue
				}
				if fn.CallerHeld[e.Path] {
					// The caller's lock, given up for a while and taken
					// back (mu.Unlock(); wait(); mu.Lock()): not a lock
					// the function takes, but an acquisition made while
					// the caller's other locks are held.
					if fn.Reacquired[e] {
						back[cl] = true
					}
					continue
				}
				// Reacquired but not the caller's: the function took the
				// lock before it released it, on every path there (a
				// lock and unlock in each round of a loop); it is the
				// function's own.
				set[cl] = true
			}
		}
		direct[fn] = set
		retakes[fn] = back
		for _, ce := range c.callsMade(fn) {
			if ts, ok := c.targets(ce); ok {
				calls[fn] = append(calls[fn], call{ce, ts})
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for fn, set := range direct {
			for _, cl := range calls[fn] {
				classes := c.acquiredBy(cl.targets, direct)
				back := c.retakenBy(cl.targets, retakes)
				if len(classes)+len(back) == 0 {
					continue
				}
				if len(classes) > 0 && c.runs(fn).call(cl.expr) {
					for _, class := range classes {
						if !set[class] {
							set[class] = true
							changed = true
						}
					}
				}
				// A retake stays a must-fact: only on every path.
				if len(back) == 0 || !fn.OnEveryPathAt(cl.expr.Pos()) {
					continue
				}
				// A callee's retake is the caller's too, unless the
				// caller took that lock itself: then its callers
				// don't hold it, and the caller's own acquisition
				// already orders it after theirs.
				for _, class := range back {
					if !set[class] && !retakes[fn][class] {
						retakes[fn][class] = true
						changed = true
					}
				}
			}
		}
	}
	for fn, set := range direct {
		if len(set) == 0 && len(retakes[fn]) == 0 {
			continue
		}
		list, back := sortedKeys(set), sortedKeys(retakes[fn])
		c.classes[fn] = list
		c.retakes[fn] = back
		if fn.Obj != nil {
			c.pass.ExportObjectFact(fn.Obj, &acquires{Classes: list, Retakes: back})
		}
	}
}

func sortedKeys(set map[string]bool) []string {
	var list []string
	for k := range set {
		list = append(list, k)
	}
	sort.Strings(list)
	return list
}

// A target is a function a call may run: one of this package (fn, whose
// sets this pass computes; nil when the locks analysis has no graph of
// it) or of another (obj, whose sets come from its fact).
type target struct {
	fn  *locks.Func
	obj *types.Func
}

// targets returns the functions call may run, and whether that is known:
// its static callee, or, for a call of a function value or of an
// interface method, every function of the package that the package's
// resolution finds, when they are all the call may run. An incomplete
// answer is unknown: the call then counts for nothing.
func (c *checker) targets(call *ast.CallExpr) ([]target, bool) {
	if ts, ok := c.callTargets[call]; ok {
		return ts, ts != nil
	}
	ts := c.findTargets(call)
	c.callTargets[call] = ts
	return ts, ts != nil
}

func (c *checker) findTargets(call *ast.CallExpr) []target {
	info := c.pass.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
		return nil // a conversion or a builtin runs no function
	}
	g := callee.Of(info, call)
	if g != nil && !isInterfaceMethod(g) {
		if g.Pkg() == c.pass.Pkg {
			return []target{{fn: c.byObj[g], obj: g}}
		}
		return []target{{obj: g}}
	}
	r := resolve.Of(c.pass)
	if !c.acquires || analysisutil.IsTestFile(c.pass, call.Pos()) || !r.MayCall(call, c.acquiresItself) {
		// No function of the package takes a lock, or none of the
		// call's shape that can be a value does: the resolution (which
		// builds the SSA form) could only find functions that acquire
		// nothing themselves. Tests' calls are not resolved: their
		// edges are not reported.
		return nil
	}
	syns, ok := r.Callees(call)
	if !ok || len(syns) == 0 {
		return nil // unknown: code the package does not see may run
	}
	out := make([]target, 0, len(syns))
	for _, syn := range syns {
		t := target{fn: c.res.Func(syn)}
		if d, ok := syn.(*ast.FuncDecl); ok {
			t.obj, _ = info.Defs[d.Name].(*types.Func)
		}
		out = append(out, t)
	}
	return out
}

// acquiresItself reports whether the function built from syn takes a
// lock of a class (a local mutex orders nothing), itself or through a
// static call.
func (c *checker) acquiresItself(syn ast.Node) bool {
	fn := c.res.Func(syn)
	if fn == nil {
		return false
	}
	for _, evs := range events(fn) {
		for _, e := range evs {
			if e.Op.Acquire() && e.Path.Class() != "" {
				return true
			}
		}
	}
	return false
}

// isInterfaceMethod reports whether fn is an interface's method.
func isInterfaceMethod(fn *types.Func) bool {
	r := fn.Signature().Recv()
	return r != nil && types.IsInterface(r.Type())
}

// acquiredBy returns the classes a call of one of ts acquires whichever
// it runs: those every target acquires.
func (c *checker) acquiredBy(ts []target, local map[*locks.Func]map[string]bool) []string {
	return c.common(ts, local, c.classes, func(f *acquires) []string { return f.Classes })
}

// retakenBy returns the classes a call of one of ts gives up and takes
// back whichever it runs.
func (c *checker) retakenBy(ts []target, local map[*locks.Func]map[string]bool) []string {
	return c.common(ts, local, c.retakes, func(f *acquires) []string { return f.Retakes })
}

// common returns the intersection of the lists of ts: an edge through a
// dynamic call only if every function it may run makes it.
func (c *checker) common(ts []target, local map[*locks.Func]map[string]bool, done map[*locks.Func][]string, field func(*acquires) []string) []string {
	var out []string
	for i, t := range ts {
		list := c.factList(t, local, done, field)
		if i == 0 {
			out = list
			continue
		}
		var both []string
		for _, cl := range out {
			if slices.Contains(list, cl) {
				both = append(both, cl)
			}
		}
		out = both
		if len(out) == 0 {
			break
		}
	}
	return out
}

// factList returns a list of t's acquires sets: for a function of this
// package from local while the package's sets are being computed, from
// done once they are; for one of another package from its imported
// fact.
func (c *checker) factList(t target, local map[*locks.Func]map[string]bool, done map[*locks.Func][]string, field func(*acquires) []string) []string {
	if t.fn != nil {
		if local != nil {
			return sortedKeys(local[t.fn])
		}
		return done[t.fn]
	}
	if t.obj == nil || t.obj.Pkg() == c.pass.Pkg {
		return nil // a function of the package with no graph: it takes nothing we know of
	}
	f := new(acquires)
	if c.pass.ImportObjectFact(t.obj, f) {
		return field(f)
	}
	return nil
}

// staticCalls returns the calls in body that run in its goroutine: not
// those in function literals or started with go.
func (c *checker) staticCalls(body *ast.BlockStmt) []*ast.CallExpr {
	var out []*ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.GoStmt:
			for _, a := range n.Call.Args {
				ast.Inspect(a, func(m ast.Node) bool {
					if call, ok := m.(*ast.CallExpr); ok {
						out = append(out, call)
					}
					return true
				})
			}
			return false
		case *ast.CallExpr:
			out = append(out, n)
		}
		return true
	})
	return out
}

// callsMade returns the calls of fn (see staticCalls) that can count for
// its sets or edges: every static call, and the calls of function values
// and interface methods made on every run of fn (see runs). The
// resolution says what such a call may run, not whether the state that
// makes it run (if b.batched { b.cb() }) can coexist with the other
// order, so one made in some mode only makes no edge and adds nothing
// to the function's sets; it is not resolved either (which may build
// the SSA form).
func (c *checker) callsMade(fn *locks.Func) []*ast.CallExpr {
	calls := c.staticCalls(fn.Body)
	out := calls[:0:0]
	for _, call := range calls {
		if c.dynamic(call) && (!c.acquires || !resolve.Of(c.pass).MayCall(call, c.acquiresItself) || !c.runs(fn).call(call)) {
			continue
		}
		out = append(out, call)
	}
	return out
}

// callsWithClasses returns the calls of fn to functions that acquire
// classed locks, or give them up and take them back, whichever the call
// runs.
func (c *checker) callsWithClasses(fn *locks.Func) []*ast.CallExpr {
	var out []*ast.CallExpr
	for _, call := range c.callsMade(fn) {
		if ts, ok := c.targets(call); ok && len(c.acquiredBy(ts, nil))+len(c.retakenBy(ts, nil)) > 0 {
			out = append(out, call)
		}
	}
	return out
}
