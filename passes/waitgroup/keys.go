package waitgroup

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/leaklint/leaklint/internal/callee"
)

// A key names one WaitGroup the way the code reaches it: a variable
// (local, parameter, receiver or global) followed by a path of field
// names. wg, s.wg and s.WaitGroup (an embedded WaitGroup) are keys; the
// pointer indirections on the way (*p, &wg) do not matter, since they
// lead to the same WaitGroup.
//
// Two expressions with the same key name the same WaitGroup. The
// converse does not hold (p := &wg makes p and wg aliases), which is why
// any use of a WaitGroup other than calling its methods, or handing it
// to a function we have a summary of, counts as an escape.
type key struct {
	root *types.Var
	path string // ".wg", ".a.b", or "" for the variable itself
}

// String renders k as the user wrote it, for messages.
func (k key) String() string { return k.root.Name() + k.path }

// extend returns k followed by the field path p.
func (k key) extend(p string) key { return key{k.root, k.path + p} }

// prefixOf reports whether k is k2 or leads to it through fields, and
// returns the rest of k2's path after k.
func (k key) prefixOf(k2 key) (rest string, ok bool) {
	if k.root != k2.root {
		return "", false
	}
	if k.path == k2.path {
		return "", true
	}
	if strings.HasPrefix(k2.path, k.path+".") {
		return k2.path[len(k.path):], true
	}
	return "", false
}

// keyOf returns the key of e: an identifier, or a chain of field
// selections, dereferences and an address-of on top of one.
func keyOf(info *types.Info, e ast.Expr) (key, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if !ok || v.IsField() {
			return key{}, false
		}
		return key{root: v}, true
	case *ast.StarExpr:
		return keyOf(info, e.X)
	case *ast.UnaryExpr:
		if e.Op != token.AND {
			return key{}, false
		}
		return keyOf(info, e.X)
	case *ast.SelectorExpr:
		sel := info.Selections[e]
		if sel == nil {
			// A qualified identifier: pkg.Var.
			v, ok := info.Uses[e.Sel].(*types.Var)
			if !ok || v.IsField() {
				return key{}, false
			}
			return key{root: v}, true
		}
		if sel.Kind() != types.FieldVal {
			return key{}, false
		}
		k, ok := keyOf(info, e.X)
		if !ok {
			return key{}, false
		}
		return k.extend(fieldPath(sel.Recv(), sel.Index())), true
	}
	return key{}, false
}

// fieldPath returns the field names, each with a leading dot, of the
// selection of the field path index (as types.Selection.Index reports
// it) starting from type t.
func fieldPath(t types.Type, index []int) string {
	var b strings.Builder
	for _, i := range index {
		st, ok := deref(t).Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			break
		}
		f := st.Field(i)
		b.WriteString(".")
		b.WriteString(f.Name())
		t = f.Type()
	}
	return b.String()
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// isWaitGroup reports whether t is sync.WaitGroup or a pointer to it.
func isWaitGroup(t types.Type) bool {
	return t != nil && callee.IsNamed(t, "sync", "WaitGroup")
}

// isWaitGroupPtr reports whether t is *sync.WaitGroup.
func isWaitGroupPtr(t types.Type) bool {
	if t == nil {
		return false
	}
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && callee.IsNamed(p.Elem(), "sync", "WaitGroup")
}

// wgMethod returns the receiver key and the name of a call of a method
// of sync.WaitGroup (Add, Done, Wait, Go), reached directly (wg.Done())
// or through an embedding struct (s.Done(), for a struct that embeds
// sync.WaitGroup). ok is false for other calls; named is false for a
// WaitGroup method whose receiver has no key (wgs[i].Done()).
func wgMethod(info *types.Info, call *ast.CallExpr) (k key, name string, recv ast.Expr, named, ok bool) {
	fn := callee.Of(info, call)
	if !callee.IsMethod(fn, "sync", "WaitGroup", "Add", "Done", "Wait", "Go") {
		return key{}, "", nil, false, false
	}
	sel, isSel := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !isSel {
		return key{}, fn.Name(), nil, false, true
	}
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal {
		// A method expression, (*sync.WaitGroup).Done(&wg): rare;
		// its argument is treated as an unknown use.
		return key{}, fn.Name(), nil, false, true
	}
	k, named = keyOf(info, sel.X)
	if named && len(s.Index()) > 1 {
		// Promoted through embedded fields.
		k = k.extend(fieldPath(s.Recv(), s.Index()[:len(s.Index())-1]))
	}
	return k, fn.Name(), sel.X, named, true
}

// idents returns the identifiers of the chain e (the variable and the
// field names), so that a classified use is not also counted as an
// unknown one.
func idents(e ast.Expr) []*ast.Ident {
	var ids []*ast.Ident
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return append(ids, x)
		case *ast.StarExpr:
			e = x.X
		case *ast.UnaryExpr:
			e = x.X
		case *ast.SelectorExpr:
			ids = append(ids, x.Sel)
			e = x.X
		default:
			return ids
		}
	}
}

// str renders k for messages: as k.String(), with the package name
// before a package-level variable of another package.
func (c *checker) str(k key) string {
	if v := k.root; v.Pkg() != nil && v.Pkg() != c.pass.Pkg && v.Parent() == v.Pkg().Scope() {
		return v.Pkg().Name() + "." + k.String()
	}
	return k.String()
}
