package unlock

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/locks"
)

// deferFix returns the "Defer the Unlock" rewrite of acquisition a when it
// is mechanical: the Lock is a statement of the function body, the only
// release is one Unlock statement of the body followed by nothing or by a
// final return that calls nothing (a call there could need the lock, and
// would now run while it is held), and nothing else acquires the lock.
//
//	mu.Lock()                 mu.Lock()
//	if bad {                  defer mu.Unlock()
//		return errBad    →    if bad {
//	}                         	return errBad
//	mu.Unlock()               }
//	return nil                return nil
func (c *checker) deferFix(fn *locks.Func, a site) (analysis.SuggestedFix, bool) {
	var none analysis.SuggestedFix
	if a.ev.Via != nil {
		return none, false
	}
	p := a.ev.Path
	var rel *locks.Event
	var relNode ast.Node
	for n, evs := range fn.Events {
		for _, e := range evs {
			if e.Path != p {
				continue
			}
			switch {
			case e.Op.Release():
				if rel != nil || e.Deferred || e.Via != nil {
					return none, false
				}
				rel, relNode = e, n
			case e != a.ev:
				return none, false // another operation on the lock
			}
		}
	}
	if rel == nil || rel.Op.Read() != a.ev.Op.Read() {
		return none, false
	}
	list := fn.Body.List
	j := indexOf(list, a.node)
	k := indexOf(list, relNode)
	if j < 0 || k <= j {
		return none, false
	}
	if _, ok := list[k].(*ast.ExprStmt); !ok {
		return none, false
	}
	if _, ok := list[j].(*ast.ExprStmt); !ok {
		return none, false
	}
	switch rest := list[k+1:]; len(rest) {
	case 0:
	case 1:
		ret, ok := rest[0].(*ast.ReturnStmt)
		if !ok || hasCall(ret) {
			return none, false
		}
	default:
		return none, false
	}
	// Don't delete comments along with the Unlock.
	from, to := list[k-1].End(), list[k].End()
	if f := analysisutil.File(c.pass, from); f == nil || commentIn(f, from, to) {
		return none, false
	}
	sel, ok := ast.Unparen(rel.Call.Fun).(*ast.SelectorExpr)
	if !ok {
		return none, false
	}
	// Insert on the line after the Lock (after its trailing comment), so
	// the Lock must end its line.
	tf := c.pass.Fset.File(list[j].Pos())
	line := tf.Line(list[j].End())
	if tf.Line(list[j+1].Pos()) == line || line+1 > tf.LineCount() {
		return none, false
	}
	at := tf.LineStart(line + 1)
	indent := strings.Repeat("\t", max(c.pass.Fset.Position(list[j].Pos()).Column-1, 0))
	release := types.ExprString(sel.X) + "." + sel.Sel.Name + "()"
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Defer %s right after locking", release),
		TextEdits: []analysis.TextEdit{
			{Pos: at, End: at, NewText: []byte(indent + "defer " + release + "\n")},
			{Pos: from, End: to},
		},
	}, true
}

func indexOf(list []ast.Stmt, n ast.Node) int {
	for i, s := range list {
		if s == n {
			return i
		}
	}
	return -1
}

// hasCall reports whether n contains a call (conversions included, to be
// simple and safe).
func hasCall(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if _, ok := m.(*ast.CallExpr); ok {
			found = true
		}
		return !found
	})
	return found
}

// commentIn reports whether f has a comment between from and to.
func commentIn(f *ast.File, from, to token.Pos) bool {
	for _, g := range f.Comments {
		if g.End() > from && g.Pos() < to {
			return true
		}
	}
	return false
}
