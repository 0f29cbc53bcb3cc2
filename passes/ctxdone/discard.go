package ctxdone

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/knowledge"
)

// hasDiscardLeaks is the package fact that the package declares a
// function with a discardLeaks fact: importers of none skip the walk
// for discarded results.
type hasDiscardLeaks struct{}

func (*hasDiscardLeaks) AFact()         {}
func (*hasDiscardLeaks) String() string { return "hasDiscardLeaks" }

// discardLeaks is the fact that a function returns an object whose
// goroutine waits until the object's cancel is called: a caller that
// throws the result away leaks the goroutine.
type discardLeaks struct {
	// Parent is the index of the parameter the context derives from, or
	// -1 when the function derives it from context.Background().
	Parent  int
	Waiter  string   // the goroutine's function: "tx.awaitDone"
	Closers []string // exported methods of the result that call the cancel
	At      string   // base name and line of the go statement
}

func (*discardLeaks) AFact() {}
func (f *discardLeaks) String() string {
	return fmt.Sprintf("discardLeaks(%s)", f.Waiter)
}

// exportDiscards exports the discardLeaks fact for the functions that
// return the object owning an owned wait and let it go nowhere else.
func (c *checker) exportDiscards(waits []*ownedWait) {
	info := c.pass.TypesInfo
	for _, w := range waits {
		sig := w.fn.Type().(*types.Signature)
		if w.obj == nil || sig.Results().Len() != 1 || !types.Identical(sig.Results().At(0).Type(), w.obj.Type()) {
			continue
		}
		parent := -1
		if !knowledge.IsBackground(info, w.parent) {
			if parent = c.paramIndex(w.fn, w.parent); parent < 0 {
				continue
			}
		}
		if !c.onlyReturned(w) {
			continue
		}
		calls, ok := c.cancelCalls(w.cancel)
		if !ok || c.callsIn(calls, w.fn) {
			continue // the function may cancel it itself
		}
		seen, open := c.graph().reachers(calls, w.waiter)
		if !open {
			continue // nothing can end it, kept or not: checkOwnedCancels' finding
		}
		var closers []string
		for fn := range seen {
			if fn.Exported() && fn.Type().(*types.Signature).Recv() != nil {
				closers = append(closers, fn.Name())
			}
		}
		sort.Strings(closers)
		pos := c.pass.Fset.Position(w.wait.Pos())
		waiter := w.name
		if w.waiter != nil {
			waiter = w.waiter.Name()
		}
		c.pass.ExportObjectFact(w.fn, &discardLeaks{Parent: parent, Waiter: waiter, Closers: closers, At: fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line)})
		c.discards = true
	}
	if c.discards {
		c.pass.ExportPackageFact(new(hasDiscardLeaks))
	}
}

// callsIn reports whether one of calls is in fn's body.
func (c *checker) callsIn(calls []token.Pos, fn *types.Func) bool {
	for _, pos := range calls {
		if c.graph().enclosing(pos) == fn {
			return true
		}
	}
	return false
}

// onlyReturned reports whether w's object is used in its function only
// to be built, to have fields set, to start w's goroutine and to be
// returned: nothing else can keep it.
func (c *checker) onlyReturned(w *ownedWait) bool {
	info := c.pass.TypesInfo
	ok, returned := true, false
	var stack []ast.Node
	ast.Inspect(w.fd.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, isID := n.(*ast.Ident)
		if !isID || info.ObjectOf(id) != w.obj || len(stack) < 2 {
			return true
		}
		for _, outer := range stack {
			if lit, isLit := outer.(*ast.FuncLit); isLit && lit != w.lit {
				ok = false // another function literal keeps it
			}
		}
		switch p := stack[len(stack)-2].(type) {
		case *ast.AssignStmt:
			// x := &T{...}: its definition.
			if info.Defs[id] == nil {
				ok = false
			}
		case *ast.SelectorExpr:
			// x.f, x.f = v, or go x.m(): a field, or the goroutine.
			sel := info.Selections[p]
			if sel == nil {
				ok = false
			} else if sel.Kind() == types.MethodVal {
				if len(stack) < 4 {
					ok = false
				} else if g, isGo := stack[len(stack)-4].(*ast.GoStmt); !isGo || g != w.g {
					ok = false // a method call, or another goroutine, may keep it
				}
			} else if sel.Kind() != types.FieldVal {
				ok = false
			}
		case *ast.ReturnStmt:
			returned = true
		default:
			ok = false
		}
		return true
	})
	return ok && returned
}

// checkDiscards reports calls that throw away a result whose goroutine
// only its cancel can end (discardLeaks facts, from any package).
func (c *checker) checkDiscards() {
	info := c.pass.TypesInfo
	if !c.discards {
		if !analysisutil.ImportsFact(c.pass, new(hasDiscardLeaks)) {
			return // no function here or in an import has the fact
		}
	}
	for _, f := range c.pass.Files {
		if analysisutil.IsTestFile(c.pass, f.Pos()) {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var call *ast.CallExpr
			switch n := n.(type) {
			case *ast.ExprStmt:
				call, _ = ast.Unparen(n.X).(*ast.CallExpr)
			case *ast.AssignStmt:
				if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
					if id, ok := n.Lhs[0].(*ast.Ident); ok && id.Name == "_" {
						call, _ = ast.Unparen(n.Rhs[0]).(*ast.CallExpr)
					}
				}
			}
			if call == nil {
				return true
			}
			fn := typeutil.StaticCallee(info, call)
			if fn == nil {
				return true
			}
			var fact discardLeaks
			if !c.pass.ImportObjectFact(fn.Origin(), &fact) {
				return true
			}
			if fact.Parent >= 0 && (fact.Parent >= len(call.Args) || !knowledge.IsBackground(info, call.Args[fact.Parent])) {
				return true // the parent context may end, and the goroutine with it
			}
			if analysisutil.IsTestCode(c.pass, call.Pos()) || c.r.Suppressed(call.Pos()) {
				return true
			}
			fix := "keep it and end it when done"
			if len(fact.Closers) > 0 {
				fix = "keep it and call its " + strings.Join(fact.Closers, " or ") + " when done"
			}
			c.r.Report(analysis.Diagnostic{
				Pos: call.Pos(),
				End: call.End(),
				Message: fmt.Sprintf("%s starts a goroutine (%s, %s) that waits until the result's context is cancelled, and only the result can cancel it: it is discarded here, so that goroutine never ends; %s",
					fn.Name(), fact.Waiter, fact.At, fix),
			})
			return true
		})
	}
}
