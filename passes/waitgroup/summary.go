package waitgroup

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/flow"
)

// A DoneKind says how a function calls Done on one WaitGroup. Its String
// is how facts show it.
type DoneKind uint8

const (
	// DoneNever: no Done, and the WaitGroup is not handed on.
	DoneNever DoneKind = iota
	// DoneOnce: Done exactly once on every path out of the function.
	DoneOnce
	// DoneSome: Done on some paths, and some path ends without it.
	DoneSome
	// DoneUnknown: handed to code we can't see, called in a loop, or
	// called twice on a path.
	DoneUnknown
)

func (k DoneKind) String() string {
	switch k {
	case DoneNever:
		return "Done never"
	case DoneOnce:
		return "Done once on every path"
	case DoneSome:
		return "Done on some paths"
	}
	return "Done unknown"
}

// A pathEnd is where a path leaves a function.
type pathEnd struct {
	node ast.Node // the return statement, or the call that ends the goroutine
	kind endKind
	// recover is the deferred function that recovers the panic, for
	// endPanic.
	recover *ast.DeferStmt
}

type endKind int

const (
	endReturn endKind = iota // a return, or the end of the body
	endGoexit                // runtime.Goexit, t.Fatal, t.FailNow, t.Skip...
	endPanic                 // a panic that a deferred function recovers
)

// A summary is what a function does to one WaitGroup, on its own paths
// (the calls it makes through summarised helpers and literals
// included).
type summary struct {
	done        DoneKind
	hasDone     bool // a Done or deferred Done of its own
	doneInCycle bool // a Done in a loop: a consumer, not one Done per goroutine
	adds        bool
	escapes     bool
	waits       bool // an explicit or helper Wait, not deferred
	waitsAlways bool // a Wait on every path to a return

	end           *pathEnd // done == DoneSome: a path that ends without Done
	firstDone     *event   // a Done, for related information
	first, second *event   // two Done calls on one path
	addSelf       *event   // an Add reached before the function's own Done
	selfWait      *event   // a Wait reached while the function's own Done is pending
}

// worth returns how many Done calls a goroutine running the function
// makes on the WaitGroup: 1, 0, or -1 if unknown.
func (s *summary) worth() int {
	switch {
	case s.adds:
		return -1
	case s.done == DoneOnce:
		return 1
	case s.done == DoneNever && !s.escapes:
		return 0
	}
	return -1
}

// summarize returns what fn does to the WaitGroup k, computed once.
func (c *checker) summarize(fn *function, k key) *summary {
	c.scan(fn)
	if s, ok := fn.sums[k]; ok {
		return s
	}
	s := &summary{}
	fn.sums[k] = s
	evs := fn.byKey[k]
	if fn.CFG == nil || len(evs) == 0 {
		return s // unused: Done never
	}
	nodes := func(kinds ...eventKind) map[ast.Node]bool {
		m := make(map[ast.Node]bool)
		for _, e := range evs {
			for _, kind := range kinds {
				if e.kind == kind {
					m[e.node] = true
				}
			}
		}
		return m
	}
	handOff := false
	for _, e := range evs {
		switch e.kind {
		case evDone, evDeferDone:
			s.hasDone = true
			if s.firstDone == nil {
				s.firstDone = e
			}
			if flow.InCycle(e.block) {
				s.doneInCycle = true
			}
		case evAdd:
			s.adds = true
		case evWait:
			if !e.deferred {
				s.waits = true
			}
		case evEscape:
			s.escapes = true
		case evGo:
			if e.worth != 0 {
				handOff = true
			}
		}
	}
	prune := c.prune(k)
	dead := c.deadCalls(fn)
	isDead := func(n ast.Node) bool { return dead[n] || c.isGoexit(endCall(n)) }
	entry := fn.CFG.Blocks[0]
	explicitDone := nodes(evDone)
	adds := nodes(evAdd)

	// The function is counted by whoever started it if one of its Done
	// calls can be reached before any Add of its own: otherwise its
	// Done calls settle its own Adds (a rollback when a start fails,
	// a server that counts itself).
	counted := false
	if s.hasDone {
		dones := nodes(evDone, evDeferDone)
		w := walker{stop: func(n ast.Node) bool { return adds[n] }, prune: prune, dead: isDead}
		_, _, counted = w.find(entry, -1, func(n ast.Node) bool { return dones[n] }, nil)
	}

	if s.waits {
		waitNodes := make(map[ast.Node]bool)
		for _, e := range evs {
			if e.kind == evWait && !e.deferred {
				waitNodes[e.node] = true
			}
		}
		w := walker{stop: func(n ast.Node) bool { return waitNodes[n] }, prune: prune, dead: isDead}
		_, _, open := w.find(entry, -1, isReturn, nil)
		s.waitsAlways = !open
	}

	switch {
	case s.doneInCycle, s.hasDone && !counted:
		s.done = DoneUnknown
	case s.hasDone:
		settled := nodes(evDone, evDeferDone, evEscape)
		for _, e := range evs {
			if e.kind == evGo && e.worth != 0 {
				settled[e.node] = true
			}
		}
		if end := c.uncoveredEnd(fn, settled, prune, isDead); end != nil {
			s.done, s.end = DoneSome, end
			break
		}
		s.done = DoneOnce
		if (s.escapes || handOff) && c.uncoveredEnd(fn, nodes(evDone, evDeferDone), prune, isDead) != nil {
			// Every path is settled only thanks to code we can't see.
			s.done = DoneUnknown
			break
		}
		if !s.adds && !s.escapes {
			s.first, s.second = c.twice(fn, evs, prune, isDead)
			if s.first != nil {
				s.done = DoneUnknown
			}
		}
	case s.escapes || handOff:
		s.done = DoneUnknown
	default:
		s.done = DoneNever
	}

	if s.hasDone {
		w := walker{stop: func(n ast.Node) bool { return explicitDone[n] }, prune: prune, dead: isDead}
		// An Add on every path, reached before the function's own Done:
		// the function counts itself. An Add after a check that can
		// return first (a server that refuses to start once stopped)
		// is usually synchronised with the Wait through that state.
		everyPath := walker{stop: func(n ast.Node) bool { return adds[n] }, prune: prune, dead: isDead}
		if _, _, open := everyPath.find(entry, -1, isReturn, nil); !open {
			for _, e := range evs {
				if e.kind == evAdd && !flow.InCycle(e.block) {
					if _, _, ok := w.find(entry, -1, isNode(e.node), nil); ok {
						s.addSelf = e
						break
					}
				}
			}
		}
		// A Wait reached while the function's own Done is still to
		// come: deferred before it, or explicit after it.
		for _, e := range evs {
			if e.kind != evWait || e.deferred || explicitDone[e.node] {
				continue
			}
			if _, _, ok := w.find(entry, -1, isNode(e.node), nil); !ok {
				continue
			}
			if c.donePending(fn, evs, e, w) {
				s.selfWait = e
				break
			}
		}
	}
	return s
}

// donePending reports whether, at the Wait event wait, the function's
// own Done is still to come on some path: a deferred Done registered
// before it, or an explicit Done after it.
func (c *checker) donePending(fn *function, evs []*event, wait *event, w walker) bool {
	entry := fn.CFG.Blocks[0]
	for _, d := range evs {
		if d.kind != evDeferDone {
			continue
		}
		if _, _, ok := w.find(entry, -1, isNode(d.node), nil); !ok {
			continue
		}
		if d.node == wait.node {
			continue
		}
		if _, _, ok := w.find(d.block, d.index, isNode(wait.node), nil); ok {
			return true
		}
	}
	dones := make(map[ast.Node]bool)
	for _, d := range evs {
		if d.kind == evDone {
			dones[d.node] = true
		}
	}
	after := walker{prune: w.prune, dead: w.dead}
	_, _, ok := after.find(wait.block, wait.index, func(n ast.Node) bool { return dones[n] }, nil)
	return ok
}

// uncoveredEnd returns a way out of fn, reached from its entry without
// passing a node in settled: a return, a call that ends the goroutine
// (runtime.Goexit and the testing methods built on it), or a panic that
// a deferred function of fn recovers. Paths that end in a panic nothing
// recovers crash the program, and paths that end in os.Exit or
// log.Fatal end it: a WaitGroup left waiting there does not matter.
func (c *checker) uncoveredEnd(fn *function, settled map[ast.Node]bool, prune func(from, to *cfg.Block) bool, dead func(ast.Node) bool) *pathEnd {
	w := walker{stop: func(n ast.Node) bool { return settled[n] }, prune: prune, dead: dead}
	entry := fn.CFG.Blocks[0]
	if b, i, ok := w.find(entry, -1, isReturn, nil); ok {
		return &pathEnd{node: b.Nodes[i], kind: endReturn}
	}
	// Calls of runtime.Goexit and of the testing methods end paths (the
	// CFG knows only some of them: t.Fatal through testing.TB is an
	// interface call); here they are what is sought.
	w.dead = func(n ast.Node) bool { return dead(n) && !c.isGoexit(endCall(n)) }
	if b, i, ok := w.find(entry, -1, func(n ast.Node) bool { return c.isGoexit(endCall(n)) }, nil); ok {
		return &pathEnd{node: b.Nodes[i], kind: endGoexit}
	}
	w.dead = dead
	for _, r := range c.recoverers(fn) {
		rb, ri := fn.Index().Locate(r.Pos())
		if rb == nil || rb.Nodes[ri] != ast.Node(r) {
			continue
		}
		if _, _, ok := w.find(entry, -1, isNode(r), nil); !ok {
			continue
		}
		if b, i, ok := w.find(rb, ri, func(n ast.Node) bool { return c.isPanic(endCall(n)) }, nil); ok {
			return &pathEnd{node: b.Nodes[i], kind: endPanic, recover: r}
		}
	}
	return nil
}

// endCall returns the call of an expression statement, or nil.
func endCall(n ast.Node) *ast.CallExpr {
	if s, ok := n.(*ast.ExprStmt); ok {
		call, _ := ast.Unparen(s.X).(*ast.CallExpr)
		return call
	}
	return nil
}

// isGoexit reports whether call ends the goroutine and runs its
// deferred calls: runtime.Goexit, and the testing methods that call it.
func (c *checker) isGoexit(call *ast.CallExpr) bool {
	if call == nil {
		return false
	}
	fn := callee.Of(c.pass.TypesInfo, call)
	names := []string{"FailNow", "Fatal", "Fatalf", "SkipNow", "Skip", "Skipf"}
	return callee.IsFunc(fn, "runtime", "Goexit") ||
		callee.IsMethod(fn, "testing", "common", names...) ||
		callee.IsMethod(fn, "testing", "TB", names...)
}

// isPanic reports whether call is a call of the builtin panic.
func (c *checker) isPanic(call *ast.CallExpr) bool {
	if call == nil {
		return false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin)
	return ok && b.Name() == "panic"
}

// recoverers returns fn's defer statements whose function literal calls
// recover.
func (c *checker) recoverers(fn *function) []*ast.DeferStmt {
	var out []*ast.DeferStmt
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok && c.callsRecover(lit.Body) {
				out = append(out, n)
			}
			return false
		}
		return true
	})
	return out
}

// callsRecover reports whether body calls the builtin recover (outside
// nested function literals, where it would recover nothing of ours).
func (c *checker) callsRecover(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
				if b, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin); ok && b.Name() == "recover" {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// twice returns two Done events on one path of fn (explicit, deferred or
// through a helper), in path order, or nils.
func (c *checker) twice(fn *function, evs []*event, prune func(from, to *cfg.Block) bool, dead func(ast.Node) bool) (*event, *event) {
	byNode := make(map[ast.Node][]*event)
	for _, e := range evs {
		if e.kind == evDone || e.kind == evDeferDone {
			byNode[e.node] = append(byNode[e.node], e)
		}
	}
	type state struct {
		b     *cfg.Block
		first *event // nil: no Done yet on this path
	}
	seen := make(map[[2]any]bool)
	stack := []state{{fn.CFG.Blocks[0], nil}}
	for len(stack) > 0 {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		memo := [2]any{st.b, st.first != nil}
		if seen[memo] {
			continue
		}
		seen[memo] = true
		first := st.first
		ended := false
		for _, n := range st.b.Nodes {
			for _, e := range byNode[n] {
				if first != nil {
					return first, e
				}
				first = e
			}
			if dead(n) {
				ended = true
				break
			}
		}
		if ended {
			continue
		}
		for _, s := range st.b.Succs {
			if !prune(st.b, s) {
				stack = append(stack, state{s, first})
			}
		}
	}
	return nil, nil
}
