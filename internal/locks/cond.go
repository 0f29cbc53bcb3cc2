package locks

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/leaklint/leaklint/internal/callee"
)

// ---- sync.Cond ----

// A CondLock is the lock a sync.Cond was made on: sync.NewCond(&s.mu),
// or sync.NewCond(s.mu.RLocker()), whose c.L.Lock() is s.mu.RLock().
type CondLock struct {
	// Fields is the lock's path relative to the struct holding the Cond
	// field (".mu"), for a Cond in a field; "" for a Cond variable.
	Fields string
	// Path is the lock itself, for a Cond variable (cond :=
	// sync.NewCond(&mu)).
	Path Path
	// Read marks a Cond made on an RWMutex's RLocker(): its L takes the
	// read side.
	Read bool
	// Sole reports that c.L is that lock wherever the Cond field is used:
	// the field is unexported and not embedded, every assignment to it in
	// the package is sync.NewCond of that same lock of the same value
	// (s.cond = sync.NewCond(&s.mu)), no composite literal initialises it,
	// and neither its address nor its L is ever taken or assigned. Only
	// then is s.cond.L.Lock() an operation on s.mu.
	Sole bool
}

// Cond returns the lock the Cond variable or field obj was made on, as
// found in the package's sync.NewCond assignments.
func (r *Result) Cond(obj types.Object) (CondLock, bool) {
	if v, ok := obj.(*types.Var); ok {
		obj = v.Origin()
	}
	cl, ok := r.conds[obj]
	return cl, ok
}

// isCond reports whether t is sync.Cond or *sync.Cond.
func isCond(t types.Type) bool {
	return t != nil && callee.IsNamed(deref(t), "sync", "Cond")
}

// findConds finds the sync.NewCond calls of the package assigned to a
// field of a variable (s.cond = sync.NewCond(&s.mu), or of s.mu.RLocker())
// or to a variable (cond := sync.NewCond(&mu)), keyed by the field (its
// origin) or variable; a later assignment replaces an earlier one. It
// marks Sole the fields whose every initialisation names the same lock
// of the same value (see CondLock).
func (b *builder) findConds(files []*ast.File) map[types.Object]CondLock {
	info := b.pass.TypesInfo
	out := make(map[types.Object]CondLock)
	bad := make(map[*types.Var]bool) // fields with an initialisation we can't follow
	badAll := false                  // an L assigned through something else than a field
	// condField returns the Cond field that e selects directly (not
	// through an embedded field), or nil.
	condField := func(e ast.Expr) (*types.Var, bool) {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil, false
		}
		s := info.Selections[sel]
		if s == nil || s.Kind() != types.FieldVal || !isCond(s.Obj().Type()) {
			return nil, false
		}
		v := s.Obj().(*types.Var).Origin()
		return v, len(s.Index()) == 1
	}
	// theL reports whether e is c.L of a Cond c, and which field c is.
	theL := func(e ast.Expr) (*types.Var, bool) {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "L" || !isCond(info.TypeOf(sel.X)) {
			return nil, false
		}
		f, _ := condField(sel.X)
		return f, true
	}
	for _, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.UnaryExpr:
				// &s.cond, &s.cond.L: either may change behind our back.
				if n.Op == token.AND {
					if f, _ := condField(n.X); f != nil {
						bad[f] = true
					}
					if f, ok := theL(n.X); ok {
						if f != nil {
							bad[f] = true
						} else {
							badAll = true
						}
					}
				}
			case *ast.CompositeLit:
				// T{cond: sync.NewCond(&mu)}: no value to relate the
				// lock to.
				b.litConds(n, bad)
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					if f, ok := theL(lhs); ok {
						if f != nil {
							bad[f] = true
						} else {
							badAll = true
						}
						continue
					}
					var rhs ast.Expr
					if len(n.Lhs) == len(n.Rhs) {
						rhs = n.Rhs[i]
					}
					f, direct := condField(lhs)
					if f != nil {
						cl, ok := b.newCondOnField(rhs, ast.Unparen(lhs).(*ast.SelectorExpr).X)
						if !ok || !direct {
							bad[f] = true
							continue
						}
						if old, seen := out[f]; seen && (old.Fields != cl.Fields || old.Read != cl.Read) {
							bad[f] = true
						}
						out[f] = cl
						continue
					}
					if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && rhs != nil {
						if arg, read, ok := b.newCondArg(rhs); ok {
							if aid, ok := ast.Unparen(arg).(*ast.Ident); ok {
								obj := info.ObjectOf(id)
								if v, ok := info.Uses[aid].(*types.Var); ok && obj != nil {
									out[obj] = CondLock{Path: Path{Root: v}, Read: read}
								}
							}
						}
					}
				}
			}
			return true
		})
	}
	for obj, cl := range out {
		f, ok := obj.(*types.Var)
		if !ok || !f.IsField() || cl.Fields == "" {
			continue
		}
		cl.Sole = !badAll && !bad[f] && !f.Exported() && !f.Embedded() && f.Pkg() == b.pass.Pkg
		out[obj] = cl
	}
	return out
}

// litConds marks bad the Cond fields that composite literal lit
// initialises, keyed or not.
func (b *builder) litConds(lit *ast.CompositeLit, bad map[*types.Var]bool) {
	info := b.pass.TypesInfo
	st, _ := structOf(info.TypeOf(lit))
	if st == nil {
		return
	}
	for i, elt := range lit.Elts {
		var f *types.Var
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				f, _ = info.Uses[id].(*types.Var)
			}
		} else if i < st.NumFields() {
			f = st.Field(i)
		}
		if f != nil && f.IsField() && isCond(f.Type()) {
			bad[f.Origin()] = true
		}
	}
}

// newCondArg returns the lock expression of rhs when rhs is
// sync.NewCond(&lock), sync.NewCond(lock) with lock a pointer to a
// mutex, or sync.NewCond(lock.RLocker()) (then read is true).
func (b *builder) newCondArg(rhs ast.Expr) (lock ast.Expr, read, ok bool) {
	info := b.pass.TypesInfo
	call, isCall := ast.Unparen(rhs).(*ast.CallExpr)
	if !isCall || len(call.Args) != 1 || !callee.IsFunc(callee.Of(info, call), "sync", "NewCond") {
		return nil, false, false
	}
	arg := ast.Unparen(call.Args[0])
	switch a := arg.(type) {
	case *ast.UnaryExpr:
		if a.Op == token.AND && isMutexType(info.TypeOf(a.X)) {
			return a.X, false, true
		}
	case *ast.CallExpr:
		if sel, ok := ast.Unparen(a.Fun).(*ast.SelectorExpr); ok && len(a.Args) == 0 &&
			callee.IsMethod(callee.Of(info, a), "sync", "RWMutex", "RLocker") {
			return sel.X, true, true
		}
	default:
		if t := info.TypeOf(arg); t != nil {
			if p, ok := t.Underlying().(*types.Pointer); ok && isMutexType(p.Elem()) {
				return arg, false, true
			}
		}
	}
	return nil, false, false
}

// newCondOnField returns the CondLock of rhs, assigned to a Cond field
// of base: rhs must be a sync.NewCond of a lock reached from base by
// field selections (s.cond = sync.NewCond(&s.mu)).
func (b *builder) newCondOnField(rhs ast.Expr, base ast.Expr) (CondLock, bool) {
	if rhs == nil {
		return CondLock{}, false
	}
	lock, read, ok := b.newCondArg(rhs)
	if !ok {
		return CondLock{}, false
	}
	fields, ok := b.fieldsBelow(lock, types.ExprString(ast.Unparen(base)))
	if !ok || fields == "" {
		return CondLock{}, false
	}
	return CondLock{Fields: fields, Read: read}, true
}

// fieldsBelow returns the field path (".inner.mu", implicit embedded
// fields included) that e selects below the expression rendered base.
func (b *builder) fieldsBelow(e ast.Expr, base string) (string, bool) {
	info := b.pass.TypesInfo
	var parts []string
	for {
		e = ast.Unparen(e)
		if types.ExprString(e) == base {
			break
		}
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return "", false
		}
		s := info.Selections[sel]
		if s == nil || s.Kind() != types.FieldVal {
			return "", false
		}
		t := info.TypeOf(sel.X)
		var names strings.Builder
		for _, i := range s.Index() {
			st, ok := deref(t).Underlying().(*types.Struct)
			if !ok || i >= st.NumFields() {
				return "", false
			}
			names.WriteString("." + st.Field(i).Name())
			t = st.Field(i).Type()
		}
		parts = append(parts, names.String())
		e = sel.X
	}
	var s strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		s.WriteString(parts[i])
	}
	return s.String(), true
}

// condLocker returns the lock that x, the L of a Cond field whose
// CondLock is Sole (s.cond.L), stands for: s.mu, and whether L takes its
// read side.
func (b *builder) condLocker(x ast.Expr, aliases map[*types.Var]Path) (Path, bool, bool) {
	info := b.pass.TypesInfo
	sel, ok := ast.Unparen(x).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "L" || !isCond(info.TypeOf(sel.X)) {
		return Path{}, false, false
	}
	cs, ok := ast.Unparen(sel.X).(*ast.SelectorExpr)
	if !ok {
		return Path{}, false, false
	}
	s := info.Selections[cs]
	if s == nil || s.Kind() != types.FieldVal {
		return Path{}, false, false
	}
	f := s.Obj().(*types.Var).Origin()
	cl, ok := b.conds[f]
	if !ok || !cl.Sole {
		return Path{}, false, false
	}
	// The path of s.cond, less the field itself, is the struct that
	// holds it (implicit embedded fields included).
	p, ok := b.pathOf(cs, aliases)
	if !ok || !strings.HasSuffix(p.Fields, "."+f.Name()) {
		return Path{}, false, false
	}
	return b.path(p.Root, strings.TrimSuffix(p.Fields, "."+f.Name())+cl.Fields), cl.Read, true
}
