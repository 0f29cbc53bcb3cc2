package lockblock

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/locks"
	"github.com/leaklint/leaklint/internal/resolve"
)

// maxDeep bounds how many calls deep deepWait looks for a wait.
const maxDeep = 4

// deep is a wait found in a function the caller calls: the operation,
// the function it is in, and the lock its partner takes.
type deep struct {
	w       *op
	in      *locks.Func
	h       locks.Held
	partner string
}

// reportDeep reports the call o if a function it runs (the callee, or
// what a function value or interface method resolves to, and their
// callees in turn) waits on some path for a channel or WaitGroup whose
// partners, all known, take one of the locks held at the call. It
// reports whether it did.
//
// A wait inside a callee that happens on some paths only is no proof
// of a stall (that is why the may-block fact needs every path), but
// together with partners that all need the held lock it is a deadlock
// whenever that path runs: the caller waits for the partner, the
// partner for the lock.
func (c *checker) reportDeep(o *op, held []locks.Held, fn *locks.Func) bool {
	c.findPartners()
	d := c.deepWait(o.call, held, make(map[*locks.Func]bool), excluded{fn: true})
	if d == nil || c.r.Suppressed(o.pos) {
		return false
	}
	c.r.Report(analysis.Diagnostic{
		Pos: o.pos,
		End: o.end,
		Message: fmt.Sprintf("%s() may wait (%s %s at %s) while %s is held (locked at line %d), but %s, which ends that wait, takes %s too: the two goroutines can deadlock; release %s before the call",
			types.ExprString(o.call.Fun), d.in.Name(), d.w.what, c.shortPos(d.w.pos), d.h.Path, c.line(d.h.By.Pos()), d.partner, d.h.Path, d.h.Path),
		Related: []analysis.RelatedInformation{
			{Pos: d.h.By.Pos(), Message: fmt.Sprintf("%s is locked here", d.h.Path)},
			{Pos: d.w.pos, Message: "the wait"},
		},
	})
	return true
}

// deepWait returns a wait, in a function call runs, that can deadlock
// with one of held; nil if none.
func (c *checker) deepWait(call *ast.CallExpr, held []locks.Held, seen map[*locks.Func]bool, chain excluded) *deep {
	if len(chain) > maxDeep {
		return nil
	}
	for _, lf := range c.calleesOf(call) {
		if seen[lf] || len(lf.CallerHeld) > 0 {
			// Visited, or it gives its caller's lock up itself.
			continue
		}
		seen[lf] = true
		self := make(excluded, len(chain)+1)
		for f := range chain {
			self[f] = true
		}
		self[lf] = true
		for _, w := range c.ops[lf.Node] {
			if w.waitKind != noPartner && !w.deepOnly {
				w = c.atCall(w, lf, call)
				if w == nil {
					continue
				}
				for _, h := range held {
					if len(c.partnersMayTake(w, []locks.Held{h}, false, self)) == 0 {
						continue
					}
					if p := c.partnerTaking(w, h, self); p != "" {
						return &deep{w: w, in: lf, h: h, partner: p}
					}
				}
			}
			if w.call != nil {
				if d := c.deepWait(w.call, held, seen, self); d != nil {
					return d
				}
			}
		}
	}
	return nil
}

// mayWaitThrough reports, cheaply (without the SSA form), whether a
// call can lead to a wait of the package: its static callee, or one it
// calls in turn, has a channel or WaitGroup wait; a call of a function
// value or interface method may run a function of the package that
// waits (resolve.MayCall).
func (c *checker) mayWaitThrough(call *ast.CallExpr) bool {
	if g := callee.Of(c.pass.TypesInfo, call); g != nil && !isInterfaceMethod(g) {
		lf := c.byObj[g]
		return lf != nil && c.waitsDeep(lf)
	}
	return resolve.Of(c.pass).MayCall(call, c.waitsItself)
}

// waitsDeep reports whether lf, or a function of the package it calls
// statically, transitively, has a channel or WaitGroup wait, or makes a
// call of a function value or interface method (judged when followed).
func (c *checker) waitsDeep(lf *locks.Func) bool {
	if c.deepWaits == nil {
		c.deepWaits = make(map[*locks.Func]bool)
	}
	if v, ok := c.deepWaits[lf]; ok {
		return v
	}
	c.deepWaits[lf] = false // a cycle adds nothing
	v := false
	for _, w := range c.ops[lf.Node] {
		if w.waitKind != noPartner && !w.deepOnly {
			v = true
			break
		}
		if w.call == nil {
			continue
		}
		if g := callee.Of(c.pass.TypesInfo, w.call); g != nil && !isInterfaceMethod(g) {
			if sub := c.byObj[g]; sub != nil && c.waitsDeep(sub) {
				v = true
				break
			}
			continue
		}
		v = true // dynamic: judged when followed
		break
	}
	c.deepWaits[lf] = v
	return v
}

// waitsItself reports whether the function built from syn waits on a
// channel or WaitGroup itself or in a function of the package it calls
// directly.
func (c *checker) waitsItself(syn ast.Node) bool {
	lf := c.funcOf(syn)
	if lf == nil {
		return false
	}
	for _, w := range c.ops[lf.Node] {
		if w.waitKind != noPartner && !w.deepOnly {
			return true
		}
		if w.call != nil {
			if g := callee.Of(c.pass.TypesInfo, w.call); g != nil && c.byObj[g] != nil {
				for _, w2 := range c.ops[c.byObj[g].Node] {
					if w2.waitKind != noPartner && !w2.deepOnly {
						return true
					}
				}
			}
		}
	}
	return false
}

// atCall returns the wait w of lf as the call sees it: on a channel
// that is a parameter of lf, the argument of this call decides which
// channel it is (a field the argument names), and an argument that is
// nil makes it no wait of this call's (the callee checks for nil, or the
// wait blocks on a nil channel, another matter). Else w itself.
func (c *checker) atCall(w *op, lf *locks.Func, call *ast.CallExpr) *op {
	v, ok := w.waitsFor.(*types.Var)
	if !ok || lf.Type == nil || lf.Type.Params == nil {
		return w
	}
	i := 0
	for _, field := range lf.Type.Params.List {
		for _, name := range field.Names {
			if c.pass.TypesInfo.Defs[name] == v {
				if i >= len(call.Args) || call.Ellipsis.IsValid() {
					return w
				}
				arg := call.Args[i]
				if tv, ok := c.pass.TypesInfo.Types[arg]; ok && tv.IsNil() {
					return nil
				}
				if obj := c.chanObj(arg); obj != nil {
					if f, ok := obj.(*types.Var); ok && f.IsField() {
						bound := *w
						bound.waitsFor, bound.chanAt = f, token.NoPos
						return &bound
					}
				}
				return w
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
	return w
}

// calleesOf returns the functions of the package call may run: its
// static callee, or what the package's resolution finds for a function
// value or an interface method (nothing when that is not all it may
// run).
func (c *checker) calleesOf(call *ast.CallExpr) []*locks.Func {
	if g := callee.Of(c.pass.TypesInfo, call); g != nil && !isInterfaceMethod(g) {
		if lf := c.byObj[g]; lf != nil {
			return []*locks.Func{lf}
		}
		return nil
	}
	r := resolve.Of(c.pass)
	if !r.MayCall(call, c.waitsItself) {
		return nil // no function of the call's shape that can be a value waits
	}
	syns, ok := r.Callees(call)
	if !ok {
		return nil
	}
	var out []*locks.Func
	for _, syn := range syns {
		if lf := c.funcOf(syn); lf != nil {
			out = append(out, lf)
		}
	}
	return out
}
