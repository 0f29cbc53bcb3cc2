package timeafter

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/flow"
	"github.com/leaklint/leaklint/internal/uses"
)

// checkTicks reports time.Tick in functions that return.
func (c *checker) checkTicks(fn *function) {
	if len(fn.ticks) == 0 || c.exempt(fn) || !c.returns(fn) {
		return
	}
	for _, t := range fn.ticks {
		if escapes(t.parent, t.call) {
			continue // the channel is handed on: its owner decides how long it lives
		}
		if c.capturedByLiteral(fn, assignedTo(t.parent, t.call)) {
			continue // tick := time.Tick(d); go func() { ... <-tick ... }(): the literal owns it
		}
		if b, _ := fn.Index().Locate(t.call.Pos()); !c.returnsFrom(fn, b) {
			continue // for range time.Tick(d) { ... } after an early return: used for good
		}
		ok, note := c.reportable(t.call.Pos())
		if !ok {
			continue
		}
		msg := fmt.Sprintf("time.Tick in %s, which returns, starts a ticker that can never be stopped (%s): use time.NewTicker and defer ticker.Stop()",
			fn.name(), note)
		if b, _ := fn.Index().Locate(t.call.Pos()); len(t.loops) > 0 && b != nil && flow.InCycle(b) {
			msg = fmt.Sprintf("time.Tick in a loop starts a new ticker on every iteration, and none can ever be stopped (%s): create one time.NewTicker before the loop and defer its Stop",
				note)
		}
		c.r.Report(analysis.Diagnostic{Pos: t.call.Pos(), End: t.call.End(), Message: msg})
	}
}

// capturedByLiteral reports whether lhs is a local variable that a
// function literal in fn refers to.
func (c *checker) capturedByLiteral(fn *function, lhs ast.Expr) bool {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		return false
	}
	v, _ := c.pass.TypesInfo.ObjectOf(id).(*types.Var)
	if v == nil {
		return false
	}
	found := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok {
			found = found || uses.Mentions(c.pass.TypesInfo, lit, v)
			return false
		}
		return !found
	})
	return found
}

// ---- time.NewTicker ----

// checkTickers reports tickers created in fn that are not stopped on
// every path out of it.
func (c *checker) checkTickers(fn *function) {
	if len(fn.tickers) == 0 || c.exempt(fn) || !c.returns(fn) {
		return
	}
	for _, t := range fn.tickers {
		c.checkTicker(fn, t)
	}
}

func (c *checker) checkTicker(fn *function, t *tickerSite) {
	info := c.pass.TypesInfo
	if t.lhs == nil {
		// Used in place. Only time.NewTicker(d).C is certain to lose
		// the ticker; as an argument, a result or an element it escapes.
		sel, ok := t.parent.(*ast.SelectorExpr)
		if !ok || sel.X != t.call || sel.Sel.Name != "C" {
			return
		}
		if escapes(t.selParent, sel) {
			return // the channel is handed on: its owner decides how long it lives
		}
		if ok, note := c.reportable(t.call.Pos()); ok {
			c.r.Report(analysis.Diagnostic{
				Pos: t.call.Pos(),
				End: t.call.End(),
				Message: fmt.Sprintf("time.NewTicker(...).C drops the ticker, so it can never be stopped and outlives %s (%s): keep the ticker in a variable and defer its Stop",
					fn.name(), note),
			})
		}
		return
	}
	id, ok := t.lhs.(*ast.Ident)
	if !ok || id.Name == "_" {
		return // stored in a field, an element, ...: it escapes
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok || v.Pos() < fn.Body.Pos() || v.Pos() >= fn.Body.End() {
		return // not a local of this function
	}
	stops, escapes := c.tickerUses(fn, v, t.call)
	if escapes {
		return
	}
	ix := fn.Index()
	b, i := ix.Locate(t.call.Pos())
	if b == nil {
		return // dead code
	}
	exit := flow.UncoveredExitFunc(b, i, func(n ast.Node) bool {
		for _, pos := range stops {
			if n.Pos() <= pos && pos < n.End() {
				return true
			}
		}
		return false
	}, c.infeasible)
	if exit == nil {
		return
	}
	ok, note := c.reportable(t.call.Pos())
	if !ok {
		return
	}
	d := analysis.Diagnostic{
		Pos: id.Pos(),
		End: t.call.End(),
	}
	if len(stops) == 0 {
		d.Message = fmt.Sprintf("ticker %s is never stopped, so it outlives %s (%s): defer %s.Stop() after creating it",
			v.Name(), fn.name(), note, v.Name())
	} else {
		d.Message = fmt.Sprintf("ticker %s is not stopped on every path out of %s (%s): defer %s.Stop() after creating it",
			v.Name(), fn.name(), note, v.Name())
	}
	if exit.Return.Pos().IsValid() {
		msg := fmt.Sprintf("%s returns here without stopping %s", fn.name(), v.Name())
		if isSynthetic(fn, exit.Return) {
			msg = fmt.Sprintf("%s ends here without stopping %s", fn.name(), v.Name())
		}
		d.Related = []analysis.RelatedInformation{{Pos: exit.Return.Pos(), Message: msg}}
	}
	c.r.Report(d)
}

// isSynthetic reports whether ret is the return the CFG adds at the
// closing brace of fn.
func isSynthetic(fn *function, ret *ast.ReturnStmt) bool {
	return ret.Return == fn.Body.Rbrace
}

// tickerUses classifies the uses of the ticker variable v in fn: it
// returns the positions of its t.Stop() calls, and whether any use lets
// the ticker escape (anything but t.Stop(), t.Reset(d), t.C and the one
// assignment from create), including any use in a function literal.
func (c *checker) tickerUses(fn *function, v *types.Var, create *ast.CallExpr) (stops []token.Pos, escapes bool) {
	info := c.pass.TypesInfo
	var stack []ast.Node
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if escapes {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if lit, ok := n.(*ast.FuncLit); ok {
			escapes = uses.Mentions(info, lit, v)
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			// Reassigning the variable replaces the ticker: give up.
			for i, lhs := range n.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok || info.Uses[id] != v {
					continue
				}
				if len(n.Rhs) != len(n.Lhs) || n.Rhs[i] != create {
					escapes = true
				}
			}
		case *ast.Ident:
			if info.Uses[n] != v || len(stack) == 0 {
				break
			}
			parent := stack[len(stack)-1]
			if a, ok := parent.(*ast.AssignStmt); ok && isLhs(a, n) {
				break // an assignment, judged above
			}
			sel, ok := parent.(*ast.SelectorExpr)
			if !ok || sel.X != n {
				escapes = true // passed, returned, stored, compared, ...
				break
			}
			var grand ast.Node
			if len(stack) > 1 {
				grand = stack[len(stack)-2]
			}
			call, isCall := grand.(*ast.CallExpr)
			switch {
			case sel.Sel.Name == "C":
			case sel.Sel.Name == "Stop" && isCall && call.Fun == sel:
				stops = append(stops, call.Pos())
			case sel.Sel.Name == "Reset" && isCall && call.Fun == sel:
			default:
				escapes = true // a method value, or an unknown use
			}
		}
		stack = append(stack, n)
		return true
	})
	return stops, escapes
}

func isLhs(a *ast.AssignStmt, e ast.Expr) bool {
	for _, lhs := range a.Lhs {
		if lhs == e {
			return true
		}
	}
	return false
}
