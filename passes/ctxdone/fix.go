package ctxdone

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// doneFix returns the rewrite of a loop written for { select { ... } }
// (no default case) that adds, as the select's first case,
//
//	case <-ctx.Done():
//		return
//
// It keeps the meaning of every other case and ends the goroutine when
// the context is done. It is offered only when the rewrite is mechanical:
// the goroutine's function has no results (a bare return is then
// correct; with results, which values to return is the author's call),
// and the context's name refers to the same context at the select (it
// is not shadowed there).
func (c *checker) doneFix(gr *routine, l *loop) (analysis.SuggestedFix, bool) {
	if l.sel == nil || gr.results {
		return analysis.SuggestedFix{}, false
	}
	r := gr.ctx
	scope := c.pass.Pkg.Scope().Innermost(l.sel.Pos())
	if scope == nil {
		return analysis.SuggestedFix{}, false
	}
	if _, obj := scope.LookupParent(r.v.Name(), l.sel.Pos()); obj != types.Object(r.v) {
		return analysis.SuggestedFix{}, false // shadowed at the select
	}
	first := l.sel.Body.List[0]
	indent := strings.Repeat("\t", max(c.pass.Fset.Position(first.Pos()).Column-1, 0))
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Add a %s.Done case", r.name),
		TextEdits: []analysis.TextEdit{{
			Pos:     first.Pos(),
			End:     first.Pos(),
			NewText: fmt.Appendf(nil, "case <-%s.Done():\n%s\treturn\n%s", r.name, indent, indent),
		}},
	}, true
}
