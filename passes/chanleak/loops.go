package chanleak

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// A loop is a natural loop of F's control-flow graph: a header block
// that dominates the rest, and every block from which control comes back
// to it.
type loop struct {
	header *ssa.BasicBlock
	body   map[*ssa.BasicBlock]bool
}

// findLoops returns the natural loops of fn, one per header.
func findLoops(fn *ssa.Function) []*loop {
	byHeader := make(map[*ssa.BasicBlock]*loop)
	var loops []*loop
	for _, u := range fn.Blocks {
		for _, h := range u.Succs {
			if !h.Dominates(u) {
				continue // not a back edge
			}
			l := byHeader[h]
			if l == nil {
				l = &loop{header: h, body: map[*ssa.BasicBlock]bool{h: true}}
				byHeader[h] = l
				loops = append(loops, l)
			}
			// Everything that reaches u without passing h is in the loop.
			stack := []*ssa.BasicBlock{u}
			for len(stack) > 0 {
				b := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if l.body[b] {
					continue
				}
				l.body[b] = true
				stack = append(stack, b.Preds...)
			}
		}
	}
	return loops
}

// drainEdges returns the edges by which the loops of fn that perform one
// of F's matching operations (ops, by block) end normally: edges out of
// the loop from a block that no such operation of the loop dominates.
// Those are the loop's own condition (i < n, the end of a range), taken
// before this iteration's operation; a break or return after the
// operation (return on the first error) is not one.
//
// Taking such an edge is taken to match every operation pending: a loop
// that receives once per goroutine, counted the same way the goroutines
// were started, is the normal way to wait for them.
func drainEdges(loops []*loop, ops map[*ssa.BasicBlock]bool) map[edge]bool {
	normal := make(map[edge]bool)
	early := make(map[edge]bool)
	for _, l := range loops {
		var opBlocks []*ssa.BasicBlock
		for b := range l.body {
			if ops[b] {
				opBlocks = append(opBlocks, b)
			}
		}
		if len(opBlocks) == 0 {
			continue
		}
		for b := range l.body {
			for _, to := range b.Succs {
				if l.body[to] {
					continue
				}
				afterOp := false
				for _, op := range opBlocks {
					if op.Dominates(b) {
						afterOp = true
						break
					}
				}
				if afterOp && !countedExit(b, l) {
					early[edge{b, to}] = true
				} else {
					normal[edge{b, to}] = true
				}
			}
		}
	}
	// An edge that leaves one matching loop early is not a normal end
	// because it also leaves an outer one.
	for e := range early {
		delete(normal, e)
	}
	return normal
}

// countedExit reports whether the block b of loop l ends in a test of a
// counter the loop carries: n--; if n == 0 { return }, or count++; if
// count == len(xs) { break }. Such an exit after the operation is the
// loop's own count running out, like a loop condition.
func countedExit(b *ssa.BasicBlock, l *loop) bool {
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	cmp, ok := ifi.Cond.(*ssa.BinOp)
	if !ok {
		return false
	}
	switch cmp.Op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
	default:
		return false
	}
	return isCounter(cmp.X, l) || isCounter(cmp.Y, l)
}

// isCounter reports whether v is an integer that loop l steps by a
// constant on each round: a phi of l that comes back as itself plus or
// minus a constant, or that value.
func isCounter(v ssa.Value, l *loop) bool {
	if bin, ok := v.(*ssa.BinOp); ok && (bin.Op == token.ADD || bin.Op == token.SUB) {
		if _, isConst := bin.Y.(*ssa.Const); isConst {
			v = bin.X
		}
	}
	phi, ok := v.(*ssa.Phi)
	if !ok || !l.body[phi.Block()] {
		return false
	}
	stepped := false
	for i, e := range phi.Edges {
		if !l.body[phi.Block().Preds[i]] {
			continue // the initial value, from outside the loop
		}
		switch e := e.(type) {
		case *ssa.Phi:
			// Unchanged on this path round the loop.
		case *ssa.BinOp:
			if (e.Op == token.ADD || e.Op == token.SUB) && (e.X == phi || isPhiOf(e.X, phi)) {
				if _, isConst := e.Y.(*ssa.Const); isConst {
					stepped = true
					continue
				}
			}
			return false
		default:
			if e != phi {
				return false
			}
		}
	}
	return stepped
}

// isPhiOf reports whether v is a phi that merges p with itself only (the
// counter unchanged on some paths of the body).
func isPhiOf(v ssa.Value, p *ssa.Phi) bool {
	q, ok := v.(*ssa.Phi)
	if !ok {
		return false
	}
	for _, e := range q.Edges {
		if e != p && e != q {
			return false
		}
	}
	return true
}

// repeats reports whether instr, in a block of fn, can run again on a
// path that does not pass mk: a goroutine started in a loop that does
// not make a new channel per iteration.
func repeats(instr ssa.Instruction, mk *ssa.MakeChan) bool {
	b := instr.Block()
	if b == mk.Block() {
		// Coming back to the block passes the make first.
		return false
	}
	seen := map[*ssa.BasicBlock]bool{mk.Block(): true}
	stack := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == b {
			return true
		}
		if seen[x] {
			continue
		}
		seen[x] = true
		stack = append(stack, x.Succs...)
	}
	return false
}

// tripBound returns how many rounds the loop of fn around instr makes,
// when instr is in exactly one loop that does not also make the channel
// (mk) and that loop counts from a constant to a constant (for i := 0;
// i < 2; i++); 0 otherwise.
func tripBound(loops []*loop, instr ssa.Instruction, mk *ssa.MakeChan) int {
	var around *loop
	for _, l := range loops {
		if l.body[instr.Block()] && !l.body[mk.Block()] {
			if around != nil {
				return 0 // nested loops: not counted
			}
			around = l
		}
	}
	if around == nil {
		return 0
	}
	n, ok := constTrips(around.header, around.body)
	if !ok || n > 14 {
		return 0
	}
	return n
}
