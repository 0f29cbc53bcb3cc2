// Package uses finds every use of the variables and struct fields of a
// given type in a package, and sorts them into method calls and the rest.
// It answers "is there a waker for this wait in the program?" for
// objects that cannot leave the package: a WaitGroup that is Waited on
// but never Done, a sync.Cond that is Waited on but never Signalled.
//
// An object can leave the package, and is then marked Escapes, when it is
// exported (an exported field or package-level variable, which other
// packages can reach), embedded (its methods are promoted to the
// enclosing type, which may satisfy an interface), or used in any way
// other than as the receiver of a method call, a field selection on it
// (c.L), or its initialisation: its address taken, a method value taken,
// passed, assigned to something else, returned, copied. A channel passed
// as an argument to a function of the package is the one exception: the
// callee's parameter is the same channel, so it is listed in Passed, and
// Reach follows it.
package uses

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
)

// Uses are the uses of one object.
type Uses struct {
	Obj *types.Var
	// Calls holds the method calls on the object, by method name, in
	// source order; calls of the object itself, a function value
	// (s.cancel()), are under "".
	Calls map[string][]*ast.CallExpr
	// Ops holds the channel operations on the object: "recv" (<-ch, in a
	// statement, an assignment or a select case), "range", "send",
	// "close".
	Ops map[string][]ast.Node
	// Getters are the declared functions that return the object as a
	// receive-only channel: who calls them can receive, nothing more.
	Getters []*types.Func
	// Passed are the parameters of the package's own functions (declared
	// or literal) that the object, a channel, is handed to as an
	// argument: f(ch), go g(ch), go func(c chan T) { ... }(ch). What the
	// callee does with its parameter is done to the object.
	Passed []*types.Var
	// Inits are the expressions the object is initialised with (the
	// values init accepted).
	Inits []ast.Expr
	// Escapes reports that code leaklint can't see may use the object.
	Escapes bool

	passedTo []*types.Func // the declared callees of Passed, checked for a body
}

// Reach returns u and the uses of every parameter it is passed to,
// directly or through other functions, from all (as returned by Of).
// A parameter that is never used is not in all and adds nothing.
func (u *Uses) Reach(all map[*types.Var]*Uses) []*Uses {
	seen := map[*Uses]bool{u: true}
	out := []*Uses{u}
	for i := 0; i < len(out); i++ {
		for _, p := range out[i].Passed {
			if q := all[p]; q != nil && !seen[q] {
				seen[q] = true
				out = append(out, q)
			}
		}
	}
	return out
}

// Of returns the uses of the variables and fields of pass's package
// whose type satisfies is (sync.WaitGroup, say), keyed by object. init
// reports whether an expression assigned to such an object is a plain
// initialisation (sync.NewCond(&mu)) rather than an alias of another.
func Of(pass *analysis.Pass, is func(types.Type) bool, init func(ast.Expr) bool) map[*types.Var]*Uses {
	info := pass.TypesInfo
	out := make(map[*types.Var]*Uses)
	get := func(v *types.Var) *Uses {
		u := out[v]
		if u == nil {
			u = &Uses{Obj: v, Calls: make(map[string][]*ast.CallExpr), Ops: make(map[string][]ast.Node)}
			// Reachable from other packages, or through promotion.
			if v.Exported() && (v.IsField() || v.Parent() == v.Pkg().Scope()) || v.Embedded() {
				u.Escapes = true
			}
			out[v] = u
		}
		return u
	}
	// target returns the object an expression names, when it is one of
	// the variables or fields looked for.
	target := func(e ast.Expr) *types.Var {
		v := VarOf(info, e)
		if v == nil || v.Pkg() != pass.Pkg || !is(v.Type()) {
			return nil
		}
		return v
	}
	// The package's declared functions that have a body: only their
	// parameters stand for what is done to an argument.
	bodies := make(map[*types.Func]bool)
	// stack holds the node's ancestors from its file down, and the node.
	analysisutil.Inspector(pass).WithStack(nil, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		if d, ok := n.(*ast.FuncDecl); ok && d.Body != nil {
			if fn, ok := info.Defs[d.Name].(*types.Func); ok {
				bodies[fn] = true
			}
		}
		parent := ast.Node(nil)
		if len(stack) > 1 {
			parent = stack[len(stack)-2]
		}
		if lit, ok := n.(*ast.CompositeLit); ok {
			unkeyed(info, pass.Pkg, lit, is, init, get)
		}
		e, ok := n.(ast.Expr)
		if !ok {
			return true
		}
		v := target(e)
		if v == nil {
			return true
		}
		u := get(v)
		classify(info, u, e, parent, stack, init)
		// The selector's operand (s in s.wg) is not a use of the
		// field: don't look inside.
		return false
	})
	for _, u := range out {
		for _, fn := range u.passedTo {
			if !bodies[fn] {
				u.Escapes = true // assembly, or a body elsewhere
			}
		}
		u.passedTo = nil
	}
	return out // objects with no use are not listed
}

// Mentions reports whether the syntax of n refers to the variable v:
// an identifier in it uses v.
func Mentions(info *types.Info, n ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok && info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// VarOf returns the variable (ch) or field (s.ch) that e uses, or nil.
// The fields of a generic type's instances are objects of their own:
// a field is returned as declared (its Origin), the key Of uses.
func VarOf(info *types.Info, e ast.Expr) *types.Var {
	var v *types.Var
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, _ = info.Uses[e].(*types.Var)
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			v, _ = sel.Obj().(*types.Var)
		}
	}
	if v == nil {
		return nil
	}
	return v.Origin()
}

// unkeyed records the fields that lit, a struct literal without keys
// (T{a, b}), initialises: as an initialisation when init accepts the
// value, as an escape otherwise (the field is then an alias of whatever
// the value is).
func unkeyed(info *types.Info, pkg *types.Package, lit *ast.CompositeLit, is func(types.Type) bool, init func(ast.Expr) bool, get func(*types.Var) *Uses) {
	if len(lit.Elts) == 0 {
		return
	}
	if _, keyed := lit.Elts[0].(*ast.KeyValueExpr); keyed {
		return
	}
	t := info.TypeOf(lit)
	if t == nil {
		return
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return
	}
	for i, elt := range lit.Elts {
		if i >= st.NumFields() {
			break
		}
		f := st.Field(i).Origin()
		if f.Pkg() != pkg || !is(f.Type()) {
			continue
		}
		u := get(f)
		if init != nil && init(elt) {
			u.Inits = append(u.Inits, elt)
		} else {
			u.Escapes = true
		}
	}
}

// classify records one use e of u's object, whose parent node is parent.
func classify(info *types.Info, u *Uses, e ast.Expr, parent ast.Node, stack []ast.Node, init func(ast.Expr) bool) {
	switch p := parent.(type) {
	case *ast.SelectorExpr:
		// e.M(...) or e.L
		if p.X != e {
			break
		}
		sel := info.Selections[p]
		if sel == nil {
			break
		}
		switch sel.Kind() {
		case types.MethodVal:
			if len(stack) >= 3 {
				if call, ok := stack[len(stack)-3].(*ast.CallExpr); ok && call.Fun == ast.Expr(p) {
					u.Calls[p.Sel.Name] = append(u.Calls[p.Sel.Name], call)
					return
				}
			}
		case types.FieldVal:
			return // c.L: a field of the object, not the object
		}
	case *ast.AssignStmt:
		// e = init: an initialisation, when e is assigned, not read.
		for i, lhs := range p.Lhs {
			if lhs != e || init == nil {
				continue
			}
			if len(p.Rhs) == len(p.Lhs) && init(p.Rhs[i]) {
				u.Inits = append(u.Inits, p.Rhs[i])
				return
			}
			// ctx, s.cancel = context.WithCancel(parent)
			if len(p.Rhs) == 1 && len(p.Lhs) > 1 && init(p.Rhs[0]) {
				u.Inits = append(u.Inits, p.Rhs[0])
				return
			}
		}
	case *ast.KeyValueExpr:
		// T{f: init} in a composite literal.
		if p.Key == e && init != nil && init(p.Value) {
			u.Inits = append(u.Inits, p.Value)
			return
		}
	case *ast.ValueSpec:
		return // var wg sync.WaitGroup names it (Defs, not Uses)
	case *ast.UnaryExpr:
		if p.Op == token.ARROW && p.X == e {
			u.Ops["recv"] = append(u.Ops["recv"], p)
			return
		}
	case *ast.SendStmt:
		if p.Chan == e {
			u.Ops["send"] = append(u.Ops["send"], p)
			return
		}
	case *ast.RangeStmt:
		if p.X == e {
			u.Ops["range"] = append(u.Ops["range"], p)
			return
		}
	case *ast.BinaryExpr:
		if p.Op == token.EQL || p.Op == token.NEQ {
			return // ch == nil
		}
	case *ast.CallExpr:
		switch {
		case p.Fun == e:
			u.Calls[""] = append(u.Calls[""], p)
			return
		case callee.IsBuiltin(info, p, "close"):
			u.Ops["close"] = append(u.Ops["close"], p)
			return
		case callee.IsBuiltin(info, p, "len"), callee.IsBuiltin(info, p, "cap"):
			return
		}
		if _, ok := u.Obj.Type().Underlying().(*types.Chan); ok && passArg(info, u, p, e) {
			return
		}
	case *ast.ReturnStmt:
		// return s.ch from a function whose result is <-chan T: the
		// caller can only receive.
		if fn := enclosingDecl(info, stack); fn != nil && len(p.Results) == 1 && p.Results[0] == e {
			sig := fn.Type().(*types.Signature)
			if sig.Results().Len() == 1 {
				if ch, ok := sig.Results().At(0).Type().Underlying().(*types.Chan); ok && ch.Dir() == types.RecvOnly {
					u.Getters = append(u.Getters, fn)
					return
				}
			}
		}
	}
	u.Escapes = true
}

// passArg records e, an argument of call, as passed to the parameter it
// binds when call's callee is one of the package's functions, and
// reports whether it did.
func passArg(info *types.Info, u *Uses, call *ast.CallExpr, e ast.Expr) bool {
	i := -1
	for j, a := range call.Args {
		if a == e {
			i = j
		}
	}
	if i < 0 || call.Ellipsis.IsValid() {
		return false
	}
	var params *types.Tuple
	var fn *types.Func
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.FuncLit:
		sig, ok := info.TypeOf(f).(*types.Signature)
		if !ok {
			return false
		}
		params = sig.Params()
		if sig.Variadic() && i >= params.Len()-1 {
			return false
		}
	default:
		if sel, ok := f.(*ast.SelectorExpr); ok {
			if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
				return false // T.m(recv, ch): the receiver shifts the arguments
			}
		}
		fn = typeutil.StaticCallee(info, call)
		if fn == nil || fn.Pkg() != u.Obj.Pkg() {
			return false
		}
		fn = fn.Origin()
		sig := fn.Type().(*types.Signature)
		params = sig.Params()
		if sig.Variadic() && i >= params.Len()-1 {
			return false
		}
	}
	if i >= params.Len() {
		return false
	}
	u.Passed = append(u.Passed, params.At(i))
	if fn != nil {
		u.passedTo = append(u.passedTo, fn)
	}
	return true
}

// enclosingDecl returns the declared function the innermost node of
// stack is in, or nil when it is in a function literal or at package
// level.
func enclosingDecl(info *types.Info, stack []ast.Node) *types.Func {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.FuncLit:
			return nil
		case *ast.FuncDecl:
			fn, _ := info.Defs[n.Name].(*types.Func)
			return fn
		}
	}
	return nil
}

// Positive reports whether e is a constant greater than zero.
func Positive(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil {
		return false
	}
	return tv.Value.Kind() == constant.Int && constant.Sign(tv.Value) > 0
}

// First returns the earliest of calls, or nil.
func First(calls []*ast.CallExpr) *ast.CallExpr {
	var first *ast.CallExpr
	for _, c := range calls {
		if first == nil || c.Pos() < first.Pos() {
			first = c
		}
	}
	return first
}
