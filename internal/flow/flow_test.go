package flow

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"golang.org/x/tools/go/cfg"
)

const src = `package p

func f(c bool, xs []int) int {
	acquire()
	if c {
		release()
		return 1
	}
	for _, x := range xs {
		if x < 0 {
			return 2 // leaves without release
		}
		step()
	}
	if len(xs) == 0 {
		exit() // never returns
	}
	release()
	return 0
}
`

// build returns the CFG of f, with exit() treated as a call that never
// returns, and a function that finds the position of the first
// occurrence of a substring of the source.
func build(t *testing.T) (*cfg.CFG, *token.FileSet, func(string) token.Pos) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	g := cfg.New(body, func(call *ast.CallExpr) bool {
		id, ok := call.Fun.(*ast.Ident)
		return !ok || id.Name != "exit"
	})
	tf := fset.File(f.Pos())
	at := func(s string) token.Pos {
		i := strings.Index(src, s)
		if i < 0 {
			t.Fatalf("%q not in source", s)
		}
		return tf.Pos(i)
	}
	return g, fset, at
}

func isCall(n ast.Node, name string) bool {
	es, ok := n.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := call.Fun.(*ast.Ident)
	return ok && id.Name == name
}

func TestLocate(t *testing.T) {
	g, _, at := build(t)
	ix := NewIndex(g)
	b, i := ix.Locate(at("acquire()"))
	if b == nil || !isCall(b.Nodes[i], "acquire") {
		t.Fatalf("Locate(acquire) = %v, %d", b, i)
	}
	// A position inside a node (the argument list of a call).
	b2, i2 := ix.Locate(at("acquire()") + 8)
	if b2 != b || i2 != i {
		t.Errorf("Locate inside a node = %v, %d; want %v, %d", b2, i2, b, i)
	}
	// The "if" keyword belongs to no node.
	if b, i := ix.Locate(at("if c")); b != nil || i != -1 {
		t.Errorf("Locate(if keyword) = %v, %d; want nil, -1", b, i)
	}
}

func TestReachesAndInCycle(t *testing.T) {
	g, _, at := build(t)
	ix := NewIndex(g)
	step, _ := ix.Locate(at("step()"))
	acquire, _ := ix.Locate(at("acquire()"))
	if !InCycle(step) {
		t.Error("step() is in the range loop but InCycle says no")
	}
	if InCycle(acquire) {
		t.Error("acquire() is not in a loop but InCycle says yes")
	}
	if !Reaches([]*cfg.Block{acquire}, step) || Reaches(step.Succs, acquire) {
		t.Error("Reaches is wrong about acquire and step")
	}
	if !Reaches([]*cfg.Block{acquire}, acquire) {
		t.Error("Reaches must count the start blocks themselves")
	}
}

func TestUncoveredExit(t *testing.T) {
	g, fset, at := build(t)
	ix := NewIndex(g)
	b, i := ix.Locate(at("acquire()"))
	exit := UncoveredExit(b, i, func(n ast.Node) bool { return isCall(n, "release") })
	if exit == nil {
		t.Fatal("no uncovered exit found; want the return 2 in the loop")
	}
	if line := fset.Position(exit.Return.Pos()).Line; line != 11 {
		t.Errorf("uncovered exit at line %d, want 11", line)
	}
	// Covering the early return as well leaves no uncovered exit: the
	// exit() path never returns, so it needs no release.
	none := UncoveredExit(b, i, func(n ast.Node) bool {
		if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
			if lit, ok := r.Results[0].(*ast.BasicLit); ok && lit.Value == "2" {
				return true
			}
		}
		return isCall(n, "release")
	})
	if none != nil {
		t.Errorf("unexpected uncovered exit at line %d", fset.Position(none.Return.Pos()).Line)
	}
	// Starting at i = -1 includes the first node of the block.
	if UncoveredExit(b, -1, func(n ast.Node) bool { return isCall(n, "acquire") }) != nil {
		t.Error("a cover at the start node was not seen with i = -1")
	}
}
