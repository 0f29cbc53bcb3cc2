package timeafter

import (
	"go/ast"
	"go/token"
	"go/types"
)

// runsOnce returns the functions of a main package that run at most once
// per process: main.main, and the functions and methods whose every use is
// a call made at most once by a function that runs once — not in a loop,
// not in a function literal, not taken as a value. A ticker such a
// function never stops lives until the program ends anyway. Exported
// methods, and methods named as in an interface type of the package, may
// also be called through an interface, so they never count.
func (c *checker) runsOnce() map[*types.Func]bool {
	once := make(map[*types.Func]bool)
	if c.pass.Pkg.Name() != "main" {
		return once
	}
	var mainFn *types.Func
	ifaceNames := make(map[string]bool)
	for _, obj := range c.pass.TypesInfo.Defs {
		switch obj := obj.(type) {
		case *types.Func:
			if obj.Name() == "main" && obj.Parent() == c.pass.Pkg.Scope() {
				mainFn = obj
			}
		case *types.TypeName:
			if it, ok := obj.Type().Underlying().(*types.Interface); ok {
				for i := 0; i < it.NumMethods(); i++ {
					ifaceNames[it.Method(i).Name()] = true
				}
			}
		}
	}
	if mainFn == nil {
		return once
	}
	once[mainFn] = true

	// uses[f] lists, for each use of f, the declared function it is in,
	// or nil when the use is not a single call there.
	uses := make(map[*types.Func][]*types.Func)
	for _, file := range c.pass.Files {
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			encl, _ := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
			c.usesIn(fd.Body, encl, uses)
		}
		// Uses outside function bodies (a function stored in a
		// package variable) run who knows how often.
		for _, decl := range file.Decls {
			if gd, ok := decl.(*ast.GenDecl); ok {
				ast.Inspect(gd, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok {
						if f, ok := c.pass.TypesInfo.Uses[id].(*types.Func); ok {
							uses[f] = append(uses[f], nil)
						}
					}
					return true
				})
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for f, us := range uses {
			if once[f] || f.Pkg() != c.pass.Pkg {
				continue
			}
			if sig, ok := f.Type().(*types.Signature); ok && sig.Recv() != nil && (f.Exported() || ifaceNames[f.Name()]) {
				continue
			}
			all := true
			for _, u := range us {
				all = all && u != nil && once[u]
			}
			if all {
				once[f] = true
				changed = true
			}
		}
	}
	return once
}

// usesIn records the uses of functions in body, a body of function encl:
// encl for a call made once per run of encl, nil for any other use. A
// body with goto may repeat anything, so all its uses are nil.
func (c *checker) usesIn(body *ast.BlockStmt, encl *types.Func, uses map[*types.Func][]*types.Func) {
	info := c.pass.TypesInfo
	record := func(n ast.Node, by *types.Func) {
		ast.Inspect(n, func(m ast.Node) bool {
			if id, ok := m.(*ast.Ident); ok {
				if f, ok := info.Uses[id].(*types.Func); ok {
					uses[f] = append(uses[f], by)
				}
			}
			return true
		})
	}
	hasGoto := false
	ast.Inspect(body, func(n ast.Node) bool {
		if br, ok := n.(*ast.BranchStmt); ok && br.Tok == token.GOTO {
			hasGoto = true
		}
		return !hasGoto
	})
	if hasGoto {
		record(body, nil)
		return
	}
	onceCalls := make(map[*ast.Ident]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit:
			record(n, nil) // everything inside runs any number of times
			return false
		case *ast.CallExpr:
			switch fun := ast.Unparen(n.Fun).(type) {
			case *ast.Ident:
				onceCalls[fun] = true
			case *ast.SelectorExpr:
				onceCalls[fun.Sel] = true
			}
		case *ast.Ident:
			if f, ok := info.Uses[n].(*types.Func); ok {
				if onceCalls[n] {
					uses[f] = append(uses[f], encl)
				} else {
					uses[f] = append(uses[f], nil)
				}
			}
		}
		return true
	})
}
