package lockblock

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/locks"
	"github.com/leaklint/leaklint/internal/resolve"
)

// deadlockable returns the held locks to report o under. By default only
// those that can deadlock: a receive, range or WaitGroup.Wait whose
// partners are known and may take the held lock. With -stall, every
// held lock, except those the known partners of a wait cannot take.
func (c *checker) deadlockable(o *op, held []locks.Held, self excluded) []locks.Held {
	if c.conf.Stall {
		if o.waitKind != noPartner {
			return c.partnersMayTake(o, held, true, self)
		}
		return held
	}
	if o.waitKind == noPartner {
		return nil // a sleep, I/O, a select, a call that may block: a stall
	}
	return c.partnersMayTake(o, held, false, self)
}

// excluded lists the functions of the waiting goroutine itself: the
// function the wait is in and, for a wait inside a callee, the calls
// that lead there. A goroutine does not end its own wait (a drain of
// the channel before the send, a receive after it, a close at the end),
// so none of them is a partner.
type excluded map[*locks.Func]bool

// partnersFor returns the functions able to end a wait on k: those that
// send on, receive from or close the channel, or call Done, and their
// callers, transitively, leaving out self.
func (c *checker) partnersFor(k partnerKey, self excluded) []*locks.Func {
	c.findPartners()
	skip := false
	for _, fn := range c.directOf(k) {
		if self[fn] {
			skip = true
		}
	}
	if !skip {
		// The callers added can still be self: drop those only.
		var out []*locks.Func
		for _, fn := range c.partnersOf(k) {
			if !self[fn] {
				out = append(out, fn)
			}
		}
		return out
	}
	seen := make(map[*locks.Func]bool)
	var out []*locks.Func
	for _, fn := range c.directOf(k) {
		if !self[fn] && !seen[fn] {
			seen[fn] = true
			out = append(out, fn)
		}
	}
	for i := 0; i < len(out); i++ {
		if out[i].Obj == nil {
			continue
		}
		for _, caller := range c.callerMap[out[i].Obj] {
			if !self[caller] && !seen[caller] {
				seen[caller] = true
				out = append(out, caller)
			}
		}
	}
	return out
}

// waitKey returns what o waits for: the channel or WaitGroup its syntax
// names, or, when the syntax names a local variable (a copy of a field,
// a parameter) or nothing (a getter's result), the field or variable
// that the package's SSA form shows the channel comes from.
func (c *checker) waitKey(o *op) partnerKey {
	if o.waitsFor == nil && o.chanAt == token.NoPos {
		return partnerKey{}
	}
	return partnerKey{c.resolveChan(o.waitsFor, o.chanAt), o.waitKind}
}

// resolveChan returns the channel the operation at pos works on, given
// obj, what its syntax names (see waitKey).
func (c *checker) resolveChan(obj types.Object, pos token.Pos) types.Object {
	if ch, ok := c.namedChan(obj, pos); ok {
		return ch
	}
	if res := resolve.Of(c.pass).ChanAt(pos); res != nil {
		if res.Name() == "" {
			// A channel made in the package: only an unbuffered one
			// (a buffered one is a queue or a token pool, whose
			// waits the rules above leave alone).
			if mk := c.makeAt(res.Pos()); mk == nil || bufferedMake(c.pass.TypesInfo, mk) {
				return obj
			}
		}
		return res
	}
	return obj
}

// namedChan returns the channel obj (what an operation's syntax names)
// is when that takes no SSA form: a field, a package variable, a local
// made once (named by its make, when unbuffered), a non-variable; false
// when only the resolution can say (a local copy, a parameter, a
// getter's result).
func (c *checker) namedChan(obj types.Object, pos token.Pos) (types.Object, bool) {
	v, isVar := obj.(*types.Var)
	switch {
	case obj != nil && !isVar, isVar && (v.IsField() || v.Parent() == c.pass.Pkg.Scope()):
		return obj, true
	case isVar && c.madeLocals()[v] != nil:
		// A local made once and never assigned again: the make names
		// it, the same object the resolution gives a parameter bound to
		// it, without building the SSA form.
		mk := c.madeLocals()[v]
		if made := resolve.Of(c.pass).MadeAt(mk.Lparen, v.Type()); made != nil && !bufferedMake(c.pass.TypesInfo, mk) {
			return made, true
		}
		return obj, true
	case pos == token.NoPos || resolve.Of(c.pass) == nil:
		return obj, true
	}
	return nil, false
}

// bufferedMake reports whether a make of a channel gives it a buffer
// (a size that is not a constant 0).
func bufferedMake(info *types.Info, mk *ast.CallExpr) bool {
	if len(mk.Args) < 2 {
		return false
	}
	tv := info.Types[mk.Args[1]]
	return tv.Value == nil || tv.Value.String() != "0"
}

// makeAt returns the make call whose left parenthesis is at lparen.
func (c *checker) makeAt(lparen token.Pos) *ast.CallExpr {
	c.madeLocals()
	return c.makes[lparen]
}

// madeHere reports whether the package makes the channel obj stands
// for: a channel the resolution names by its make, or an unexported
// field or variable that the package assigns only makes (and nil).
func (c *checker) madeHere(obj types.Object) bool {
	if obj == nil {
		return false
	}
	if obj.Name() == "" {
		return true
	}
	c.madeLocals()
	return c.onlyMade[obj] && !obj.Exported()
}

// madeLocals returns the local channel variables of the package defined
// by a make and never assigned again nor addressed, with that make.
func (c *checker) madeLocals() map[*types.Var]*ast.CallExpr {
	if c.made != nil {
		return c.made
	}
	info := c.pass.TypesInfo
	c.made = make(map[*types.Var]*ast.CallExpr)
	c.makes = make(map[token.Pos]*ast.CallExpr)
	c.onlyMade = make(map[types.Object]bool)
	notMade := make(map[types.Object]bool)
	isMake := func(e ast.Expr) bool {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return false
		}
		fid, ok := ast.Unparen(call.Fun).(*ast.Ident)
		return ok && fid.Name == "make" && info.Uses[fid] == types.Universe.Lookup("make")
	}
	// onlyMade: every value assigned to a field or variable of channel
	// type is a make or nil.
	store := func(obj types.Object, rhs ast.Expr) {
		if obj == nil {
			return
		}
		if _, ok := typeUnder(obj.Type()).(*types.Chan); !ok {
			return
		}
		if rhs != nil && isMake(rhs) {
			c.onlyMade[obj] = true
			return
		}
		if tv, ok := info.Types[rhs]; rhs != nil && ok && tv.IsNil() {
			return
		}
		notMade[obj] = true
	}
	other := make(map[*types.Var]bool)
	note := func(id *ast.Ident, rhs ast.Expr, def bool) {
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok || v.IsField() || v.Parent() == c.pass.Pkg.Scope() {
			return
		}
		call, isCall := ast.Unparen(rhs).(*ast.CallExpr)
		if def && isCall && rhs != nil {
			if fid, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && fid.Name == "make" && info.Uses[fid] == types.Universe.Lookup("make") {
				if _, ok := typeUnder(v.Type()).(*types.Chan); ok && c.made[v] == nil {
					c.made[v] = call
					return
				}
			}
		}
		other[v] = true
	}
	analysisutil.Inspector(c.pass).Preorder([]ast.Node{
		(*ast.AssignStmt)(nil),
		(*ast.ValueSpec)(nil),
		(*ast.UnaryExpr)(nil),
		(*ast.RangeStmt)(nil),
		(*ast.CallExpr)(nil),
		(*ast.KeyValueExpr)(nil),
	}, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.CallExpr:
			if isMake(n) {
				c.makes[n.Lparen] = n
			}
		case *ast.KeyValueExpr:
			if key, ok := n.Key.(*ast.Ident); ok {
				if f, ok := info.Uses[key].(*types.Var); ok && f.IsField() {
					store(f.Origin(), n.Value)
				}
			}
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				var rhs ast.Expr
				if len(n.Rhs) == len(n.Lhs) {
					rhs = n.Rhs[i]
				}
				if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok {
					store(origin(info.Uses[sel.Sel]), rhs)
					continue
				}
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok {
					continue
				}
				store(origin(info.ObjectOf(id)), rhs)
				note(id, rhs, n.Tok == token.DEFINE && info.Defs[id] != nil)
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				var rhs ast.Expr
				if len(n.Values) == len(n.Names) {
					rhs = n.Values[i]
				}
				store(info.Defs[id], rhs)
				note(id, rhs, true)
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
				note(id, nil, false)
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok {
					note(id, nil, false)
				}
			}
		}
	})
	for v := range other {
		delete(c.made, v)
	}
	for obj := range notMade {
		delete(c.onlyMade, obj)
	}
	return c.made
}

// partnerTaking names a partner of o's wait that takes the lock h, or
// returns "".
func (c *checker) partnerTaking(o *op, h locks.Held, self excluded) string {
	if o.waitKind == noPartner {
		return ""
	}
	id := h.Path.Object()
	for _, fn := range c.partnersFor(c.waitKey(o), self) {
		ids, known := c.takes(fn, make(map[*locks.Func]bool))
		if known && ids[id] {
			return fn.Name()
		}
	}
	return ""
}

// partnersMayTake returns the held locks that the goroutines able to end
// the wait of o may need: for a receive, the code that sends on or
// closes the channel; for WaitGroup.Wait, the code that calls Done. A
// held lock none of them can take only makes other users of the lock
// wait (and the join is usually a shutdown path); one they may take can
// deadlock. When the partners are not all known — none found, or one of
// them makes calls we can't follow — every held lock counts.
func (c *checker) partnersMayTake(o *op, held []locks.Held, unknownCounts bool, self excluded) []locks.Held {
	unknown := held
	if !unknownCounts {
		unknown = nil
	}
	ps := c.partnersFor(c.waitKey(o), self)
	if len(ps) == 0 {
		return unknown
	}
	may := make(map[types.Object]bool)
	for _, fn := range ps {
		ids, known := c.takes(fn, make(map[*locks.Func]bool))
		if !known {
			return unknown
		}
		for id := range ids {
			may[id] = true
		}
	}
	var out []locks.Held
	for _, h := range held {
		id := h.Path.Object()
		if id != nil && !may[id] {
			continue
		}
		if !unknownCounts && id != nil && o.waitKind != wgDone && c.escapes(ps, id) {
			continue
		}
		out = append(out, h)
	}
	return out
}

// escapes reports whether one of the goroutines able to end a channel
// wait can do so without taking the lock id: a partner where a goroutine
// starts (see checker.inner) whose code never takes it, such as the
// callback of a time.AfterFunc that closes the channel. One partner is
// enough to end a channel wait, so it does not depend on the lock. (A
// WaitGroup.Wait needs every Done: any partner that takes the lock can
// deadlock it.)
func (c *checker) escapes(ps []*locks.Func, id types.Object) bool {
	for _, fn := range ps {
		if c.inner[fn] {
			continue
		}
		if ids, known := c.takes(fn, make(map[*locks.Func]bool)); known && !ids[id] {
			return true
		}
	}
	return false
}

type partnerKey struct {
	obj  types.Object
	kind partnerKind
}

// findPartners finds, once, the functions (declarations and literals)
// that send on, receive from or close each channel of the package, or
// call Done on each WaitGroup, and who calls whom. An operation whose
// channel the syntax names (a field, a package variable, a local made
// once) is noted at once; one on a local copy, a parameter or a getter's
// result needs the package's SSA form to say which channel it is, and
// waits (pending) until a wait on a channel of its element type asks
// (settle): most packages never ask, and then never build it.
func (c *checker) findPartners() {
	if c.direct != nil {
		return
	}
	info := c.pass.TypesInfo
	c.direct = make(map[partnerKey][]*locks.Func)
	c.closers = make(map[types.Object][]*locks.Func)
	c.partners = make(map[partnerKey][]*locks.Func)
	c.findInline()
	for _, fn := range c.res.Funcs {
		if analysisutil.IsTestFile(c.pass, fn.Body.Pos()) {
			// Tests are not partners: the package's own goroutines are
			// (and a package analysed with its tests must say the same
			// as without them).
			continue
		}
		chanOp := func(e ast.Expr, pos token.Pos, kind partnerKind, isClose bool) {
			obj := c.chanObj(e)
			if ch, ok := c.namedChan(obj, pos); ok {
				c.noteChanOp(fn, ch, kind, isClose)
				return
			}
			t, ok := typeUnder(info.TypeOf(e)).(*types.Chan)
			if !ok {
				return
			}
			c.pending = append(c.pending, &pendingOp{fn: fn, obj: obj, pos: pos, elem: t.Elem(), kind: kind, close: isClose})
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				// A function of its own in c.res.Funcs; one deferred or
				// called in place also runs as part of fn.
				return c.byLit[n] != nil && c.inner[c.byLit[n]]
			case *ast.SendStmt:
				chanOp(n.Chan, n.Arrow, chanSender, false)
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					chanOp(n.X, n.OpPos, chanReceiver, false)
				}
			case *ast.RangeStmt:
				if _, ok := typeUnder(info.TypeOf(n.X)).(*types.Chan); ok {
					chanOp(n.X, n.For, chanReceiver, false)
				}
			case *ast.CallExpr:
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "close" && len(n.Args) == 1 {
					// A close ends a receive, and a send too: the
					// sender panics, but it does not wait any more.
					chanOp(n.Args[0], n.Lparen, chanSender, true)
				}
				if f := callee.Of(info, n); callee.IsMethod(f, "sync", "WaitGroup", "Done") {
					if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
						c.noteChanOp(fn, c.chanObj(sel.X), wgDone, false)
					}
				}
			}
			return true
		})
	}
	// A goroutine that ends the wait through a helper (defer
	// s.SetStopped(), which calls Done) is a partner too: the callers of
	// partners, transitively (partnersOf).
	callers := make(map[*types.Func][]*locks.Func)
	started := make(map[*types.Func]bool)
	for _, fn := range c.res.Funcs {
		if analysisutil.IsTestFile(c.pass, fn.Body.Pos()) {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if lit, ok := n.(*ast.FuncLit); ok {
				return c.inner[c.byLit[lit]]
			}
			if call, ok := n.(*ast.CallExpr); ok {
				if g := callee.Of(info, call); g != nil && g.Pkg() == c.pass.Pkg {
					if c.goCalls[call] {
						started[g] = true // a goroutine of its own
					} else {
						callers[g] = append(callers[g], fn)
					}
				}
			}
			return true
		})
	}
	c.callerMap = callers
	for _, fn := range c.res.Funcs {
		if fn.Obj != nil && len(callers[fn.Obj]) > 0 && !started[fn.Obj] {
			c.inner[fn] = true
		}
	}
}

// A pendingOp is a channel operation of a partner whose channel only
// the SSA form can name (see findPartners).
type pendingOp struct {
	fn      *locks.Func
	obj     types.Object // what the syntax names: a local, a parameter, or nil
	pos     token.Pos    // the operation, for resolve.ChanAt
	elem    types.Type   // the channel's element type
	kind    partnerKind
	close   bool
	settled bool
}

// noteChanOp records fn as a partner on ch: of a receive for a send or a
// close (kind chanSender), of a send for a receive, of a Wait for Done.
func (c *checker) noteChanOp(fn *locks.Func, ch types.Object, kind partnerKind, isClose bool) {
	if ch == nil {
		return
	}
	k := partnerKey{ch, kind}
	c.direct[k] = c.insertFunc(c.direct[k], fn)
	if isClose && c.madeHere(ch) {
		// A close ends a send too, but only where the package makes
		// the channel (one handed in from outside has receivers there),
		// and only if nothing receives (directOf).
		c.closers[ch] = c.insertFunc(c.closers[ch], fn)
	}
}

// insertFunc adds fn to list, kept in the package's order of functions
// (an operation settled late lands where it would have been found).
func (c *checker) insertFunc(list []*locks.Func, fn *locks.Func) []*locks.Func {
	if slices.Contains(list, fn) {
		return list
	}
	if c.funcIndex == nil {
		c.funcIndex = make(map[*locks.Func]int, len(c.res.Funcs))
		for i, f := range c.res.Funcs {
			c.funcIndex[f] = i
		}
	}
	i, _ := slices.BinarySearchFunc(list, fn, func(a, b *locks.Func) int { return c.funcIndex[a] - c.funcIndex[b] })
	return slices.Insert(list, i, fn)
}

// settle resolves the pending operations on channels of k's element
// type: only they can be on k's channel.
func (c *checker) settle(k partnerKey) {
	if k.obj == nil || k.kind == wgDone {
		return
	}
	t, ok := typeUnder(k.obj.Type()).(*types.Chan)
	if !ok {
		return
	}
	for _, p := range c.pending {
		if p.settled || !types.Identical(p.elem, t.Elem()) {
			continue
		}
		p.settled = true
		c.noteChanOp(p.fn, c.resolveChan(p.obj, p.pos), p.kind, p.close)
	}
}

// directOf returns the functions that operate on k themselves. A close
// ends a send's wait too (the sender panics), but it is the partner of
// a send only when nothing in the package receives from the channel
// (kubernetes6632): with receivers, closing under pending sends is a bug
// of its own, and the receivers are the ones a send waits for.
func (c *checker) directOf(k partnerKey) []*locks.Func {
	c.findPartners()
	c.settle(k)
	if k.kind == chanReceiver && len(c.direct[k]) == 0 {
		return c.closers[k.obj]
	}
	return c.direct[k]
}

// partnersOf returns the functions able to end a wait on k: directOf(k)
// and their callers, transitively.
func (c *checker) partnersOf(k partnerKey) []*locks.Func {
	if out, ok := c.partners[k]; ok {
		return out
	}
	direct := c.directOf(k)
	out := append([]*locks.Func(nil), direct...)
	seen := make(map[*locks.Func]bool)
	for _, f := range direct {
		seen[f] = true
	}
	for i := 0; i < len(out); i++ {
		f := out[i]
		if f.Obj == nil {
			continue
		}
		for _, caller := range c.callerMap[f.Obj] {
			if !seen[caller] {
				seen[caller] = true
				out = append(out, caller)
			}
		}
	}
	c.partners[k] = out
	return out
}

// findInline fills c.byLit and marks in c.inner the function literals
// that are deferred or called where they are written: their code runs on
// the goroutine of the function around them.
func (c *checker) findInline() {
	c.byLit = make(map[*ast.FuncLit]*locks.Func)
	c.inner = make(map[*locks.Func]bool)
	c.goCalls = make(map[*ast.CallExpr]bool)
	for _, fn := range c.res.Funcs {
		if lit, ok := fn.Node.(*ast.FuncLit); ok {
			c.byLit[lit] = fn
		}
	}
	for _, fn := range c.res.Funcs {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // visited as a function of its own
			case *ast.GoStmt:
				// Its literal starts a goroutine; its arguments are
				// evaluated here.
				c.goCalls[n.Call] = true
				for _, arg := range n.Call.Args {
					ast.Inspect(arg, func(m ast.Node) bool {
						if call, ok := m.(*ast.CallExpr); ok {
							c.markInline(call)
						}
						return true
					})
				}
				if _, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); !ok {
					ast.Inspect(n.Call.Fun, func(m ast.Node) bool {
						if call, ok := m.(*ast.CallExpr); ok {
							c.markInline(call)
						}
						return true
					})
				}
				return false
			case *ast.CallExpr:
				c.markInline(n)
			}
			return true
		})
	}
}

func (c *checker) markInline(call *ast.CallExpr) {
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		if lf := c.byLit[lit]; lf != nil {
			c.inner[lf] = true
		}
	}
}

// takes returns the lock identities fn acquires, itself or through the
// functions of the package it calls, and whether that is all it may
// acquire: false when it calls something we can't follow (a function
// value, an interface method, or a function of another package that
// takes locks).
func (c *checker) takes(fn *locks.Func, visiting map[*locks.Func]bool) (map[types.Object]bool, bool) {
	ids := make(map[types.Object]bool)
	if visiting[fn] {
		return ids, true
	}
	visiting[fn] = true
	for _, evs := range fn.Events {
		for _, e := range evs {
			if e.Op.Acquire() || e.Op == locks.TryLock || e.Op == locks.TryRLock {
				if id := e.Path.Object(); id != nil {
					ids[id] = true
				}
			}
		}
	}
	known := true
	info := c.pass.TypesInfo
	// add adds what lf, a function fn runs, takes; false when that is
	// not known.
	add := func(lf *locks.Func) bool {
		sub, ok := c.takes(lf, visiting)
		if !ok {
			known = false
			return false
		}
		for id := range sub {
			ids[id] = true
		}
		return true
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if !known {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			// A literal deferred or called in place runs here.
			if lf := c.byLit[n]; lf != nil && c.inner[lf] {
				add(lf)
			}
			return false
		case *ast.CallExpr:
			if tv, ok := info.Types[n.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
				return true
			}
			if _, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok {
				return true // the literal's code, above
			}
			if c.goCalls[n] {
				// The callee runs on its own goroutine, a partner of
				// its own when it ends the wait; fn does not take its
				// locks.
				return true
			}
			g := callee.Of(info, n)
			if g == nil || isInterfaceMethod(g) {
				// A function value or an interface method: what the
				// package's resolution says it may run, all of it.
				// Only when a function of the call's shape that can be
				// a value takes a lock can the resolution (which builds
				// the SSA form) tell more than the rules below.
				r := resolve.Of(c.pass)
				var fns []ast.Node
				ok := false
				if r.MayCall(n, c.takesItself) {
					fns, ok = r.Callees(n)
				}
				if ok {
					for _, syn := range fns {
						if lf := c.funcOf(syn); lf != nil && !add(lf) {
							return false
						}
					}
					return true
				}
			}
			if g == nil {
				known = false // a function value
				return false
			}
			if sig := g.Signature(); sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
				// An interface method: unknown if a method of that name
				// in this package takes a lock.
				if c.lockingMethods()[g.Name()] {
					known = false
					return false
				}
				return true
			}
			if g.Pkg() != c.pass.Pkg {
				// Another package: it can only take our locks through
				// what we pass it; lock methods are events already.
				return true
			}
			if lf := c.byObj[g]; lf != nil && !add(lf) {
				return false
			}
		}
		return true
	})
	return ids, known
}

// takesItself reports whether the function built from syn acquires a
// lock itself or through a static call.
func (c *checker) takesItself(syn ast.Node) bool {
	lf := c.funcOf(syn)
	if lf == nil {
		return false
	}
	for _, evs := range lf.Events {
		for _, e := range evs {
			if e.Op.Acquire() || e.Op == locks.TryLock || e.Op == locks.TryRLock {
				return true
			}
		}
	}
	return false
}

// funcOf returns the function of the package built from syntax (a
// declaration or a literal), or nil.
func (c *checker) funcOf(syn ast.Node) *locks.Func {
	switch syn := syn.(type) {
	case *ast.FuncLit:
		return c.byLit[syn]
	case *ast.FuncDecl:
		if obj, ok := c.pass.TypesInfo.Defs[syn.Name].(*types.Func); ok {
			return c.byObj[obj]
		}
	}
	return nil
}

// isInterfaceMethod reports whether fn is an interface's method.
func isInterfaceMethod(fn *types.Func) bool {
	r := fn.Signature().Recv()
	return r != nil && types.IsInterface(r.Type())
}

// lockingMethods returns the names of the package's methods that
// acquire a lock.
func (c *checker) lockingMethods() map[string]bool {
	if c.methodNames != nil {
		return c.methodNames
	}
	c.methodNames = make(map[string]bool)
	for _, fn := range c.res.Funcs {
		if fn.Obj == nil || fn.Obj.Signature().Recv() == nil {
			continue
		}
		for _, evs := range fn.Events {
			for _, e := range evs {
				if e.Op.Acquire() {
					c.methodNames[fn.Obj.Name()] = true
				}
			}
		}
	}
	return c.methodNames
}

// lockSites counts, per lock identity, the direct Lock and RLock calls of
// the package.
func lockSites(pass *analysis.Pass, res *locks.Result) map[types.Object]int {
	out := make(map[types.Object]int)
	for _, fn := range res.Funcs {
		for _, evs := range fn.Events {
			for _, e := range evs {
				if e.Via == nil && (e.Op.Acquire() || e.Op == locks.TryLock || e.Op == locks.TryRLock) {
					if id := e.Path.Object(); id != nil {
						out[id]++
					}
				}
			}
		}
	}
	return out
}
