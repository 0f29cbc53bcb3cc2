package flow

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"golang.org/x/tools/go/cfg"
)

// onEveryPathBySearch is the definition Always must agree with: a
// search from the entry that stops at the node finds no return.
func onEveryPathBySearch(g *cfg.CFG, node ast.Node) bool {
	return UncoveredExit(g.Blocks[0], -1, func(n ast.Node) bool { return n == node }) == nil
}

// TestAlwaysAgreesWithSearch compares Always with the search it replaces
// on every node of every function of a few large standard-library
// packages, with panic and os.Exit ending paths as the cfgs pass does.
func TestAlwaysAgreesWithSearch(t *testing.T) {
	dirs := []string{"net/http", "go/types", "runtime", "text/template/parse"}
	fset := token.NewFileSet()
	mayReturn := func(call *ast.CallExpr) bool {
		switch fun := call.Fun.(type) {
		case *ast.Ident:
			return fun.Name != "panic" && fun.Name != "throw" && fun.Name != "fatal"
		case *ast.SelectorExpr:
			return fun.Sel.Name != "Exit" && fun.Sel.Name != "Fatalf"
		}
		return true
	}
	funcs, nodes, onPaths := 0, 0, 0
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no files in %s: %v", dir, err)
		}
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				var body *ast.BlockStmt
				switch n := n.(type) {
				case *ast.FuncDecl:
					body = n.Body
				case *ast.FuncLit:
					body = n.Body
				}
				if body == nil {
					return true
				}
				g := cfg.New(body, mayReturn)
				a := NewAlways(g)
				funcs++
				// A node the CFG lists in two blocks (the left-hand
				// side of a select case's assignment) is covered in
				// either by the search: not a block question.
				blocks := make(map[ast.Node]int)
				for _, b := range g.Blocks {
					for _, node := range b.Nodes {
						blocks[node]++
					}
				}
				for _, b := range g.Blocks {
					if !b.Live {
						continue
					}
					for _, node := range b.Nodes {
						if blocks[node] > 1 {
							continue
						}
						nodes++
						want := onEveryPathBySearch(g, node)
						if want {
							onPaths++
						}
						if got := a.Node(node); got != want {
							t.Errorf("%s: Always says %v, the search %v", fset.Position(node.Pos()), got, want)
						}
					}
				}
				return true
			})
		}
	}
	if funcs < 1000 || onPaths == 0 || onPaths == nodes {
		t.Fatalf("the comparison saw too little: %d functions, %d nodes, %d on every path", funcs, nodes, onPaths)
	}
	t.Logf("%d functions, %d nodes, %d on every path", funcs, nodes, onPaths)
}

// TestAlwaysLongFunction checks the answer on a long straight-line function
// with branches in it, the shape generated code has: every node outside
// the branches is on every path, those inside are not.
func TestAlwaysLongFunction(t *testing.T) {
	var src []byte
	src = append(src, "package p\nfunc f(c bool) {\n"...)
	for range 2000 {
		src = append(src, "\ta()\n\tif c {\n\t\tb()\n\t}\n"...)
	}
	src = append(src, "}\n"...)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	g := cfg.New(body, func(*ast.CallExpr) bool { return true })
	a := NewAlways(g)
	for _, st := range body.List {
		switch st := st.(type) {
		case *ast.ExprStmt:
			if !a.Node(st) {
				t.Fatalf("%s: a() is on every path", fset.Position(st.Pos()))
			}
		case *ast.IfStmt:
			if inner := st.Body.List[0]; a.Node(inner) {
				t.Fatalf("%s: b() is not on every path", fset.Position(inner.Pos()))
			}
		}
	}
}
