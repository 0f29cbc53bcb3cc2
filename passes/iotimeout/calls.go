package iotimeout

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/knowledge"
)

// checkCalls reports the calls of the table's APIs, and the references
// to them as function values (get := http.Get).
func (c *checker) checkCalls() {
	info := c.pass.TypesInfo
	var decl *ast.FuncDecl // the declaration being walked
	analysisutil.Inspector(c.pass).WithStack([]ast.Node{
		(*ast.File)(nil),
		(*ast.FuncDecl)(nil),
		(*ast.SelectorExpr)(nil),
		(*ast.Ident)(nil),
	}, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			if n == decl {
				decl = nil
			}
			return true
		}
		switch n := n.(type) {
		case *ast.File:
			if c.testCode(n.Package) {
				return false // nothing is reported in test code (see report)
			}
		case *ast.FuncDecl:
			if c.flaggedAPI(n) {
				return false // the definition of a listed API: reported at its callers
			}
			decl = n
		}
		// The ancestors of n, capped so that no append overwrites n.
		anc := stack[: len(stack)-1 : len(stack)-1]
		var id *ast.Ident
		switch n := n.(type) {
		case *ast.SelectorExpr:
			id = n.Sel
		case *ast.Ident:
			if sel, ok := parentOf(anc).(*ast.SelectorExpr); !ok || sel.Sel != n {
				id = n
			}
		}
		if id != nil {
			if fn, ok := info.Uses[id].(*types.Func); ok {
				if e, ok := c.table.Lookup(fn); ok {
					c.checkCall(e, n.(ast.Expr), anc, decl)
				}
			}
		}
		return true
	})
}

// flaggedAPI reports whether fd declares one of the APIs the pass
// reports (http.Get, net.Dial, Client.Get...): their own bodies use
// http.DefaultClient, an http.Server or a net.Dialer without timeouts by
// definition, and the finding belongs at their callers.
func (c *checker) flaggedAPI(fd *ast.FuncDecl) bool {
	obj, ok := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
	if !ok {
		return false
	}
	if _, ok := c.table.Lookup(obj); ok {
		return true
	}
	for _, k := range kinds {
		if callee.IsMethod(obj, k.pkg, k.name, k.waits...) {
			return true
		}
	}
	return false
}

func parentOf(stack []ast.Node) ast.Node {
	if len(stack) == 0 {
		return nil
	}
	return stack[len(stack)-1]
}

// checkCall reports ref, a reference to the API of entry e; stack holds
// its ancestors.
func (c *checker) checkCall(e knowledge.API, ref ast.Expr, stack []ast.Node, decl *ast.FuncDecl) {
	// The call, when ref is called in place.
	var call *ast.CallExpr
	var child ast.Node = ref
	for i := len(stack) - 1; i >= 0; i-- {
		if p, ok := stack[i].(*ast.ParenExpr); ok {
			child = p
			continue
		}
		if p, ok := stack[i].(*ast.CallExpr); ok && p.Fun == child {
			call = p
		}
		break
	}
	name := render(ref)
	switch e.Timeout {
	case knowledge.DefaultClient:
		if c.defaultConfigured {
			return // the package gives http.DefaultClient its settings
		}
		if call != nil && len(call.Args) > 0 && c.httptestURL(call.Args[0]) {
			return // a test server, torn down by its test
		}
		c.report(analysis.Diagnostic{
			Pos: ref.Pos(),
			End: ref.End(),
			Message: fmt.Sprintf("%s uses http.DefaultClient, which has no Timeout, so it can wait forever for a server that stops answering: use an http.Client with Timeout, or http.NewRequestWithContext with a deadline",
				name),
		})
	case knowledge.ServerDefaults:
		if call != nil && len(call.Args) > 0 && (e.Spec.Name == "ListenAndServe" || e.Spec.Name == "ListenAndServeTLS") && c.loopback(call.Args[0]) {
			return // only local processes can connect
		}
		c.report(analysis.Diagnostic{
			Pos: ref.Pos(),
			End: ref.End(),
			Message: fmt.Sprintf("%s serves with no ReadHeaderTimeout or ReadTimeout, so a client that never finishes sending its request headers holds a connection and a goroutine forever: use an http.Server with ReadHeaderTimeout",
				name),
		})
	case knowledge.NoTimeout:
		var body ast.Node
		if decl != nil {
			body = decl.Body
		}
		if call != nil && len(call.Args) == 2 && e.Spec == callee.ParseSpec("net.Dial") && (c.localNetwork(body, call.Args[0]) || c.loopback(call.Args[1])) {
			return // udp, unix, ip, loopback: nothing waits for a remote peer
		}
		if c.zeroTimeoutBranch(ref, stack) {
			return // if d == 0 { net.Dial(...) } else { net.DialTimeout(..., d) }: the caller chose no timeout
		}
		effect := "it can block the goroutine for as long as the peer does not answer"
		if e.Spec.Pkg == "net" && e.Spec.Name == "Dial" {
			effect = "it waits for as long as the operating system keeps trying to connect (minutes)"
		}
		safer := e.Safer
		if safer == "" {
			safer = "a variant that takes a timeout or a context"
		}
		c.report(analysis.Diagnostic{
			Pos:     ref.Pos(),
			End:     ref.End(),
			Message: fmt.Sprintf("%s has no timeout, so %s: use %s", name, effect, safer),
		})
	case knowledge.ContextVariant:
		c.checkNeedsContext(e, ref, call)
	}
}

// checkNeedsContext reports a call of an API that has a context variant
// when a context.Context variable is in scope, with the fix to call the
// variant with it.
func (c *checker) checkNeedsContext(e knowledge.API, ref ast.Expr, call *ast.CallExpr) {
	ctx := c.contextVar(ref.Pos())
	if ctx == nil {
		return // no context at hand: nothing better to pass
	}
	safer := e.Safer
	if sel, ok := ref.(*ast.SelectorExpr); ok {
		safer = render(sel.X) + "." + e.Safer
	}
	d := analysis.Diagnostic{
		Pos: ref.Pos(),
		End: ref.End(),
		Message: fmt.Sprintf("%s cannot be cancelled and has no deadline, though the context %s is in scope: use %s(%s, ...)",
			render(ref), ctx.Name(), safer, ctx.Name()),
		Related: []analysis.RelatedInformation{{Pos: ctx.Pos(), Message: fmt.Sprintf("%s is declared here", ctx.Name())}},
	}
	if call != nil && !c.r.Suppressed(ref.Pos()) {
		if id := calledName(call.Fun); id != nil {
			args := ctx.Name()
			if len(call.Args) == 0 && e.Args != "" {
				args += ", " + e.Args
			}
			if len(call.Args) > 0 {
				args += ", "
			}
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message: fmt.Sprintf("Call %s with %s", e.Safer, ctx.Name()),
				TextEdits: []analysis.TextEdit{
					{Pos: id.Pos(), End: id.End(), NewText: []byte(e.Safer)},
					{Pos: call.Lparen + 1, End: call.Lparen + 1, NewText: []byte(args)},
				},
			}}
		}
	}
	c.report(d)
}

// contextVar returns the context.Context variable in scope at pos that
// was declared last (the most derived context, usually), or nil. A
// variable of an enclosing function captured by a function literal
// counts; package-level variables don't.
func (c *checker) contextVar(pos token.Pos) *types.Var {
	pkgScope := c.pass.Pkg.Scope()
	inner := pkgScope.Innermost(pos)
	for s := inner; s != nil && s != pkgScope && s != types.Universe; s = s.Parent() {
		var best *types.Var
		for _, name := range s.Names() {
			v, ok := s.Lookup(name).(*types.Var)
			if !ok || name == "_" || v.Pos() >= pos || !isContext(v.Type()) {
				continue
			}
			if _, obj := inner.LookupParent(name, pos); obj != v {
				continue // shadowed, or not yet declared at pos
			}
			if c.emptyContext(v) {
				continue // context.Background(): passing it changes nothing
			}
			if best == nil || v.Pos() > best.Pos() {
				best = v
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// emptyContext reports whether the local variable v is assigned only
// once, from context.Background() or context.TODO(): a context that is
// never cancelled and has no deadline.
func (c *checker) emptyContext(v *types.Var) bool {
	var root ast.Node
	for _, f := range c.pass.Files {
		if f.FileStart <= v.Pos() && v.Pos() < f.FileEnd {
			root = f
		}
	}
	if root == nil {
		return false
	}
	src, ranged := c.singleSource(root, v)
	if src == nil || ranged {
		return false
	}
	return knowledge.IsBackground(c.pass.TypesInfo, src)
}

// isContext reports whether t is context.Context itself (not a type
// that merely implements it).
func isContext(t types.Type) bool {
	t = types.Unalias(t)
	if _, ok := t.(*types.Pointer); ok {
		return false
	}
	return callee.IsNamed(t, "context", "Context")
}

// httptestURL reports whether e mentions the URL of an httptest.Server:
// http.Get(ts.URL + "/path") talks to a server its test tears down.
func (c *checker) httptestURL(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "URL" && callee.IsNamed(c.pass.TypesInfo.TypeOf(sel.X), "net/http/httptest", "Server") {
			found = true
		}
		return !found
	})
	return found
}

// zeroTimeoutBranch reports whether ref is in the then-branch of an if
// whose condition says a time.Duration d is zero (d == 0, d <= 0), and
// whose else-branch (or the code after it, when the then-branch
// returns) uses d: a configured timeout of zero means "none" by
// the API's own convention (net.DialTimeout with 0 is net.Dial), so the
// call without one is the configuration, not an oversight.
func (c *checker) zeroTimeoutBranch(ref ast.Expr, stack []ast.Node) bool {
	info := c.pass.TypesInfo
	for i := len(stack) - 1; i > 0; i-- {
		ifs, ok := stack[i-1].(*ast.IfStmt)
		if !ok || stack[i] != ifs.Body {
			continue
		}
		// The other branch: the else, or, when the then-branch returns,
		// the statements after the if.
		var other []ast.Node
		if ifs.Else != nil {
			other = append(other, ifs.Else)
		} else if n := len(ifs.Body.List); n > 0 && i >= 2 {
			if _, ret := ifs.Body.List[n-1].(*ast.ReturnStmt); ret {
				if blk, ok := stack[i-2].(*ast.BlockStmt); ok {
					after := false
					for _, st := range blk.List {
						if after {
							other = append(other, st)
						}
						after = after || st == ifs
					}
				}
			}
		}
		if len(other) == 0 {
			continue
		}
		cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
		if !ok || cond.Op != token.EQL && cond.Op != token.LEQ {
			continue
		}
		d := cond.X
		if tv := info.Types[cond.Y]; tv.Value == nil || tv.Value.String() != "0" {
			continue
		}
		if t := info.TypeOf(d); t == nil || !callee.IsNamed(t, "time", "Duration") {
			continue
		}
		want := types.ExprString(d)
		used := false
		for _, o := range other {
			ast.Inspect(o, func(n ast.Node) bool {
				if e, ok := n.(ast.Expr); ok && !used && types.ExprString(e) == want && types.Identical(info.TypeOf(e), info.TypeOf(d)) {
					used = true
				}
				return !used
			})
		}
		return used
	}
	return false
}
