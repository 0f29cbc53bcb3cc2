package chanleak

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/uses"
)

// isChanType reports whether t is a channel type.
func isChanType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// isMakeCall reports whether e is a call of the builtin make.
func isMakeCall(info *types.Info, e ast.Expr) bool {
	if e == nil {
		return false
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && callee.IsBuiltin(info, call, "make")
}

// checkNoWaker reports a receive from a channel that nothing in the
// program sends on or closes (grpc1275, cockroach25456, grpc1424), and a
// send on an unbuffered channel that nothing in the program receives from
// (kubernetes38669): either blocks forever.
//
// Only channels no other package can reach count (internal/uses): an
// unexported field or package-level variable, or a local made in its
// function, used only in channel operations, made with make, handed out
// at most receive-only (a getter returning <-chan T), and passed at most
// to the package's own functions, whose parameters are then followed
// (f(ch), go g(ch)). Parameters themselves, and locals that come from
// anywhere but make, are left alone. Only operations that wait for this
// channel alone count: a statement or assignment, a range, a select with
// this one case; a select with other cases may be woken by them. A send
// counts only when every make of the channel is unbuffered (no size, a
// constant 0, or a parameter every call passes 0 to). Test code is exempt.
func (c *checker) checkNoWaker() {
	info := c.pass.TypesInfo
	if !declaresChan(info) {
		return
	}
	isChan := isChanType
	isMake := func(e ast.Expr) bool { return isMakeCall(info, e) }
	made := madeVars(info, c.pass.Files, isMake)
	all := uses.Of(c.pass, isChan, isMake)
	getters := make(map[*types.Func]*uses.Uses)
	for _, u := range all {
		for _, g := range u.Getters {
			getters[g] = u
		}
	}
	// The receives and sends of each channel, direct or through a
	// getter, that wait for it alone.
	blocking := make(map[*uses.Uses][]ast.Node)
	sending := make(map[*uses.Uses][]ast.Node)
	for _, f := range c.pass.Files {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			switch n := n.(type) {
			case *ast.UnaryExpr:
				if n.Op == token.ARROW && waitsAlone(stack, 3) {
					if u := channelOf(info, n.X, all, getters); u != nil {
						blocking[u] = append(blocking[u], n)
					}
				}
			case *ast.RangeStmt:
				if u := channelOf(info, n.X, all, getters); u != nil {
					blocking[u] = append(blocking[u], n)
				}
			case *ast.SendStmt:
				if waitsAlone(stack, 2) {
					if u := channelOf(info, n.Chan, all, nil); u != nil {
						sending[u] = append(sending[u], n)
					}
				}
			}
			return true
		})
	}
	var zero *zeroCaps
	for _, u := range all {
		v := u.Obj
		value, isMade := made[v]
		if !v.IsField() && !isMade {
			continue // a parameter, or a local that came from elsewhere
		}
		recvs, sends := blocking[u], sending[u]
		if len(recvs) == 0 && len(sends) == 0 {
			continue
		}
		reach := u.Reach(all)
		var sent, received bool
		for _, q := range reach {
			if q.Escapes {
				sent, received = true, true
				break
			}
			sent = sent || len(q.Ops["send"]) > 0 || len(q.Ops["close"]) > 0
			received = received || len(q.Ops["recv"]) > 0 || len(q.Ops["range"]) > 0 || len(q.Getters) > 0
		}
		switch {
		case len(recvs) > 0 && !sent:
			c.reportNoWaker(recvs, "nothing in the program sends on or closes "+v.Name()+", and no other package can (it is unexported, handed out receive-only at most): this receive blocks forever; close "+
				v.Name()+" when the event it waits for happens, or send on it")
		case len(sends) > 0 && !received:
			if zero == nil {
				zero = newZeroCaps(c.pass)
			}
			if !zero.unbuffered(append(u.Inits, value)) {
				continue
			}
			c.reportNoWaker(sends, "nothing in the program receives from "+v.Name()+", an unbuffered channel no other package can reach: this send blocks forever; receive from "+
				v.Name()+" where its values are wanted, or drop the send")
		}
	}
}

// reportNoWaker reports the first of ops, unless it is in test code or
// suppressed.
func (c *checker) reportNoWaker(ops []ast.Node, msg string) {
	first := ops[0]
	for _, r := range ops {
		if r.Pos() < first.Pos() {
			first = r
		}
	}
	if analysisutil.IsTestCode(c.pass, first.Pos()) || c.r.Suppressed(first.Pos()) {
		return
	}
	c.r.Report(analysis.Diagnostic{Pos: first.Pos(), End: first.End(), Message: msg})
}

// declaresChan reports whether the package declares a variable, field or
// parameter of channel type: without one there is nothing to look for.
func declaresChan(info *types.Info) bool {
	for _, obj := range info.Defs {
		if v, ok := obj.(*types.Var); ok {
			if _, ok := v.Type().Underlying().(*types.Chan); ok {
				return true
			}
		}
	}
	return false
}

// channelOf returns the uses of the channel e names, directly (s.ch, ch)
// or through a getter (s.get()).
func channelOf(info *types.Info, e ast.Expr, all map[*types.Var]*uses.Uses, getters map[*types.Func]*uses.Uses) *uses.Uses {
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		if fn := typeutil.StaticCallee(info, call); fn != nil {
			return getters[fn.Origin()]
		}
		return nil
	}
	if v := uses.VarOf(info, e); v != nil {
		return all[v]
	}
	return nil
}

// waitsAlone reports whether the channel operation at the top of stack
// waits for its channel alone: anywhere but in a select, or as the only
// case of a select without default. depth is how far up a select case
// would be: 3 for a receive (case <-ch: is a statement holding it, case
// v := <-ch: an assignment), 2 for a send (the send is the case's
// statement).
func waitsAlone(stack []ast.Node, depth int) bool {
	if len(stack) < depth+1 {
		return true
	}
	cc, ok := stack[len(stack)-depth].(*ast.CommClause)
	if !ok {
		return true
	}
	if st, ok := stack[len(stack)-depth+1].(ast.Stmt); ok && cc.Comm == st {
		return onlyCase(stack[len(stack)-depth-1])
	}
	return true
}

// onlyCase reports whether n, the parent of a select case, is the body
// of a select with that one case.
func onlyCase(n ast.Node) bool {
	body, ok := n.(*ast.BlockStmt)
	return ok && len(body.List) == 1
}

// madeVars returns the local and package-level channel variables that
// are declared with make (package-level ones also with no value), with
// the make call (nil for no value).
func madeVars(info *types.Info, files []*ast.File, isMake func(ast.Expr) bool) map[*types.Var]ast.Expr {
	out := make(map[*types.Var]ast.Expr)
	mark := func(id *ast.Ident, value ast.Expr) {
		v, ok := info.Defs[id].(*types.Var)
		if !ok {
			return
		}
		// A package-level channel may be made later (quit = make(...),
		// an initialisation uses sees); a local declared nil is the nil
		// channel rule's.
		if isMake(value) || value == nil && v.Parent() == v.Pkg().Scope() {
			out[v] = value
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, id := range n.Names {
					var value ast.Expr
					if len(n.Values) == len(n.Names) {
						value = n.Values[i]
					} else if len(n.Values) > 0 {
						continue
					}
					mark(id, value)
				}
			case *ast.AssignStmt:
				if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
					for i, lhs := range n.Lhs {
						if id, ok := lhs.(*ast.Ident); ok {
							mark(id, n.Rhs[i])
						}
					}
				}
			}
			return true
		})
	}
	return out
}

// zeroCaps answers whether a channel's makes are all unbuffered. A size
// that is a parameter of an unexported function counts as 0 when every
// call of the function passes a constant 0 and the function is used in
// no other way (kubernetes38669's newCacheWatcher(0, ...)).
type zeroCaps struct {
	pass  *analysis.Pass
	calls *callee.Calls
}

func newZeroCaps(pass *analysis.Pass) *zeroCaps {
	return &zeroCaps{pass: pass, calls: callee.Index(pass.TypesInfo, pass.Pkg, pass.Files)}
}

// unbuffered reports whether every one of makes (make calls; nil
// entries are skipped) makes an unbuffered channel, and there is one.
func (z *zeroCaps) unbuffered(makes []ast.Expr) bool {
	info := z.pass.TypesInfo
	n := 0
	for _, e := range makes {
		if e == nil {
			continue
		}
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok || !callee.IsBuiltin(info, call, "make") {
			return false
		}
		n++
		if len(call.Args) >= 2 && !z.zero(call.Args[1]) {
			return false
		}
	}
	return n > 0
}

// zero reports whether e is always 0: a constant, or a parameter every
// caller passes a constant 0 to.
func (z *zeroCaps) zero(e ast.Expr) bool {
	info := z.pass.TypesInfo
	if isZero(info, e) {
		return true
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	fn, i := paramOf(z.pass.Pkg, v)
	if fn == nil || fn.Exported() || z.calls.Values[fn] || len(z.calls.Sites[fn]) == 0 {
		return false
	}
	if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
		return false // a method may satisfy an interface
	}
	for _, call := range z.calls.Sites[fn] {
		if call.Ellipsis.IsValid() || i >= len(call.Args) || !isZero(info, call.Args[i]) {
			return false
		}
	}
	return true
}

// isZero reports whether e is the constant 0.
func isZero(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.Int && constant.Sign(tv.Value) == 0
}

// paramOf returns the declared function of pkg that v is a parameter
// of, and its index, or nil.
func paramOf(pkg *types.Package, v *types.Var) (*types.Func, int) {
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		fn, ok := scope.Lookup(name).(*types.Func)
		if !ok {
			continue
		}
		params := fn.Type().(*types.Signature).Params()
		for i := 0; i < params.Len(); i++ {
			if params.At(i) == v {
				return fn, i
			}
		}
	}
	return nil, -1
}
