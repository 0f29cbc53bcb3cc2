package waitgroup

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/uses"
)

// checkNoDone reports a WaitGroup that is added to and waited on but
// never Done anywhere in the program (shape "no waker" of the doc): the
// Wait blocks forever once an Add has run (cockroach1055's drain).
//
// Only WaitGroups that cannot leave the package count (internal/uses):
// an unexported field or package-level variable used only as the
// receiver of its methods. (A local WaitGroup is the counts rule's: it
// follows Add, the go statements and Wait through the function.) Every Add must add a positive constant,
// since Add(-1) is a Done in disguise. A WaitGroup with a Go call is
// done by Go. Test code is exempt.
func (c *checker) checkNoDone() {
	isWG := func(t types.Type) bool {
		_, isPtr := t.(*types.Pointer)
		return !isPtr && callee.IsNamed(t, "sync", "WaitGroup")
	}
	isInit := func(e ast.Expr) bool {
		cl, ok := ast.Unparen(e).(*ast.CompositeLit)
		return ok && len(cl.Elts) == 0 // sync.WaitGroup{}: a fresh one
	}
	for _, u := range uses.Of(c.pass, isWG, isInit) {
		waits, adds := u.Calls["Wait"], u.Calls["Add"]
		if !u.Obj.IsField() && u.Obj.Parent() != c.pass.Pkg.Scope() {
			continue // a local: the counts rule follows it through its function
		}
		if u.Escapes || len(waits) == 0 || len(adds) == 0 || len(u.Calls["Done"]) > 0 || len(u.Calls["Go"]) > 0 {
			continue
		}
		positive := true
		for _, add := range adds {
			if len(add.Args) != 1 || !uses.Positive(c.pass.TypesInfo, add.Args[0]) {
				positive = false
			}
		}
		wait, add := uses.First(waits), uses.First(adds)
		if !positive || analysisutil.IsTestCode(c.pass, wait.Pos()) {
			continue
		}
		recv := types.ExprString(ast.Unparen(wait.Fun).(*ast.SelectorExpr).X)
		c.r.Report(analysis.Diagnostic{
			Pos: wait.Pos(),
			End: wait.End(),
			Message: "nothing in the program calls " + recv + ".Done(), and " + u.Obj.Name() +
				" cannot be reached from outside the package: " + recv + ".Wait() blocks forever once Add has run; call Done when each counted task ends (defer " + recv + ".Done())",
			Related: []analysis.RelatedInformation{{Pos: add.Pos(), Message: "counted here"}},
		})
	}
}
