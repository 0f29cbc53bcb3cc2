package timeafter

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/flow"
)

// ---- helpers that abandon a timer ----

// propagate computes which functions of the package abandon a timer,
// directly or through calls outside loops, and exports the facts.
func (c *checker) propagate() {
	for changed := true; changed; {
		changed = false
		for _, fn := range c.funcs {
			if fn.Obj == nil || fn.abandons != nil {
				continue
			}
			for _, cs := range fn.calls {
				at := c.abandonsAt(cs.fn)
				if at == nil || c.repeated(fn, cs) || !fn.OnEveryPathAt(cs.call.Pos()) {
					continue
				}
				fn.abandons = at
				changed = true
				break
			}
		}
	}
	exported := false
	for _, fn := range c.funcs {
		if fn.Obj != nil && fn.abandons != nil {
			c.pass.ExportObjectFact(fn.Obj, fn.abandons)
			exported = true
		}
	}
	if exported {
		c.pass.ExportPackageFact(new(hasAbandoners))
	}
}

// abandonsAt returns where the function fn abandons a timer, or nil.
func (c *checker) abandonsAt(fn *types.Func) *abandonsTimer {
	if local, ok := c.byObj[fn]; ok {
		return local.abandons
	}
	fact := new(abandonsTimer)
	if fn.Pkg() != c.pass.Pkg && c.pass.ImportObjectFact(fn, fact) {
		return fact
	}
	return nil
}

// root returns the fact for a function that abandons the timer of ac
// itself.
func (c *checker) root(fn *function, ac *afterCase) *abandonsTimer {
	name := "the function literal"
	if fn.Obj != nil {
		name = fn.Obj.Name()
		if recv := fn.Obj.Signature().Recv(); recv != nil {
			t := recv.Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := types.Unalias(t).(*types.Named); ok {
				name = n.Obj().Name() + "." + name
			}
		}
	}
	return &abandonsTimer{Func: name, At: c.shortPos(ac.call.Pos())}
}

// repeated reports whether the call can run again in the same call of
// fn: it is inside a for or range loop, not every enclosing loop has a
// constant bound, and its statement is on a cycle of fn's control-flow
// graph (a loop whose body always returns does not repeat).
func (c *checker) repeated(fn *function, cs *callSite) bool {
	if len(cs.loops) == 0 || allBounded(c.pass.TypesInfo, cs.loops) {
		return false // not in a for or range loop, or in bounded ones only
	}
	b, _ := fn.Index().Locate(cs.call.Pos())
	return b != nil && flow.InCycle(b)
}

// checkHelperCalls reports calls, repeated in a loop, of functions that
// abandon a timer.
func (c *checker) checkHelperCalls(fn *function) {
	if analysisutil.IsTestFile(c.pass, fn.Body.Pos()) {
		return // a test's timers go with the test binary
	}
	for _, cs := range fn.calls {
		at := c.abandonsAt(cs.fn)
		if at == nil || !c.repeated(fn, cs) || c.retriesUntilSuccess(fn, cs) {
			continue
		}
		ok, note := c.reportable(cs.call.Pos())
		if !ok {
			continue
		}
		name := cs.fn.Name()
		where := at.At
		if at.Func != name && !strings.HasSuffix(at.Func, "."+name) {
			where = "through " + at.Func + ", " + at.At
		}
		c.r.Report(analysis.Diagnostic{
			Pos: cs.call.Fun.Pos(),
			End: cs.call.Fun.End(),
			Message: fmt.Sprintf("%s abandons a time.After timer (%s) when another select case wins, and this loop calls it again and again (%s): make %s use time.NewTimer and Stop it",
				name, where, note, at.Func),
		})
	}
}

// retriesUntilSuccess reports whether the loop around the call leaves as
// soon as the call's error result is nil, as in
//
//	for {
//		if err := recvWithTimeout(); err == nil {
//			break
//		}
//	}
//
// Such a loop repeats only when the timer fired (the helper failed), so
// it abandons at most one timer, on the last call.
func (c *checker) retriesUntilSuccess(fn *function, cs *callSite) bool {
	info := c.pass.TypesInfo
	sig, ok := cs.fn.Type().(*types.Signature)
	if !ok || sig.Results().Len() == 0 {
		return false
	}
	last := sig.Results().At(sig.Results().Len() - 1).Type()
	if !types.Identical(last, types.Universe.Lookup("error").Type()) {
		return false
	}
	// The variable the error result is assigned to.
	var errVar types.Object
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || ast.Unparen(as.Rhs[0]) != cs.call || len(as.Lhs) != sig.Results().Len() {
			return errVar == nil
		}
		if id, ok := as.Lhs[len(as.Lhs)-1].(*ast.Ident); ok {
			errVar = info.ObjectOf(id)
		}
		return false
	})
	if errVar == nil {
		return false
	}
	callBlock, _ := fn.Index().Locate(cs.call.Pos())
	found := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		ifs, ok := n.(*ast.IfStmt)
		if !ok || found {
			return !found
		}
		cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
		if !ok || cond.Op != token.EQL {
			return true
		}
		isErr := func(e ast.Expr) bool {
			id, ok := ast.Unparen(e).(*ast.Ident)
			return ok && info.Uses[id] == errVar
		}
		isNil := func(e ast.Expr) bool { return info.Types[e].IsNil() }
		if !(isErr(cond.X) && isNil(cond.Y) || isNil(cond.X) && isErr(cond.Y)) {
			return true
		}
		for _, b := range fn.CFG.Blocks {
			if b.Kind == cfg.KindIfThen && b.Stmt == ifs && b.Live && !flow.Reaches([]*cfg.Block{b}, callBlock) {
				found = true
			}
		}
		return true
	})
	return found
}
