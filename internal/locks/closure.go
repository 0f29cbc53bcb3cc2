package locks

import (
	"go/ast"
	"go/token"
	"go/types"
)

// ---- closure variables ----

// closures returns the local closure variables of fn whose calls are
// calls of a literal we can follow: a variable of fn's own body assigned
// exactly once, from a function literal (unlock := func() { mu.Unlock() }),
// whose address is never taken, and whose every use is a call made by fn
// itself — a statement or expression of its body, the call of a defer
// statement (defer unlock()), or a call in a deferred literal (defer
// func() { unlock() }()). A closure that is passed, stored, returned,
// started with go or called from another literal runs where we can't see:
// its releases hand the lock on, as before.
func (b *builder) closures(fn *Func) map[*types.Var]*ast.FuncLit {
	info := b.pass.TypesInfo
	assigned := make(map[*types.Var]int)
	lits := make(map[*types.Var]*ast.FuncLit)
	bad := make(map[*types.Var]bool)
	// Assignments and address-taking anywhere, literals included.
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok {
					continue
				}
				v, ok := info.ObjectOf(id).(*types.Var)
				if !ok {
					continue
				}
				assigned[v]++
				if len(n.Lhs) == len(n.Rhs) {
					if lit, ok := ast.Unparen(n.Rhs[i]).(*ast.FuncLit); ok {
						lits[v] = lit
					}
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				v, ok := info.Defs[id].(*types.Var)
				if !ok || i >= len(n.Values) {
					continue // var f func(): assigned later
				}
				assigned[v]++
				if lit, ok := ast.Unparen(n.Values[i]).(*ast.FuncLit); ok {
					lits[v] = lit
				}
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
				if v, ok := info.Uses[id].(*types.Var); ok {
					bad[v] = true
				}
			}
		}
		return true
	})
	if len(lits) == 0 {
		return nil
	}
	// The uses: only calls made by fn itself, in its own code or in a
	// deferred literal (deferredLit), which runs at its exit.
	var walk func(n ast.Node, deferredLit bool)
	walk = func(root ast.Node, deferredLit bool) {
		calls := make(map[*ast.Ident]bool) // identifiers that are no use: called, or assigned
		ast.Inspect(root, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				// go unlock(): runs on another goroutine.
				if id, ok := ast.Unparen(n.Call.Fun).(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok {
						bad[v] = true
					}
				}
			case *ast.DeferStmt:
				if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok && !deferredLit {
					for _, a := range n.Call.Args {
						walk(a, deferredLit)
					}
					walk(lit.Body, true)
					return false
				}
			case *ast.FuncLit:
				if n == root {
					return true
				}
				// Another literal, a closure's own included: a use in
				// it is no call of ours.
				ast.Inspect(n.Body, func(m ast.Node) bool {
					if id, ok := m.(*ast.Ident); ok {
						if v, ok := info.Uses[id].(*types.Var); ok {
							bad[v] = true
						}
					}
					return true
				})
				return false
			case *ast.AssignStmt:
				// unlock = func() { ... }: assigned, counted above.
				for _, lhs := range n.Lhs {
					if id, ok := ast.Unparen(lhs).(*ast.Ident); ok {
						calls[id] = true
					}
				}
			case *ast.CallExpr:
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
					calls[id] = true
				}
			case *ast.Ident:
				if v, ok := info.Uses[n].(*types.Var); ok && !calls[n] {
					bad[v] = true
				}
			}
			return true
		})
	}
	walk(fn.Body, false)
	out := make(map[*types.Var]*ast.FuncLit)
	for v, lit := range lits {
		if assigned[v] != 1 || bad[v] || v.Pos() < fn.Body.Pos() || v.Pos() >= fn.Body.End() {
			continue
		}
		// The literal must be fn's own, not a nested literal's: its Func
		// has fn as its parent.
		lf := b.res.byNode[lit]
		if lf == nil || lf.Parent != fn.Func {
			continue
		}
		out[v] = lit
	}
	return out
}

// closureEvents returns the releases that call, a call of a closure
// variable holding lit, performs: the locks lit releases on every path
// through it, without taking them (see releasedOnEveryPath).
func (b *builder) closureEvents(call *ast.CallExpr, lit *ast.FuncLit) []*Event {
	lf := b.res.byNode[lit]
	if lf == nil || lf.Events == nil {
		return nil
	}
	var out []*Event
	seen := make(map[Path]bool)
	for _, p := range lf.Paths() {
		if seen[p] {
			continue
		}
		seen[p] = true
		var rel *Event
		for _, evs := range lf.Events {
			for _, e := range evs {
				if e.Path == p && e.Op.Release() {
					rel = e
				}
			}
		}
		if rel == nil || !b.closureReleases(lit, p) {
			continue
		}
		out = append(out, &Event{Op: rel.Op, Path: p, Call: call})
	}
	return out
}

// closureReleases reports whether a call of closure literal lit releases
// p: the literal releases it on every path through it, without taking it
// and without handing it on.
func (b *builder) closureReleases(lit *ast.FuncLit, p Path) bool {
	lf := b.res.byNode[lit]
	return lf != nil && lf.Events != nil && !lf.Handed[p] && b.releasedOnEveryPath(lf, p)
}
