package resolve

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A Bound is a function stored into a function field of an object and
// bound to that same object: a method value of it (s.onTick = s.tick),
// or a literal that captures a variable holding it
// (le.SetCheckpointer(func() { le.Checkpoint() })).
type Bound struct {
	Func ast.Node   // the method's *ast.FuncDecl, or the *ast.FuncLit
	Self *types.Var // the method's receiver, or the captured variable: the object the field belongs to
}

// SelfBound answers, for a call of a function field (x.f(...)), the
// functions that every store into that field hands, when each of them is
// bound to the object it is stored in: then the call runs a function
// whose Self is x itself. It returns nil, false when some store is not
// such a function or cannot be followed: the field is open to other
// packages or its address escapes, a value comes from a parameter of a
// function the package does not call itself, or objects of the field's
// struct type are copied whole (a copy keeps the function, bound to the
// original). A nil function stored runs nothing and is left out.
//
// Stores through a setter are followed: the setter's receiver and
// argument are bound at each of its calls (l.SetHook(func() { l.x() })).
func (r *Resolver) SelfBound(call *ast.CallExpr) ([]Bound, bool) {
	if r == nil || call == nil {
		return nil, false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, false
	}
	s := r.info.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal || s.Obj().Pkg() != r.pkg || r.open(s.Obj()) {
		return nil, false
	}
	r.build()
	instrs := r.calls[call.Lparen]
	if len(instrs) != 1 {
		return nil, false
	}
	c := instrs[0].Common()
	if c.IsInvoke() {
		return nil, false
	}
	if len(s.Index()) != 1 {
		return nil, false // promoted from an embedded struct
	}
	var key *types.Var
	if v, ok := c.Value.(*ssa.UnOp); ok && v.Op == token.MUL {
		if fa, ok := v.X.(*ssa.FieldAddr); ok {
			key = fieldOf(fa.X.Type(), fa.Field)
		}
	}
	if key == nil || r.escaped[key] || r.copied[BaseType(r.info.TypeOf(sel.X))] {
		return nil, false
	}
	var out []Bound
	for _, st := range r.storeInstrs[key] {
		fa, ok := st.Addr.(*ssa.FieldAddr)
		if !ok {
			return nil, false
		}
		bs, ok := r.selfBound(st.Val, fa.X, 0)
		if !ok {
			return nil, false
		}
		out = appendBounds(out, bs...)
	}
	return out, true
}

func appendBounds(out []Bound, bs ...Bound) []Bound {
	for _, b := range bs {
		dup := false
		for _, o := range out {
			dup = dup || o == b
		}
		if !dup {
			out = append(out, b)
		}
	}
	return out
}

// selfBound proves that the function value val, stored into a field of
// obj, is bound to obj, and returns it.
func (r *Resolver) selfBound(val, obj ssa.Value, depth int) ([]Bound, bool) {
	if depth > maxDepth {
		return nil, false
	}
	switch v := val.(type) {
	case *ssa.Const:
		return nil, v.IsNil() // nil runs nothing
	case *ssa.ChangeType:
		return r.selfBound(v.X, obj, depth+1) // to a named func type
	case *ssa.MakeClosure:
		fn := v.Fn.(*ssa.Function)
		if fn.Synthetic != "" {
			// A method value: (*T).m$bound, with its receiver bound.
			d := declOf(fn)
			decl, ok := d.Syntax().(*ast.FuncDecl)
			if !ok || d == fn || len(v.Bindings) != 1 || !r.sameObject(v.Bindings[0], obj) {
				return nil, false
			}
			self := r.receiverVar(decl)
			if self == nil {
				return nil, false
			}
			return []Bound{{Func: decl, Self: self}}, true
		}
		lit, ok := fn.Syntax().(*ast.FuncLit)
		if !ok {
			return nil, false
		}
		for i, b := range v.Bindings {
			if i >= len(fn.FreeVars) || !r.holds(b, obj) {
				continue
			}
			if self := r.freeVarObject(fn.FreeVars[i]); self != nil {
				return []Bound{{Func: lit, Self: self}}, true
			}
		}
		return nil, false
	case *ssa.Parameter:
		// Stored by a setter: bound to its receiver (or another
		// parameter) at each of its calls.
		q, ok := obj.(*ssa.Parameter)
		if !ok || q.Parent() != v.Parent() {
			return nil, false
		}
		vals, objs := r.arguments(v), r.arguments(q)
		if len(vals) != len(objs) {
			return nil, false
		}
		var out []Bound
		for i := range vals {
			if vals[i] == nil || objs[i] == nil {
				return nil, false
			}
			bs, ok := r.selfBound(vals[i], objs[i], depth+1)
			if !ok {
				return nil, false
			}
			out = appendBounds(out, bs...)
		}
		return out, true
	}
	return nil, false
}

// sameObject reports whether a and b are one pointer: the same value, or
// loads of one local cell stored once.
func (r *Resolver) sameObject(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	la, ok1 := a.(*ssa.UnOp)
	lb, ok2 := b.(*ssa.UnOp)
	if !ok1 || !ok2 || la.Op != token.MUL || lb.Op != token.MUL {
		return false
	}
	return r.onceCell(la.X) != nil && r.onceCell(la.X) == r.onceCell(lb.X)
}

// holds reports whether the cell bound to a closure holds obj: obj is a
// load of that cell, which is stored once.
func (r *Resolver) holds(cell, obj ssa.Value) bool {
	l, ok := obj.(*ssa.UnOp)
	if !ok || l.Op != token.MUL {
		return false
	}
	c := r.onceCell(cell)
	return c != nil && c == r.onceCell(l.X)
}

// onceCell returns the local cell addr stands for (through a closure's
// free variable), if it is stored exactly once and its address is not
// handed on.
func (r *Resolver) onceCell(addr ssa.Value) *ssa.Alloc {
	if fv, ok := addr.(*ssa.FreeVar); ok {
		cells := r.cells[fv]
		if len(cells) != 1 {
			return nil
		}
		addr = cells[0]
	}
	a, ok := addr.(*ssa.Alloc)
	if !ok || r.escaped[a] || len(r.stores[a]) != 1 {
		return nil
	}
	return a
}

// receiverVar returns the receiver variable of a method declaration.
func (r *Resolver) receiverVar(decl *ast.FuncDecl) *types.Var {
	if decl.Recv == nil || len(decl.Recv.List) != 1 || len(decl.Recv.List[0].Names) != 1 {
		return nil
	}
	v, _ := r.info.Defs[decl.Recv.List[0].Names[0]].(*types.Var)
	return v
}

// freeVarObject returns the variable of the enclosing function that a
// closure's free variable captures.
func (r *Resolver) freeVarObject(fv *ssa.FreeVar) *types.Var {
	r.varsOnce.Do(func() {
		r.varsAt = make(map[token.Pos]*types.Var)
		for id, obj := range r.info.Defs {
			if v, ok := obj.(*types.Var); ok && !v.IsField() {
				r.varsAt[id.Pos()] = v
			}
		}
	})
	v := r.varsAt[fv.Pos()]
	if v == nil || v.Name() != fv.Name() {
		return nil
	}
	return v
}

// noteCopy marks t copied if it is a struct type (a value loaded or
// stored whole).
func (r *Resolver) noteCopy(t types.Type) {
	if _, ok := types.Unalias(t).Underlying().(*types.Struct); ok {
		r.copied[BaseType(t)] = true
	}
}

// BaseType returns the named type t is or points to (the generic type
// for an instance), or t: the type whose values a method value, a field
// or a lock belongs to.
func BaseType(t types.Type) types.Type {
	t = types.Unalias(t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	if n, ok := t.(*types.Named); ok {
		return n.Origin()
	}
	return t
}
