package locks

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

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
		return Path{Root: base.Root, Fields: base.Fields + s.String()}, true
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
