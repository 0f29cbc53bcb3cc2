package locks

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// path returns the Path of root followed by fields, resolving the field
// names once per package: equal Paths share one chain, so that Paths
// compare as (Root, Fields).
func (b *builder) path(root *types.Var, fields string) Path {
	if fields == "" {
		return Path{Root: root}
	}
	k := pathKey{root, fields}
	c, ok := b.paths[k]
	if !ok {
		c = resolve(root, fields)
		if b.paths == nil {
			b.paths = make(map[pathKey]*chain)
		}
		b.paths[k] = c
	}
	return Path{Root: root, Fields: fields, chain: c}
}

type pathKey struct {
	root   *types.Var
	fields string
}

// resolve finds the fields that names (".inner.mu") select, starting at
// the type of root and going through pointers, and the lock class they
// give (see Path.Class).
func resolve(root *types.Var, names string) *chain {
	c := new(chain)
	if root == nil {
		return c
	}
	t := root.Type()
	var owner *types.Named
	var vars []*types.Var
	var after []string // the field names after the last named owner
	anon := false      // the last field is declared by an anonymous struct
	if strings.HasPrefix(names, elemMark) {
		// An element of a map variable (var locks map[string]*sync.Mutex).
		if t = elemOf(t); t == nil {
			return c
		}
		names = names[len(elemMark):]
		if names == "" {
			if isGlobal(root) {
				c.class = root.Pkg().Path() + "." + root.Name() + elemMark
			}
			return c
		}
	}
	if !strings.HasPrefix(names, ".") {
		return c
	}
	for _, name := range strings.Split(names[1:], ".") {
		name, elem := strings.CutSuffix(name, elemMark)
		st, named := structOf(t)
		if st == nil {
			return c
		}
		if named != nil {
			owner, after = named, nil
		}
		anon = named == nil
		var f *types.Var
		for i := 0; i < st.NumFields(); i++ {
			if st.Field(i).Name() == name {
				f = st.Field(i)
				break
			}
		}
		if f == nil {
			return c
		}
		vars = append(vars, f)
		t = f.Type()
		if elem {
			// An element of a map, slice or array field: a lock of the
			// type that owns it, "(*pkg.T).m[]", if the element is not a struct of
			// a named type with a mutex field of its own.
			if t = elemOf(t); t == nil {
				return c
			}
			name += elemMark
		}
		after = append(after, name)
	}
	c.vars = vars
	// A mutex embedded in an anonymous struct field (mu struct {
	// sync.RWMutex; n int }) is named by that field: every value of
	// the owner has its own, exactly like a named field, and (*T).mu
	// reads as the user wrote s.mu.Lock().
	if anon && len(after) > 0 && vars[len(vars)-1].Embedded() && isMutexType(vars[len(vars)-1].Type()) {
		after = after[:len(after)-1]
	}
	if len(vars) > 0 && types.IsInterface(t) {
		// A lock reached through an interface field (a sync.Cond's L, a
		// Locker field): any lock at all, not a class.
		return c
	}
	switch {
	case owner != nil && owner.Obj().Pkg() != nil:
		// The last named struct along the chain owns the fields after
		// it: "(*pkg.T).mu" for its own field, "(*pkg.T).mu.inner" for
		// one of an anonymous struct field of T.
		c.class = "(*" + owner.Obj().Pkg().Path() + "." + owner.Obj().Name() + ")"
		if len(after) > 0 {
			c.class += "." + strings.Join(after, ".")
		}
	case owner == nil && isGlobal(root):
		// A package variable of an anonymous struct type (var state
		// struct{ sync.Mutex; n int }): one lock, named by the variable.
		c.class = root.Pkg().Path() + "." + root.Name()
		if len(after) > 0 {
			c.class += "." + strings.Join(after, ".")
		}
	}
	return c
}

// elemMark marks an element of a map, slice or array in a Path's
// Fields: l.m[url] is ".m[]" and s.locks[i] ".locks[]", whatever the
// key or index.
const elemMark = "[]"

// elemOf returns the element type of the map, slice or array t is (or
// points to, for an array), or nil.
func elemOf(t types.Type) types.Type {
	switch u := types.Unalias(t).Underlying().(type) {
	case *types.Map:
		return u.Elem()
	case *types.Slice:
		return u.Elem()
	case *types.Array:
		return u.Elem()
	case *types.Pointer:
		if a, ok := types.Unalias(u.Elem()).Underlying().(*types.Array); ok {
			return a.Elem()
		}
	}
	return nil
}

// isMutexType reports whether t is sync.Mutex or sync.RWMutex.
func isMutexType(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "sync" {
		return false
	}
	return n.Obj().Name() == "Mutex" || n.Obj().Name() == "RWMutex"
}

// isGlobal reports whether v is a package-level variable.
func isGlobal(v *types.Var) bool {
	return v != nil && v.Parent() != nil && v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
}

// structOf returns the struct type t is or points to, and its named type
// (the generic type for an instance; nil for an anonymous struct).
func structOf(t types.Type) (*types.Struct, *types.Named) {
	t = types.Unalias(t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	named, _ := t.(*types.Named)
	if named != nil {
		named = named.Origin()
	}
	st, _ := t.Underlying().(*types.Struct)
	return st, named
}

// pathOf returns the lock path an expression denotes: a variable
// followed by field selections, through pointers and address-of.
func (b *builder) pathOf(e ast.Expr, aliases map[*types.Var]Path) (Path, bool) {
	info := b.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if !ok {
			return Path{}, false
		}
		if p, ok := aliases[v]; ok {
			return p, true
		}
		return Path{Root: v}, true
	case *ast.SelectorExpr:
		selection := info.Selections[e]
		if selection == nil {
			// pkg.Var
			if v, ok := info.Uses[e.Sel].(*types.Var); ok {
				return Path{Root: v}, true
			}
			return Path{}, false
		}
		if selection.Kind() != types.FieldVal {
			return Path{}, false
		}
		base, ok := b.pathOf(e.X, aliases)
		if !ok {
			return Path{}, false
		}
		// Implicit embedded fields along the way, then the field.
		t := info.TypeOf(e.X)
		var s strings.Builder
		for _, i := range selection.Index() {
			st, ok := deref(t).Underlying().(*types.Struct)
			if !ok || i >= st.NumFields() {
				return Path{}, false
			}
			f := st.Field(i)
			s.WriteString("." + f.Name())
			t = f.Type()
		}
		return b.path(base.Root, base.Fields+s.String()), true
	case *ast.IndexExpr:
		// An element of a map, slice or array: one Path for every key
		// or index (see Path.Elem).
		if elemOf(info.TypeOf(e.X)) == nil {
			return Path{}, false
		}
		base, ok := b.pathOf(e.X, aliases)
		if !ok || base.Elem() {
			return Path{}, false
		}
		return b.path(base.Root, base.Fields+elemMark), true
	case *ast.StarExpr:
		return b.pathOf(e.X, aliases)
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return b.pathOf(e.X, aliases)
		}
	}
	return Path{}, false
}

// aliases finds the local variables of fn that are assigned exactly once,
// from the address of (or a pointer to) a trackable lock path:
// mu := &s.mu. Uses of such a variable name that path.
func (b *builder) aliases(fn *Func) map[*types.Var]Path {
	info := b.pass.TypesInfo
	assigned := make(map[*types.Var]int)
	from := make(map[*types.Var]ast.Expr)
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok {
					continue
				}
				v, ok := info.ObjectOf(id).(*types.Var)
				if !ok {
					continue
				}
				assigned[v]++
				if len(n.Lhs) == len(n.Rhs) {
					from[v] = n.Rhs[i]
				}
			}
		case *ast.UnaryExpr:
			// &v lets v change behind our back.
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
				if v, ok := info.Uses[id].(*types.Var); ok {
					assigned[v] += 2
				}
			}
		}
		return true
	})
	out := make(map[*types.Var]Path)
	for v, n := range assigned {
		if n != 1 || from[v] == nil {
			continue
		}
		if _, isPtr := types.Unalias(v.Type()).Underlying().(*types.Pointer); !isPtr {
			continue // a copy of a mutex is a different mutex
		}
		rhs := ast.Unparen(from[v])
		if u, ok := rhs.(*ast.UnaryExpr); !ok || u.Op != token.AND {
			if _, ok := rhs.(*ast.SelectorExpr); !ok {
				continue
			}
		}
		if p, ok := b.pathOf(rhs, nil); ok {
			out[v] = p
		}
	}
	return out
}
