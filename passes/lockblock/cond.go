package lockblock

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/locks"
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
func (c *checker) checkUnsignalledConds(conds map[*types.Var]*uses.Uses) {
	for _, u := range conds {
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

// condUses returns the uses of the package's sync.Cond variables and
// fields (internal/uses): a Cond initialised with sync.NewCond or a
// composite literal and used only through its methods and c.L cannot be
// reached from outside the package.
func (c *checker) condUses() map[*types.Var]*uses.Uses {
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
	return uses.Of(c.pass, isCond, isInit)
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

// checkStuckCondLoops reports a Cond wait loop whose condition reads only
// local variables that nothing changes while the loop runs (moby27782's
// exists := true; for exists { w.cv.Wait() }): Wait returns into the same
// condition every time, so the loop never ends however often the Cond is
// signalled.
//
// The condition must be made of local variables of basic type and
// constants only (no calls, fields, indexes or dereferences); the loop
// must have no way out (no return, break, goto or panic in its body); and
// the function must not assign the variables in the loop, take their
// address, or use them in a function literal.
func (c *checker) checkStuckCondLoops() {
	info := c.pass.TypesInfo
	// The loops of the declared functions' bodies, outside test files:
	// fd is the declaration whose body the walk is in, nil outside one
	// (a package-level variable's function literal).
	var (
		fd   *ast.FuncDecl
		skip bool // in a test file
	)
	analysisutil.Inspector(c.pass).Preorder([]ast.Node{
		(*ast.File)(nil),
		(*ast.GenDecl)(nil),
		(*ast.FuncDecl)(nil),
		(*ast.ForStmt)(nil),
	}, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.File:
			skip, fd = analysisutil.IsTestFile(c.pass, n.Pos()), nil
			return
		case *ast.GenDecl:
			fd = nil
			return
		case *ast.FuncDecl:
			fd = n
			return
		}
		loop := n.(*ast.ForStmt)
		if skip || fd == nil || fd.Body == nil || loop.Cond == nil {
			return
		}
		vars, ok := localCond(info, fd, loop.Cond)
		if !ok || len(vars) == 0 || !stuck(info, fd, loop, vars) {
			return
		}
		wait := condWait(info, loop.Body)
		if wait == nil || analysisutil.IsTestCode(c.pass, wait.Pos()) {
			return
		}
		c.r.Report(analysis.Diagnostic{
			Pos: wait.Pos(),
			End: wait.End(),
			Message: "the loop condition " + types.ExprString(loop.Cond) + " reads only local variables that nothing changes while the loop runs: " +
				types.ExprString(wait.Fun) + "() wakes into the same condition every time and the loop never ends; wait on state the signalling goroutine changes (a field, under the Cond's lock)",
		})
	})
}

// localCond returns the local variables cond reads, and whether cond is
// made of local variables of basic type and constants only.
func localCond(info *types.Info, fd *ast.FuncDecl, cond ast.Expr) (map[*types.Var]bool, bool) {
	vars := make(map[*types.Var]bool)
	ok := true
	ast.Inspect(cond, func(n ast.Node) bool {
		switch n := n.(type) {
		case nil, *ast.ParenExpr, *ast.BinaryExpr, *ast.BasicLit:
		case *ast.UnaryExpr:
			if n.Op == token.AND || n.Op == token.ARROW {
				ok = false
			}
		case *ast.Ident:
			switch obj := info.Uses[n].(type) {
			case *types.Const, *types.Nil:
			case *types.Var:
				_, basic := obj.Type().Underlying().(*types.Basic)
				if !basic || obj.IsField() || obj.Pos() < fd.Pos() || obj.Pos() >= fd.End() {
					ok = false
				}
				vars[obj] = true
			default:
				ok = false // true and false are constants; anything else is not
			}
		default:
			ok = false // a call, a selector, an index, a dereference
		}
		return ok
	})
	return vars, ok
}

// stuck reports whether loop cannot end: nothing in fd changes vars in a
// way the loop could see, and the loop's body has no way out.
func stuck(info *types.Info, fd *ast.FuncDecl, loop *ast.ForStmt, vars map[*types.Var]bool) bool {
	named := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		v, ok := info.ObjectOf(id).(*types.Var)
		return ok && vars[v]
	}
	ok := true
	// Anywhere in fd: an address taken or a use in a function literal.
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.UnaryExpr:
			if n.Op == token.AND && named(n.X) {
				ok = false
			}
		case *ast.FuncLit:
			ast.Inspect(n.Body, func(m ast.Node) bool {
				if e, isExpr := m.(ast.Expr); isExpr && named(e) {
					ok = false
				}
				return ok
			})
		}
		return ok
	})
	// In the loop: an assignment, or a way out.
	inLoop := []ast.Node{loop.Body}
	if loop.Post != nil {
		inLoop = append(inLoop, loop.Post)
	}
	for _, part := range inLoop {
		ast.Inspect(part, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					if named(lhs) {
						ok = false
					}
				}
			case *ast.IncDecStmt:
				if named(n.X) {
					ok = false
				}
			case *ast.RangeStmt:
				if named(n.Key) || named(n.Value) {
					ok = false
				}
			case *ast.ReturnStmt:
				ok = false
			case *ast.BranchStmt:
				if n.Tok == token.BREAK || n.Tok == token.GOTO {
					ok = false
				}
			case *ast.CallExpr:
				if id, isID := ast.Unparen(n.Fun).(*ast.Ident); isID {
					if b, isBuiltin := info.Uses[id].(*types.Builtin); isBuiltin && b.Name() == "panic" {
						ok = false
					}
				}
			case *ast.FuncLit:
				return false
			}
			return ok
		})
	}
	return ok
}

// condWait returns the first call of (*sync.Cond).Wait in body, outside
// function literals, or nil.
func condWait(info *types.Info, body *ast.BlockStmt) *ast.CallExpr {
	var wait *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if fn, ok := info.Uses[calleeIdent(n.Fun)].(*types.Func); ok && callee.IsMethod(fn, "sync", "Cond", "Wait") {
				wait = n
			}
		}
		return wait == nil
	})
	return wait
}

// ---- sync.Cond ----

// isCondWait reports whether call is (*sync.Cond).Wait.
func (c *checker) isCondWait(call *ast.CallExpr) bool {
	return callee.IsMethod(callee.Of(c.pass.TypesInfo, call), "sync", "Cond", "Wait")
}

// condOnOtherLock reports whether a Cond.Wait waits on a lock known to be
// different from every held one (so the held lock stays held across the
// wait). When the Cond's lock is unknown, it reports false: silence.
func (c *checker) condOnOtherLock(fn *locks.Func, call *ast.CallExpr, held []locks.Held) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	info := c.pass.TypesInfo
	switch x := ast.Unparen(sel.X).(type) {
	case *ast.SelectorExpr:
		cl, ok := c.res.Cond(info.Uses[x.Sel])
		if !ok || cl.Fields == "" {
			return false
		}
		// The held lock must be base+fields, with base the same
		// expression the Cond was reached through.
		base := types.ExprString(x.X)
		for _, h := range held {
			if h.Path.String() == base+cl.Fields || h.Path.String() == types.ExprString(x)+".L" {
				return false // Wait releases the held lock: its contract
			}
		}
		return true
	case *ast.Ident:
		cl, ok := c.res.Cond(info.Uses[x])
		if !ok || cl.Path.Root == nil {
			return false
		}
		for _, h := range held {
			if h.Path == cl.Path || h.Path.String() == x.Name+".L" {
				return false
			}
		}
		return true
	}
	return false
}
