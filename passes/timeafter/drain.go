package timeafter

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
)

// checkDrains reports the timer drain that blocks forever (shape 4 of
// the doc):
//
//	for {
//		select {
//		case <-t.C:          // receives the value, does not restart t
//			tick()
//		case <-reset:
//			if !t.Stop() {
//				<-t.C        // t fired and its value is gone: blocks
//			}
//			t.Reset(d)
//		}
//	}
//
// Once the case <-t.C has taken the value, t is expired: Stop returns
// false and nothing will send on t.C again. The rule holds in every Go
// version (since Go 1.23 a receive after Stop blocks by design), so it is
// not gated on the file's version. It stays silent when the case that
// receives restarts the timer (Reset, or a new timer assigned), leaves
// the loop, or when the loop assigns the timer anew; and for drains that
// cannot block (select with a default).
func (c *checker) checkDrains() {
	analysisutil.Inspector(c.pass).Preorder([]ast.Node{(*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)}, func(n ast.Node) {
		var body *ast.BlockStmt
		switch loop := n.(type) {
		case *ast.ForStmt:
			body = loop.Body
		case *ast.RangeStmt:
			body = loop.Body
		}
		c.checkLoopDrains(body)
	})
}

// checkLoopDrains checks the selects and drains of one loop body, not
// looking into function literals (another goroutine, another loop).
func (c *checker) checkLoopDrains(body *ast.BlockStmt) {
	// The timers a select of this loop receives from without restarting
	// them, keyed by their expression, with the receiving case.
	received := make(map[string]*ast.CommClause)
	var drains []*drain
	assigned := make(map[string]bool)
	resets := make(map[string][]token.Pos) // x.Reset(...) calls, by timer
	inspectNoLit(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return false // an inner loop is a loop of its own
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Reset" && c.isTimer(sel.X) {
				x := types.ExprString(sel.X)
				resets[x] = append(resets[x], n.Pos())
			}
		case *ast.SelectStmt:
			for _, cl := range n.Body.List {
				cc := cl.(*ast.CommClause)
				if x := c.timerRecv(commRecv(cc.Comm)); x != nil && !c.restarts(cc.Body, x) && !c.leavesLoop(cc.Body) {
					received[types.ExprString(x)] = cc
				}
			}
		case *ast.IfStmt:
			if d := c.drainOf(n); d != nil {
				drains = append(drains, d)
			}
		case *ast.AssignStmt:
			for _, lhs := range n.Lhs {
				if c.isTimer(lhs) {
					assigned[types.ExprString(lhs)] = true
				}
			}
		}
		return true
	})
	for _, d := range drains {
		cc, ok := received[d.timer]
		if !ok || assigned[d.timer] || resetBefore(resets[d.timer], d, cc) || c.r.Suppressed(d.recv.Pos()) {
			continue
		}
		c.r.Reportf(d.recv, "<-%s.C blocks forever once the select's case <-%s.C (line %d) has taken the value: the timer has fired, Stop returns false and nothing sends on %s.C again; since Go 1.23 Stop and Reset need no drain, so remove it (before Go 1.23, drain with select { case <-%s.C: default: })",
			d.timer, d.timer, c.pass.Fset.Position(cc.Pos()).Line, d.timer, d.timer)
	}
}

// resetBefore reports whether one of resets comes before the drain d in
// the loop, outside the receiving case cc: the timer is restarted
// between the case that takes its value and the drain, so Stop returning
// false means it fired again and its value is there (go-redis's
// timer.Reset(d); select { case ch <- msg: if !timer.Stop() { <-timer.C }
// case <-timer.C: }). Any earlier Reset counts, even one that not every
// path passes: a possible false finding is worse than a missed one.
func resetBefore(resets []token.Pos, d *drain, cc *ast.CommClause) bool {
	for _, pos := range resets {
		if pos < d.recv.Pos() && (pos < cc.Pos() || pos >= cc.End()) {
			return true
		}
	}
	return false
}

// A drain is if !t.Stop() { <-t.C }.
type drain struct {
	timer string
	recv  *ast.UnaryExpr
}

// drainOf returns the drain of if statement n, if it is one: the
// condition is !X.Stop() for a timer X and the body receives from X.C in
// a statement of its own.
func (c *checker) drainOf(n *ast.IfStmt) *drain {
	not, ok := ast.Unparen(n.Cond).(*ast.UnaryExpr)
	if !ok || not.Op != token.NOT {
		return nil
	}
	call, ok := ast.Unparen(not.X).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Stop" || !c.isTimer(sel.X) {
		return nil
	}
	timer := types.ExprString(sel.X)
	for _, st := range n.Body.List {
		es, ok := st.(*ast.ExprStmt)
		if !ok {
			continue
		}
		recv, ok := ast.Unparen(es.X).(*ast.UnaryExpr)
		if x := c.timerRecv(recv); ok && x != nil && types.ExprString(x) == timer {
			return &drain{timer, recv}
		}
	}
	return nil
}

// commRecv returns the receive of a select case's communication: <-ch,
// v := <-ch, v = <-ch.
func commRecv(comm ast.Stmt) *ast.UnaryExpr {
	var e ast.Expr
	switch comm := comm.(type) {
	case *ast.ExprStmt:
		e = comm.X
	case *ast.AssignStmt:
		if len(comm.Rhs) == 1 {
			e = comm.Rhs[0]
		}
	}
	u, _ := ast.Unparen(e).(*ast.UnaryExpr)
	return u
}

// timerRecv returns X when u is a receive from X.C for a timer X.
func (c *checker) timerRecv(u *ast.UnaryExpr) ast.Expr {
	if u == nil || u.Op != token.ARROW {
		return nil
	}
	sel, ok := ast.Unparen(u.X).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "C" || !c.isTimer(sel.X) {
		return nil
	}
	return sel.X
}

// isTimer reports whether e is a time.Timer or a pointer to one.
func (c *checker) isTimer(e ast.Expr) bool {
	t := c.pass.TypesInfo.TypeOf(e)
	if t == nil {
		return false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	return callee.IsNamed(t, "time", "Timer")
}

// restarts reports whether stmts restart timer x: x.Reset(...), or x
// assigned anew.
func (c *checker) restarts(stmts []ast.Stmt, x ast.Expr) bool {
	name := types.ExprString(x)
	found := false
	for _, st := range stmts {
		inspectNoLit(st, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Reset" && types.ExprString(sel.X) == name {
					found = true
				}
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					if types.ExprString(lhs) == name {
						found = true
					}
				}
			}
			return !found
		})
	}
	return found
}

// leavesLoop reports whether a case body ends by leaving the loop: a
// return, a labeled break or a goto, or a call that never returns
// (panic, t.Fatal, log.Fatal, os.Exit).
func (c *checker) leavesLoop(stmts []ast.Stmt) bool {
	if len(stmts) == 0 {
		return false
	}
	switch last := stmts[len(stmts)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return last.Label != nil && last.Tok != token.CONTINUE || last.Tok == token.GOTO
	case *ast.ExprStmt:
		if call, ok := ast.Unparen(last.X).(*ast.CallExpr); ok {
			return c.cfgs.NeverReturns(c.pass.TypesInfo, call)
		}
	}
	return false
}

// inspectNoLit is ast.Inspect that does not enter function literals.
func inspectNoLit(n ast.Node, f func(ast.Node) bool) {
	ast.Inspect(n, func(m ast.Node) bool {
		if _, ok := m.(*ast.FuncLit); ok {
			return false
		}
		return f(m)
	})
}
