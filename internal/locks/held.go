package locks

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/cfg"
)

// Redefines reports whether CFG node n assigns the variable at the root
// of p: after it, the path names another lock (p = p.parent in a loop).
func (f *Func) Redefines(info *types.Info, n ast.Node, p Path) bool {
	if p.Root == nil || p.IsGlobal() {
		return false
	}
	found := false
	check := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok && info.ObjectOf(id) == p.Root {
			found = true
		}
	}
	ast.Inspect(n, func(m ast.Node) bool {
		switch m := m.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for _, lhs := range m.Lhs {
				check(lhs)
			}
		case *ast.ValueSpec:
			for _, name := range m.Names {
				check(name)
			}
		}
		return !found
	})
	return found
}

// RedefinedEntering reports whether entering block b assigns the root of
// p: the head of a range loop whose key or value is that variable.
func (f *Func) RedefinedEntering(info *types.Info, b *cfg.Block, p Path) bool {
	if b.Kind != cfg.KindRangeLoop || p.Root == nil {
		return false
	}
	rs, ok := b.Stmt.(*ast.RangeStmt)
	if !ok {
		return false
	}
	for _, e := range []ast.Expr{rs.Key, rs.Value} {
		if id, ok := e.(*ast.Ident); ok && info.ObjectOf(id) == p.Root {
			return true
		}
	}
	return false
}

// A Held is a lock held at a point, and the operation that took it.
type Held struct {
	Path Path
	By   *Event
}

// HeldAt returns the locks held on every path that reaches CFG node n,
// before n's own operations, sorted by path. Locks the function hands on,
// acquires with TryLock, or that its caller holds are not tracked: only
// the function's own acquisitions count. A deferred release leaves the
// lock held until the function returns. Reassigning the variable a lock
// is reached through ends the hold of that path.
func (f *Func) HeldAt(info *types.Info, n ast.Node) []Held {
	// The passes that share this result run in parallel: compute once.
	f.heldOnce.Do(func() { f.held = f.mustHeld(info, false) })
	return sortHeld(f.held[n])
}

// HeldAllAt is HeldAt with the locks of elements (Elems) too: for
// lock classes, where l.m[url] counts as a lock of (*T).m[].
func (f *Func) HeldAllAt(info *types.Info, n ast.Node) []Held {
	if len(f.Elems) == 0 {
		return f.HeldAt(info, n)
	}
	f.heldAllOnce.Do(func() { f.heldAll = f.mustHeld(info, true) })
	return sortHeld(f.heldAll[n])
}

func sortHeld(m heldSet) []Held {
	out := make([]Held, 0, len(m))
	for p, e := range m {
		out = append(out, Held{p, e})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path.String() < out[j].Path.String() })
	return out
}

type heldSet map[Path]*Event

func (h heldSet) clone() heldSet {
	c := make(heldSet, len(h))
	for k, v := range h {
		c[k] = v
	}
	return c
}

// step applies node n's operations to h, those on elements too if
// elems.
func (f *Func) step(info *types.Info, n ast.Node, h heldSet, elems bool) {
	evs := f.Events[n]
	if elems && len(f.Elems[n]) > 0 {
		evs = append(append([]*Event(nil), evs...), f.Elems[n]...)
	}
	for _, e := range evs {
		if e.Deferred || f.Handed[e.Path] || f.Try[e.Path] || f.CallerHeld[e.Path] {
			continue
		}
		switch {
		case e.Op.Acquire() && !e.Takes:
			if _, ok := h[e.Path]; !ok {
				h[e.Path] = e
			}
		case e.Op.Release():
			delete(h, e.Path)
		}
	}
	for p := range h {
		if f.Redefines(info, n, p) {
			delete(h, p)
		}
	}
}

// mustHeld runs the forward must-analysis of held locks over f's CFG and
// returns the set held before each node.
func (f *Func) mustHeld(info *types.Info, elems bool) map[ast.Node]heldSet {
	g := f.CFG
	preds := make(map[*cfg.Block][]*cfg.Block)
	for _, b := range g.Blocks {
		for _, s := range b.Succs {
			preds[s] = append(preds[s], b)
		}
	}
	out := make(map[*cfg.Block]heldSet)
	entry := g.Blocks[0]
	meet := func(b *cfg.Block) (heldSet, bool) {
		if b == entry {
			return heldSet{}, true
		}
		var h heldSet
		for _, p := range preds[b] {
			o, ok := out[p]
			if !ok {
				continue // not reached yet: optimistic
			}
			if h == nil {
				h = o.clone()
				continue
			}
			for k := range h {
				if _, ok := o[k]; !ok {
					delete(h, k)
				}
			}
		}
		return h, h != nil
	}
	// Entering a range loop over a variable redefines it.
	enter := func(b *cfg.Block, h heldSet) {
		for p := range h {
			if f.RedefinedEntering(info, b, p) {
				delete(h, p)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, b := range g.Blocks {
			if !b.Live {
				continue
			}
			h, ok := meet(b)
			if !ok {
				continue
			}
			enter(b, h)
			for _, n := range b.Nodes {
				f.step(info, n, h, elems)
			}
			if o, ok := out[b]; !ok || !sameKeys(o, h) {
				out[b] = h
				changed = true
			}
		}
	}
	res := make(map[ast.Node]heldSet)
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		h, ok := meet(b)
		if !ok {
			continue
		}
		enter(b, h)
		for _, n := range b.Nodes {
			res[n] = h.clone()
			f.step(info, n, h, elems)
		}
	}
	return res
}

func sameKeys(a, b heldSet) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

// FreshVars returns the local variables of body assigned a newly made
// object: &T{...}, new(T), or T{...}.
func FreshVars(info *types.Info, body *ast.BlockStmt) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, rhs := range as.Rhs {
			id, ok := as.Lhs[i].(*ast.Ident)
			if !ok {
				continue
			}
			v, ok := info.ObjectOf(id).(*types.Var)
			if !ok {
				continue
			}
			switch r := ast.Unparen(rhs).(type) {
			case *ast.UnaryExpr:
				if _, ok := ast.Unparen(r.X).(*ast.CompositeLit); ok && r.Op == token.AND {
					out[v] = true
				}
			case *ast.CompositeLit:
				out[v] = true
			case *ast.CallExpr:
				if fid, ok := r.Fun.(*ast.Ident); ok && fid.Name == "new" {
					out[v] = true
				}
			}
		}
		return true
	})
	return out
}
