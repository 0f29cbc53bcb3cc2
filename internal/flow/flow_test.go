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

func TestWalkAndLoop(t *testing.T) {
	g, _, at := build(t)
	ix := NewIndex(g)
	acquire, _ := ix.Locate(at("acquire()"))
	step, _ := ix.Locate(at("step()"))
	early, _ := ix.Locate(at("return 2"))
	var head *cfg.Block
	for _, b := range g.Blocks {
		if b.Kind == cfg.KindRangeLoop {
			head = b
		}
	}
	// Found ends the walk on the block sought.
	if got := Walk([]*cfg.Block{acquire}, func(b *cfg.Block) Step {
		if b == step {
			return Found
		}
		return Next
	}, nil); got != step {
		t.Errorf("Walk found %v, want the block of step()", got)
	}
	// Pruning at the loop's head hides its body; skipping the edge into
	// it hides it too, but not from a walk that starts there.
	pruned := Walk([]*cfg.Block{acquire}, func(b *cfg.Block) Step {
		switch b {
		case step:
			return Found
		case head:
			return Prune
		}
		return Next
	}, nil)
	if pruned != nil {
		t.Errorf("Walk went past a pruned block to %v", pruned)
	}
	intoHead := func(_, to *cfg.Block) bool { return to == head }
	if r := Reachable([]*cfg.Block{acquire}, intoHead); r[head] || r[step] || !r[acquire] {
		t.Errorf("Reachable with the edges into the head skipped = %v", r)
	}
	if r := Reachable([]*cfg.Block{head}, intoHead); !r[head] || !r[step] || !r[early] {
		t.Errorf("Reachable from the head = %v; want the head, step() and return 2", r)
	}
	// The loop: its head and step(), not the early return that leaves it
	// nor what comes before it.
	in := Loop(head)
	if !in[head] || !in[step] || in[early] || in[acquire] {
		t.Errorf("Loop = %v", in)
	}
	if in := Loop(acquire); len(in) != 1 || !in[acquire] {
		t.Errorf("Loop of a block in no loop = %v; want the block alone", in)
	}
}

func TestSearchTargetsAndEnter(t *testing.T) {
	g, _, at := build(t)
	ix := NewIndex(g)
	acquire, i := ix.Locate(at("acquire()"))
	step, j := ix.Locate(at("step()"))
	// A target's hit gives its index; NoExit lets the search go past
	// the return in the if c branch to reach step().
	hit := Search{Target: func(n ast.Node) bool { return isCall(n, "step") }, Exit: NoExit}.From(acquire, i)
	if hit == nil || hit.Block != step || hit.Index != j || hit.Node != step.Nodes[j] || hit.Exit {
		t.Fatalf("target hit = %+v; want step() at index %d", hit, j)
	}
	// With the default Exit, the search stops at a return first.
	if hit := (Search{Target: func(n ast.Node) bool { return isCall(n, "step") }}).From(acquire, i); hit == nil || !hit.Exit {
		t.Errorf("hit with the default Exit = %+v; want a return", hit)
	}
	// Enter ends the search on an edge into a block, with index -1.
	hit = Search{Enter: func(b *cfg.Block) bool { return b == step }, Exit: NoExit}.From(acquire, i)
	if hit == nil || hit.Block != step || hit.Index != -1 || hit.Node != nil {
		t.Errorf("enter hit = %+v; want the block of step() with index -1", hit)
	}
	// An exit's index is that of the block's last node, the return.
	hit = Search{Covers: func(n ast.Node) bool { return isCall(n, "release") }}.From(acquire, i)
	if hit == nil || !hit.Exit || hit.Index != len(hit.Block.Nodes)-1 || hit.Node != hit.Block.Return() {
		t.Errorf("exit hit = %+v; want the return 2 with its index", hit)
	}
}
