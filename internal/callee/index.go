package callee

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// Calls indexes the static calls of a package's own functions and
// methods (keyed by their origin), for questions such as "does every
// call pass 0 here?" and "who may call this?".
type Calls struct {
	// Sites holds each function's static calls, anywhere in the files.
	Sites map[*types.Func][]*ast.CallExpr
	// Callers holds, parallel to Sites, the declared function whose body
	// holds each call (calls in function literals count for the
	// declaration around them), or nil for a package-level initialiser.
	Callers map[*types.Func][]*types.Func
	// Values holds the functions named anywhere but in a call's function
	// position: function and method values, whose calls are not seen.
	Values map[*types.Func]bool
}

// Index returns the Calls of pkg, whose syntax is files.
func Index(info *types.Info, pkg *types.Package, files []*ast.File) *Calls {
	c := &Calls{
		Sites:   make(map[*types.Func][]*ast.CallExpr),
		Callers: make(map[*types.Func][]*types.Func),
		Values:  make(map[*types.Func]bool),
	}
	inCall := make(map[*ast.Ident]bool)
	walk := func(root ast.Node, enclosing *types.Func) {
		ast.Inspect(root, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				fn := typeutil.StaticCallee(info, n)
				if fn == nil || fn.Pkg() != pkg {
					return true
				}
				fn = fn.Origin()
				c.Sites[fn] = append(c.Sites[fn], n)
				c.Callers[fn] = append(c.Callers[fn], enclosing)
				if id := funcIdent(n.Fun); id != nil {
					inCall[id] = true
				}
			case *ast.Ident:
				if fn, ok := info.Uses[n].(*types.Func); ok && fn.Pkg() == pkg && !inCall[n] {
					c.Values[fn.Origin()] = true
				}
			}
			return true
		})
	}
	for _, f := range files {
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Body != nil {
					fn, _ := info.Defs[d.Name].(*types.Func)
					walk(d.Body, fn)
				}
			case *ast.GenDecl:
				walk(d, nil)
			}
		}
	}
	return c
}

// funcIdent returns the identifier that names the function a call's
// function expression refers to: f, x.f, f[T], x.f[T].
func funcIdent(fun ast.Expr) *ast.Ident {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return f
	case *ast.SelectorExpr:
		return f.Sel
	case *ast.IndexExpr:
		return funcIdent(f.X)
	case *ast.IndexListExpr:
		return funcIdent(f.X)
	}
	return nil
}
