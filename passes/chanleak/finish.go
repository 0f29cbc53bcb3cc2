package chanleak

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// This file finds the receives of F that tell it a goroutine has
// finished with the channel: the goroutine also has a second channel,
// made by F and received by F alone, that it signals (sends on, or
// closes) only after its last operation on the first:
//
//	go func() {
//		defer close(done)       // or: errc <- err; return
//		for ... { ch <- x }
//	}()
//	select {
//	case v := <-ch: ...
//	case <-done: return     // the goroutine has finished: nothing pending
//	}

// A finishSignal is a receive of F (a plain receive instruction, or a
// select's case) that means the goroutine of a start has finished with
// the channel.
type finishSignal struct {
	recvs map[ssa.Instruction]bool
	cases map[*ssa.Select][]int
	// closed holds comma-ok receives (a range included) whose "closed"
	// branch means the goroutine has finished: it closes the signal
	// channel only after its last operation on the channel, though it
	// may send on it before.
	closed map[*ssa.UnOp]bool
	// deferredWait: a deferred call of F waits for the signal, so on
	// every way out F waits until the goroutine has finished.
	deferredWait bool
}

// findFinish returns the finish signals of start i of ch, or nil.
func (c *checker) findFinish(ch *channel, st *start) *finishSignal {
	var call *ssa.CallCommon
	var gRoots []ssa.Value // G's view of each argument or binding
	var fVals []ssa.Value  // F's value of it
	switch instr := st.instr.(type) {
	case *ssa.Go:
		call = instr.Common()
	case *ssa.Call:
		call = instr.Common() // g.Go(closure): the closure is Args[1]
	}
	if call == nil {
		return nil
	}
	if mc, ok := call.Value.(*ssa.MakeClosure); ok && mc.Fn == st.fn {
		for i, b := range mc.Bindings {
			fVals, gRoots = append(fVals, b), append(gRoots, st.fn.FreeVars[i])
		}
	} else if len(call.Args) == 2 && goMethodCommon(call) {
		mc, ok := call.Args[1].(*ssa.MakeClosure)
		if !ok || mc.Fn != st.fn {
			return nil
		}
		for i, b := range mc.Bindings {
			fVals, gRoots = append(fVals, b), append(gRoots, st.fn.FreeVars[i])
		}
	} else if calledFunc(call.Value) == st.fn && len(call.Args) == len(st.fn.Params) {
		for i, a := range call.Args {
			fVals, gRoots = append(fVals, a), append(gRoots, st.fn.Params[i])
		}
	} else {
		return nil
	}
	// G's view of ch itself: its sends must all come before the signal.
	var chRoot ssa.Value
	for i, v := range fVals {
		if ch.vals[v] || isCellOf(v, ch) {
			chRoot = gRoots[i]
		}
	}
	if chRoot == nil {
		return nil
	}
	fs := &finishSignal{recvs: make(map[ssa.Instruction]bool), cases: make(map[*ssa.Select][]int), closed: make(map[*ssa.UnOp]bool)}
	for i, v := range fVals {
		if gRoots[i] == chRoot || !isChanOrCell(v.Type()) {
			continue
		}
		recvs, cases, deferredWait, ok := fOnlyReceives(v, st)
		if !ok {
			continue
		}
		switch signalKind(gRoots[i], chRoot) {
		case signalAny:
			fs.deferredWait = fs.deferredWait || deferredWait
			for r := range recvs {
				fs.recvs[r] = true
			}
			for sel, ks := range cases {
				fs.cases[sel] = append(fs.cases[sel], ks...)
			}
			fallthrough
		case signalClose:
			for r := range recvs {
				if u, ok := r.(*ssa.UnOp); ok && u.CommaOk {
					fs.closed[u] = true
				}
			}
		}
	}
	if len(fs.recvs) == 0 && len(fs.cases) == 0 && len(fs.closed) == 0 && !fs.deferredWait {
		return nil
	}
	return fs
}

// goMethodCommon is goMethod for a call's common part.
func goMethodCommon(call *ssa.CallCommon) bool {
	fn := call.StaticCallee()
	if fn == nil || fn.Object() == nil {
		return false
	}
	return goMethod(&ssa.Call{Call: *call})
}

// isCellOf reports whether v is the variable of F that holds ch.
func isCellOf(v ssa.Value, ch *channel) bool {
	cell, ok := v.(*ssa.Alloc)
	if !ok {
		return false
	}
	for _, instr := range *cell.Referrers() {
		if s, ok := instr.(*ssa.Store); ok && ch.vals[s.Val] {
			return true
		}
	}
	return false
}

// isChanOrCell reports whether t is a channel or a variable holding one.
func isChanOrCell(t types.Type) bool {
	if _, ok := t.Underlying().(*types.Chan); ok {
		return true
	}
	return isChanPtr(t)
}

// fOnlyReceives follows the channel value (or variable) v of F, which
// must have been made in F and be used there only to receive and to hand
// to the start st. It returns F's receives from it.
func fOnlyReceives(v ssa.Value, st *start) (recvs map[ssa.Instruction]bool, cases map[*ssa.Select][]int, deferredWait, ok bool) {
	recvs = make(map[ssa.Instruction]bool)
	cases = make(map[*ssa.Select][]int)
	for {
		ct, ok := v.(*ssa.ChangeType) // a conversion to <-chan T or chan<- T at the call
		if !ok {
			break
		}
		v = ct.X
	}
	var vals []ssa.Value
	switch v := v.(type) {
	case *ssa.MakeChan:
		vals = append(vals, v)
	case *ssa.Alloc:
		made := false
		for _, instr := range *v.Referrers() {
			switch instr := instr.(type) {
			case *ssa.Store:
				if _, ok := instr.Val.(*ssa.MakeChan); !ok || made {
					return nil, nil, false, false // assigned more than once, or not made here
				}
				made = true
			case *ssa.UnOp:
				if instr.Op != token.MUL {
					return nil, nil, false, false
				}
				vals = append(vals, instr)
			case *ssa.MakeClosure:
				if instr != st.instr.(ssa.CallInstruction).Common().Value && !isGoArg(st, instr) && !closureOnlyReceives(instr, v) {
					return nil, nil, false, false // captured by a literal that may signal too
				}
				// defer func() { cancel(); <-done }(): F waits for the
				// signal on every way out.
				deferredWait = deferredWait || deferredReceive(instr, v)
			case *ssa.DebugRef:
			default:
				return nil, nil, false, false
			}
		}
		if !made {
			return nil, nil, false, false
		}
	default:
		return nil, nil, false, false
	}
	for len(vals) > 0 {
		x := vals[len(vals)-1]
		vals = vals[:len(vals)-1]
		for _, instr := range *x.Referrers() {
			switch instr := instr.(type) {
			case *ssa.UnOp:
				if instr.Op != token.ARROW {
					return nil, nil, false, false
				}
				recvs[instr] = true
			case *ssa.Select:
				for k, s := range instr.States {
					if s.Send == x || s.Chan == x && s.Dir != types.RecvOnly {
						return nil, nil, false, false
					}
					if s.Chan == x {
						cases[instr] = append(cases[instr], k)
					}
				}
			case *ssa.ChangeType:
				vals = append(vals, instr)
			case *ssa.DebugRef:
			case ssa.CallInstruction:
				if instr != st.instr && !callOnlyReceives(instr.Common(), x) {
					return nil, nil, false, false // handed to code that may signal too
				}
			default:
				return nil, nil, false, false
			}
		}
	}
	return recvs, cases, deferredWait, true
}

// deferredReceive reports whether the function literal mc, capturing
// the variable v, is deferred and receives from it outside any select.
func deferredReceive(mc *ssa.MakeClosure, v ssa.Value) bool {
	deferred := false
	for _, r := range *mc.Referrers() {
		if d, ok := r.(*ssa.Defer); ok && d.Call.Value == mc {
			deferred = true
		}
	}
	fn, ok := mc.Fn.(*ssa.Function)
	if !deferred || !ok {
		return false
	}
	for i, b := range mc.Bindings {
		if b != v || i >= len(fn.FreeVars) {
			continue
		}
		for _, r := range *fn.FreeVars[i].Referrers() {
			load, ok := r.(*ssa.UnOp)
			if !ok || load.Op != token.MUL {
				continue
			}
			for _, rr := range *load.Referrers() {
				if recv, ok := rr.(*ssa.UnOp); ok && recv.Op == token.ARROW {
					return true
				}
			}
		}
	}
	return false
}

// closureOnlyReceives reports whether the function literal mc, which
// captures the variable v, only receives from it.
func closureOnlyReceives(mc *ssa.MakeClosure, v ssa.Value) bool {
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return false
	}
	for i, b := range mc.Bindings {
		if b == v && (i >= len(fn.FreeVars) || !onlyReceives(fn.FreeVars[i])) {
			return false
		}
	}
	return true
}

// callOnlyReceives reports whether the call passes the channel x only to
// parameters of a function of the package that only receive from them.
func callOnlyReceives(call *ssa.CallCommon, x ssa.Value) bool {
	fn := calledFunc(call.Value)
	if fn == nil || call.IsInvoke() || call.Value == x {
		return false
	}
	for i, a := range call.Args {
		if a == x && (i >= len(fn.Params) || !onlyReceives(fn.Params[i])) {
			return false
		}
	}
	return true
}

// onlyReceives reports whether a function uses the channel root (a
// parameter, or a captured variable) only to receive from it.
func onlyReceives(root ssa.Value) bool {
	vals := []ssa.Value{root}
	seen := make(map[ssa.Value]bool)
	for len(vals) > 0 {
		v := vals[len(vals)-1]
		vals = vals[:len(vals)-1]
		if seen[v] {
			continue
		}
		seen[v] = true
		for _, instr := range *v.Referrers() {
			switch instr := instr.(type) {
			case *ssa.DebugRef:
			case *ssa.UnOp:
				if instr.Op != token.MUL && instr.Op != token.ARROW {
					return false
				}
				if instr.Op == token.MUL {
					vals = append(vals, instr)
				}
			case *ssa.ChangeType:
				vals = append(vals, instr)
			case *ssa.Select:
				for _, st := range instr.States {
					if st.Send == v || st.Chan == v && st.Dir != types.RecvOnly {
						return false
					}
				}
			default:
				return false
			}
		}
	}
	return true
}

// isGoArg reports whether mc is the function literal of an errgroup-style
// start st.
func isGoArg(st *start, mc *ssa.MakeClosure) bool {
	call, ok := st.instr.(*ssa.Call)
	return ok && len(call.Call.Args) == 2 && call.Call.Args[1] == mc
}

// The kinds of finish signal a goroutine gives on a channel.
const (
	signalNone  = iota
	signalClose // closing it is the goroutine's last act on the channel
	signalAny   // so is every send on it
)

// signalKind tells how G uses sig (a parameter or a captured variable)
// to say it has finished with ch (G's chRoot): it only sends on sig and
// closes it, and the closes (signalClose), or the sends too (signalAny),
// happen at points from which no operation on ch is reachable. Once F
// has seen such a signal, G has nothing left to do with ch.
func signalKind(sig, chRoot ssa.Value) int {
	sigOps, ok := directOps(sig, false)
	if !ok || len(sigOps) == 0 {
		return signalNone
	}
	chOps, ok := directOps(chRoot, true)
	if !ok {
		return signalNone
	}
	chBlocks := make(map[*ssa.BasicBlock]int) // block -> index of its first op on ch
	for _, op := range chOps {
		if i, seen := chBlocks[op.Block()]; !seen || indexOf(op) < i {
			chBlocks[op.Block()] = indexOf(op)
		}
	}
	closes, sendsLast, closesLast := 0, true, true
	for _, op := range sigOps {
		_, isSend := op.(*ssa.Send)
		if !isSend {
			closes++
		}
		if _, isDefer := op.(*ssa.Defer); isDefer {
			continue // runs on the way out, after everything
		}
		if chAfter(op, chBlocks) {
			if isSend {
				sendsLast = false
			} else {
				closesLast = false
			}
		}
	}
	switch {
	case sendsLast && closesLast:
		return signalAny
	case closesLast && closes > 0:
		return signalClose
	}
	return signalNone
}

// chAfter reports whether an operation on ch (by block, with the index
// of its first one) is reachable after op.
func chAfter(op ssa.Instruction, chBlocks map[*ssa.BasicBlock]int) bool {
	b := op.Block()
	// Later in op's own block.
	for blk, i := range chBlocks {
		if blk == b && i > indexOf(op) {
			return true
		}
	}
	seen := make(map[*ssa.BasicBlock]bool)
	stack := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		if _, ok := chBlocks[x]; ok {
			return true
		}
		stack = append(stack, x.Succs...)
	}
	return false
}

// directOps returns the instructions of a function that operate on the
// channel root (a parameter, or a captured variable and its loads): its
// sends and closes (deferred ones included) and, when anyOp is set, any
// other use as well. It reports false when root is used otherwise (for
// a signal: received from, passed on, captured).
func directOps(root ssa.Value, anyOp bool) ([]ssa.Instruction, bool) {
	var ops []ssa.Instruction
	vals := []ssa.Value{root}
	seen := make(map[ssa.Value]bool)
	for len(vals) > 0 {
		v := vals[len(vals)-1]
		vals = vals[:len(vals)-1]
		if seen[v] {
			continue
		}
		seen[v] = true
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, instr := range *refs {
			switch instr := instr.(type) {
			case *ssa.DebugRef:
				continue
			case *ssa.UnOp:
				if instr.Op == token.MUL {
					vals = append(vals, instr) // a load of the variable
					continue
				}
			case *ssa.ChangeType:
				vals = append(vals, instr)
				continue
			case *ssa.Send:
				if instr.Chan == v {
					ops = append(ops, instr)
					continue
				}
			case *ssa.Call:
				if isClose(&instr.Call, v) {
					ops = append(ops, instr)
					continue
				}
			case *ssa.Defer:
				if isClose(&instr.Call, v) {
					ops = append(ops, instr)
					continue
				}
			}
			if !anyOp {
				return nil, false
			}
			ops = append(ops, instr)
		}
	}
	return ops, true
}

// isClose reports whether call is close(v).
func isClose(call *ssa.CallCommon, v ssa.Value) bool {
	b, ok := call.Value.(*ssa.Builtin)
	return ok && b.Name() == "close" && len(call.Args) == 1 && call.Args[0] == v
}
