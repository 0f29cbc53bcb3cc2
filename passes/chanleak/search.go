package chanleak

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// This file holds the path search on the SSA form of the function F that
// made the channel: from the make to each way out of F, counting the
// operations of the goroutines that may still be pending.

// A role says which side the goroutines are on: they send and F must
// receive, or they receive and F must send or close.
type role int

const (
	senders role = iota
	receivers
)

// pending counts the goroutines' operations on the channel that F has
// not matched yet, on one path.
type pending struct {
	n int // a known number of pending operations
	// many: more operations than can be counted (goroutines started in
	// a loop): an unknown total, which a loop of matching operations
	// that runs to its end is taken to match.
	many bool
	// looped: n counts goroutines started by a loop, so it depends on
	// how often the loop ran.
	looped bool
	// endless: a goroutine that operates on the channel in a loop (a
	// producer, a range over the channel): only closing the channel,
	// or a wait, settles it.
	endless bool
}

// zero reports whether nothing is pending.
func (p pending) zero() bool { return p.n == 0 && !p.many && !p.endless }

// settle records that nothing is pending any more.
func (p *pending) settle() { *p = pending{} }

// An exit is a way out of F on which operations are still pending.
type exit struct {
	pos     token.Pos // the return (or the make reached again)
	remake  bool      // the make is reached again: the channel is dropped
	via     token.Pos // the select case taken instead of F's, if any
	partial bool      // F matched some operations on the path
	pend    pending
	mask    uint64 // the starts whose goroutines may be pending
}

// A state is where a path is and what it carries.
type state struct {
	b       *ssa.BasicBlock
	p       pending
	mask    uint64
	partial bool // some operation of F matched one of a goroutine
	// passes counts, 4 bits per start (the first 16), how often the
	// path went through the starts that have a bound.
	passes uint64
}

// maxStates bounds the search; beyond it the channel is left alone.
const maxStates = 20000

// A search explores the paths of F for one channel.
type search struct {
	ch    *channel
	role  role
	siteN map[ssa.Instruction]int // the index of each start
	// repeats reports, for each start, whether it can run again for the
	// same channel (it is in a loop that does not make a new one).
	repeats []bool
	// bound is, for each start in a loop counting to a constant, the
	// number of rounds of that loop (0 when not known): a path through
	// the start more often is not a path the program takes.
	bound  []int
	drains map[edge]bool // normal exits of loops that match operations
	// matchAt reports the instructions of F that match a goroutine's
	// operation: receives for senders, sends for receivers.
	matchAt map[ssa.Instruction]bool
	// finish holds, for each start, the receives of F that mean its
	// goroutine has finished with the channel (nil if none).
	finish []*finishSignal
	exits  []*exit
}

// An edge is a control-flow edge between two blocks of F.
type edge struct{ from, to *ssa.BasicBlock }

// run searches the paths from the make. It returns false when the search
// gave up (too many starts or states): the caller stays silent.
func (s *search) run() bool {
	if len(s.ch.starts) > 64 {
		return false
	}
	mk := s.ch.make
	type item struct {
		st    state
		from  int // first instruction to look at
		via   token.Pos
		first bool
	}
	start := state{b: mk.Block()}
	work := []item{{st: start, from: indexOf(mk) + 1, first: true}}
	seen := make(map[state]bool)
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		if !it.first {
			if seen[it.st] {
				continue
			}
			seen[it.st] = true
			if len(seen) > maxStates {
				return false
			}
		}
		st, via, alive := s.block(it.st, it.from, it.via)
		if !alive {
			continue
		}
		for _, e := range s.successors(st, via) {
			work = append(work, item{st: e.st, via: e.via})
		}
	}
	return true
}

// block runs the instructions of st.b from index from, updating the
// state. It reports whether the path goes on to the successors.
func (s *search) block(st state, from int, via token.Pos) (state, token.Pos, bool) {
	ch := s.ch
	for _, instr := range st.b.Instrs[from:] {
		switch instr := instr.(type) {
		case *ssa.MakeChan:
			if instr == ch.make {
				// The make again: F drops the channel it had, with
				// whatever is pending on it.
				s.exit(st, instr.Pos(), via, true)
				return st, via, false
			}
		case *ssa.Return:
			s.exit(st, s.returnPos(instr), via, false)
			return st, via, false
		case *ssa.Panic:
			return st, via, false // not a way out that leaves goroutines behind
		case *ssa.Call:
			if isWait(&instr.Call) {
				st = s.reset(st, false)
				continue
			}
		}
		if i, ok := s.siteN[instr]; ok {
			var alive bool
			if st, alive = s.started(st, i); !alive {
				return st, via, false
			}
			continue
		}
		for i, fs := range s.finish {
			if fs != nil && fs.recvs[instr] {
				st = s.finished(st, i)
			}
		}
		if s.matchAt[instr] {
			var ok bool
			if st, ok = s.match(st); !ok {
				return st, via, false
			}
			continue
		}
		if s.role == receivers && ch.closes[instr] {
			st = s.reset(st, false)
		}
	}
	return st, via, true
}

// started adds the operations of the goroutine of start i. It reports
// false when the path cannot go through the start again.
func (s *search) started(st state, i int) (state, bool) {
	if b := s.bound[i]; b > 0 && i < 16 {
		shift := uint(4 * i)
		n := int(st.passes>>shift) & 0xf
		if n >= b {
			return st, false // more rounds than the loop makes
		}
		st.passes = st.passes&^(0xf<<shift) | uint64(n+1)<<shift
	}
	use := s.ch.starts[i].use
	w := use.sendW
	if s.role == receivers {
		w = use.recvW
	}
	if w == 0 {
		return st, true
	}
	st.mask |= 1 << i
	if w >= inf {
		st.p.endless = true
		return st, true
	}
	// Counted exactly, also round a loop: a loop that starts a goroutine
	// and receives from it before the next is no leak. Past a bound the
	// count is only "many".
	st.p.n = add(st.p.n, w)
	if s.repeats[i] {
		st.p.looped = true
	}
	if bound := max(s.ch.cap, 0) + 8; st.p.n > bound {
		st.p.n, st.p.many = bound, true
	}
	return st, true
}

// finished records that the goroutine of start i has finished with the
// channel: whatever it could have pending is not. The other goroutines'
// share is not known, so at most its own count is taken off (some of
// it may have been matched already: taking it off again errs towards
// silence). A start in a loop says nothing about the other rounds.
func (s *search) finished(st state, i int) state {
	if s.repeats[i] || st.mask&(1<<i) == 0 {
		return st
	}
	w := s.ch.starts[i].use.sendW
	if s.role == receivers {
		w = s.ch.starts[i].use.recvW
	}
	st.mask &^= 1 << i
	if st.mask == 0 {
		return s.reset(st, false)
	}
	if w < inf && !st.p.many {
		st.p.n = max(st.p.n-w, 0)
	}
	if st.p.zero() {
		st.p.settle()
		st.mask = 0
	}
	return st
}

// match applies one operation of F that matches a goroutine's: a
// receive from a sender, a send to a receiver. It reports false when the
// path cannot go on: F would wait for a sender that none can be.
func (s *search) match(st state) (state, bool) {
	if st.p.zero() {
		if s.role == senders {
			return st, false // F would block: not a path to a leak
		}
		return st, true // a send into the buffer, or to a later receiver
	}
	if st.p.n > 0 {
		st.p.n--
	}
	st.partial = true
	if st.p.zero() {
		st.p.settle() // every goroutine started so far is matched
		st.mask = 0
	}
	return st, true
}

// reset records that everything pending is settled: the channel was
// closed, F waited for the goroutines, or a loop of matching operations
// ran to its end (loopEnd). A receiver ranging over the channel is not
// settled by the end of a loop of sends: it needs a close.
func (s *search) reset(st state, loopEnd bool) state {
	if loopEnd && s.role == receivers {
		st.p.n, st.p.many, st.p.looped = 0, false, false
	} else {
		st.p.settle()
	}
	if st.p.zero() {
		st.mask = 0
	}
	return st
}

// exit records a way out if something is left pending on it.
func (s *search) exit(st state, pos token.Pos, via token.Pos, remake bool) {
	if !remake {
		// Goroutines that a deferred call waits for are not left behind
		// (if they block, F does, which is not this pass's matter).
		for i, fs := range s.finish {
			if fs != nil && fs.deferredWait {
				st.mask &^= 1 << i
			}
		}
		if st.mask == 0 {
			return
		}
	}
	if !s.leaks(st.p) {
		return
	}
	s.exits = append(s.exits, &exit{pos: pos, remake: remake, via: via, partial: st.partial, pend: st.p, mask: st.mask})
}

// leaks reports whether p leaves a goroutine blocked: more sends than
// the buffer holds, or a receive nobody will satisfy.
func (s *search) leaks(p pending) bool {
	if s.role == receivers {
		return !p.zero()
	}
	// A number of sends that depends on a loop overflows no buffer we
	// can prove too small; it certainly overflows no buffer at all.
	if p.many || p.endless {
		return s.ch.cap == 0
	}
	return p.n > s.ch.cap && (s.ch.cap == 0 || !p.looped)
}

// returnPos returns the position of a return, or of the closing brace
// of F for the implicit one at its end.
func (s *search) returnPos(ret *ssa.Return) token.Pos {
	if ret.Pos().IsValid() {
		return ret.Pos()
	}
	if syn := s.ch.fn.Syntax(); syn != nil {
		return syn.End() - 1
	}
	return s.ch.make.Pos()
}

type succ struct {
	st  state
	via token.Pos
}

// successors returns the states at the successors of st.b, applying
// what the edges mean: the case of a select taken, a channel found
// closed, a loop of matching operations run to its end.
func (s *search) successors(st state, via token.Pos) []succ {
	b := st.b
	var out []succ
	for i, to := range b.Succs {
		next, nvia, ok := s.edge(st, via, b, to, i)
		if !ok {
			continue
		}
		next.b = to
		out = append(out, succ{next, nvia})
	}
	return out
}

// edge applies the meaning of the edge from b to its i-th successor to.
// It reports false when the edge cannot be taken on this path.
func (s *search) edge(st state, via token.Pos, b, to *ssa.BasicBlock, i int) (state, token.Pos, bool) {
	if s.drains[edge{b, to}] {
		st = s.reset(st, true)
	}
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return st, via, true
	}
	taken := i == 0 // the If's true branch
	// A select's case: if index == k goto body else next.
	if sel, k, ok := selectCase(ifi.Cond); ok {
		su := s.ch.selects[sel]
		if su == nil {
			su = new(selectUse) // not on the channel, maybe on a finish signal
		}
		if taken {
			for i, fs := range s.finish {
				if fs != nil && contains(fs.cases[sel], k) {
					st = s.finished(st, i)
				}
			}
		}
		mine := su.recv
		if s.role == receivers {
			mine = su.send
		}
		if !contains(mine, k) {
			if taken && len(mine) > 0 && k < len(sel.States) {
				via = sel.States[k].Pos // another case than F's wins
			}
			return st, via, true
		}
		if !taken {
			return st, via, true
		}
		var alive bool
		st, alive = s.match(st)
		return st, token.NoPos, alive
	}
	// v, ok := <-ch (or a range over ch) with ok false: ch is closed,
	// so every sender is done.
	recv, closedBranch, ok := commaOkTest(ifi.Cond)
	if !ok || taken != closedBranch {
		return st, via, true
	}
	if s.ch.recvs[recv] && s.role == senders {
		st = s.reset(st, false)
	}
	// The same on a goroutine's finish signal: it has finished.
	for i, fs := range s.finish {
		if fs != nil && fs.closed[recv] {
			st = s.finished(st, i)
		}
	}
	return st, via, true
}

// selectCase reports whether cond tests the index of a select against
// the constant k, as the SSA builder writes each case.
func selectCase(cond ssa.Value) (*ssa.Select, int, bool) {
	bin, ok := cond.(*ssa.BinOp)
	if !ok || bin.Op != token.EQL {
		return nil, 0, false
	}
	ext, ok := bin.X.(*ssa.Extract)
	if !ok || ext.Index != 0 {
		return nil, 0, false
	}
	sel, ok := ext.Tuple.(*ssa.Select)
	if !ok {
		return nil, 0, false
	}
	k, ok := bin.Y.(*ssa.Const)
	if !ok {
		return nil, 0, false
	}
	n, ok := constInt(k)
	return sel, n, ok
}

// commaOkTest reports whether cond is the ok result of a comma-ok
// receive (then the false branch means closed), or its negation (then
// the true branch does). closedBranch is the If's branch taken when the
// channel is closed (true for the first successor).
func commaOkTest(cond ssa.Value) (recv *ssa.UnOp, closedBranch, ok bool) {
	neg := false
	if not, isNot := cond.(*ssa.UnOp); isNot && not.Op == token.NOT {
		cond, neg = not.X, true
	}
	ext, isExt := cond.(*ssa.Extract)
	if !isExt || ext.Index != 1 {
		return nil, false, false
	}
	recv, isRecv := ext.Tuple.(*ssa.UnOp)
	if !isRecv || recv.Op != token.ARROW || !recv.CommaOk {
		return nil, false, false
	}
	return recv, neg, true
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// indexOf returns the index of instr in its block.
func indexOf(instr ssa.Instruction) int {
	for i, x := range instr.Block().Instrs {
		if x == instr {
			return i
		}
	}
	return -1
}
