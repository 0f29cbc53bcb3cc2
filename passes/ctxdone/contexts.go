package ctxdone

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/knowledge"
)

// A ctxRef is a context available to a goroutine: a variable (a
// parameter, a captured local) or a field of the function's receiver.
type ctxRef struct {
	v     *types.Var // the variable, or the receiver for a field
	field *types.Var // the receiver's context field, or nil
	name  string     // as written in messages and fixes: "ctx", "s.ctx"
	param int        // index among the declared function's parameters, or -1
}

// contexts knows which context values of a package can be cancelled.
type contexts struct {
	info *types.Info
	pkg  *types.Package
	// defs holds, for each local variable of a context type, the
	// expressions assigned to it; a nil entry stands for a value that
	// can't be traced (a tuple from an unknown call, an address taken).
	defs map[*types.Var][]ast.Expr
	// args holds, for each context parameter of an unexported function
	// that is only ever called (never used as a value), the arguments of
	// its calls in the package; a nil entry stands for one that can't be
	// told (a variadic or multi-value call).
	args map[*types.Var][]ast.Expr
	// params holds the context parameters of the package's functions
	// and function literals.
	params map[*types.Var]bool
	// made holds the local variables assigned the result of a call
	// that was given a context (an iterator, a stream, a client): the
	// value may stop working when the context is done.
	made map[*types.Var]bool
}

// newContexts records the assignments to context variables in pass's
// files, the context parameters, the variables made by calls given a
// context, and the arguments of the calls of unexported functions.
func newContexts(pass *analysis.Pass) *contexts {
	cs := &contexts{
		info:   pass.TypesInfo,
		pkg:    pass.Pkg,
		defs:   make(map[*types.Var][]ast.Expr),
		args:   make(map[*types.Var][]ast.Expr),
		params: make(map[*types.Var]bool),
		made:   make(map[*types.Var]bool),
	}
	info := pass.TypesInfo
	record := func(id *ast.Ident, rhs ast.Expr) {
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok || !isContext(v.Type()) {
			return
		}
		cs.defs[v] = append(cs.defs[v], rhs)
	}
	analysisutil.Inspector(pass).Preorder([]ast.Node{
		(*ast.AssignStmt)(nil),
		(*ast.ValueSpec)(nil),
		(*ast.UnaryExpr)(nil),
		(*ast.FuncType)(nil),
		(*ast.RangeStmt)(nil),
	}, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 && cs.givenContext(n.Rhs[0]) {
				for _, lhs := range n.Lhs {
					if id, ok := ast.Unparen(lhs).(*ast.Ident); ok {
						if v, ok := info.ObjectOf(id).(*types.Var); ok {
							cs.made[v] = true
						}
					}
				}
			}
			for i, lhs := range n.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok {
					continue
				}
				var rhs ast.Expr
				if len(n.Lhs) == len(n.Rhs) {
					rhs = n.Rhs[i]
				} else if i == 0 && len(n.Rhs) == 1 {
					// ctx, cancel := context.WithCancel(parent): the
					// first result of a context constructor.
					rhs = n.Rhs[0]
				}
				record(id, rhs)
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if len(n.Values) == len(n.Names) {
					record(name, n.Values[i])
				} else if i == 0 && len(n.Values) == 1 {
					record(name, n.Values[0])
				}
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
				record(id, nil) // its address is taken: anything may be stored
			}
		case *ast.FuncType:
			if n.Params != nil {
				for _, field := range n.Params.List {
					for _, name := range field.Names {
						if v, ok := info.Defs[name].(*types.Var); ok && isContext(v.Type()) {
							cs.params[v] = true
						}
					}
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok {
					record(id, nil)
				}
			}
		}
	})
	cs.callArgs(pass)
	return cs
}

// givenContext reports whether e is a call with a context argument.
func (cs *contexts) givenContext(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	for _, arg := range call.Args {
		if isContext(cs.info.TypeOf(arg)) {
			return true
		}
	}
	return false
}

// madeWithContext reports whether e is a local variable assigned the
// result of a call that was given a context.
func (cs *contexts) madeWithContext(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := cs.info.Uses[id].(*types.Var)
	return ok && cs.made[v]
}

// callArgs records the arguments passed to the context parameters of
// the package's unexported functions that are only ever called.
func (cs *contexts) callArgs(pass *analysis.Pass) {
	info := pass.TypesInfo
	params := make(map[*types.Func][]int) // context parameter indices
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || fd.Name.IsExported() || fd.Name.Name == "main" || fd.Name.Name == "init" {
				continue // methods may be called through interfaces, exported functions from anywhere
			}
			fn, ok := info.Defs[fd.Name].(*types.Func)
			if !ok {
				continue
			}
			sig := fn.Signature()
			for i := 0; i < sig.Params().Len(); i++ {
				if isContext(sig.Params().At(i).Type()) {
					params[fn] = append(params[fn], i)
				}
			}
		}
	}
	if len(params) == 0 {
		return
	}
	called := make(map[*ast.Ident]bool)
	calls := make(map[*types.Func][]*ast.CallExpr)
	analysisutil.Inspector(pass).Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
		if call, ok := n.(*ast.CallExpr); ok {
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
				if fn, ok := info.Uses[id].(*types.Func); ok && params[fn] != nil {
					called[id] = true
					calls[fn] = append(calls[fn], call)
				}
			}
		}
	})
	escaped := make(map[*types.Func]bool)
	for id, obj := range info.Uses {
		if fn, ok := obj.(*types.Func); ok && params[fn] != nil && !called[id] {
			escaped[fn] = true // used as a value: its callers are unknown
		}
	}
	for fn, idx := range params {
		if escaped[fn] || len(calls[fn]) == 0 {
			continue
		}
		sig := fn.Signature()
		for _, i := range idx {
			v := sig.Params().At(i)
			var args []ast.Expr
			for _, call := range calls[fn] {
				if call.Ellipsis.IsValid() || len(call.Args) != sig.Params().Len() {
					args = append(args, nil)
				} else {
					args = append(args, call.Args[i])
				}
			}
			cs.args[v] = args
		}
	}
}

// isContext reports whether t is context.Context, or an interface that
// has its Done and Err methods (a framework's context interface that
// embeds it).
func isContext(t types.Type) bool {
	if t == nil {
		return false
	}
	if callee.IsNamed(t, "context", "Context") {
		return true
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok {
		return false
	}
	var done, err bool
	for i := 0; i < iface.NumMethods(); i++ {
		m := iface.Method(i)
		sig := m.Type().(*types.Signature)
		switch m.Name() {
		case "Done":
			done = sig.Params().Len() == 0 && sig.Results().Len() == 1 && isStructChan(sig.Results().At(0).Type())
		case "Err":
			err = sig.Params().Len() == 0 && sig.Results().Len() == 1 &&
				types.Identical(sig.Results().At(0).Type(), types.Universe.Lookup("error").Type())
		}
	}
	return done && err
}

// isStructChan reports whether t is a channel of struct{}.
func isStructChan(t types.Type) bool {
	c, ok := t.Underlying().(*types.Chan)
	if !ok {
		return false
	}
	st, ok := c.Elem().Underlying().(*types.Struct)
	return ok && st.NumFields() == 0
}

// cancellable reports whether the context e may be cancelled: it is
// not context.Background(), context.TODO(), context.WithoutCancel(x)
// (which is never cancelled, whatever its parent does),
// context.WithValue of such a context, nil, or a local variable only
// ever assigned one of those. Parameters, fields and results of other
// calls may be cancelled.
func (cs *contexts) cancellable(e ast.Expr) bool {
	return !cs.uncancellable(e, 0)
}

func (cs *contexts) uncancellable(e ast.Expr, depth int) bool {
	if depth > 8 {
		return false // a chain of assignments too long to follow: assume it may be cancelled
	}
	e = ast.Unparen(e)
	if cs.info.Types[e].IsNil() {
		return true
	}
	switch e := e.(type) {
	case *ast.CallExpr:
		fn := callee.Of(cs.info, e)
		switch {
		case callee.IsFunc(fn, "context", "Background", "TODO", "WithoutCancel"):
			return true
		case callee.IsFunc(fn, "context", "WithValue"):
			return len(e.Args) > 0 && cs.uncancellable(e.Args[0], depth+1)
		}
	case *ast.Ident:
		v, ok := cs.info.Uses[e].(*types.Var)
		return ok && cs.uncancellableVar(v, depth)
	}
	return false
}

// uncancellableVar reports whether the variable v holds a context that
// is never cancelled: a package-level context (most are
// context.Background(); not the goroutine's to consult, nor proof of
// anything), a local only ever assigned uncancellable contexts, or a
// parameter of an unexported function that every call gives one (a CLI
// helper called with context.TODO()).
func (cs *contexts) uncancellableVar(v *types.Var, depth int) bool {
	if v.Parent() == cs.pkg.Scope() {
		return true
	}
	defs := cs.defs[v]
	if cs.params[v] {
		args, ok := cs.args[v]
		if !ok {
			return false // a parameter of a function whose calls we can't all see
		}
		defs = append(append([]ast.Expr(nil), defs...), args...)
	}
	if len(defs) == 0 {
		return false // never assigned here
	}
	for _, d := range defs {
		if d == nil || !cs.uncancellable(d, depth+1) {
			return false
		}
	}
	return true
}

// ofDecl returns the contexts a declared function holds: its named
// context parameters and the context fields of its receiver.
func (cs *contexts) ofDecl(fd *ast.FuncDecl) []*ctxRef {
	var refs []*ctxRef
	i := 0
	for _, field := range fd.Type.Params.List {
		names := field.Names
		if len(names) == 0 {
			i++
			continue // an unnamed parameter: the function can't consult it
		}
		for _, name := range names {
			if v, ok := cs.info.Defs[name].(*types.Var); ok && name.Name != "_" && isContext(v.Type()) {
				refs = append(refs, &ctxRef{v: v, name: name.Name, param: i})
			}
			i++
		}
	}
	if fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
		name := fd.Recv.List[0].Names[0]
		if v, ok := cs.info.Defs[name].(*types.Var); ok && name.Name != "_" {
			refs = append(refs, cs.fields(v)...)
		}
	}
	return refs
}

// fields returns the context fields of the struct that the receiver v
// is or points to.
func (cs *contexts) fields(v *types.Var) []*ctxRef {
	t := v.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	var refs []*ctxRef
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if isContext(f.Type()) && f.Name() != "_" {
			refs = append(refs, &ctxRef{v: v, field: f, name: v.Name() + "." + f.Name(), param: -1})
		}
	}
	return refs
}

// ofLiteral returns the cancellable contexts available to the function
// literal lit that g starts in fd: the literal's context parameters
// (args are the arguments g passes to them, if g calls lit directly),
// the context variables of the enclosing functions in scope at g, and
// the context fields of fd's receiver.
func (cs *contexts) ofLiteral(fd *ast.FuncDecl, g *ast.GoStmt, lit *ast.FuncLit, args []ast.Expr) []*ctxRef {
	var refs []*ctxRef
	seen := make(map[*types.Var]bool)
	i := 0
	for _, field := range lit.Type.Params.List {
		for _, name := range field.Names {
			v, ok := cs.info.Defs[name].(*types.Var)
			if ok && name.Name != "_" && isContext(v.Type()) && (i >= len(args) || cs.cancellable(args[i])) {
				refs = append(refs, &ctxRef{v: v, name: name.Name, param: i})
				seen[v] = true
			}
			i++
		}
	}
	if i > 0 && len(refs) == 0 && hasContextParam(cs.info, lit) {
		// The literal takes a context, and ignores it (_) or is given
		// one that is never cancelled: the author chose to detach the
		// goroutine from the contexts around it.
		return nil
	}
	// Variables in scope at the go statement, innermost first, up to the
	// enclosing declaration's own scope (package-level contexts are not
	// the goroutine's to consult).
	inner := cs.pkg.Scope().Innermost(g.Pos())
	if inner == nil {
		return refs // not in a file's scope: nothing else to find
	}
	for scope := inner; scope != nil && scope != cs.pkg.Scope() && scope.Parent() != cs.pkg.Scope(); scope = scope.Parent() {
		for _, name := range scope.Names() {
			v, ok := scope.Lookup(name).(*types.Var)
			if !ok || seen[v] || name == "_" || !isContext(v.Type()) {
				continue
			}
			if _, visible := inner.LookupParent(name, g.Pos()); visible != v {
				continue // declared after the go statement, or shadowed there
			}
			if cs.uncancellableVar(v, 0) {
				continue
			}
			r := &ctxRef{v: v, name: name, param: -1}
			if cs.madeForAnother(fd, lit, r) {
				continue
			}
			refs = append(refs, r)
			seen[v] = true
		}
	}
	if fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
		name := fd.Recv.List[0].Names[0]
		if v, ok := cs.info.Defs[name].(*types.Var); ok && name.Name != "_" {
			if _, visible := inner.LookupParent(name.Name, g.Pos()); visible == v {
				refs = append(refs, cs.fields(v)...)
			}
		}
	}
	return refs
}

// madeForAnother reports whether the local context r, which lit does not
// refer to, is a root context made in fd for some other consumer: every
// value assigned to it derives directly from context.Background() or
// context.TODO(), and fd passes it to a call or go statement outside
// lit (metricsCtx, cancel := context.WithCancel(context.Background());
// go collector.Gather(metricsCtx)), and its cancel function is only
// called, never handed on. Such a context belongs to that consumer, not
// to every goroutine fd starts.
func (cs *contexts) madeForAnother(fd *ast.FuncDecl, lit *ast.FuncLit, r *ctxRef) bool {
	if cs.params[r.v] || cs.mentioned(lit.Body, r) {
		return false
	}
	defs := cs.defs[r.v]
	if len(defs) == 0 {
		return false
	}
	for _, d := range defs {
		call, ok := ast.Unparen(d).(*ast.CallExpr)
		if !ok || len(call.Args) == 0 || !callee.IsFunc(callee.Of(cs.info, call), "context", "WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause", "WithValue") {
			return false
		}
		if !knowledge.IsBackground(cs.info, call.Args[0]) {
			return false
		}
	}
	// The cancel functions of r: when one is handed on (returned, stored,
	// passed), r is the stop signal of fd's caller, which every
	// goroutine fd starts should honour.
	cancels := make(map[*types.Var]bool)
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 2 && len(as.Rhs) == 1 {
			if id, ok := as.Lhs[0].(*ast.Ident); ok && cs.info.ObjectOf(id) == r.v {
				if cid, ok := as.Lhs[1].(*ast.Ident); ok {
					if cv, ok := cs.info.ObjectOf(cid).(*types.Var); ok {
						cancels[cv] = true
					}
				}
			}
		}
		return true
	})
	handedOn := false
	var stack []ast.Node
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if id, ok := n.(*ast.Ident); ok && len(stack) > 0 && cs.isCancel(cancels, id) {
			if call, ok := stack[len(stack)-1].(*ast.CallExpr); !ok || call.Fun != id {
				handedOn = true
			}
		}
		stack = append(stack, n)
		return true
	})
	if handedOn {
		return false
	}
	passed := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if n == lit || passed {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok {
			for _, a := range call.Args {
				if id, ok := ast.Unparen(a).(*ast.Ident); ok && cs.info.Uses[id] == r.v {
					passed = true
				}
			}
		}
		return !passed
	})
	return passed
}

func (cs *contexts) isCancel(cancels map[*types.Var]bool, id *ast.Ident) bool {
	v, ok := cs.info.Uses[id].(*types.Var)
	return ok && cancels[v]
}

// hasContextParam reports whether lit declares a context parameter.
func hasContextParam(info *types.Info, lit *ast.FuncLit) bool {
	for _, field := range lit.Type.Params.List {
		if isContext(info.TypeOf(field.Type)) {
			return true
		}
	}
	return false
}

// mentioned reports whether body refers to the context r.
func (cs *contexts) mentioned(body ast.Node, r *ctxRef) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.Ident:
			found = r.field == nil && cs.info.Uses[n] == r.v
		case *ast.SelectorExpr:
			if r.field != nil {
				if sel, ok := cs.info.Selections[n]; ok && sel.Obj() == r.field {
					found = true
				}
			}
		}
		return !found
	})
	return found
}
