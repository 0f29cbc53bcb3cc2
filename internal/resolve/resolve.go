// Package resolve defines the analyzer that tells leaklint passes what
// the syntax of a package leaves dynamic: which of the package's
// functions a call of a function value or an interface method may run
// (the in-package call graph), and which channel field or variable a
// channel operation works on when the channel travels through a local
// copy, a parameter, a closure or a getter.
//
// Both answers come from the SSA form of the package (internal/ssabuild,
// built once and shared), by following values back to where they come
// from:
//
//   - a function value to the functions and closures stored into the
//     local, field, package variable or parameter it is loaded from, and
//     to the functions a getter returns;
//   - an interface method call to the methods of the package's types
//     that implement the interface;
//   - a channel value to the field or package-level variable it was
//     loaded from, through local copies, closures' captured variables,
//     parameters bound at every call and go site, and getters.
//
// Every answer says whether it is complete. It is not when a value can
// come from code the package does not see: an exported field, variable
// or function of a package other programs import (package main's are
// closed), a value whose address is handed on, a parameter of a function
// used as a value, an interface declared elsewhere or exported. Passes
// use only complete answers, so a dynamic edge the package cannot see
// stays unknown, and a pass that needs it stays silent, as before.
//
// The build is lazy: nothing is computed until a pass asks, and the SSA
// form is built only then.
package resolve

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/ssabuild"
)

// Analyzer gives passes a *Resolver for the package: nil on a package
// with type errors.
var Analyzer = &analysis.Analyzer{
	Name:       "leaklintresolve",
	Doc:        "resolve function values, interface calls and channel aliases of a package on its SSA form, on demand, for the leaklint passes",
	URL:        "https://pkg.go.dev/github.com/leaklint/leaklint/internal/resolve",
	Requires:   []*analysis.Analyzer{ssabuild.Analyzer, inspect.Analyzer},
	ResultType: reflect.TypeFor[*Resolver](),
}

func init() {
	analysisutil.Install(Analyzer, func(pass *analysis.Pass) (any, error) {
		s := ssabuild.Of(pass)
		if s == nil {
			return (*Resolver)(nil), nil
		}
		return &Resolver{pkg: pass.Pkg, info: pass.TypesInfo, files: pass.Files, in: analysisutil.Inspector(pass), ssa: s}, nil
	})
}

// Of returns the package's resolver, or nil. Analyzer must be among
// pass.Analyzer.Requires. A nil *Resolver answers every question with
// "unknown".
func Of(pass *analysis.Pass) *Resolver {
	r, _ := pass.ResultOf[Analyzer].(*Resolver)
	return r
}

// maxDepth bounds how many values a resolution follows back in a row
// (copies, parameters, getters): beyond it the answer is unknown.
const maxDepth = 12

// Resolver answers questions about one package. It is safe for
// concurrent use by several passes.
type Resolver struct {
	pkg   *types.Package
	info  *types.Info
	files []*ast.File
	in    *inspector.Inspector
	ssa   *ssabuild.SSA

	once sync.Once
	// calls indexes the call instructions (calls, go and defer
	// statements) by the position of their call's left parenthesis.
	calls map[token.Pos][]ssa.CallInstruction
	// chans indexes the channel operand of each channel operation by the
	// operation's position: a send's arrow, a receive's operator, a range
	// statement's for, a select case's arrow, close's left parenthesis.
	chans map[token.Pos]ssa.Value
	// stores lists the values stored into each location: a field (by its
	// origin *types.Var), a package-level variable (*ssa.Global) or a
	// local cell (*ssa.Alloc).
	stores map[any][]ssa.Value
	// storeInstrs lists the stores into each field (by its origin).
	storeInstrs map[*types.Var][]*ssa.Store
	// escaped marks the locations whose address is used otherwise than to
	// load from or store to it.
	escaped map[any]bool
	// copied marks the struct types (named, origin) whose values are
	// loaded or stored whole: a copy carries its fields along.
	copied map[types.Type]bool
	// cells maps a closure's free variable to the local cells bound to it.
	cells map[*ssa.FreeVar][]ssa.Value
	// sites lists the static call sites of each function, and valued the
	// functions also used as values (whose callers we don't all see).
	sites  map[*ssa.Function][]ssa.CallInstruction
	valued map[*ssa.Function]bool
	// closures lists the MakeClosure instructions of each function literal.
	closures map[*ssa.Function][]*ssa.MakeClosure
	// named lists the package's named types, for interface calls, and
	// decls the declarations of its functions (built without SSA).
	typesOnce sync.Once
	named     []*types.Named
	decls     map[*types.Func]*ast.FuncDecl
	valueOnce sync.Once
	values    []valueFunc
	localOnce sync.Once
	locals    map[*types.Var]*localFunc

	mu    sync.Mutex
	makes map[token.Pos]*types.Var

	varsOnce sync.Once
	varsAt   map[token.Pos]*types.Var // the variables the package declares, by position
}

// madeAt returns the object standing for the channel mc makes.
func (r *Resolver) madeAt(mc *ssa.MakeChan) types.Object {
	return r.MadeAt(mc.Pos(), mc.Type())
}

// MadeAt returns the object standing for the channel that the make call
// whose left parenthesis is at lparen makes, of type t: the object
// ChanAt answers for that channel. It needs no SSA form, so a pass can
// name a channel made into a local that is never assigned again
// without a build, and still agree with ChanAt.
func (r *Resolver) MadeAt(lparen token.Pos, t types.Type) types.Object {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.makes == nil {
		r.makes = make(map[token.Pos]*types.Var)
	}
	v := r.makes[lparen]
	if v == nil {
		v = types.NewVar(lparen, r.pkg, "", t)
		r.makes[lparen] = v
	}
	return v
}

func (r *Resolver) build() {
	r.once.Do(func() {
		r.calls = make(map[token.Pos][]ssa.CallInstruction)
		r.chans = make(map[token.Pos]ssa.Value)
		r.stores = make(map[any][]ssa.Value)
		r.escaped = make(map[any]bool)
		r.storeInstrs = make(map[*types.Var][]*ssa.Store)
		r.copied = make(map[types.Type]bool)
		r.cells = make(map[*ssa.FreeVar][]ssa.Value)
		r.sites = make(map[*ssa.Function][]ssa.CallInstruction)
		r.valued = make(map[*ssa.Function]bool)
		r.closures = make(map[*ssa.Function][]*ssa.MakeClosure)
		funcs := r.ssa.Funcs()
		if pkg := r.ssa.Package(); pkg != nil {
			if init := pkg.Func("init"); init != nil {
				funcs = append(funcs[:len(funcs):len(funcs)], init)
			}
		}
		for _, fn := range funcs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					r.index(instr)
				}
			}
		}
		// A call of a closed interface's method is a call site of each
		// implementation: their parameters are bound there too.
		for _, instrs := range r.calls {
			for _, in := range instrs {
				c := in.Common()
				if !c.IsInvoke() {
					continue
				}
				impls, ok := r.implementations(c.Method)
				for _, m := range impls {
					fn := r.ssa.Package().Prog.FuncValue(m)
					if fn == nil {
						continue
					}
					if ok {
						r.sites[fn] = append(r.sites[fn], in)
					} else {
						r.valued[fn] = true
					}
				}
			}
		}
	})
}

// index records what instr tells about calls, channels and locations.
func (r *Resolver) index(instr ssa.Instruction) {
	switch in := instr.(type) {
	case ssa.CallInstruction:
		c := in.Common()
		r.calls[c.Pos()] = append(r.calls[c.Pos()], in)
		if b, ok := c.Value.(*ssa.Builtin); ok && b.Name() == "close" && len(c.Args) == 1 {
			r.chans[c.Pos()] = c.Args[0]
		}
		if f := staticFunc(c); f != nil {
			r.sites[f] = append(r.sites[f], in)
		}
	case *ssa.Send:
		r.chans[in.Pos()] = in.Chan
	case *ssa.UnOp:
		if in.Op == token.ARROW {
			r.chans[in.Pos()] = in.X
		}
		if in.Op == token.MUL {
			r.noteCopy(in.Type())
		}
	case *ssa.Select:
		for _, st := range in.States {
			r.chans[st.Pos] = st.Chan
		}
	case *ssa.Store:
		for _, key := range r.locations(in.Addr) {
			r.stores[key] = append(r.stores[key], in.Val)
			if f, ok := key.(*types.Var); ok {
				r.storeInstrs[f] = append(r.storeInstrs[f], in)
			}
		}
		r.noteCopy(in.Val.Type())
	case *ssa.MakeClosure:
		fn := in.Fn.(*ssa.Function)
		r.closures[fn] = append(r.closures[fn], in)
		for i, b := range in.Bindings {
			if i < len(fn.FreeVars) {
				r.cells[fn.FreeVars[i]] = append(r.cells[fn.FreeVars[i]], b)
			}
		}
	case *ssa.FieldAddr, *ssa.Alloc:
		r.checkEscape(in.(ssa.Value))
	}
	// Functions used as values: any operand that is a function, other
	// than the callee of a static call and a closure's code.
	var ops [16]*ssa.Value
	for i, op := range instr.Operands(ops[:0]) {
		f, ok := (*op).(*ssa.Function)
		if !ok {
			continue
		}
		if call, ok := instr.(ssa.CallInstruction); ok && i == 0 && !call.Common().IsInvoke() {
			continue // the callee (Operands lists it first)
		}
		if _, ok := instr.(*ssa.MakeClosure); ok && i == 0 && f.Synthetic == "" {
			continue
		}
		r.valued[f] = true
		// A method value or method expression is a wrapper: the method
		// it calls has callers we don't see too.
		r.valued[declOf(f)] = true
	}
}

// staticFunc returns the function a call runs when it is known without
// resolution: a function or a closure called directly.
func staticFunc(c *ssa.CallCommon) *ssa.Function {
	if c.IsInvoke() {
		return nil
	}
	switch v := c.Value.(type) {
	case *ssa.Function:
		return v
	case *ssa.MakeClosure:
		return v.Fn.(*ssa.Function)
	}
	return nil
}

// locations returns the locations an address stands for.
func (r *Resolver) locations(addr ssa.Value) []any {
	switch a := addr.(type) {
	case *ssa.FieldAddr:
		if f := fieldOf(a.X.Type(), a.Field); f != nil {
			return []any{f}
		}
	case *ssa.Global, *ssa.Alloc:
		return []any{a}
	case *ssa.FreeVar:
		var out []any
		for _, c := range r.cells[a] {
			out = append(out, r.locations(c)...)
		}
		return out
	}
	return nil
}

// checkEscape marks the location of addr escaped if the address is used
// otherwise than to load from or store into it, or bound to a closure.
func (r *Resolver) checkEscape(addr ssa.Value) {
	refs := addr.Referrers()
	if refs == nil {
		return
	}
	for _, ref := range *refs {
		switch u := ref.(type) {
		case *ssa.Store:
			if u.Addr == addr && u.Val != addr {
				continue
			}
		case *ssa.UnOp:
			if u.Op == token.MUL {
				continue
			}
		case *ssa.MakeClosure, *ssa.DebugRef:
			continue
		case *ssa.FieldAddr, *ssa.IndexAddr:
			continue // a part of it: s.f.g, a[i]
		}
		for _, key := range r.locations(addr) {
			r.escaped[key] = true
		}
		return
	}
}

// fieldOf returns the origin of field i of the struct t points to.
func fieldOf(t types.Type, i int) *types.Var {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil
	}
	return st.Field(i).Origin()
}

// open reports whether code outside the package can reach obj: it is
// exported and the package can be imported.
func (r *Resolver) open(obj types.Object) bool {
	return obj != nil && obj.Exported() && r.pkg.Name() != "main"
}

// openLocation reports whether code outside the package can store into
// the location.
func (r *Resolver) openLocation(key any) bool {
	switch k := key.(type) {
	case *types.Var:
		return r.open(k)
	case *ssa.Global:
		return r.open(k.Object())
	}
	return false
}

// Callees returns the functions of the package, as syntax (each an
// *ast.FuncDecl or an *ast.FuncLit), that call may run, and whether they
// are all it may run: for a call of a function value or an interface
// method the resolved ones, for a static call its callee. It returns
// nil, false for a call it cannot resolve, and for a call of a function
// of another package.
func (r *Resolver) Callees(call *ast.CallExpr) ([]ast.Node, bool) {
	if r == nil || call == nil || !r.mayResolve(call) {
		return nil, false
	}
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.FuncLit:
		return []ast.Node{fun}, true // called where it is written
	case *ast.Ident:
		if v, ok := r.info.Uses[fun].(*types.Var); ok {
			if l := r.localFuncs()[v]; l != nil && !l.other && len(l.lits) > 0 {
				// A local set only to literals: they are all it runs.
				out := make([]ast.Node, len(l.lits))
				for i, lit := range l.lits {
					out[i] = lit
				}
				return out, true
			}
		}
	}
	if m := r.interfaceMethod(call); m != nil {
		impls, ok := r.implementations(m)
		if !ok {
			return nil, false
		}
		out := make([]ast.Node, len(impls))
		for i, f := range impls {
			out[i] = r.decls[f]
		}
		return out, true
	}
	r.build()
	instrs := r.calls[call.Lparen]
	if len(instrs) != 1 {
		return nil, false
	}
	c := instrs[0].Common()
	var fns []*ssa.Function
	complete := false
	if c.IsInvoke() {
		return nil, false // answered above, from types
	} else if f := staticFunc(c); f != nil {
		fns, complete = []*ssa.Function{f}, true
	} else {
		var rs resolution
		rs.funcs(r, c.Value, 0)
		fns, complete = rs.fns, rs.complete()
	}
	if !complete {
		return nil, false
	}
	var out []ast.Node
	for _, fn := range fns {
		syn := declOf(fn).Syntax()
		switch syn.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			out = append(out, syn)
		default:
			return nil, false // a wrapper or function of another package
		}
	}
	return out, true
}

// mayResolve reports whether a complete answer for call is possible at
// all, judged from its syntax and types, so that a question that can
// only be answered "unknown" does not build the SSA form: a method of an
// interface declared elsewhere or open to other packages, a function
// value in an open field or package variable, or an element of a map,
// slice or array.
func (r *Resolver) mayResolve(call *ast.CallExpr) bool {
	info := r.info
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.IndexExpr, *ast.IndexListExpr:
		if id := indexedIdent(fun); id == nil || info.Instances[id].Type == nil {
			return false // an element of a map, slice or array
		}
	case *ast.SelectorExpr:
		if sel := info.Selections[fun]; sel != nil {
			switch sel.Kind() {
			case types.MethodVal:
				m := sel.Obj().(*types.Func)
				if recv := m.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) {
					n, ok := types.Unalias(recv.Type()).(*types.Named)
					return ok && n.Obj().Pkg() == r.pkg && !r.open(n.Obj())
				}
			case types.FieldVal:
				return sel.Obj().Pkg() == r.pkg && !r.open(sel.Obj())
			}
		} else if v, ok := info.Uses[fun.Sel].(*types.Var); ok {
			return !r.open(v) // a package variable of another package, or ours
		}
	case *ast.Ident:
		v, ok := info.Uses[fun].(*types.Var)
		if !ok {
			break
		}
		if v.Parent() == v.Pkg().Scope() {
			return v.Pkg() == r.pkg && !r.open(v)
		}
		l := r.localFuncs()[v]
		if l != nil && (l.external || l.param != nil && r.open(l.param)) {
			return false // from another package's function, or a parameter others bind
		}
	}
	return true
}

// localFunc records how a local variable of function type is set.
type localFunc struct {
	lits     []*ast.FuncLit // the literals assigned to it
	other    bool           // assigned something else too, or addressed
	external bool           // assigned the result of another package's function
	param    *types.Func    // the declared function it is a parameter of
}

// localFuncs returns, for the local variables and parameters of
// function type, how the package's syntax sets them.
func (r *Resolver) localFuncs() map[*types.Var]*localFunc {
	r.localOnce.Do(func() {
		r.locals = make(map[*types.Var]*localFunc)
		get := func(id *ast.Ident) *localFunc {
			v, ok := r.info.ObjectOf(id).(*types.Var)
			if !ok || v.IsField() || v.Parent() == r.pkg.Scope() {
				return nil
			}
			if _, ok := v.Type().Underlying().(*types.Signature); !ok {
				return nil
			}
			l := r.locals[v]
			if l == nil {
				l = new(localFunc)
				r.locals[v] = l
			}
			return l
		}
		assign := func(lhs []ast.Expr, rhs []ast.Expr) {
			for i, e := range lhs {
				id, ok := ast.Unparen(e).(*ast.Ident)
				if !ok {
					continue
				}
				l := get(id)
				if l == nil {
					continue
				}
				if len(rhs) != len(lhs) {
					l.other = true
					if len(rhs) == 1 {
						if call, ok := ast.Unparen(rhs[0]).(*ast.CallExpr); ok {
							if g := typeutil.StaticCallee(r.info, call); g != nil && g.Pkg() != r.pkg {
								l.external = true
							}
						}
					}
					continue
				}
				switch x := ast.Unparen(rhs[i]).(type) {
				case *ast.FuncLit:
					l.lits = append(l.lits, x)
				case *ast.CallExpr:
					l.other = true
					if g := typeutil.StaticCallee(r.info, x); g != nil && g.Pkg() != r.pkg {
						l.external = true
					}
				default:
					l.other = true
				}
			}
		}
		r.in.Preorder([]ast.Node{(*ast.FuncDecl)(nil), (*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.UnaryExpr)(nil)}, func(n ast.Node) {
			switch n := n.(type) {
			case *ast.FuncDecl:
				obj, _ := r.info.Defs[n.Name].(*types.Func)
				for _, fl := range n.Type.Params.List {
					for _, name := range fl.Names {
						if l := get(name); l != nil {
							l.other, l.param = true, obj
						}
					}
				}
			case *ast.AssignStmt:
				assign(n.Lhs, n.Rhs)
			case *ast.ValueSpec:
				lhs := make([]ast.Expr, len(n.Names))
				for i, id := range n.Names {
					lhs[i] = id
				}
				if len(n.Values) > 0 {
					assign(lhs, n.Values)
				}
			case *ast.UnaryExpr:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
					if l := get(id); l != nil {
						l.other = true
					}
				}
			}
		})
	})
	return r.locals
}

// indexedIdent returns the identifier an index expression indexes
// (for a generic function's instantiation), or nil.
func indexedIdent(e ast.Node) *ast.Ident {
	var x ast.Expr
	switch e := e.(type) {
	case *ast.IndexExpr:
		x = e.X
	case *ast.IndexListExpr:
		x = e.X
	}
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		return x
	case *ast.SelectorExpr:
		return x.Sel
	}
	return nil
}

// declOf returns the function a synthetic wrapper stands for: the method
// of a bound method value or a method expression, else fn.
func declOf(fn *ssa.Function) *ssa.Function {
	if fn.Synthetic == "" {
		return fn
	}
	if m, ok := fn.Object().(*types.Func); ok {
		if d := fn.Prog.FuncValue(m); d != nil {
			return d
		}
	}
	return fn
}

// implementations returns the methods of the package's types that
// implement m's interface, and whether they are all: the interface must
// be declared in this package and be closed to others. It needs types
// only, not the SSA form.
func (r *Resolver) implementations(m *types.Func) ([]*types.Func, bool) {
	sig := m.Signature()
	if sig.Recv() == nil {
		return nil, false
	}
	n, ok := types.Unalias(sig.Recv().Type()).(*types.Named)
	if !ok || n.Obj().Pkg() != r.pkg || r.open(n.Obj()) {
		return nil, false
	}
	iface, ok := n.Underlying().(*types.Interface)
	if !ok {
		return nil, false
	}
	r.buildTypes()
	var out []*types.Func
	for _, t := range r.named {
		if t.TypeParams().Len() > 0 {
			continue
		}
		var impl types.Type
		switch {
		case types.Implements(t, iface):
			impl = t
		case types.Implements(types.NewPointer(t), iface):
			impl = types.NewPointer(t)
		default:
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(impl, true, m.Pkg(), m.Name())
		f, ok := obj.(*types.Func)
		if !ok || r.decls[f] == nil {
			return nil, false // promoted from a type of another package
		}
		out = append(out, f)
	}
	return out, len(out) > 0
}

// buildTypes lists the package's named types and its functions'
// declarations.
func (r *Resolver) buildTypes() {
	r.typesOnce.Do(func() {
		r.decls = make(map[*types.Func]*ast.FuncDecl)
		for _, f := range r.files {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok {
					if obj, ok := r.info.Defs[fd.Name].(*types.Func); ok && fd.Body != nil {
						r.decls[obj] = fd
					}
				}
			}
		}
		scope := r.pkg.Scope()
		for _, name := range scope.Names() {
			if tn, ok := scope.Lookup(name).(*types.TypeName); ok && !tn.IsAlias() {
				if n, ok := tn.Type().(*types.Named); ok && !types.IsInterface(n) {
					r.named = append(r.named, n)
				}
			}
		}
	})
}

// MayCall reports, from syntax and types only (without building the
// SSA form), whether a call of a function value may run a function of
// the package for which want is true: whether the package has such a
// function that can be a value (a literal not called where it is
// written, started with go or defer, or handed to a function of another
// package; a declared function or method named elsewhere than in such
// places) with the parameter and result types of
// the called value. A pass asks it before Callees when only such
// functions can matter to it. A call Callees can only answer "unknown"
// for (an open interface or field, a map element) answers false; a call
// of a closed interface's method (answered from types) and a static
// call, true; a literal called in place (also with defer or go),
// whether want holds for it.
func (r *Resolver) MayCall(call *ast.CallExpr, want func(ast.Node) bool) bool {
	if r == nil {
		return false
	}
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		return want(lit) // called in place: that literal and nothing else
	}
	if !r.mayResolve(call) {
		return false // Callees could only answer "unknown"
	}
	tv, ok := r.info.Types[call.Fun]
	if !ok || r.interfaceMethod(call) != nil {
		// A closed interface's implementations answer from types, no
		// SSA form needed; want may not see what they reach in turn.
		return true
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok {
		return false
	}
	for _, vf := range r.valueFuncs() {
		if sameShape(sig, vf.sig) && want(vf.syn) {
			return true
		}
	}
	return false
}

// sameShape reports whether two signatures take and return the same
// types (receivers aside: a method value has its receiver bound).
func sameShape(a, b *types.Signature) bool {
	return a.Variadic() == b.Variadic() && types.Identical(a.Params(), b.Params()) && types.Identical(a.Results(), b.Results())
}

// valueFunc is a function of the package that can be a value.
type valueFunc struct {
	syn ast.Node // *ast.FuncLit or *ast.FuncDecl
	sig *types.Signature
}

// valueFuncs returns the package's functions that can be values.
func (r *Resolver) valueFuncs() []valueFunc {
	r.valueOnce.Do(func() {
		r.buildTypes()
		direct := make(map[ast.Node]bool) // literals called in place, started or deferred; names in call position
		used := make(map[*types.Func]bool)
		r.in.Preorder([]ast.Node{(*ast.CallExpr)(nil), (*ast.FuncLit)(nil), (*ast.Ident)(nil)}, func(n ast.Node) {
			switch n := n.(type) {
			case *ast.CallExpr:
				switch fun := ast.Unparen(n.Fun).(type) {
				case *ast.FuncLit:
					direct[fun] = true
				case *ast.Ident:
					direct[fun] = true
				case *ast.SelectorExpr:
					direct[fun.Sel] = true
				}
				// Handed to a function of another package (once.Do,
				// t.Run, http.HandleFunc): not a value this
				// package's calls can run.
				if g := typeutil.StaticCallee(r.info, n); g != nil && g.Pkg() != r.pkg {
					for _, arg := range n.Args {
						switch a := ast.Unparen(arg).(type) {
						case *ast.FuncLit:
							direct[a] = true
						case *ast.Ident:
							direct[a] = true
						case *ast.SelectorExpr:
							direct[a.Sel] = true
						}
					}
				}
			case *ast.FuncLit:
				if !direct[n] {
					if sig, ok := r.info.TypeOf(n).(*types.Signature); ok {
						r.values = append(r.values, valueFunc{n, sig})
					}
				}
			case *ast.Ident:
				if g, ok := r.info.Uses[n].(*types.Func); ok && !direct[n] && g.Pkg() == r.pkg {
					used[g.Origin()] = true
				}
			}
		})
		for g := range used {
			if d := r.decls[g]; d != nil {
				r.values = append(r.values, valueFunc{d, g.Signature()})
			}
		}
	})
	return r.values
}

// interfaceMethod returns the interface method call calls, or nil.
func (r *Resolver) interfaceMethod(call *ast.CallExpr) *types.Func {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s := r.info.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal {
		return nil
	}
	m, _ := s.Obj().(*types.Func)
	if m == nil || !types.IsInterface(s.Recv()) {
		return nil
	}
	return m
}

// resolution collects where a value may come from.
type resolution struct {
	fns     []*ssa.Function
	unknown bool
	seen    map[ssa.Value]bool
}

func (rs *resolution) complete() bool { return !rs.unknown }

func (rs *resolution) addFunc(fn *ssa.Function) {
	for _, f := range rs.fns {
		if f == fn {
			return
		}
	}
	rs.fns = append(rs.fns, fn)
}

// funcs adds the functions v may hold.
func (rs *resolution) funcs(r *Resolver, v ssa.Value, depth int) {
	if rs.unknown {
		return
	}
	if depth > maxDepth {
		rs.unknown = true
		return
	}
	if rs.seen == nil {
		rs.seen = make(map[ssa.Value]bool)
	}
	if rs.seen[v] {
		return
	}
	rs.seen[v] = true
	switch v := v.(type) {
	case *ssa.Function:
		rs.addFunc(v)
	case *ssa.MakeClosure:
		rs.addFunc(v.Fn.(*ssa.Function))
	case *ssa.Const:
		if !v.IsNil() {
			rs.unknown = true
		}
	case *ssa.Phi:
		for _, e := range v.Edges {
			rs.funcs(r, e, depth+1)
		}
	case *ssa.ChangeType:
		rs.funcs(r, v.X, depth+1)
	case *ssa.UnOp:
		if v.Op != token.MUL {
			rs.unknown = true
			return
		}
		rs.load(r, v.X, depth+1)
	case *ssa.Field:
		if f := fieldOf(v.X.Type(), v.Field); f != nil {
			rs.stored(r, f, depth+1)
		} else {
			rs.unknown = true
		}
	case *ssa.Parameter:
		for _, a := range r.arguments(v) {
			if a == nil {
				rs.unknown = true
				return
			}
			rs.funcs(r, a, depth+1)
		}
	case *ssa.Call:
		for _, res := range r.results(v, 0) {
			if res == nil {
				rs.unknown = true
				return
			}
			rs.funcs(r, res, depth+1)
		}
	case *ssa.Extract:
		call, ok := v.Tuple.(*ssa.Call)
		if !ok {
			rs.unknown = true
			return
		}
		for _, res := range r.results(call, v.Index) {
			if res == nil {
				rs.unknown = true
				return
			}
			rs.funcs(r, res, depth+1)
		}
	default:
		rs.unknown = true
	}
}

// load adds the functions that may be loaded from addr.
func (rs *resolution) load(r *Resolver, addr ssa.Value, depth int) {
	keys := r.locations(addr)
	if len(keys) == 0 {
		rs.unknown = true
		return
	}
	for _, k := range keys {
		rs.stored(r, k, depth)
	}
}

// stored adds the functions stored into the location key.
func (rs *resolution) stored(r *Resolver, key any, depth int) {
	if r.escaped[key] || r.openLocation(key) {
		rs.unknown = true
		return
	}
	for _, v := range r.stores[key] {
		rs.funcs(r, v, depth)
	}
}

// arguments returns the values bound to p at every call of its
// function, or a nil element when some caller is not known: the
// function is used as a value or other packages can call it.
func (r *Resolver) arguments(p *ssa.Parameter) []ssa.Value {
	fn := p.Parent()
	idx := -1
	for i, q := range fn.Params {
		if q == p {
			idx = i
		}
	}
	if idx < 0 || r.valued[fn] || len(r.sites[fn]) == 0 {
		return []ssa.Value{nil}
	}
	if obj, ok := fn.Object().(*types.Func); ok && r.open(obj) {
		return []ssa.Value{nil}
	}
	var out []ssa.Value
	for _, site := range r.sites[fn] {
		c := site.Common()
		args := c.Args
		i := idx
		if c.IsInvoke() {
			// The receiver is the interface value, not an argument.
			i--
		}
		if i < 0 {
			return []ssa.Value{nil} // the receiver: its dynamic type's value
		}
		if i >= len(args) {
			return []ssa.Value{nil}
		}
		out = append(out, args[i])
	}
	return out
}

// results returns the values the static callee of call returns at
// index i, or a nil element when the callee is not the package's or
// not built.
func (r *Resolver) results(call *ssa.Call, i int) []ssa.Value {
	fn := staticFunc(&call.Call)
	if fn == nil || fn.Pkg == nil || fn.Pkg.Pkg != r.pkg || len(fn.Blocks) == 0 {
		return []ssa.Value{nil}
	}
	var out []ssa.Value
	for _, b := range fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			if i >= len(ret.Results) {
				return []ssa.Value{nil}
			}
			out = append(out, ret.Results[i])
		}
	}
	return out
}

// ChanAt returns the field or package-level variable whose channel the
// channel operation at pos works on (a send's arrow, a receive's <-, a
// range statement's for, a select case's arrow, close's left
// parenthesis), when every value the operand may hold was loaded from
// that one field or variable; else nil. For a channel made in the
// package that reaches the operation only through locals, parameters
// and captured variables, it returns an object standing for that make:
// a *types.Var without a name at the make's position, the same for
// every operation on that channel.
func (r *Resolver) ChanAt(pos token.Pos) types.Object {
	if r == nil {
		return nil
	}
	r.build()
	v, ok := r.chans[pos]
	if !ok {
		return nil
	}
	obj, known := r.chanOf(v, make(map[ssa.Value]bool), 0)
	if !known {
		return nil
	}
	return obj
}

// chanOf returns the one field or package-level variable v's channel
// comes from; known is false when that is not one (or not known). A nil
// constant adds nothing: receiving from it blocks forever in any case.
func (r *Resolver) chanOf(v ssa.Value, seen map[ssa.Value]bool, depth int) (obj types.Object, known bool) {
	if depth > maxDepth {
		return nil, false
	}
	if seen[v] {
		return nil, true
	}
	seen[v] = true
	var parts []ssa.Value
	switch v := v.(type) {
	case *ssa.Const:
		if v.IsNil() {
			return nil, true
		}
		return nil, false
	case *ssa.UnOp:
		if v.Op != token.MUL {
			return nil, false
		}
		switch a := v.X.(type) {
		case *ssa.FieldAddr:
			if f := fieldOf(a.X.Type(), a.Field); f != nil {
				return f, true
			}
			return nil, false
		case *ssa.Global:
			return a.Object(), a.Object() != nil
		}
		keys := r.locations(v.X)
		if len(keys) == 0 {
			return nil, false
		}
		for _, k := range keys {
			if r.escaped[k] {
				return nil, false
			}
			parts = append(parts, r.stores[k]...)
		}
	case *ssa.Field:
		if f := fieldOf(v.X.Type(), v.Field); f != nil {
			return f, true
		}
		return nil, false
	case *ssa.MakeChan:
		return r.madeAt(v), true
	case *ssa.Phi:
		parts = v.Edges
	case *ssa.ChangeType:
		parts = []ssa.Value{v.X}
	case *ssa.Parameter:
		parts = r.arguments(v)
	case *ssa.Call:
		parts = r.results(v, 0)
	case *ssa.Extract:
		call, ok := v.Tuple.(*ssa.Call)
		if !ok {
			return nil, false
		}
		parts = r.results(call, v.Index)
	default:
		return nil, false
	}
	for _, p := range parts {
		if p == nil {
			return nil, false
		}
		o, ok := r.chanOf(p, seen, depth+1)
		if !ok || o != nil && obj != nil && o != obj {
			return nil, false
		}
		if o != nil {
			obj = o
		}
	}
	return obj, true
}
