package chanleak

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// inf is the count of sends or receives made in a loop: unbounded.
const inf = 1 << 30

// add returns a+b, saturated at inf.
func add(a, b int) int {
	if a >= inf || b >= inf || a+b >= inf {
		return inf
	}
	return a + b
}

// A summary says what one run of a function does with a channel it was
// given (as a parameter or a captured variable): how many sends and
// receives that cannot be abandoned it makes at most on one path, and
// where they are.
type summary struct {
	escapes bool // the channel reaches code the pass cannot follow

	// sendW and recvW are the largest numbers of blocking sends and
	// receives on one run (inf when one is in a loop).
	sendW, recvW int
	// sends and recvs are the blocking operations themselves, in this
	// function or in helpers it calls with the channel.
	sends, recvs []ssa.Instruction
	// anySend and anyRecv report operations of either kind, blocking or
	// in a select with another way out.
	anySend, anyRecv bool
	// closes reports that the function closes the channel.
	closes bool
	// valueLoop reports a plain receive (not comma-ok) in a loop whose
	// value is used: the loop may end on it (if <-done { return }), so
	// the number of receives it waits for is not known.
	valueLoop bool
}

type summaryKey struct {
	fn   *ssa.Function
	root ssa.Value
}

// summarize returns what fn does with the channel that it sees as root.
// Summaries are memoized; a recursive cycle counts as an escape.
func (c *checker) summarize(fn *ssa.Function, root ssa.Value) *summary {
	k := summaryKey{fn, root}
	if s, ok := c.summaries[k]; ok {
		if s == nil {
			return &summary{escapes: true} // recursion: not followed
		}
		return s
	}
	c.summaries[k] = nil
	s := c.summarizeBody(fn, root)
	c.summaries[k] = s
	return s
}

// A summarizer collects one function's operations on the channel.
type summarizer struct {
	c     *checker
	fn    *ssa.Function
	s     *summary
	seen  map[ssa.Value]bool
	sendW map[ssa.Instruction]int // weight of each instruction
	recvW map[ssa.Instruction]int
	// deferred weights run once on every way out of fn.
	deferSend, deferRecv int
}

func (c *checker) summarizeBody(fn *ssa.Function, root ssa.Value) *summary {
	z := &summarizer{
		c:     c,
		fn:    fn,
		s:     new(summary),
		seen:  make(map[ssa.Value]bool),
		sendW: make(map[ssa.Instruction]int),
		recvW: make(map[ssa.Instruction]int),
	}
	if isChanPtr(root.Type()) {
		z.cell(root)
	} else {
		z.value(root)
	}
	if z.s.escapes {
		return z.s
	}
	z.s.sendW = add(longestPath(fn, z.sendW), z.deferSend)
	z.s.recvW = add(longestPath(fn, z.recvW), z.deferRecv)
	if z.s.recvW >= inf && len(fn.Blocks) > 0 {
		sc := stronglyConnected(fn.Blocks[0])
		for instr := range z.recvW {
			u, ok := instr.(*ssa.UnOp)
			if !ok || u.CommaOk || u.Referrers() == nil || len(*u.Referrers()) == 0 {
				continue // a range, or a receive whose value is dropped
			}
			if i, ok := sc.of[u.Block()]; ok && sc.cyclic(i) {
				z.s.valueLoop = true
			}
		}
	}
	return z.s
}

// cell follows a captured variable holding the channel.
func (z *summarizer) cell(v ssa.Value) {
	for _, instr := range *v.Referrers() {
		switch instr := instr.(type) {
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if instr.Op == token.MUL {
				z.value(instr)
				continue
			}
			z.s.escapes = true
		case *ssa.MakeClosure:
			z.closure(instr, v)
		default:
			// Assigned (the goroutine changes which channel the variable
			// holds), or its address taken.
			z.s.escapes = true
		}
	}
}

// value follows a value that is the channel.
func (z *summarizer) value(v ssa.Value) {
	if z.seen[v] {
		return
	}
	z.seen[v] = true
	for _, instr := range *v.Referrers() {
		switch instr := instr.(type) {
		case *ssa.DebugRef:
		case *ssa.Send:
			if instr.Chan != v {
				z.s.escapes = true
				continue
			}
			z.s.anySend = true
			z.s.sends = append(z.s.sends, instr)
			z.sendW[instr] = add(z.sendW[instr], 1)
		case *ssa.UnOp:
			if instr.Op != token.ARROW {
				z.s.escapes = true
				continue
			}
			z.s.anyRecv = true
			z.s.recvs = append(z.s.recvs, instr)
			z.recvW[instr] = add(z.recvW[instr], 1)
		case *ssa.Select:
			// A select always has another way out (a single-case select
			// is built as a plain send or receive): another case, or a
			// default. Count what it may do, not what it must.
			for _, st := range instr.States {
				if st.Send == v {
					z.s.escapes = true
				}
				if st.Chan == v {
					if st.Dir == types.RecvOnly {
						z.s.anyRecv = true
					} else {
						z.s.anySend = true
					}
				}
			}
		case *ssa.ChangeType:
			z.value(instr)
		case *ssa.Call:
			z.call(instr, &instr.Call, v, false)
		case *ssa.Defer:
			z.call(instr, &instr.Call, v, true)
		case *ssa.MakeClosure:
			z.closure(instr, v)
		default:
			// A nested goroutine, a store, a return, an interface...
			z.s.escapes = true
		}
	}
}

// call follows a call (deferred or not) that passes the channel v.
func (z *summarizer) call(instr ssa.Instruction, common *ssa.CallCommon, v ssa.Value, deferred bool) {
	if b, ok := common.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "close":
			// A producer closing after its sends, or a goroutine that
			// closes for F. Closing while F may still send is F's
			// problem, not a leak.
			z.s.closes = true
			return
		case "len", "cap":
			return
		}
	}
	if common.IsInvoke() || common.Value == v {
		z.s.escapes = true // an interface method, or not a call of a function
		return
	}
	fn := calledFunc(common.Value)
	if fn == nil {
		z.s.escapes = true // a function of another package, or a value
		return
	}
	idx := -1
	for i, arg := range common.Args {
		if arg == v {
			if idx >= 0 {
				z.s.escapes = true // passed twice: not modelled
				return
			}
			idx = i
		}
	}
	if idx < 0 || idx >= len(fn.Params) {
		z.s.escapes = true // a variadic argument: not followed
		return
	}
	z.inline(instr, z.c.summarize(fn, fn.Params[idx]), deferred)
}

// closure follows a function literal inside the summarized function that
// captures the channel (as the value or the variable holding it).
func (z *summarizer) closure(mc *ssa.MakeClosure, captured ssa.Value) {
	fn, _ := mc.Fn.(*ssa.Function)
	idx := -1
	for i, b := range mc.Bindings {
		if b == captured {
			idx = i
		}
	}
	if fn == nil || idx < 0 || idx >= len(fn.FreeVars) {
		z.s.escapes = true // not captured as the pass expects
		return
	}
	sub := z.c.summarize(fn, fn.FreeVars[idx])
	for _, instr := range *mc.Referrers() {
		switch instr := instr.(type) {
		case *ssa.DebugRef:
		case *ssa.Call:
			if instr.Call.Value != mc {
				z.s.escapes = true
				continue
			}
			z.inline(instr, sub, false) // called in place
		case *ssa.Defer:
			if instr.Call.Value != mc {
				z.s.escapes = true
				continue
			}
			z.inline(instr, sub, true)
		default:
			// Started as a goroutine of its own, stored, passed on.
			z.s.escapes = true
		}
	}
}

// inline adds the operations of a callee's run, made at instr (or on the
// way out, for a deferred call).
func (z *summarizer) inline(instr ssa.Instruction, sub *summary, deferred bool) {
	if sub.escapes {
		z.s.escapes = true // the callee hands it on
		return
	}
	z.s.anySend = z.s.anySend || sub.anySend
	z.s.anyRecv = z.s.anyRecv || sub.anyRecv
	z.s.valueLoop = z.s.valueLoop || sub.valueLoop
	z.s.closes = z.s.closes || sub.closes
	z.s.sends = append(z.s.sends, sub.sends...)
	z.s.recvs = append(z.s.recvs, sub.recvs...)
	if deferred {
		z.deferSend = add(z.deferSend, sub.sendW)
		z.deferRecv = add(z.deferRecv, sub.recvW)
		return
	}
	if sub.sendW > 0 {
		z.sendW[instr] = add(z.sendW[instr], sub.sendW)
	}
	if sub.recvW > 0 {
		z.recvW[instr] = add(z.recvW[instr], sub.recvW)
	}
}

// isChanPtr reports whether t is a pointer to a channel: the type of a
// captured variable holding one.
func isChanPtr(t types.Type) bool {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	_, ok = p.Elem().Underlying().(*types.Chan)
	return ok
}

// longestPath returns the largest sum of instruction weights on a path
// from fn's entry to a way out, inf when a weighted instruction is on a
// cycle.
func longestPath(fn *ssa.Function, weight map[ssa.Instruction]int) int {
	if len(weight) == 0 || len(fn.Blocks) == 0 {
		return 0
	}
	bw := make(map[*ssa.BasicBlock]int)
	for instr, w := range weight {
		bw[instr.Block()] = add(bw[instr.Block()], w)
	}
	sccs := stronglyConnected(fn.Blocks[0])
	// Tarjan's algorithm returns the components in reverse topological
	// order: each component's successors come before it.
	best := make(map[int]int, len(sccs.comps))
	for i, comp := range sccs.comps {
		w := 0
		for _, b := range comp {
			w = add(w, bw[b])
		}
		if w > 0 && sccs.cyclic(i) {
			// A loop: bounded only when it counts to a constant.
			w = countedLoopWeight(comp, bw)
			if w >= inf {
				return inf
			}
		}
		next := 0
		for _, b := range comp {
			for _, s := range b.Succs {
				if j := sccs.of[s]; j != i {
					next = max(next, best[j])
				}
			}
		}
		best[i] = add(w, next)
	}
	return best[sccs.of[fn.Blocks[0]]]
}

// sccs are the strongly connected components of the blocks reachable
// from an entry.
type sccs struct {
	comps [][]*ssa.BasicBlock
	of    map[*ssa.BasicBlock]int
}

// cyclic reports whether component i contains a cycle.
func (s *sccs) cyclic(i int) bool {
	comp := s.comps[i]
	if len(comp) > 1 {
		return true
	}
	for _, succ := range comp[0].Succs {
		if succ == comp[0] {
			return true
		}
	}
	return false
}

// stronglyConnected computes the components of the blocks reachable from
// entry with Tarjan's algorithm (iteratively: functions can be large).
func stronglyConnected(entry *ssa.BasicBlock) *sccs {
	s := &sccs{of: make(map[*ssa.BasicBlock]int)}
	index := make(map[*ssa.BasicBlock]int)
	low := make(map[*ssa.BasicBlock]int)
	onStack := make(map[*ssa.BasicBlock]bool)
	var stack []*ssa.BasicBlock
	next := 0
	type frame struct {
		b *ssa.BasicBlock
		i int // next successor to visit
	}
	visit := func(b *ssa.BasicBlock) {
		index[b], low[b] = next, next
		next++
		stack = append(stack, b)
		onStack[b] = true
	}
	visit(entry)
	work := []frame{{entry, 0}}
	for len(work) > 0 {
		f := &work[len(work)-1]
		if f.i < len(f.b.Succs) {
			succ := f.b.Succs[f.i]
			f.i++
			if _, ok := index[succ]; !ok {
				visit(succ)
				work = append(work, frame{succ, 0})
			} else if onStack[succ] {
				low[f.b] = min(low[f.b], index[succ])
			}
			continue
		}
		b := f.b
		work = work[:len(work)-1]
		if len(work) > 0 {
			parent := work[len(work)-1].b
			low[parent] = min(low[parent], low[b])
		}
		if low[b] == index[b] {
			var comp []*ssa.BasicBlock
			for {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[top] = false
				s.of[top] = len(s.comps)
				comp = append(comp, top)
				if top == b {
					break
				}
			}
			s.comps = append(s.comps, comp)
		}
	}
	return s
}

// countedLoopWeight returns the largest weight of the runs of a loop (the
// strongly connected component comp, with block weights bw) that counts
// from a constant to a constant: for i := 0; i < 8; i++ { ch <- x }. It
// returns inf for any other loop, or one with a loop nested in it.
func countedLoopWeight(comp []*ssa.BasicBlock, bw map[*ssa.BasicBlock]int) int {
	in := make(map[*ssa.BasicBlock]bool, len(comp))
	for _, b := range comp {
		in[b] = true
	}
	// The header: the one block entered from outside.
	var h *ssa.BasicBlock
	for _, b := range comp {
		for _, p := range b.Preds {
			if !in[p] {
				if h != nil && h != b {
					return inf
				}
				h = b
			}
		}
	}
	if h == nil || bw[h] > 0 {
		return inf
	}
	trips, ok := constTrips(h, in)
	if !ok {
		return inf
	}
	// The heaviest path of one round: from h back to h, on the graph
	// without the edges into h, which must have no cycle of its own.
	best := make(map[*ssa.BasicBlock]int)
	state := make(map[*ssa.BasicBlock]int) // 1 visiting, 2 done
	var visit func(b *ssa.BasicBlock) (int, bool)
	visit = func(b *ssa.BasicBlock) (int, bool) {
		switch state[b] {
		case 1:
			return 0, false // a nested cycle
		case 2:
			return best[b], true
		}
		state[b] = 1
		m := 0
		for _, s := range b.Succs {
			if !in[s] || s == h {
				continue
			}
			w, ok := visit(s)
			if !ok {
				return 0, false
			}
			m = max(m, w)
		}
		state[b] = 2
		best[b] = add(bw[b], m)
		return best[b], true
	}
	round, ok := visit(h)
	if !ok {
		return inf
	}
	if round > 0 && trips > inf/round {
		return inf
	}
	return round * trips
}

// constTrips returns how many rounds a loop with header h makes when h
// tests a counter that starts at a constant and goes up by one against a
// constant bound: i < K (or i <= K), possibly on i+1 as range loops over
// arrays test it.
func constTrips(h *ssa.BasicBlock, in map[*ssa.BasicBlock]bool) (int, bool) {
	ifi, ok := h.Instrs[len(h.Instrs)-1].(*ssa.If)
	if !ok || !in[h.Succs[0]] || in[h.Succs[1]] {
		return 0, false // the true branch must stay in the loop
	}
	cmp, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || cmp.Op != token.LSS && cmp.Op != token.LEQ {
		return 0, false
	}
	bound, ok := cmp.Y.(*ssa.Const)
	if !ok {
		return 0, false
	}
	k, ok := constInt(bound)
	if !ok {
		return 0, false
	}
	x, offset := cmp.X, 0
	if bin, ok := x.(*ssa.BinOp); ok && bin.Op == token.ADD {
		c, ok := bin.Y.(*ssa.Const)
		if !ok {
			return 0, false
		}
		d, ok := constInt(c)
		if !ok {
			return 0, false
		}
		x, offset = bin.X, d
	}
	var start int
	var counted bool
	if load, isLoad := x.(*ssa.UnOp); isLoad && load.Op == token.MUL {
		// Go 1.22 loop variables captured by a function literal live in
		// a new variable per round: the header tests *phi.
		start, counted = cellCounter(load.X, h, in)
	} else {
		start, counted = phiCounter(x, h, in)
	}
	if !counted {
		return 0, false
	}
	trips := k - (start + offset)
	if cmp.Op == token.LEQ {
		trips++
	}
	return max(trips, 0), true
}

// phiCounter reports whether x is a phi of the header h that starts at a
// constant and comes back as itself plus one, and returns the start.
func phiCounter(x ssa.Value, h *ssa.BasicBlock, in map[*ssa.BasicBlock]bool) (int, bool) {
	phi, ok := x.(*ssa.Phi)
	if !ok || phi.Block() != h {
		return 0, false
	}
	start, stepped := 0, false
	for i, e := range phi.Edges {
		if !in[h.Preds[i]] {
			c, ok := e.(*ssa.Const)
			if !ok || c.Value == nil {
				return 0, false
			}
			start = int(c.Int64())
			continue
		}
		if !isPlusOne(e, phi) {
			return 0, false // the value coming back must be the counter plus one
		}
		stepped = true
	}
	return start, stepped
}

// cellCounter is phiCounter for a counter kept in a new variable per
// round (a Go 1.22 loop variable captured by a function literal): x is a
// phi of h over those variables; the first holds a constant, and each
// next one is a copy of the last, plus one. Nothing else may store into
// them, the function literals that capture them included.
func cellCounter(x ssa.Value, h *ssa.BasicBlock, in map[*ssa.BasicBlock]bool) (int, bool) {
	phi, ok := x.(*ssa.Phi)
	if !ok || phi.Block() != h || !onlyLoaded(phi) {
		return 0, false
	}
	start, stepped := 0, false
	for i, e := range phi.Edges {
		cell, ok := e.(*ssa.Alloc)
		if !ok {
			return 0, false
		}
		var stores []*ssa.Store
		for _, r := range *cell.Referrers() {
			switch r := r.(type) {
			case *ssa.Store:
				stores = append(stores, r)
			case *ssa.UnOp, *ssa.Phi, *ssa.DebugRef:
			default:
				return 0, false
			}
		}
		if !in[h.Preds[i]] {
			if len(stores) != 1 {
				return 0, false
			}
			c, ok := stores[0].Val.(*ssa.Const)
			if !ok || c.Value == nil {
				return 0, false
			}
			start = int(c.Int64())
			continue
		}
		// *next = *phi; *next = *next + 1
		if len(stores) != 2 {
			return 0, false
		}
		cp, ok := stores[0].Val.(*ssa.UnOp)
		if !ok || cp.Op != token.MUL || cp.X != phi {
			return 0, false
		}
		ld, ok := stores[1].Val.(*ssa.BinOp)
		if !ok {
			return 0, false
		}
		if load, ok := ld.X.(*ssa.UnOp); !ok || load.Op != token.MUL || load.X != cell || !isPlusOne(ld, ld.X) {
			return 0, false
		}
		stepped = true
	}
	return start, stepped
}

// onlyLoaded reports whether the variables that v points to are only
// read, through v and by the function literals that capture it.
func onlyLoaded(v ssa.Value) bool {
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
		case *ssa.MakeClosure:
			fn, ok := r.Fn.(*ssa.Function)
			if !ok {
				return false
			}
			for i, b := range r.Bindings {
				if b == v && (i >= len(fn.FreeVars) || !onlyLoaded(fn.FreeVars[i])) {
					return false
				}
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// isPlusOne reports whether v is x + 1.
func isPlusOne(v ssa.Value, x ssa.Value) bool {
	bin, ok := v.(*ssa.BinOp)
	if !ok || bin.Op != token.ADD || bin.X != x {
		return false
	}
	c, ok := bin.Y.(*ssa.Const)
	return ok && c.Value != nil && c.Int64() == 1
}
