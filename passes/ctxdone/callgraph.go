package ctxdone

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/leaklint/leaklint/internal/callee"
)

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
	idx := callee.Index(c.pass.TypesInfo, c.pass.Pkg, c.pass.Files)
	g := &callGraph{callers: make(map[*types.Func][]*types.Func), open: idx.Values, decls: c.decls}
	for fn, callers := range idx.Callers {
		for _, caller := range callers {
			if caller == nil {
				g.open[fn] = true // called from a package-level initialiser
				continue
			}
			g.callers[fn] = append(g.callers[fn], caller)
		}
	}
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
	}
	c.calls, c.callSites = g, idx.Sites
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
