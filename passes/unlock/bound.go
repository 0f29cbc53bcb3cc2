package unlock

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/locks"
	"github.com/leaklint/leaklint/internal/resolve"
)

// ---- taken again through a function field bound to the object ----

// checkBound reports a call of a function field of x (x.f()), made while
// a lock of x is held, when every function stored into f is bound to the
// object it is stored in (a method value of it, or a literal capturing
// it) and takes that same lock of it on every path: the call takes the
// lock the caller holds (etcd#10492: Renew holds le.mu and calls le.cp,
// set by le.SetCheckpointer(func() { le.Checkpoint() })).
func (c *checker) checkBound(fn *locks.Func) {

	info := c.pass.TypesInfo
	roots := make(map[*types.Var]bool) // the roots of the locks fn takes
	for _, evs := range fn.Events {
		for _, e := range evs {
			if e.Op.Acquire() && !e.Takes && !e.Deferred && e.Path.Root != nil {
				roots[e.Path.Root] = true
			}
		}
	}
	if len(roots) == 0 {
		return
	}
	ix := fn.Index()
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false // a function of its own
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if s := info.Selections[sel]; s == nil || s.Kind() != types.FieldVal {
			return true
		}
		id, ok := ast.Unparen(sel.X).(*ast.Ident)
		if !ok {
			return true
		}
		x, ok := info.Uses[id].(*types.Var)
		if !ok || !roots[x] {
			return true
		}
		b, i := ix.Locate(call.Pos())
		if b == nil {
			return true
		}
		var held []locks.Held
		for _, h := range fn.HeldAt(info, b.Nodes[i]) {
			if h.Path.Root == x && h.Path.Fields != "" {
				held = append(held, h)
			}
		}
		if len(held) == 0 {
			return true
		}
		r := resolve.Of(c.pass)
		if !r.MayCall(call, func(syn ast.Node) bool { return c.takesOn(syn, x, held) }) {
			return true // no function that can be stored there takes such a lock: nothing to resolve
		}
		bounds, ok := r.SelfBound(call)
		if !ok || len(bounds) == 0 {
			return true
		}
		for _, h := range held {
			if by := takenByAll(c.res, bounds, h); by != nil {
				c.reportBound(call, sel, h, by)
				break
			}
		}
		return true
	})
}

// takesOn reports, cheaply (without the SSA form), whether the function
// syn takes one of the locks held, with the same fields, on a variable
// of x's type: only such a function, stored in a field of x and bound to
// it, can be a re-lock.
func (c *checker) takesOn(syn ast.Node, x *types.Var, held []locks.Held) bool {
	lf := c.res.Func(syn)
	if lf == nil {
		return false
	}
	t := resolve.BaseType(x.Type())
	for _, evs := range lf.Events {
		for _, e := range evs {
			if !e.Op.Acquire() || e.Deferred || e.Path.Root == nil || resolve.BaseType(e.Path.Root.Type()) != t {
				continue
			}
			for _, h := range held {
				if h.Path.Fields == e.Path.Fields {
					return true
				}
			}
		}
	}
	return false
}

// takenByAll returns, for each bound function, the event by which it
// takes lock h of its own object on every path (for the first function:
// the one to show), or nil if some function does not, or takes only the
// read side while h is read-locked (read locks share).
func takenByAll(res *locks.Result, bounds []resolve.Bound, h locks.Held) *boundTake {
	var first *boundTake
	for _, b := range bounds {
		lf := res.Func(b.Func)
		if lf == nil {
			return nil
		}
		var found *locks.Event
		for node, evs := range lf.Events {
			for _, e := range evs {
				if !e.Op.Acquire() || e.Deferred || e.Path.Root != b.Self || e.Path.Fields != h.Path.Fields {
					continue
				}
				if e.Takes && !e.Always || !lf.OnEveryPath(node) || lf.CallerHeld[e.Path] || lf.Try[e.Path] {
					continue
				}
				if e.Op.Read() && h.By.Op.Read() {
					continue
				}
				if found == nil || e.Pos() < found.Pos() {
					found = e
				}
			}
		}
		if found == nil {
			return nil
		}
		if first == nil {
			first = &boundTake{fn: lf, ev: found}
		}
	}
	return first
}

type boundTake struct {
	fn *locks.Func
	ev *locks.Event
}

func (c *checker) reportBound(call *ast.CallExpr, sel *ast.SelectorExpr, h locks.Held, by *boundTake) {
	if c.r.Suppressed(call.Pos()) {
		return
	}
	what := "the function literal at line " + fmt.Sprint(c.line(by.fn.Node.Pos()))
	if d, ok := by.fn.Node.(*ast.FuncDecl); ok {
		what = d.Name.Name
	}
	c.r.Report(analysis.Diagnostic{
		Pos: call.Pos(),
		End: call.End(),
		Message: fmt.Sprintf("%s() runs %s, which locks %s of this same object; %s is already held here (locked at line %d): the goroutine deadlocks on itself; release it before the call",
			types.ExprString(sel), what, h.Path, h.Path, c.line(h.By.Pos())),
		Related: []analysis.RelatedInformation{
			{Pos: by.ev.Call.Pos(), Message: fmt.Sprintf("%s locks it here", what)},
			{Pos: h.By.Call.Pos(), Message: fmt.Sprintf("%s is acquired here", h.Path)},
		},
	})
}
