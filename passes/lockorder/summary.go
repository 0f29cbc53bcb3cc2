package lockorder

import (
	_ "embed"
	"go/ast"
	"go/types"
	"sort"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/locks"
)

// ---- acquisitions through calls ----

// summarise computes, for each function of the package, the classes it
// acquires itself or through calls, to a fixed point, and exports them.
func (c *checker) summarise() {
	direct := make(map[*types.Func]map[string]bool)
	type call struct {
		expr *ast.CallExpr
		g    *types.Func
	}
	calls := make(map[*types.Func][]call)
	funcs := make(map[*types.Func]*locks.Func)
	retakes := make(map[*types.Func]map[string]bool)
	every := make(map[*types.Func]*runs)
	for _, fn := range c.res.Funcs {
		if fn.Obj == nil {
			continue
		}
		funcs[fn.Obj] = fn
		// Only acquisitions on every run of the function count (see
		// runs: every path, but a loop reached runs at least once and a
		// bare guard return does no work): a function that locks only
		// in some mode is not blamed for every call, since the fact
		// can't tell which mode a call takes. Nor do re-acquisitions of
		// a lock its caller holds.
		rn := newRuns(c.pass.TypesInfo, fn)
		every[fn.Obj] = rn
		set, back := make(map[string]bool), make(map[string]bool)
		for node, evs := range fn.Events {
			for _, e := range evs {
				if !e.Op.Acquire() || e.Via != nil || e.Deferred {
					continue
				}
				cl := e.Path.Class()
				if cl == "" || !rn.node(node) {
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
		direct[fn.Obj] = set
		retakes[fn.Obj] = back
		for _, ce := range c.staticCalls(fn.Body) {
			if g := callee.Of(c.pass.TypesInfo, ce); g != nil {
				calls[fn.Obj] = append(calls[fn.Obj], call{ce, g})
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for f, set := range direct {
			fn := funcs[f]
			for _, cl := range calls[f] {
				classes := c.acquiredBy(cl.g, direct)
				back := c.retakenBy(cl.g, retakes)
				if len(classes)+len(back) == 0 {
					continue
				}
				if len(classes) > 0 && every[f].at(cl.expr.Pos()) {
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
					if !set[class] && !retakes[f][class] {
						retakes[f][class] = true
						changed = true
					}
				}
			}
		}
	}
	for f, set := range direct {
		if len(set) == 0 && len(retakes[f]) == 0 {
			continue
		}
		list, back := sortedKeys(set), sortedKeys(retakes[f])
		c.classes[f] = list
		c.retakes[f] = back
		c.pass.ExportObjectFact(f, &acquires{Classes: list, Retakes: back})
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

// acquiredBy returns the classes function g acquires: this package's
// computed set, or the imported fact.
func (c *checker) acquiredBy(g *types.Func, local map[*types.Func]map[string]bool) []string {
	return c.factList(g, local, c.classes, func(f *acquires) []string { return f.Classes })
}

// retakenBy returns the classes function g gives up and takes back: this
// package's computed set, or the imported fact.
func (c *checker) retakenBy(g *types.Func, local map[*types.Func]map[string]bool) []string {
	return c.factList(g, local, c.retakes, func(f *acquires) []string { return f.Retakes })
}

// factList returns a list of g's acquires fact: from local while the
// package's sets are being computed, from done once they are, or from
// the fact imported for a function of another package.
func (c *checker) factList(g *types.Func, local map[*types.Func]map[string]bool, done map[*types.Func][]string, field func(*acquires) []string) []string {
	if g.Pkg() == c.pass.Pkg {
		if local != nil {
			return sortedKeys(local[g])
		}
		return done[g]
	}
	f := new(acquires)
	if c.pass.ImportObjectFact(g, f) {
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

// callsWithClasses returns the calls of fn to functions that acquire
// classed locks.
func (c *checker) callsWithClasses(fn *locks.Func) []*ast.CallExpr {
	var out []*ast.CallExpr
	for _, call := range c.staticCalls(fn.Body) {
		if g := callee.Of(c.pass.TypesInfo, call); g != nil && len(c.acquiredBy(g, nil))+len(c.retakenBy(g, nil)) > 0 {
			out = append(out, call)
		}
	}
	return out
}
