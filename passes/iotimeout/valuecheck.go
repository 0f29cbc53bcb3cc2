package iotimeout

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/flow"
)

// ---- reporting values ----

// checkValues reports the values created in fn that wait without a
// timeout.
func (c *checker) checkValues(fn *function) {
	if fn.CFG == nil {
		return // no CFG: nothing to say about paths
	}
	if fn.Decl != nil && c.flaggedAPI(fn.Decl) {
		return // the definition of a listed API: reported at its callers
	}
	for _, s := range c.sites(fn) {
		if s.timed {
			continue // a timeout is set where the value is made
		}
		switch {
		case s.v != nil:
			c.checkVariable(fn, s)
		case s.expr != nil:
			c.checkInPlace(fn, s)
		}
	}
}

// checkInPlace reports a value used where it is made:
// (&http.Client{}).Get(url), http.DefaultClient.Do(req).
func (c *checker) checkInPlace(fn *function, s *site) {
	sel, ok := s.parent.(*ast.SelectorExpr)
	if !ok || sel.X != s.child {
		return // passed, stored, returned...: not used here
	}
	selection := c.pass.TypesInfo.Selections[sel]
	if selection == nil || selection.Kind() != types.MethodVal || !slices.Contains(s.kind.waits, sel.Sel.Name) {
		return // not a waiting method
	}
	call, isCall := s.grand.(*ast.CallExpr)
	isCall = isCall && ast.Unparen(call.Fun) == sel
	switch {
	case isCall && c.boundedCall(fn, s.kind, sel.Sel.Name, call):
		return // a request with a context, or a dial that does not wait
	case !isCall && sel.Sel.Name == "Do":
		return // a method value of Do: its requests are unknown
	}
	var subject string
	switch {
	case s.isDefault:
		subject = "http.DefaultClient"
	case s.ctor != "":
		subject = fmt.Sprintf("the %s from %s", s.kind.label, s.ctor)
	default:
		subject = "this " + s.kind.label
	}
	text := render(sel)
	if _, isCall := ast.Unparen(s.expr).(*ast.CallExpr); !isCall && !s.isDefault {
		text = sel.Sel.Name // a literal: (&http.Client{...}).Get reads badly
	}
	c.report(analysis.Diagnostic{
		Pos:     sel.Pos(),
		End:     sel.End(),
		Message: c.message(s, subject, text),
	})
}

// message renders the finding for a value of site s called subject
// that waits in call.
func (c *checker) message(s *site, subject, call string) string {
	fix := s.kind.fix
	if s.isDefault {
		fix = "use an http.Client with Timeout, or requests made with http.NewRequestWithContext and a deadline"
	}
	return fmt.Sprintf("%s %s, so "+s.kind.effect+": %s", subject, s.kind.missing, call, fix)
}

// checkVariable reports a value kept in a local variable and used to
// wait, on some path, before any timeout is set.
func (c *checker) checkVariable(fn *function, s *site) {
	u := c.uses(fn, s.kind, s.v, s.def)
	if u.escaped() {
		return // configured or used where the pass can't see
	}
	if u.litSetting {
		return // set in a function literal: when it runs is unknown
	}
	var first *wait
	for _, w := range u.waits {
		if c.reachesUnset(fn, s, w.node.Pos(), u.settings) && (first == nil || w.node.Pos() < first.node.Pos()) {
			first = w
		}
	}
	if len(u.settings) == 0 {
		// A literal runs at an unknown time, which matters only when
		// some timeout is set somewhere.
		for _, w := range u.litWaits {
			if first == nil || w.node.Pos() < first.node.Pos() {
				first = w
			}
		}
	}
	if first == nil {
		return
	}
	name := s.v.Name()
	var subject string
	switch {
	case s.isDefault:
		subject = fmt.Sprintf("http.DefaultClient (as %s)", name)
	case s.ctor != "":
		subject = fmt.Sprintf("%s %s, from %s,", s.kind.label, name, s.ctor)
	default:
		subject = fmt.Sprintf("%s %s", s.kind.label, name)
	}
	c.report(analysis.Diagnostic{
		Pos:     s.at.Pos(),
		End:     s.at.End(),
		Message: c.message(s, subject, render(first.fun)),
		Related: []analysis.RelatedInformation{{
			Pos:     first.node.Pos(),
			End:     first.node.End(),
			Message: fmt.Sprintf("%s waits here with no timeout", render(first.fun)),
		}},
	})
}

// reachesUnset reports whether control can go from the assignment of
// site s to the node containing pos without passing a node that sets a
// timeout (one containing a position in settings).
func (c *checker) reachesUnset(fn *function, s *site, pos token.Pos, settings []token.Pos) bool {
	ix := fn.Index()
	from, i := ix.Locate(s.def.Pos())
	to, j := ix.Locate(pos)
	if from == nil || to == nil {
		return false // dead code
	}
	sets := func(n ast.Node) bool {
		for _, p := range settings {
			if n.Pos() <= p && p < n.End() {
				return true
			}
		}
		return false
	}
	target := to.Nodes[j] // go/cfg puts each node in one block only
	hit := flow.Search{
		Target: func(n ast.Node) bool { return n == target },
		Covers: sets,
		Exit:   flow.NoExit,
	}.From(from, i)
	return hit != nil
}
