package lockblock

import (
	"go/ast"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/uses"
)

// checkLostWakeups reports a sync.Cond Wait that is not in a loop, when
// some Signal or Broadcast of the same Cond runs without holding its L
// (kubernetes58107): the signal can come before the Wait starts, wakes
// nobody, and the Wait then blocks forever. sync's documentation asks
// for Wait in a loop re-checking the condition, under L; the signaller
// changes the condition under L too, so the waiter either sees it
// changed or is already waiting when the signal comes.
//
// The same Conds as the "nobody signals" rule count: package-owned ones
// (internal/uses). A Wait counts when it is in a declared function, with
// no for or range loop around it there, and the function is neither
// called from a loop in the package nor used as a function value (a
// callback run in a loop: wait.Until(q.get)). A Signal or Broadcast is
// without L when the function making it holds no lock there (on every
// path, per locks' HeldAt) — any held lock might be L under another
// name —, gives no lock back for its caller, is not named fooLocked, and
// is not called with a lock held: it has no static caller in the package
// (an entry point, a method called through an interface), or one of its
// callers calls it holding nothing, likewise, up to three calls out. A
// literal counts only when it is started with go. When every Signal and
// Broadcast holds a lock, the rule is silent: with the signaller under L
// the wakeup cannot come between the waiter's check and its Wait.
func (c *checker) checkLostWakeups(conds map[*types.Var]*uses.Uses) {
	var ws *wakeSites // built on first use
	for _, u := range conds {
		waits := u.Calls["Wait"]
		signals := append(append([]*ast.CallExpr(nil), u.Calls["Signal"]...), u.Calls["Broadcast"]...)
		if u.Escapes || len(waits) == 0 || len(signals) == 0 {
			continue // not package-owned, or the "nobody signals" rule's
		}
		if ws == nil {
			ws = c.wakeSites()
		}
		var loose []*ast.CallExpr
		for _, w := range waits {
			if !analysisutil.IsTestCode(c.pass, w.Pos()) && !ws.looped(w) {
				loose = append(loose, w)
			}
		}
		if len(loose) == 0 {
			continue
		}
		sort.Slice(signals, func(i, j int) bool { return signals[i].Pos() < signals[j].Pos() })
		var bare *ast.CallExpr
		for _, s := range signals {
			if !analysisutil.IsTestCode(c.pass, s.Pos()) && c.withoutLock(ws, s, 0, make(map[ast.Node]bool)) {
				bare = s
				break
			}
		}
		if bare == nil {
			continue
		}
		for _, w := range loose {
			if c.r.Suppressed(w.Pos()) {
				continue
			}
			recv := types.ExprString(ast.Unparen(w.Fun).(*ast.SelectorExpr).X)
			sig := types.ExprString(bare.Fun) + "()"
			c.r.Report(analysis.Diagnostic{
				Pos: w.Pos(),
				End: w.End(),
				Message: recv + ".Wait() is not in a loop that re-checks a condition, and " + sig + " at line " + strconv.Itoa(c.line(bare.Pos())) +
					" runs without holding " + recv + ".L: a wakeup sent before this Wait starts is lost and the Wait blocks forever;" +
					" wait in a loop on the state the signaller changes (for !ready { " + recv + ".Wait() }) and signal with " + recv + ".L held",
				Related: []analysis.RelatedInformation{{Pos: bare.Pos(), Message: sig + " without holding " + recv + ".L"}},
			})
		}
	}
}

// wakeSites records, for each call of the package, where it is: the
// innermost function around it and whether a loop of that function
// surrounds it; and the package's static calls.
type wakeSites struct {
	info  *types.Info
	at    map[*ast.CallExpr]callSite
	calls *callee.Calls
	// goLits marks the function literals started with go.
	goLits map[*ast.FuncLit]bool
}

type callSite struct {
	fn     ast.Node // *ast.FuncDecl or *ast.FuncLit; nil at package level
	inLoop bool     // a for or range statement of fn is around the call
}

func (c *checker) wakeSites() *wakeSites {
	ws := &wakeSites{
		info:   c.pass.TypesInfo,
		at:     make(map[*ast.CallExpr]callSite),
		calls:  callee.Index(c.pass.TypesInfo, c.pass.Pkg, c.pass.Files),
		goLits: make(map[*ast.FuncLit]bool),
	}
	analysisutil.Inspector(c.pass).WithStack([]ast.Node{(*ast.CallExpr)(nil), (*ast.GoStmt)(nil)}, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		if g, ok := n.(*ast.GoStmt); ok {
			if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
				ws.goLits[lit] = true
			}
			return true
		}
		var site callSite
		for i := len(stack) - 2; i >= 0; i-- {
			switch s := stack[i].(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				site.inLoop = true
				continue
			case *ast.FuncDecl, *ast.FuncLit:
				site.fn = s
			default:
				continue
			}
			break
		}
		ws.at[n.(*ast.CallExpr)] = site
		return true
	})
	return ws
}

// looped reports whether Wait call w may be re-run by a loop: it is in a
// loop, in a literal, or in a declared function that the package calls
// from a loop or uses as a function value.
func (ws *wakeSites) looped(w *ast.CallExpr) bool {
	site := ws.at[w]
	d, ok := site.fn.(*ast.FuncDecl)
	if site.inLoop || !ok {
		return true
	}
	obj := ws.declObj(d)
	if obj == nil || ws.calls.Values[obj] {
		return true
	}
	for _, call := range ws.calls.Sites[obj] {
		if ws.at[call].inLoop {
			return true
		}
	}
	return false
}

// withoutLock reports whether call, a Signal or Broadcast or a call of
// the function making it, runs holding no lock on some path into it (see
// checkLostWakeups), looking depth calls out.
func (c *checker) withoutLock(ws *wakeSites, call *ast.CallExpr, depth int, seen map[ast.Node]bool) bool {
	site := ws.at[call]
	if site.fn == nil || seen[site.fn] || depth > 3 || analysisutil.IsTestCode(c.pass, call.Pos()) {
		return false
	}
	seen[site.fn] = true
	if lit, ok := site.fn.(*ast.FuncLit); ok && !ws.goLits[lit] {
		return false // a callback: whoever calls it may hold the lock
	}
	fn := c.res.Func(site.fn)
	if fn == nil || fn.CFG == nil || len(fn.CallerHeld) > 0 || len(fn.Try) > 0 {
		return false
	}
	if fn.Obj != nil && strings.HasSuffix(strings.ToLower(fn.Obj.Name()), "locked") {
		return false // called with the lock held, by convention
	}
	b, i := fn.Index().Locate(call.Pos())
	if b == nil || len(fn.HeldAt(c.pass.TypesInfo, b.Nodes[i])) > 0 {
		return false
	}
	d, ok := site.fn.(*ast.FuncDecl)
	if !ok {
		return true // a goroutine of its own
	}
	obj := ws.declObj(d)
	if obj == nil {
		return false
	}
	callers := ws.calls.Sites[obj]
	if len(callers) == 0 {
		return true // an entry point: exported, or called through an interface
	}
	for _, caller := range callers {
		if c.withoutLock(ws, caller, depth+1, seen) {
			return true
		}
	}
	return false
}

// declObj returns the function d declares (its origin), or nil.
func (ws *wakeSites) declObj(d *ast.FuncDecl) *types.Func {
	fn, ok := ws.info.Defs[d.Name].(*types.Func)
	if !ok {
		return nil
	}
	return fn.Origin()
}
