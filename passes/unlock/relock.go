package unlock

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/flow"
	"github.com/leaklint/leaklint/internal/locks"
)

// ---- taken again while held ----

// firstOn returns the first event on p in node n after position after
// (token.NoPos for all), ignoring deferred events, which happen at exit.
func firstOn(fn *locks.Func, n ast.Node, p locks.Path, after token.Pos) *locks.Event {
	for _, e := range fn.Events[n] {
		if e.Path == p && !e.Deferred && e.Pos() > after {
			return e
		}
	}
	return nil
}

// checkRelock reports a path from acquisition a to another acquisition of
// the same lock with no release in between (a deferred release does not
// count: it happens at exit).
func (c *checker) checkRelock(fn *locks.Func, a site) {
	p := a.ev.Path
	var found *locks.Event
	// The rest of a's own node first.
	if e := firstOn(fn, a.node, p, a.ev.Pos()); e != nil {
		if e.Op.Release() {
			return
		}
		found = e
	} else {
		hit := flow.Search{
			Target: func(n ast.Node) bool {
				e := firstOn(fn, n, p, token.NoPos)
				if e != nil && (e.Op.Acquire() || e.Op == locks.TryLock || e.Op == locks.TryRLock) {
					found = e
					return true
				}
				return false
			},
			Covers: func(n ast.Node) bool {
				e := firstOn(fn, n, p, token.NoPos)
				return e != nil && e.Op.Release() || fn.Redefines(c.pass.TypesInfo, n, p)
			},
			Skip:     func(b *cfg.Block) bool { return fn.RedefinedEntering(c.pass.TypesInfo, b, p) },
			SkipEdge: c.guardedEdges(fn, a),
			Exit:     func(*cfg.Block) bool { return false },
		}.From(a.block, a.index)
		if hit == nil {
			return
		}
	}
	if found == nil || found.Op == locks.TryLock || found.Op == locks.TryRLock || c.r.Suppressed(found.Pos()) {
		return // a TryLock while held just fails: no deadlock
	}
	if found.Takes && !found.Always {
		// The callee locks only on some paths (often under a flag such
		// as a "locked bool" parameter): we can't tell whether this call
		// takes one of them.
		return
	}
	both := a.ev.Op.Read() && found.Op.Read()
	var msg string
	switch {
	case found == a.ev && both:
		msg = fmt.Sprintf("%s is read-locked again on the next iteration while the read lock is still held: a writer waiting in between blocks both, a deadlock", p)
	case found == a.ev:
		msg = fmt.Sprintf("%s is locked again on the next iteration while still held (no release on the way round): the goroutine deadlocks on itself", p)
	case found.Via != nil && both:
		msg = fmt.Sprintf("%s read-locks %s while this function holds a read lock on it (line %d): a writer waiting in between blocks both, a deadlock",
			found.Via.Name(), p, c.line(a.ev.Pos()))
	case found.Via != nil:
		msg = fmt.Sprintf("%s locks %s, which is already held here (locked at line %d): the goroutine deadlocks on itself; call a variant that expects the lock held",
			found.Via.Name(), p, c.line(a.ev.Pos()))
	case both:
		msg = fmt.Sprintf("%s is read-locked again while a read lock from line %d is still held: a writer waiting in between blocks both, a deadlock",
			p, c.line(a.ev.Pos()))
	default:
		msg = fmt.Sprintf("%s is locked again while still held (locked at line %d): the goroutine deadlocks on itself", p, c.line(a.ev.Pos()))
	}
	d := analysis.Diagnostic{
		Pos:     found.Call.Pos(),
		End:     found.Call.End(),
		Message: msg,
	}
	if found != a.ev {
		d.Related = []analysis.RelatedInformation{{Pos: a.ev.Call.Pos(), Message: fmt.Sprintf("%s is acquired here", p)}}
	}
	c.r.Report(d)
}

// ---- released the wrong way ----

// checkMismatch reports the first release of a's lock on some path when
// it is of the other kind (Lock ... RUnlock, RLock ... Unlock).
func (c *checker) checkMismatch(fn *locks.Func, a site) {
	p := a.ev.Path
	var bad *locks.Event
	hit := flow.Search{
		Target: func(n ast.Node) bool {
			for _, e := range fn.Events[n] {
				if n == a.node && e.Pos() <= a.ev.Pos() {
					continue
				}
				if e.Path == p && e.Op.Release() && e.Op.Read() != a.ev.Op.Read() {
					bad = e
					return true
				}
			}
			return false
		},
		Covers:   func(n ast.Node) bool { return releasesAfter(fn, n, a, p) || c.redefines(fn, n, a, p) },
		Skip:     func(b *cfg.Block) bool { return fn.RedefinedEntering(c.pass.TypesInfo, b, p) },
		SkipEdge: c.guardedEdges(fn, a),
		Exit:     func(*cfg.Block) bool { return false },
	}.From(a.block, a.index-1)
	if hit == nil || bad == nil || c.r.Suppressed(bad.Pos()) {
		return
	}
	want := "Unlock"
	if a.ev.Op.Read() {
		want = "RUnlock"
	}
	c.r.Report(analysis.Diagnostic{
		Pos: bad.Call.Pos(),
		End: bad.Call.End(),
		Message: fmt.Sprintf("%s was acquired with %s (line %d) but is released with %s: use %s",
			p, a.ev.Op, c.line(a.ev.Pos()), bad.Op, want),
		Related: []analysis.RelatedInformation{{Pos: a.ev.Call.Pos(), Message: fmt.Sprintf("%s acquired here", p)}},
	})
}

// checkDeferLock reports defer mu.Lock() (or RLock) right after mu.Lock():
// the deferred call meant to release the lock takes it again at exit.
func (c *checker) checkDeferLock(fn *locks.Func) {
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		block, ok := n.(*ast.BlockStmt)
		if !ok {
			return true
		}
		for i := 1; i < len(block.List); i++ {
			d, ok := block.List[i].(*ast.DeferStmt)
			if !ok {
				continue
			}
			de := eventOf(fn, d, func(e *locks.Event) bool { return e.Op.Acquire() && e.Deferred && e.Via == nil })
			if de == nil {
				continue
			}
			prev := eventOf(fn, block.List[i-1], func(e *locks.Event) bool {
				return e.Op.Acquire() && !e.Deferred && e.Path == de.Path
			})
			if prev == nil || c.r.Suppressed(de.Pos()) {
				continue
			}
			sel := ast.Unparen(de.Call.Fun).(*ast.SelectorExpr)
			want := "Unlock"
			if prev.Op.Read() {
				want = "RUnlock"
			}
			c.r.Report(analysis.Diagnostic{
				Pos:     de.Call.Pos(),
				End:     de.Call.End(),
				Message: fmt.Sprintf("defer %s() right after locking takes %s again when the function returns: did you mean defer %s.%s()?", types.ExprString(de.Call.Fun), de.Path, types.ExprString(sel.X), want),
				SuggestedFixes: []analysis.SuggestedFix{{
					Message:   fmt.Sprintf("Replace with defer %s.%s()", types.ExprString(sel.X), want),
					TextEdits: []analysis.TextEdit{{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte(want)}},
				}},
			})
		}
		return true
	})
}

// eventOf returns the first event of the CFG node stmt that satisfies ok.
func eventOf(fn *locks.Func, stmt ast.Node, ok func(*locks.Event) bool) *locks.Event {
	for _, e := range fn.Events[stmt] {
		if ok(e) {
			return e
		}
	}
	return nil
}

// ---- double unlock ----

// state is what is certainly known of a lock at a point: how many times
// it is held (1 after Lock, 2 after a second Lock, which deadlocks but is
// reported as such), released (0) after its last release, or unknown.
type state int

const (
	unknown  state = -1 // the caller may hold it, or paths disagree
	released state = 0  // released on every path here, after an acquisition
)

// checkDoubleUnlock reports releases of a lock that is certainly released
// already on every path reaching them: unlocking an unlocked mutex is a
// fatal error at run time.
func (c *checker) checkDoubleUnlock(fn *locks.Func, all []site) {
	seen := make(map[locks.Path]bool)
	for _, s := range all {
		p := s.ev.Path
		if seen[p] || !s.ev.Op.Release() || s.ev.Deferred || fn.Handed[p] || fn.Try[p] {
			continue
		}
		seen[p] = true
		c.doubleUnlock(fn, p)
	}
}

// doubleUnlock runs a forward must-analysis of lock p over fn's CFG.
func (c *checker) doubleUnlock(fn *locks.Func, p locks.Path) {
	g := fn.CFG
	preds := make(map[*cfg.Block][]*cfg.Block)
	for _, b := range g.Blocks {
		for _, s := range b.Succs {
			preds[s] = append(preds[s], b)
		}
	}
	type fact struct {
		st  state
		rel token.Pos // the release that made it released
	}
	// step applies node n's events to f, calling onRelease for each
	// release with the state before it.
	step := func(n ast.Node, f fact, onRelease func(*locks.Event, fact)) fact {
		for _, e := range fn.Events[n] {
			if e.Path != p || e.Deferred || e.Takes {
				continue
			}
			switch {
			case e.Op.Acquire() && f.st <= released:
				f = fact{1, token.NoPos}
			case e.Op.Acquire():
				f = fact{f.st + 1, token.NoPos}
			case e.Op.Release():
				if onRelease != nil {
					onRelease(e, f)
				}
				switch {
				case f.st == unknown:
				case f.st > 1:
					f = fact{f.st - 1, token.NoPos}
				default:
					f = fact{released, e.Pos()}
				}
			}
		}
		return f
	}
	in := make(map[*cfg.Block]fact)
	out := make(map[*cfg.Block]fact)
	done := make(map[*cfg.Block]bool) // out computed
	entry := g.Blocks[0]
	for changed := true; changed; {
		changed = false
		for _, b := range g.Blocks {
			if !b.Live {
				continue
			}
			f, any := fact{unknown, token.NoPos}, b == entry
			if b != entry {
				for _, pr := range preds[b] {
					if !done[pr] {
						continue // not reached yet: optimistic
					}
					if !any {
						f, any = out[pr], true
					} else if out[pr].st != f.st {
						f = fact{unknown, token.NoPos}
					}
				}
			}
			if !any {
				continue
			}
			in[b] = f
			for _, n := range b.Nodes {
				f = step(n, f, nil)
			}
			if !done[b] || out[b] != f {
				out[b], done[b] = f, true
				changed = true
			}
		}
	}
	for _, b := range g.Blocks {
		if !b.Live || !done[b] {
			continue
		}
		f := in[b]
		for _, n := range b.Nodes {
			f = step(n, f, func(e *locks.Event, before fact) {
				if before.st != released || c.r.Suppressed(e.Pos()) {
					return
				}
				c.r.Report(analysis.Diagnostic{
					Pos:     e.Call.Pos(),
					End:     e.Call.End(),
					Message: fmt.Sprintf("%s is already unlocked here on every path (released at line %d): unlocking an unlocked mutex is a fatal error", p, c.line(before.rel)),
				})
			})
		}
	}
}

// ---- strict mode ----

// checkDeferred reports, in strict mode, an acquisition released without
// defer while the critical section calls something that may panic.
func (c *checker) checkDeferred(fn *locks.Func, a site) {
	p := a.ev.Path
	// Released by a deferred call on every path? Then it's fine.
	deferred := flow.Search{
		Covers: func(n ast.Node) bool {
			for _, e := range fn.Events[n] {
				if e.Op.Release() && e.Path == p && e.Deferred {
					return true
				}
			}
			return false
		},
		Exit: exitOrPanic(c.pass.TypesInfo),
	}.From(a.block, a.index)
	if deferred == nil {
		return
	}
	// The first call in the critical section that may panic.
	var risky *ast.CallExpr
	flow.Search{
		Target: func(n ast.Node) bool {
			if n == a.node {
				return false
			}
			risky = c.mayPanic(fn, n, p)
			return risky != nil
		},
		Covers: func(n ast.Node) bool { return releasesAfter(fn, n, a, p) },
		Exit:   func(*cfg.Block) bool { return false },
	}.From(a.block, a.index)
	if risky == nil || c.r.Suppressed(a.ev.Pos()) {
		return
	}
	c.r.Report(analysis.Diagnostic{
		Pos: a.ev.Call.Pos(),
		End: a.ev.Call.End(),
		Message: fmt.Sprintf("%s is not released with defer, and the critical section calls %s, which may panic: if the panic is recovered %s stays locked; use defer %s()",
			p, types.ExprString(risky.Fun), p, unlockExpr(a.ev)),
		Related: []analysis.RelatedInformation{{Pos: risky.Pos(), Message: "this call may panic"}},
	})
}

// mayPanic returns the first call in node n that may panic: any call but
// a lock operation on p, a conversion, or a builtin that cannot panic.
func (c *checker) mayPanic(fn *locks.Func, n ast.Node, p locks.Path) *ast.CallExpr {
	info := c.pass.TypesInfo
	var found *ast.CallExpr
	ast.Inspect(n, func(m ast.Node) bool {
		if found != nil {
			return false
		}
		if _, ok := m.(*ast.FuncLit); ok {
			return false
		}
		call, ok := m.(*ast.CallExpr)
		if !ok {
			return true
		}
		if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
			return true // a conversion
		}
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
			if b, ok := info.Uses[id].(*types.Builtin); ok {
				switch b.Name() {
				case "len", "cap", "append", "copy", "delete", "min", "max", "new", "clear", "print", "println":
					return true
				}
			}
		}
		for _, e := range fn.Events[n] {
			if e.Call == call {
				return true // the lock operations themselves
			}
		}
		found = call
		return false
	})
	return found
}
