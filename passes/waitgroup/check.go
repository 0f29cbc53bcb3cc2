package waitgroup

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/callee"
)

// check reports what is wrong with fn's WaitGroups.
func (c *checker) check(fn *function) {
	if fn.CFG == nil || fn.state != 2 {
		return // no CFG, or a literal in dead code: never scanned
	}
	for _, k := range fn.keys {
		s := c.summarize(fn, k)
		switch fn.role {
		case roleGo:
			if fn.Lit != nil {
				c.checkGoroutine(fn, k, s)
			}
		case roleWgGo:
			if k == fn.wgKey {
				c.checkWgGo(fn, k)
				continue
			}
		}
		c.checkTwice(fn, k, s)
	}
	for _, e := range fn.events {
		if e.kind == evGo && e.helper != nil {
			c.checkLaunch(fn, e)
		}
	}
	c.checkCounts(fn)
	c.checkWaitInLoops(fn)
}

// outerKey returns the key, in the terms of the function that starts
// the literal lit, of lit's WaitGroup k.
func (c *checker) outerKey(lit *function, k key) (key, bool) {
	if !lit.declares(k.root) {
		return k, true
	}
	if lit.launch == nil {
		return key{}, false
	}
	sig, _ := c.pass.TypesInfo.TypeOf(lit.Lit).(*types.Signature)
	if sig == nil {
		return key{}, false
	}
	for j, a := range lit.launch.Args {
		if j < sig.Params().Len() && sig.Params().At(j) == k.root {
			ak, ok := keyOf(c.pass.TypesInfo, a)
			if !ok {
				return key{}, false
			}
			return ak.extend(k.path), true
		}
	}
	return key{}, false
}

// ---- goroutines started with go func() { ... }() ----

// checkGoroutine checks the goroutine literal g's use of its WaitGroup k.
func (c *checker) checkGoroutine(g *function, k key, s *summary) {
	if g.declares(k.root) && !c.params[k.root] {
		return // a WaitGroup of the goroutine's own: nobody outside counts on it
	}
	if s.done == DoneSome {
		c.reportMissing(g, k, s)
	}
	if w := s.selfWait; w != nil {
		c.r.Report(analysis.Diagnostic{
			Pos: w.at.Pos(),
			End: w.at.End(),
			Message: fmt.Sprintf("%s inside a goroutine counted by %s waits for the goroutine's own %s.Done(), which has not run yet, so it blocks forever: wait outside the goroutines it counts",
				c.describe(w), c.str(k), c.str(k)),
		})
	}
	if a := s.addSelf; a != nil {
		pk, ok := c.outerKey(g, k)
		if ok && c.launcherMayNotAdd(g.parent, pk) {
			fix := fmt.Sprintf("call %s.Add(1) before the go statement", c.str(pk))
			if c.since125(a.at.Pos()) && len(g.launch.Args) == 0 {
				fix += fmt.Sprintf(", or start the goroutine with %s.Go(func() { ... }) and drop its Add and Done", c.str(pk))
			}
			d := analysis.Diagnostic{
				Pos: a.at.Pos(),
				End: a.at.End(),
				Message: fmt.Sprintf("%s inside the goroutine it accounts for races with %s.Wait(), which can return before it runs: %s",
					c.describe(a), c.str(k), fix),
			}
			if f, ok := c.moveAddFix(g, a, pk == k); ok && !c.r.Suppressed(d.Pos) {
				d.SuggestedFixes = []analysis.SuggestedFix{f}
			}
			c.r.Report(d)
		}
	}
}

// reportMissing reports the path of the goroutine literal g that ends
// without calling Done on k.
func (c *checker) reportMissing(g *function, k key, s *summary) {
	fix := fmt.Sprintf("defer %s.Done() at the start of the goroutine", c.str(k))
	if c.since125(g.Lit.Pos()) && g.launch != nil && len(g.launch.Args) == 0 && !hasResults(g.Lit.Type) {
		if pk, ok := c.outerKey(g, k); ok {
			fix += fmt.Sprintf(", or start it with %s.Go(func() { ... }) and drop the Done calls", c.str(pk))
		}
	}
	consequence := fmt.Sprintf("which it calls on other paths, so %s.Wait() blocks forever", c.str(k))
	d := analysis.Diagnostic{}
	switch s.end.kind {
	case endReturn:
		ret := s.end.node.(*ast.ReturnStmt)
		if ret.Return == g.Body.Rbrace {
			d.Pos, d.End = g.Body.Rbrace, g.Body.Rbrace+1
			d.Message = fmt.Sprintf("the goroutine ends here without calling %s.Done(), %s: %s", c.str(k), consequence, fix)
		} else {
			d.Pos, d.End = ret.Return, ret.Return+token.Pos(len("return"))
			d.Message = fmt.Sprintf("the goroutine returns here without calling %s.Done(), %s: %s", c.str(k), consequence, fix)
		}
	case endGoexit:
		call := endCall(s.end.node)
		d.Pos, d.End = call.Pos(), call.End()
		d.Message = fmt.Sprintf("%s ends the goroutine (runtime.Goexit) without calling %s.Done(), %s: %s",
			render(call.Fun), c.str(k), consequence, fix)
	case endPanic:
		call := endCall(s.end.node)
		d.Pos, d.End = call.Pos(), call.End()
		d.Message = fmt.Sprintf("the deferred function on line %d recovers this panic, and the goroutine then ends without calling %s.Done(), %s: %s",
			c.line(s.end.recover.Pos()), c.str(k), consequence, fix)
	}
	if f := s.firstDone; f != nil {
		d.Related = []analysis.RelatedInformation{{Pos: f.at.Pos(), End: f.at.End(), Message: c.describe(f) + " is called here on another path"}}
	}
	c.r.Report(d)
}

func hasResults(t *ast.FuncType) bool { return t.Results != nil && len(t.Results.List) > 0 }

// launcherMayNotAdd reports whether the function p, which starts a
// goroutine that adds to its WaitGroup k before its own Done, does not
// itself add to k: then nothing counts the goroutine before it runs.
// It is false when p adds to k anywhere, when k escapes in p, and when k
// may be an alias of another WaitGroup.
func (c *checker) launcherMayNotAdd(p *function, k key) bool {
	if p == nil {
		return false
	}
	c.scan(p)
	for _, e := range p.byKey[k] {
		if e.kind == evAdd || e.kind == evEscape && e.exact {
			return false
		}
	}
	return c.aliasFree(k)
}

// aliasFree reports whether the variable at the root of k is not an
// alias of a WaitGroup reached another way: a parameter, a global, a
// local holding a value, or a local pointer initialised once with a new
// value.
func (c *checker) aliasFree(k key) bool {
	v := k.root
	if v.Parent() == c.pass.Pkg.Scope() || c.params[v] {
		return true
	}
	if _, ok := types.Unalias(v.Type()).Underlying().(*types.Pointer); !ok {
		return true
	}
	defs := c.definitions(v)
	if len(defs) != 1 || defs[0] == nil {
		return false
	}
	switch d := ast.Unparen(defs[0]).(type) {
	case *ast.UnaryExpr:
		_, lit := ast.Unparen(d.X).(*ast.CompositeLit)
		return d.Op == token.AND && lit
	case *ast.CallExpr:
		if id, ok := ast.Unparen(d.Fun).(*ast.Ident); ok {
			if b, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin); ok {
				return b.Name() == "new"
			}
		}
		return !c.pass.TypesInfo.Types[d.Fun].IsType()
	}
	return false
}

// definitions returns the expressions assigned to the local variable v
// (nil for a declaration without a value).
func (c *checker) definitions(v *types.Var) []ast.Expr {
	if c.defs == nil {
		c.defs = make(map[*types.Var][]ast.Expr)
		info := c.pass.TypesInfo
		for _, f := range c.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					for i, lhs := range n.Lhs {
						id, ok := ast.Unparen(lhs).(*ast.Ident)
						if !ok {
							continue
						}
						w, ok := info.ObjectOf(id).(*types.Var)
						if !ok {
							continue
						}
						var rhs ast.Expr
						if len(n.Rhs) == len(n.Lhs) {
							rhs = n.Rhs[i]
						}
						if rhs == nil {
							rhs = &ast.BadExpr{} // from a tuple: unknown
						}
						c.defs[w] = append(c.defs[w], rhs)
					}
				case *ast.ValueSpec:
					for i, id := range n.Names {
						w, ok := info.Defs[id].(*types.Var)
						if !ok {
							continue
						}
						var rhs ast.Expr
						if len(n.Values) == len(n.Names) {
							rhs = n.Values[i]
						} else if len(n.Values) > 0 {
							rhs = &ast.BadExpr{}
						}
						c.defs[w] = append(c.defs[w], rhs)
					}
				}
				return true
			})
		}
	}
	return c.defs[v]
}

// ---- Done twice ----

// checkTwice reports two Done calls on one path of fn. Two explicit
// calls are only reported in a goroutine literal whose starter adds
// exactly 1 for it: a goroutine counted twice (Add(2)) may well call
// Done twice.
func (c *checker) checkTwice(fn *function, k key, s *summary) {
	if s.first == nil {
		return
	}
	deferred := s.first.kind == evDeferDone || s.second.kind == evDeferDone
	if fn.role == roleGo {
		pk, ok := c.outerKey(fn, k)
		if !ok || c.addsAfter(fn, pk) {
			// The starter adds again while the goroutine runs: a
			// handshake (Done when started, Add, Done when finished).
			return
		}
		if !deferred && !c.addsOnlyOne(fn.parent, pk) {
			return
		}
	} else if !deferred {
		return
	} else if fn.Obj != nil && c.startedForHandshake(fn.Obj, k) {
		// go server(t, &wg); wg.Wait(); wg.Add(1): the function says
		// "ready" with one Done and "finished" with the deferred one.
		return
	}
	second := s.second
	c.r.Report(analysis.Diagnostic{
		Pos: second.at.Pos(),
		End: second.at.End(),
		Message: fmt.Sprintf("%s.Done() is called twice on this path (%s on line %d, then %s here): the counter goes negative (panic), or %s.Wait() returns before the other goroutines finish; keep one",
			c.str(k), c.describe(s.first), c.line(s.first.at.Pos()), c.describe(second), c.str(k)),
		Related: []analysis.RelatedInformation{{Pos: s.first.at.Pos(), End: s.first.at.End(), Message: "the first Done on this path"}},
	})
}

// addsAfter reports whether the function that starts the goroutine
// literal g can add to k after g's go statement, other than for the
// next goroutine (an Add that leads back to the go statement, in a
// loop).
func (c *checker) addsAfter(g *function, k key) bool {
	p := g.parent
	if p == nil || g.goStmt == nil {
		return false
	}
	b, i := p.Index().Locate(g.goStmt.Pos())
	if b == nil {
		return false
	}
	return c.addsAfterNode(p, b, i, k)
}

// addsAfterNode reports whether p can add to k after node i of block b,
// a go statement, other than for the next launch of that statement.
func (c *checker) addsAfterNode(p *function, b *cfg.Block, i int, k key) bool {
	goNode := b.Nodes[i]
	for _, e := range p.byKey[k] {
		if e.kind != evAdd {
			continue
		}
		if _, _, after := (walker{}).find(b, i, isNode(e.node), nil); !after {
			continue
		}
		if _, _, relaunch := (walker{}).find(e.block, e.index, isNode(goNode), nil); !relaunch {
			return true
		}
	}
	return false
}

// startedForHandshake reports whether the declared function f is started
// with go in this package, handed its WaitGroup k (a parameter), and
// every starter adds to that WaitGroup again after the go statement: f's
// two Done calls are a handshake (Done when ready, Add, Done when
// finished).
func (c *checker) startedForHandshake(f *types.Func, k key) bool {
	sig, ok := f.Type().(*types.Signature)
	if !ok {
		return false
	}
	param := -1
	for i := 0; i < sig.Params().Len(); i++ {
		if sig.Params().At(i) == k.root {
			param = i
		}
	}
	if param < 0 || k.path != "" {
		return false
	}
	found := false
	for _, p := range c.all {
		if p.state != 2 || p.CFG == nil {
			continue
		}
		ok := true
		ast.Inspect(p.Body, func(n ast.Node) bool {
			if _, lit := n.(*ast.FuncLit); lit || !ok {
				return false
			}
			g, isGo := n.(*ast.GoStmt)
			if !isGo || callee.Of(c.pass.TypesInfo, g.Call) != f || param >= len(g.Call.Args) {
				return true
			}
			arg := ast.Unparen(g.Call.Args[param])
			if u, isAddr := arg.(*ast.UnaryExpr); isAddr && u.Op == token.AND {
				arg = ast.Unparen(u.X)
			}
			b, i := p.Index().Locate(g.Pos())
			var pk *key
			for _, kk := range p.keys {
				if kk.String() == types.ExprString(arg) {
					pk = &kk
				}
			}
			if b == nil || pk == nil || !c.addsAfterNode(p, b, i, *pk) {
				ok = false
				return false
			}
			found = true
			return true
		})
		if !ok {
			return false
		}
	}
	return found
}

// addsOnlyOne reports whether every Add of k in p is an explicit Add(1),
// and there is one.
func (c *checker) addsOnlyOne(p *function, k key) bool {
	if p == nil {
		return false
	}
	n := 0
	for _, e := range p.byKey[k] {
		if e.kind != evAdd {
			continue
		}
		v, ok := c.constInt(e.arg)
		if !e.explicit() || !ok || v != 1 {
			return false
		}
		n++
	}
	return n > 0
}

// ---- wg.Go(func() { ... }) ----

// checkWgGo checks a literal run by k.Go, which calls k.Done itself when
// the literal returns.
func (c *checker) checkWgGo(lit *function, k key) {
	for _, e := range lit.byKey[k] {
		switch e.kind {
		case evDone, evDeferDone:
			c.r.Report(analysis.Diagnostic{
				Pos: e.at.Pos(),
				End: e.at.End(),
				Message: fmt.Sprintf("%s.Go already calls %s.Done() when the function returns: this %s makes the counter go negative (panic); remove it",
					c.str(k), c.str(k), c.describe(e)),
			})
		case evWait:
			if e.deferred {
				continue
			}
			c.r.Report(analysis.Diagnostic{
				Pos: e.at.Pos(),
				End: e.at.End(),
				Message: fmt.Sprintf("%s inside a function run by %s.Go waits for that function itself and blocks forever: wait outside the goroutines it counts",
					c.describe(e), c.str(k)),
			})
		}
	}
}

// ---- go f(...): functions started as goroutines, through their summary ----

// checkLaunch checks the go statement behind e, which starts a declared
// function with what its summary says it does to the WaitGroup e.key.
func (c *checker) checkLaunch(p *function, e *event) {
	en, k := e.entry, e.key
	call := e.at.(*ast.CallExpr)
	name := render(call.Fun)
	d := analysis.Diagnostic{Pos: call.Fun.Pos(), End: call.Fun.End()}
	switch {
	case en.Done == DoneSome:
		how := fmt.Sprintf("it returns at %s without it", en.EndAt)
		if en.EndGoexit {
			how = fmt.Sprintf("it ends the goroutine at %s without it", en.EndAt)
		}
		d.Message = fmt.Sprintf("%s does not call %s.Done() on every path (%s), so %s.Wait() can block forever: defer %s.Done() at the start of %s",
			name, c.str(k), how, c.str(k), en.Name, e.helper.Name())
	case en.AddsSelf && c.launcherMayNotAdd(p, k):
		d.Message = fmt.Sprintf("%s calls %s.Add inside the goroutine it accounts for (%s), racing with %s.Wait(), which can return before it runs: call %s.Add(1) before this go statement and remove the Add from %s",
			name, c.str(k), en.AddAt, c.str(k), c.str(k), e.helper.Name())
	case en.SelfWait:
		d.Message = fmt.Sprintf("%s waits on %s (%s) while this goroutine is counted by it, so it waits for itself forever: wait outside the goroutines it counts",
			name, c.str(k), en.WaitAt)
	default:
		return
	}
	c.r.Report(d)
}

// ---- rendering ----

// describe renders the call behind event e for messages.
func (c *checker) describe(e *event) string {
	if e.lit != nil {
		switch e.lit.role {
		case roleDefer:
			return "the deferred function literal"
		case roleCall:
			return "the function literal called here"
		}
		return "the function literal"
	}
	s := render(e.at)
	if e.kind == evDeferDone && e.explicit() {
		s = "defer " + s
	}
	return s
}

// render returns the source form of n, shortened for messages.
func render(n ast.Node) string {
	e, ok := n.(ast.Expr)
	if !ok {
		return "this statement"
	}
	s := types.ExprString(e)
	if len(s) > 60 {
		if call, ok := e.(*ast.CallExpr); ok {
			s = types.ExprString(call.Fun) + "(...)"
		}
	}
	return strings.TrimSpace(s)
}

// line returns the line of pos.
func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

// constInt returns the value of e if it is an integer constant.
func (c *checker) constInt(e ast.Expr) (int64, bool) {
	if e == nil {
		return 0, false
	}
	tv, ok := c.pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil {
		return 0, false
	}
	v, exact := constInt64(tv.Value)
	return v, exact
}
