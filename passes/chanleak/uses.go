package chanleak

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/leaklint/leaklint/internal/callee"
)

// This file answers "what happens to the channel?" on the SSA form: the
// operations of the function that makes it, the goroutines it is handed
// to, and what each of those does with it. Anything the answer cannot
// follow is an escape, and an escaped channel is never reported.

// A channel is one make(chan T, n) of the function being checked (F),
// and everything F does with it.
type channel struct {
	fn   *ssa.Function
	make *ssa.MakeChan
	cap  int // the constant capacity, or -1 when it is not a constant

	escapes  bool // the channel reaches code the pass cannot follow
	deferred bool // a deferred call of F uses it (a drain, a close)

	vals   map[ssa.Value]bool // the values in F that are the channel
	recvs  map[ssa.Instruction]bool
	sends  map[ssa.Instruction]bool
	closes map[ssa.Instruction]bool
	// selects maps each select of F on the channel to the indexes of its
	// receive and send cases on it.
	selects map[*ssa.Select]*selectUse
	starts  []*start // goroutines started with the channel
}

// selectUse lists the cases of one select on the channel.
type selectUse struct {
	recv, send []int // indexes into Select.States
}

// A start is a goroutine started by F with the channel: a go statement,
// or a call of errgroup's or sync.WaitGroup's Go method with a function
// literal.
type start struct {
	instr ssa.Instruction // *ssa.Go or *ssa.Call
	fn    *ssa.Function   // the function the goroutine runs
	use   *summary        // what it does with the channel
}

// newChannel follows the uses of the channel made by mk in F.
func (c *checker) newChannel(fn *ssa.Function, mk *ssa.MakeChan) *channel {
	ch := &channel{
		fn:      fn,
		make:    mk,
		cap:     -1,
		vals:    make(map[ssa.Value]bool),
		recvs:   make(map[ssa.Instruction]bool),
		sends:   make(map[ssa.Instruction]bool),
		closes:  make(map[ssa.Instruction]bool),
		selects: make(map[*ssa.Select]*selectUse),
	}
	if k, ok := mk.Size.(*ssa.Const); ok && k.Value != nil {
		if n, ok := constInt(k); ok {
			ch.cap = n
		}
	}
	ch.addValue(c, mk)
	return ch
}

// addValue records v as the channel in F and follows its uses.
func (ch *channel) addValue(c *checker, v ssa.Value) {
	if ch.vals[v] {
		return
	}
	ch.vals[v] = true
	refs := v.Referrers()
	if refs == nil {
		return // a constant: no uses to follow
	}
	for _, instr := range *refs {
		switch instr := instr.(type) {
		case *ssa.DebugRef:
		case *ssa.Send:
			if instr.Chan != v {
				ch.escapes = true // the channel itself is sent elsewhere
				continue
			}
			ch.sends[instr] = true
		case *ssa.UnOp:
			if instr.Op != token.ARROW {
				ch.escapes = true
				continue
			}
			ch.recvs[instr] = true
		case *ssa.Select:
			su := ch.selects[instr]
			if su == nil {
				su = new(selectUse)
				ch.selects[instr] = su
			}
			for i, st := range instr.States {
				if st.Send == v {
					ch.escapes = true
				}
				if st.Chan != v {
					continue
				}
				if st.Dir == types.RecvOnly {
					su.recv = append(su.recv, i)
				} else {
					su.send = append(su.send, i)
				}
			}
		case *ssa.ChangeType:
			// chan T to <-chan T or chan<- T: the same channel.
			ch.addValue(c, instr)
		case *ssa.Store:
			if instr.Val != v {
				ch.escapes = true
				continue
			}
			cell, ok := instr.Addr.(*ssa.Alloc)
			if !ok || !ch.isOnlyStore(cell, instr) {
				// Stored in a field, an element, a global, or a variable
				// assigned more than once.
				ch.escapes = true
				continue
			}
			ch.addCell(c, cell)
		case *ssa.Call:
			ch.addCall(c, instr, v)
		case *ssa.Go:
			ch.addStart(c, instr, instr.Common(), v)
		case *ssa.Defer:
			// A deferred drain, close or wait: whatever it does, it runs
			// on every way out.
			ch.deferred = true
		case *ssa.MakeClosure:
			ch.addClosure(c, instr, v)
		default:
			// Returned, converted to an interface, stored in a composite,
			// merged with another value (a phi)...
			ch.escapes = true
		}
	}
}

// isOnlyStore reports whether store is the only store into cell: the
// variable holds the channel from there on.
func (ch *channel) isOnlyStore(cell *ssa.Alloc, store *ssa.Store) bool {
	for _, instr := range *cell.Referrers() {
		if s, ok := instr.(*ssa.Store); ok && s != store {
			return false
		}
	}
	return true
}

// addCell follows the uses of a variable of F that holds the channel
// (one captured by a function literal, which SSA keeps in memory).
func (ch *channel) addCell(c *checker, cell *ssa.Alloc) {
	for _, instr := range *cell.Referrers() {
		switch instr := instr.(type) {
		case *ssa.DebugRef, *ssa.Store:
			// The one store, checked by the caller.
		case *ssa.UnOp:
			if instr.Op == token.MUL {
				ch.addValue(c, instr) // a load: the channel
				continue
			}
			ch.escapes = true
		case *ssa.MakeClosure:
			ch.addClosure(c, instr, cell)
		default:
			ch.escapes = true // its address is taken
		}
	}
}

// addCall follows a call of F that uses the channel v.
func (ch *channel) addCall(c *checker, call *ssa.Call, v ssa.Value) {
	if b, ok := call.Call.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "len", "cap":
			return
		case "close":
			ch.closes[call] = true
			return
		}
	}
	ch.escapes = true // handed to code whose use of it is not followed
}

// addClosure follows a function literal of F that captures the channel,
// as the value or the variable holding it (captured is v, or the cell).
func (ch *channel) addClosure(c *checker, mc *ssa.MakeClosure, captured ssa.Value) {
	fn, _ := mc.Fn.(*ssa.Function)
	if fn == nil {
		ch.escapes = true // not a function the pass can read
		return
	}
	idx := -1
	for i, b := range mc.Bindings {
		if b == captured {
			idx = i
		}
	}
	if idx < 0 || idx >= len(fn.FreeVars) {
		ch.escapes = true // not captured as the pass expects
		return
	}
	for _, instr := range *mc.Referrers() {
		switch instr := instr.(type) {
		case *ssa.DebugRef:
		case *ssa.Go:
			if instr.Call.Value != mc {
				ch.escapes = true // passed to the goroutine as a value
				continue
			}
			ch.startAt(c, instr, fn, fn.FreeVars[idx])
		case *ssa.Defer:
			ch.deferred = true
		case *ssa.Call:
			if goMethod(instr) && len(instr.Call.Args) == 2 && instr.Call.Args[1] == mc {
				// g.Go(func() error { ... }): a goroutine.
				ch.startAt(c, instr, fn, fn.FreeVars[idx])
				continue
			}
			// Called in place, or handed to a function: not followed.
			ch.escapes = true
		default:
			ch.escapes = true
		}
	}
}

// addStart follows a go statement (or another start) that passes the
// channel v as an argument.
func (ch *channel) addStart(c *checker, instr ssa.Instruction, call *ssa.CallCommon, v ssa.Value) {
	if call.IsInvoke() {
		ch.escapes = true // a method of an interface: unknown code
		return
	}
	if call.Value == v {
		ch.escapes = true // not a call of a function
		return
	}
	fn := calledFunc(call.Value)
	if fn == nil {
		ch.escapes = true // a function of another package, or a function value
		return
	}
	// The arguments of a bound method's closure follow its bindings; a
	// plain function's are its parameters.
	for i, arg := range call.Args {
		if arg != v {
			continue
		}
		if i >= len(fn.Params) {
			ch.escapes = true // a variadic argument: not followed
			return
		}
		ch.startAt(c, instr, fn, fn.Params[i])
	}
}

// startAt records a goroutine running fn, which sees the channel as root
// (a parameter or a free variable).
func (ch *channel) startAt(c *checker, instr ssa.Instruction, fn *ssa.Function, root ssa.Value) {
	use := c.summarize(fn, root)
	if use.escapes {
		ch.escapes = true // the goroutine hands it on
		return
	}
	for _, s := range ch.starts {
		if s.instr == instr {
			// The same goroutine gets the channel twice (two arguments):
			// not modelled.
			ch.escapes = true
			return
		}
	}
	ch.starts = append(ch.starts, &start{instr: instr, fn: fn, use: use})
}

// calledFunc returns the function with a body that a call of v runs: a
// function, an instantiation's generic origin, or the function of a
// closure (a function literal, or a bound method value), whose
// arguments are its parameters. It returns nil for anything else.
func calledFunc(v ssa.Value) *ssa.Function {
	switch v := v.(type) {
	case *ssa.Function:
		return bodyOf(v)
	case *ssa.MakeClosure:
		if fn, ok := v.Fn.(*ssa.Function); ok {
			return bodyOf(fn)
		}
	}
	return nil
}

// bodyOf returns fn, or its generic origin when fn is an instantiation
// built without a body, or nil when neither has a body (a function of
// another package).
func bodyOf(fn *ssa.Function) *ssa.Function {
	if fn.Blocks == nil {
		if o := fn.Origin(); o != nil && o.Blocks != nil {
			return o
		}
		return nil
	}
	return fn
}

// goMethod reports whether call is g.Go(f) of errgroup.Group, or wg.Go(f)
// of sync.WaitGroup (Go 1.25): f runs in a new goroutine.
func goMethod(call *ssa.Call) bool {
	fn := call.Call.StaticCallee()
	if fn == nil || fn.Object() == nil {
		return false
	}
	obj, _ := fn.Object().(*types.Func)
	return callee.IsMethod(obj, "golang.org/x/sync/errgroup", "Group", "Go", "TryGo") ||
		callee.IsMethod(obj, "sync", "WaitGroup", "Go")
}

// isWait reports whether call waits for goroutines: a method named Wait
// (sync.WaitGroup, errgroup.Group and their likes). Waiting for every
// sender settles the channel on that path, one way or the other.
func isWait(common *ssa.CallCommon) bool {
	if common.IsInvoke() {
		return common.Method.Name() == "Wait"
	}
	fn := common.StaticCallee()
	if fn == nil || fn.Signature.Recv() == nil {
		return false
	}
	return fn.Name() == "Wait"
}

// constInt returns the value of k as an int, if it is a small
// non-negative integer constant.
func constInt(k *ssa.Const) (int, bool) {
	if k.Value == nil {
		return 0, false
	}
	n := k.Int64()
	if n < 0 || n > 1<<20 {
		return 0, false
	}
	return int(n), true
}
