package lockblock

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/uses"
)

// checkUnsignalledConds reports a sync.Cond that is waited on but never
// Signalled or Broadcast anywhere in the program (moby30408): each Wait
// blocks forever, and it holds the Cond's lock again only to wait.
//
// The rule lives here rather than in unlock because Cond.Wait is a wait
// tied to a lock, this pass's subject; it needs no held-lock proof, since
// nothing at all can end the wait. Only Conds that cannot leave the
// package count (internal/uses): an unexported field or package-level
// variable, or a local, used only as the receiver of its methods (and
// c.L) and initialised with sync.NewCond or a composite literal. Test
// code is exempt.
func (c *checker) checkUnsignalledConds() {
	isCond := func(t types.Type) bool { return callee.IsNamed(t, "sync", "Cond") }
	isInit := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if u, ok := e.(*ast.UnaryExpr); ok {
			e = u.X // &sync.Cond{L: &mu}
		}
		switch e := e.(type) {
		case *ast.CompositeLit:
			return true
		case *ast.CallExpr:
			fn, ok := c.pass.TypesInfo.Uses[calleeIdent(e.Fun)].(*types.Func)
			return ok && callee.IsFunc(fn, "sync", "NewCond")
		}
		return false
	}
	for _, u := range uses.Of(c.pass, isCond, isInit) {
		waits := u.Calls["Wait"]
		if u.Escapes || len(waits) == 0 || len(u.Calls["Signal"]) > 0 || len(u.Calls["Broadcast"]) > 0 {
			continue
		}
		wait := uses.First(waits)
		if analysisutil.IsTestCode(c.pass, wait.Pos()) {
			continue
		}
		recv := types.ExprString(ast.Unparen(wait.Fun).(*ast.SelectorExpr).X)
		c.r.Report(analysis.Diagnostic{
			Pos: wait.Pos(),
			End: wait.End(),
			Message: "nothing in the program calls " + recv + ".Signal() or " + recv + ".Broadcast(), and " + u.Obj.Name() +
				" cannot be reached from outside the package: " + recv + ".Wait() blocks forever; Broadcast after changing the condition it waits for",
		})
	}
}

// calleeIdent returns the identifier naming a called function: F in F(),
// pkg.F(), or nil.
func calleeIdent(fun ast.Expr) *ast.Ident {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return f
	case *ast.SelectorExpr:
		return f.Sel
	}
	return nil
}
