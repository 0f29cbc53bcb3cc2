// Package flow answers path questions on a function's control-flow graph
// (golang.org/x/tools/go/cfg, as built by the ctrlflow pass, so that calls
// to functions that never return, such as log.Fatal, os.Exit or
// t.FailNow, end their paths).
//
// The questions leaklint asks are mostly of one kind: "from here, can
// control reach there without passing something that settles the
// matter?" — a return without Unlock, a return without Stop, a select
// reached again after one of its cases. Search answers them node by
// node; Walk, Reachable, Loop and Reaches answer the questions about
// blocks (the blocks of a loop, a way out of it); Always answers "on
// every path" for a whole function at once. Passes ask these instead of
// writing searches of their own.
package flow

import (
	"go/ast"
	"go/token"
	"sort"

	"golang.org/x/tools/go/cfg"
)

// An Index locates syntax positions in the blocks of a CFG.
type Index struct {
	g     *cfg.CFG
	spans []span // sorted by pos
}

type span struct {
	pos, end token.Pos
	block    *cfg.Block
	node     int // index in block.Nodes
}

// NewIndex indexes the nodes of g's live blocks by position.
func NewIndex(g *cfg.CFG) *Index {
	ix := &Index{g: g}
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		for i, n := range b.Nodes {
			ix.spans = append(ix.spans, span{n.Pos(), n.End(), b, i})
		}
	}
	sort.Slice(ix.spans, func(i, j int) bool { return ix.spans[i].pos < ix.spans[j].pos })
	return ix
}

// Locate returns the live block and the index within it of the node
// that contains pos, or (nil, -1) if no live node does (pos is in dead
// code, or in a control statement's own syntax rather than in a node).
// The nodes of a CFG do not overlap, so the answer is unique.
func (ix *Index) Locate(pos token.Pos) (*cfg.Block, int) {
	// The containing node, if any, is the last one starting at or
	// before pos.
	i := sort.Search(len(ix.spans), func(i int) bool { return ix.spans[i].pos > pos }) - 1
	if i >= 0 {
		if s := ix.spans[i]; pos < s.end {
			return s.block, s.node
		}
	}
	return nil, -1
}

// Reaches reports whether some block in from, or a block reachable from
// one of them, is target. Pass b.Succs to ask whether target can be
// reached after b, or []*cfg.Block{b} to count b itself.
func Reaches(from []*cfg.Block, target *cfg.Block) bool {
	return Walk(from, func(b *cfg.Block) Step {
		if b == target {
			return Found
		}
		return Next
	}, nil) != nil
}

// A Step tells Walk what to do at the block it visits.
type Step int

const (
	// Next goes on to the block's successors.
	Next Step = iota
	// Prune does not go beyond the block.
	Prune
	// Found ends the walk: the block is the one sought.
	Found
)

// Walk visits the blocks in from and those reachable from them, each
// block once, and returns the first for which visit returns Found, or
// nil. The walk is depth first: the blocks of from and a block's
// successors are taken last one first. If skip is not nil, the edges
// from one block to another for which it reports true are not
// followed (the blocks of from are visited all the same).
//
// Walk answers questions about blocks; Search answers questions about
// the nodes in them.
func Walk(from []*cfg.Block, visit func(*cfg.Block) Step, skip func(from, to *cfg.Block) bool) *cfg.Block {
	seen := make(map[*cfg.Block]bool)
	stack := append([]*cfg.Block(nil), from...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		switch visit(b) {
		case Found:
			return b
		case Prune:
			continue
		}
		for _, s := range b.Succs {
			if skip == nil || !skip(b, s) {
				stack = append(stack, s)
			}
		}
	}
	return nil
}

// Reachable returns the blocks in from and those reachable from them,
// not following the edges for which skip (if not nil) reports true.
func Reachable(from []*cfg.Block, skip func(from, to *cfg.Block) bool) map[*cfg.Block]bool {
	reached := make(map[*cfg.Block]bool)
	Walk(from, func(b *cfg.Block) Step {
		reached[b] = true
		return Next
	}, skip)
	return reached
}

// Loop returns the blocks of the loop that starts at head: head, and
// the blocks reachable from head from which head can be reached again.
// It is just head when head is in no loop (see InCycle).
func Loop(head *cfg.Block) map[*cfg.Block]bool {
	fwd := Reachable([]*cfg.Block{head}, nil)
	// Walk back from head along the edges among the blocks reached.
	preds := make(map[*cfg.Block][]*cfg.Block)
	for b := range fwd {
		for _, s := range b.Succs {
			preds[s] = append(preds[s], b)
		}
	}
	in := make(map[*cfg.Block]bool)
	stack := []*cfg.Block{head}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if in[b] {
			continue
		}
		in[b] = true
		stack = append(stack, preds[b]...)
	}
	return in
}

// InCycle reports whether control can come back to block b after
// leaving it: b is part of a loop, written as a for statement or with
// goto.
func InCycle(b *cfg.Block) bool { return Reaches(b.Succs, b) }

// An Exit is a path out of the function that was not covered.
type Exit struct {
	Block  *cfg.Block
	Return *ast.ReturnStmt // explicit, or synthetic at the closing brace
}

// UncoveredExit searches the paths that start just after node i of block
// b (pass i = -1 to start at the beginning of b) and returns the first
// return it finds that is reached without passing a node for which
// covers returns true. It returns nil when every path to a return is
// covered, or ends in a call that never returns, or loops forever.
//
// covers is called on each node at most once per search; it must look at
// the node's own syntax (a call inside a function literal in the node is
// not executed there).
func UncoveredExit(b *cfg.Block, i int, covers func(ast.Node) bool) *Exit {
	return UncoveredExitFunc(b, i, covers, nil)
}

// UncoveredExitFunc is like UncoveredExit, but does not follow the edges
// into blocks for which skip returns true: a pass uses it to prune paths
// it knows to be infeasible, such as the exit of a range loop over a
// channel that is never closed.
func UncoveredExitFunc(b *cfg.Block, i int, covers func(ast.Node) bool, skip func(to *cfg.Block) bool) *Exit {
	memo := make(map[ast.Node]bool)
	hit := Search{
		Covers: func(n ast.Node) bool {
			c, ok := memo[n]
			if !ok {
				c = covers(n)
				memo[n] = c
			}
			return c
		},
		Skip: skip,
	}.From(b, i)
	if hit == nil {
		return nil
	}
	return &Exit{Block: hit.Block, Return: hit.Block.Return()}
}

// A Search explores the paths of a CFG from a point, node by node.
type Search struct {
	// Covers reports whether a node ends the path: the matter is
	// settled on it (a release, a stop).
	Covers func(ast.Node) bool
	// Target reports whether a node is what the search looks for. It is
	// asked before Covers, so a node can be both found and covering.
	Target func(ast.Node) bool
	// Skip reports whether the edge into a block is infeasible.
	Skip func(*cfg.Block) bool
	// SkipEdge reports whether the edge from one block to another is
	// infeasible (the false branch of a condition known to be true).
	SkipEdge func(from, to *cfg.Block) bool
	// Enter reports whether entering a block through an edge (one not
	// skipped) is what the search looks for: the Hit is the block, with
	// Index -1. It is asked on every such edge, before the block is
	// explored, whether or not the block was explored before.
	Enter func(*cfg.Block) bool
	// Exit reports whether reaching the end of a block is leaving the
	// function. The default is a block ending in a return statement; a
	// pass can add, say, blocks that end in a call to panic, or use
	// NoExit to search for targets only.
	Exit func(*cfg.Block) bool
}

// NoExit is the Exit of a search that looks for targets only: no block
// ends the search by being left.
func NoExit(*cfg.Block) bool { return false }

// A Hit is what a Search found: a target node, an exit, or a block
// entered.
type Hit struct {
	Block *cfg.Block
	Node  ast.Node // the target node, or the last node of the exit block (nil if it has none, or for Enter)
	Index int      // the index of Node in Block.Nodes, -1 if Node is nil
	Exit  bool
}

// From runs the search from just after node i of block b (i = -1 for the
// start of b) and returns the first target or exit it reaches on a path
// not covered, or nil. Each block is explored once.
func (s Search) From(b *cfg.Block, i int) *Hit {
	isExit := s.Exit
	if isExit == nil {
		isExit = func(b *cfg.Block) bool { return b.Return() != nil }
	}
	seen := make(map[*cfg.Block]bool)
	type item struct {
		b     *cfg.Block
		start int
	}
	stack := []item{{b, i + 1}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.start == 0 {
			if seen[it.b] {
				continue
			}
			seen[it.b] = true
		}
		blocked := false
		for j := it.start; j < len(it.b.Nodes); j++ {
			n := it.b.Nodes[j]
			if s.Target != nil && s.Target(n) {
				return &Hit{Block: it.b, Node: n, Index: j}
			}
			if s.Covers != nil && s.Covers(n) {
				blocked = true
				break
			}
		}
		if blocked {
			continue
		}
		if isExit(it.b) {
			var last ast.Node
			if len(it.b.Nodes) > 0 {
				last = it.b.Nodes[len(it.b.Nodes)-1]
			}
			return &Hit{Block: it.b, Node: last, Index: len(it.b.Nodes) - 1, Exit: true}
		}
		for _, succ := range it.b.Succs {
			if s.Skip != nil && s.Skip(succ) || s.SkipEdge != nil && s.SkipEdge(it.b, succ) {
				continue
			}
			if s.Enter != nil && s.Enter(succ) {
				return &Hit{Block: succ, Index: -1}
			}
			stack = append(stack, item{succ, 0})
		}
	}
	return nil
}
