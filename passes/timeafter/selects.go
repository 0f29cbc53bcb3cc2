package timeafter

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/chans"
	"github.com/leaklint/leaklint/internal/flow"
)

// ---- time.After in a select ----

// afterCase describes a select case that receives from a time.After
// timer.
type afterCase struct {
	clause *ast.CommClause
	call   *ast.CallExpr // the time.After call
	// created is the position at which the timer is created: the call
	// itself when it is written in the case, or the assignment of the
	// variable the case receives from.
	created token.Pos
	direct  bool // the call is written in the case
}

// checkSelects reports time.After cases abandoned once per iteration and
// records whether fn abandons a timer at most once per call.
func (c *checker) checkSelects(fn *function) {
	test := analysisutil.IsTestFile(c.pass, fn.Body.Pos())
	// Reported sites per loop, for the suggested fix: only loops with
	// exactly one get one.
	type finding struct {
		site *selectSite
		ac   *afterCase
	}
	var findings []finding
	for _, site := range fn.selects {
		cases := c.afterCases(fn, site.stmt)
		if len(cases) == 0 {
			continue
		}
		for _, ac := range cases {
			if len(site.stmt.Body.List) < 2 {
				continue // the timer case is alone: it fires, or the select blocks
			}
			if len(site.loops) == 0 || !c.abandonedRepeatedly(fn, site, ac) {
				// Not repeated: at most one timer per call. (A select
				// repeated only through goto is usually a retry-once
				// path, and is treated the same.)
				if fn.abandons == nil && c.abandonedOnReturn(fn, site, ac) {
					fn.abandons = c.root(fn, ac)
				}
				continue
			}
			if allBounded(c.pass.TypesInfo, site.loops) {
				// At most a constant number of timers per call: treat it
				// like a single abandonment.
				if fn.abandons == nil {
					fn.abandons = c.root(fn, ac)
				}
				continue
			}
			findings = append(findings, finding{site, ac})
		}
	}
	perLoop := make(map[ast.Stmt]int)
	for _, f := range findings {
		if len(f.site.loops) > 0 {
			perLoop[f.site.loops[len(f.site.loops)-1]]++
		}
	}
	for _, f := range findings {
		ok, note := c.reportable(f.ac.call.Pos())
		if !ok || test || c.r.Suppressed(f.ac.call.Pos()) {
			continue
		}
		d := analysis.Diagnostic{
			Pos: f.ac.call.Pos(),
			End: f.ac.call.End(),
			Message: fmt.Sprintf("%s in a select inside a loop leaves a live timer behind each time another case is taken (%s): create one time.NewTimer before the loop and Reset it each iteration",
				render(c.pass.Fset, f.ac.call), note),
		}
		if len(f.site.loops) == 1 && f.ac.direct && perLoop[f.site.loops[0]] == 1 {
			if fix, ok := c.timerFix(fn, f.site, f.ac); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
		c.r.Report(d)
	}
}

// afterCases returns the cases of sel that receive from a time.After
// timer.
func (c *checker) afterCases(fn *function, sel *ast.SelectStmt) []*afterCase {
	var cases []*afterCase
	for _, stmt := range sel.Body.List {
		clause := stmt.(*ast.CommClause)
		u := commRecv(clause.Comm)
		if u == nil || u.Op != token.ARROW {
			continue
		}
		switch ch := ast.Unparen(u.X).(type) {
		case *ast.CallExpr:
			if callee.IsFunc(callee.Of(c.pass.TypesInfo, ch), "time", "After") {
				cases = append(cases, &afterCase{clause: clause, call: ch, created: clause.Comm.Pos(), direct: true})
			}
		case *ast.Ident:
			if call, at := c.timerVar(fn, ch); call != nil {
				cases = append(cases, &afterCase{clause: clause, call: call, created: at})
			}
		}
	}
	return cases
}

// timerVar returns the time.After call that is the only value of the
// local variable id, and the position of its assignment, when every use
// of the variable in fn is a receive in fn's own body. Otherwise the
// timer may be used elsewhere and timerVar returns nil.
func (c *checker) timerVar(fn *function, id *ast.Ident) (*ast.CallExpr, token.Pos) {
	info := c.pass.TypesInfo
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.Pos() < fn.Body.Pos() || v.Pos() >= fn.Body.End() {
		return nil, token.NoPos // not a local of this function
	}
	var call *ast.CallExpr
	var at token.Pos
	defs, escapes := 0, false
	var stack []ast.Node
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if _, ok := n.(*ast.FuncLit); ok && len(stack) > 0 {
			// A use inside a literal is a use we can't order.
			ast.Inspect(n, func(m ast.Node) bool {
				if mid, ok := m.(*ast.Ident); ok && info.Uses[mid] == v {
					escapes = true
				}
				return !escapes
			})
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				lid, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok || (info.Defs[lid] != v && info.Uses[lid] != v) {
					continue
				}
				defs++
				if len(n.Lhs) != len(n.Rhs) {
					escapes = true
					continue
				}
				rc, ok := ast.Unparen(n.Rhs[i]).(*ast.CallExpr)
				if !ok || !callee.IsFunc(callee.Of(info, rc), "time", "After") {
					escapes = true
					continue
				}
				call, at = rc, n.Pos()
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if info.Defs[name] != v {
					continue
				}
				if i >= len(n.Values) {
					continue // var t <-chan time.Time: a later assignment counts
				}
				defs++
				rc, ok := ast.Unparen(n.Values[i]).(*ast.CallExpr)
				if !ok || !callee.IsFunc(callee.Of(info, rc), "time", "After") {
					escapes = true
					continue
				}
				call, at = rc, n.Pos()
			}
		case *ast.Ident:
			if info.Uses[n] == v && len(stack) > 0 {
				isRecv := false
				if u, ok := stack[len(stack)-1].(*ast.UnaryExpr); ok && u.Op == token.ARROW {
					isRecv = true
				}
				if a, ok := stack[len(stack)-1].(*ast.AssignStmt); ok {
					for _, lhs := range a.Lhs {
						if lhs == n {
							isRecv = true // an assignment, counted above
						}
					}
				}
				if !isRecv {
					escapes = true
				}
			}
		}
		stack = append(stack, n)
		return !escapes
	})
	if escapes || defs != 1 || call == nil {
		return nil, token.NoPos
	}
	return call, at
}

// abandonedOnReturn reports whether fn can return after another case of
// the select than ac was taken, without going through ac's case: the
// timer is then left behind by the call. The select must also be on every
// path through fn: a helper that selects on a timer only in some mode
// (one opcode of a protocol, one branch of a switch) is not blamed for
// every call, since the facts don't know the arguments.
func (c *checker) abandonedOnReturn(fn *function, site *selectSite, ac *afterCase) bool {
	if !fn.OnEveryPathAt(ac.clause.Comm.Pos()) {
		return false
	}
	var timerBody *cfg.Block
	for _, b := range fn.CFG.Blocks {
		if b.Kind == cfg.KindSelectCaseBody && b.Stmt == ac.clause {
			timerBody = b
		}
	}
	never := func(ast.Node) bool { return false }
	for _, start := range c.otherCases(fn, site, ac) {
		if flow.UncoveredExitFunc(start, -1, never, func(to *cfg.Block) bool { return to == timerBody }) != nil {
			return true
		}
	}
	return false
}

// abandonedRepeatedly reports whether, after another case of the select
// than ac is taken, control can reach the creation of ac's timer again
// in the same call: each such round abandons one live timer.
func (c *checker) abandonedRepeatedly(fn *function, site *selectSite, ac *afterCase) bool {
	ix := fn.Index()
	created, _ := ix.Locate(ac.created)
	if created == nil {
		return false // dead code
	}
	return flow.Reaches(c.otherCases(fn, site, ac), created)
}

// otherCases returns the blocks where the cases of the select other than
// ac begin, the default case included. Cases that receive a stop signal
// (ctx.Done(), a quit channel) are left out: a loop ends after one, and
// a call that returns after one abandons a timer once per shutdown, not
// once per request.
func (c *checker) otherCases(fn *function, site *selectSite, ac *afterCase) []*cfg.Block {
	var starts []*cfg.Block
	var lastNonDefault *ast.CommClause
	hasDefault := false
	for _, stmt := range site.stmt.Body.List {
		clause := stmt.(*ast.CommClause)
		if clause.Comm == nil {
			hasDefault = true
		} else {
			lastNonDefault = clause
		}
	}
	for _, b := range fn.CFG.Blocks {
		clause, ok := b.Stmt.(*ast.CommClause)
		if !ok || !b.Live || !contains(site.stmt.Body.List, clause) {
			continue
		}
		switch {
		case b.Kind == cfg.KindSelectCaseBody && clause != ac.clause:
			if ch := chans.Received(clause.Comm); ch != nil && c.stops.IsStop(ch) {
				continue
			}
			starts = append(starts, b)
		case b.Kind == cfg.KindSelectAfterCase && hasDefault && clause == lastNonDefault:
			// The default body follows the last non-default case's
			// "after" block.
			starts = append(starts, b)
		}
	}
	return starts
}

func contains(list []ast.Stmt, s ast.Stmt) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// allBounded reports whether every loop in loops runs a constant number
// of times at most: for i := a; i < N; i++ with a constant N, range over
// a constant integer, or range over an array.
func allBounded(info *types.Info, loops []ast.Stmt) bool {
	for _, l := range loops {
		if !bounded(info, l) {
			return false
		}
	}
	return true
}

func bounded(info *types.Info, loop ast.Stmt) bool {
	switch l := loop.(type) {
	case *ast.RangeStmt:
		tv, ok := info.Types[l.X]
		if !ok {
			return false
		}
		if tv.Value != nil {
			return true // range over a constant integer
		}
		t := tv.Type.Underlying()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem().Underlying()
		}
		_, isArray := t.(*types.Array)
		return isArray
	case *ast.ForStmt:
		cond, ok := l.Cond.(*ast.BinaryExpr)
		if !ok {
			return false
		}
		inc, ok := l.Post.(*ast.IncDecStmt)
		if !ok {
			return false
		}
		iv, ok := inc.X.(*ast.Ident)
		if !ok {
			return false
		}
		isVar := func(e ast.Expr) bool {
			id, ok := ast.Unparen(e).(*ast.Ident)
			return ok && info.Uses[id] != nil && info.Uses[id] == info.Uses[iv]
		}
		isConst := func(e ast.Expr) bool { return info.Types[e].Value != nil }
		switch cond.Op {
		case token.LSS, token.LEQ:
			return inc.Tok == token.INC && isVar(cond.X) && isConst(cond.Y)
		case token.GTR, token.GEQ:
			return inc.Tok == token.DEC && isVar(cond.X) && isConst(cond.Y)
		}
	}
	return false
}
