package flow

import (
	"go/ast"
	"sync"

	"golang.org/x/tools/go/cfg"
)

// Always answers "does every path from the entry of a CFG to a return
// pass this block (or node)?" for all blocks at once, in time linear in
// the size of the graph for the structured code Go compiles to. Build
// one per CFG with NewAlways and ask it as often as needed: asking a
// Search per node instead costs the size of the function each time,
// which is quadratic in long generated functions.
//
// A block is on every path to a return exactly when it dominates every
// return block reachable from the entry. When no return is reachable
// (the function loops forever or always panics), every live block
// counts as on every path, as a Search from the entry would find no
// uncovered exit.
type Always struct {
	on     map[*cfg.Block]bool
	noExit bool
	blocks map[ast.Node]*cfg.Block // the block of each node, built on first use
	g      *cfg.CFG
	// blocksOnce guards blocks: an Always may be shared by passes that
	// run in parallel.
	blocksOnce sync.Once
}

// NewAlways computes the blocks of g that every path from its entry to a
// return passes.
func NewAlways(g *cfg.CFG) *Always {
	a := &Always{g: g, on: make(map[*cfg.Block]bool)}
	if len(g.Blocks) == 0 {
		a.noExit = true
		return a
	}
	entry := g.Blocks[0]

	// Reverse postorder of the blocks reachable from the entry, by an
	// iterative depth-first search (no recursion: generated functions
	// can be very long chains).
	order := make(map[*cfg.Block]int) // postorder number
	var post []*cfg.Block
	type frame struct {
		b    *cfg.Block
		next int
	}
	visited := map[*cfg.Block]bool{entry: true}
	stack := []frame{{entry, 0}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(top.b.Succs) {
			s := top.b.Succs[top.next]
			top.next++
			if !visited[s] {
				visited[s] = true
				stack = append(stack, frame{s, 0})
			}
			continue
		}
		order[top.b] = len(post)
		post = append(post, top.b)
		stack = stack[:len(stack)-1]
	}

	// Predecessors among reachable blocks, and the virtual exit's.
	preds := make(map[*cfg.Block][]*cfg.Block)
	var exits []*cfg.Block
	for _, b := range post {
		for _, s := range b.Succs {
			preds[s] = append(preds[s], b)
		}
		if b.Return() != nil {
			exits = append(exits, b)
		}
	}
	if len(exits) == 0 {
		a.noExit = true
		return a
	}

	// Cooper, Harvey and Kennedy's iterative dominator algorithm ("A
	// Simple, Fast Dominance Algorithm"), over the blocks in reverse
	// postorder.
	idom := map[*cfg.Block]*cfg.Block{entry: entry}
	intersect := func(x, y *cfg.Block) *cfg.Block {
		for x != y {
			for order[x] < order[y] {
				x = idom[x]
			}
			for order[y] < order[x] {
				y = idom[y]
			}
		}
		return x
	}
	for changed := true; changed; {
		changed = false
		for i := len(post) - 1; i >= 0; i-- {
			b := post[i]
			if b == entry {
				continue
			}
			var d *cfg.Block
			for _, p := range preds[b] {
				if _, ok := idom[p]; !ok {
					continue // not processed yet
				}
				if d == nil {
					d = p
				} else {
					d = intersect(p, d)
				}
			}
			if d != nil && idom[b] != d {
				idom[b] = d
				changed = true
			}
		}
	}

	// The blocks that dominate every exit are the dominators of their
	// common ancestor in the dominator tree. Intersecting the exits one
	// by one would walk the tree once per exit, quadratic in a long
	// function with a return after every step; instead, walk from each
	// exit up to the first block already seen, and remember where each
	// block leads on the first exit's chain.
	depth := make(map[*cfg.Block]int) // on the first exit's chain: distance from the entry
	var chain []*cfg.Block
	for b := exits[0]; ; b = idom[b] {
		chain = append(chain, b)
		if b == entry {
			break
		}
	}
	for i, b := range chain {
		depth[b] = len(chain) - 1 - i
	}
	anchor := make(map[*cfg.Block]*cfg.Block) // off the chain: the chain block it leads to
	best := exits[0]
	for _, x := range exits[1:] {
		var walked []*cfg.Block
		var at *cfg.Block
		for b := x; ; b = idom[b] {
			if _, ok := depth[b]; ok {
				at = b
				break
			}
			if a, ok := anchor[b]; ok {
				at = a
				break
			}
			walked = append(walked, b)
		}
		for _, b := range walked {
			anchor[b] = at
		}
		if depth[at] < depth[best] {
			best = at
		}
	}
	for b := best; ; b = idom[b] {
		a.on[b] = true
		if b == entry {
			break
		}
	}
	return a
}

// Block reports whether every path from the entry to a return passes b.
func (a *Always) Block(b *cfg.Block) bool {
	if a.noExit {
		return b != nil && b.Live
	}
	return a.on[b]
}

// Node reports whether every path from the entry to a return passes n, a
// node of the CFG. A node in dead code, or not in the CFG, is on no path.
func (a *Always) Node(n ast.Node) bool {
	a.blocksOnce.Do(func() {
		a.blocks = make(map[ast.Node]*cfg.Block)
		for _, b := range a.g.Blocks {
			if !b.Live {
				continue
			}
			for _, m := range b.Nodes {
				a.blocks[m] = b
			}
		}
	})
	b := a.blocks[n]
	return b != nil && a.Block(b)
}
