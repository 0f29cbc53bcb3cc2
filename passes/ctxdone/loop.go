package ctxdone

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/chans"
	"github.com/leaklint/leaklint/internal/flow"
)

// A loop is a loop the pass reports: every iteration blocks, and it has
// no way out (with -untied: no way out tied to a context or a stop
// signal).
type loop struct {
	stmt ast.Stmt // *ast.ForStmt or *ast.RangeStmt
	// sel is the select of a loop written for { select { ... } } with
	// no default case: the shape the suggested fix rewrites.
	sel   *ast.SelectStmt
	op    string    // what each iteration blocks on, for messages
	opPos token.Pos // where
	exits bool      // the loop has ways out, none of them tied to a context (-untied)
	// stopCase is a case of the loop's select that receives a stop
	// signal but does not leave the loop (case <-ctx.Done(): break,
	// which leaves only the select), or nil.
	stopCase *ast.CommClause
}

// loops analyses the loops of one routine.
type loops struct {
	c  *checker
	gr *routine
	// comms maps the communication statement of each select case in the
	// routine to its select. The CFG evaluates all of a select's
	// communications in the block before the cases, so they are judged
	// by the select (blocking) and by the case bodies (stop signals).
	comms map[ast.Node]*ast.SelectStmt
	// walls and covers memoise blocking and covering by node, live
	// goesOn by block.
	walls, covers map[ast.Node]bool
	live          map[*cfg.Block]bool
}

// firstLoop returns the first loop of gr, in source order, that blocks
// on every iteration and that no context or stop signal can end.
func (c *checker) firstLoop(gr *routine) *loop {
	var cands []ast.Stmt
	comms := make(map[ast.Node]*ast.SelectStmt)
	ast.Inspect(gr.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // another function: its loops are its own
		case *ast.ForStmt:
			// A loop with a condition has a bound or a flag that may
			// end it: silent.
			if n.Cond == nil {
				cands = append(cands, n)
			}
		case *ast.RangeStmt:
			// Ranging over a channel ends when it is closed, and over
			// anything else is bounded; only the time package's
			// channels are never closed.
			if c.neverClosed(gr, n.X) {
				cands = append(cands, n)
			}
		case *ast.SelectStmt:
			for _, s := range n.Body.List {
				if comm := s.(*ast.CommClause).Comm; comm != nil {
					comms[comm] = n
				}
			}
		}
		return true
	})
	if len(cands) == 0 {
		return nil
	}
	ls := &loops{
		c:      c,
		gr:     gr,
		comms:  comms,
		walls:  make(map[ast.Node]bool),
		covers: make(map[ast.Node]bool),
		live:   make(map[*cfg.Block]bool),
	}
	for _, s := range cands {
		if l := ls.check(s); l != nil {
			return l
		}
	}
	return nil
}

// check returns the loop s if it is to be reported.
func (ls *loops) check(s ast.Stmt) *loop {
	head := ls.head(s)
	if head == nil || !flow.InCycle(head) {
		return nil // dead code, or a loop whose body always leaves
	}
	in := flow.Loop(head)
	_, isRange := s.(*ast.RangeStmt)
	if !isRange && !ls.blocksEveryIteration(head, in) {
		return nil // some iteration runs without waiting: not a parked goroutine
	}
	edges := ls.exits(in, s)
	if len(edges) > 0 && !ls.c.cfg.Untied {
		return nil // a way out: the goroutine has a lifetime of its own, which may be meant to outlast the context
	}
	if ls.tied(head, in, edges) {
		return nil // a way out follows a stop signal or a look at a context
	}
	exits := len(edges) > 0
	l := &loop{stmt: s, exits: exits}
	if isRange {
		x := s.(*ast.RangeStmt).X
		l.op, l.opPos = shorten(types.ExprString(x)), x.Pos()
	} else {
		l.op, l.opPos = ls.firstBlocking(in)
	}
	if f, ok := s.(*ast.ForStmt); ok && f.Init == nil && f.Post == nil && len(f.Body.List) == 1 {
		if sel, ok := f.Body.List[0].(*ast.SelectStmt); ok && !hasDefault(sel) && len(sel.Body.List) > 0 {
			l.sel = sel
		}
	}
	// A stop case inside the loop that stays in it: the loop is
	// reported, so none of its stop cases leaves it.
	ast.Inspect(s, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok || l.stopCase != nil {
			return false
		}
		if clause, ok := n.(*ast.CommClause); ok {
			if ch := chans.Received(clause.Comm); ch != nil && ls.isStop(ch) {
				l.stopCase = clause
			}
		}
		return true
	})
	return l
}

// head returns the block that starts each iteration of s: the body of a
// for loop without a condition, the loop block of a range loop.
func (ls *loops) head(s ast.Stmt) *cfg.Block {
	kind := cfg.KindForBody
	if _, ok := s.(*ast.RangeStmt); ok {
		kind = cfg.KindRangeLoop
	}
	for _, b := range ls.gr.g.Blocks {
		if b.Kind == kind && b.Stmt == s && b.Live {
			return b
		}
	}
	return nil
}

// An edge is a way out of a loop: from block From, in the loop, to
// block To, outside it.
type edge struct{ From, To *cfg.Block }

// exits returns the ways out of the loop s, whose blocks are in: the
// edges to blocks outside it from which control goes on (to a return,
// or to another loop). An edge to a dead end is not a way out: the
// CFG ends paths after calls that never return (panic, log.Fatal) and
// after the last case of a select without a default. The end of a range
// over a ticker's channel is never reached.
func (ls *loops) exits(in map[*cfg.Block]bool, s ast.Stmt) []edge {
	var edges []edge
	for b := range in {
		for _, succ := range b.Succs {
			if in[succ] {
				continue
			}
			if succ.Kind == cfg.KindRangeDone && succ.Stmt == s {
				continue // the time package never closes the channel
			}
			if ls.leaves(succ) {
				edges = append(edges, edge{b, succ})
			}
		}
	}
	return edges
}

// leaves reports whether control entering b, outside the loop, really
// leaves it: b goes on (see goesOn), looking through the CFG's dispatch
// between the cases of a select, and past the body of a case that can
// never be chosen (a receive from the Done channel of a context that is
// never cancelled, which is nil).
func (ls *loops) leaves(b *cfg.Block) bool {
	return flow.Walk([]*cfg.Block{b}, func(x *cfg.Block) flow.Step {
		switch {
		case x.Kind == cfg.KindSelectAfterCase && len(x.Nodes) == 0:
			return flow.Next
		case x.Kind == cfg.KindSelectCaseBody && ls.neverReady(chans.Received(x.Stmt.(*ast.CommClause).Comm)):
			return flow.Prune // never chosen
		case ls.goesOn(x):
			return flow.Found
		}
		return flow.Prune
	}, nil) != nil
}

// neverReady reports whether ch is the Done channel of a context that
// is never cancelled: nil, so a receive from it never proceeds.
func (ls *loops) neverReady(ch ast.Expr) bool {
	call, ok := ast.Unparen(ch).(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Done" && isContext(ls.c.pass.TypesInfo.TypeOf(sel.X)) && !ls.c.ctxs.cancellable(sel.X)
}

// goesOn reports whether control entering b can reach a return or go
// round a loop, rather than stop at a dead end. Two edges into one
// block count as going round (b itself counts as entered once): that
// is a loop, or two paths that join again, after which control rarely
// stops for good.
func (ls *loops) goesOn(b *cfg.Block) bool {
	if v, ok := ls.live[b]; ok {
		return v
	}
	reached := flow.Reachable([]*cfg.Block{b}, nil)
	entered := map[*cfg.Block]int{b: 1}
	result := false
	for x := range reached {
		if x.Return() != nil {
			result = true
		}
		for _, s := range x.Succs {
			entered[s]++
			if entered[s] > 1 {
				result = true
			}
		}
	}
	ls.live[b] = result
	return result
}

// blocksEveryIteration reports whether every path from head back to
// head passes a node that blocks: a channel operation, a select without
// a default case, time.Sleep.
func (ls *loops) blocksEveryIteration(head *cfg.Block, in map[*cfg.Block]bool) bool {
	if ls.wall(head) {
		return true
	}
	round := flow.Walk(head.Succs, func(b *cfg.Block) flow.Step {
		switch {
		case b == head:
			return flow.Found // round again without waiting
		case !in[b] || ls.wall(b):
			return flow.Prune
		}
		return flow.Next
	}, nil)
	return round == nil
}

// wall reports whether executing block b blocks: one of its nodes
// does, or it is the head of a range over a channel.
func (ls *loops) wall(b *cfg.Block) bool {
	if b.Kind == cfg.KindRangeLoop {
		if t, ok := ls.c.pass.TypesInfo.TypeOf(b.Stmt.(*ast.RangeStmt).X).Underlying().(*types.Chan); ok && t != nil {
			return true
		}
	}
	for _, n := range b.Nodes {
		if ls.blocks(n) {
			return true
		}
	}
	return false
}

// blocks reports whether the node n waits: it receives or sends outside
// a select with a default case, or calls time.Sleep. What runs in
// function literals, go and defer statements does not count.
func (ls *loops) blocks(n ast.Node) bool {
	if b, ok := ls.walls[n]; ok {
		return b
	}
	b := false
	if sel, ok := ls.comms[n]; ok {
		b = !hasDefault(sel)
	} else {
		switch n.(type) {
		case *ast.SendStmt:
			b = true
		case *ast.GoStmt, *ast.DeferStmt:
		default:
			ast.Inspect(n, func(m ast.Node) bool {
				switch m := m.(type) {
				case *ast.FuncLit:
					return false
				case *ast.UnaryExpr:
					b = b || m.Op == token.ARROW
				case *ast.CallExpr:
					b = b || callee.IsFunc(callee.Of(ls.c.pass.TypesInfo, m), "time", "Sleep")
				}
				return !b
			})
		}
	}
	ls.walls[n] = b
	return b
}

// firstBlocking returns the description and position of the first
// blocking operation of the loop, in source order.
func (ls *loops) firstBlocking(in map[*cfg.Block]bool) (string, token.Pos) {
	var first ast.Node
	for b := range in {
		for _, n := range b.Nodes {
			if ls.blocks(n) && (first == nil || n.Pos() < first.Pos()) {
				first = n
			}
		}
	}
	if first == nil {
		return "a channel", token.NoPos
	}
	if sel, ok := ls.comms[first]; ok {
		var ops []string
		for _, s := range sel.Body.List {
			if comm := s.(*ast.CommClause).Comm; comm != nil {
				ops = append(ops, commString(comm))
			}
		}
		if len(ops) > 3 {
			ops = append(ops[:3], "...")
		}
		return "select (" + strings.Join(ops, ", ") + ")", sel.Pos()
	}
	var op ast.Node = first
	ast.Inspect(first, func(m ast.Node) bool {
		switch m := m.(type) {
		case *ast.FuncLit:
			return false
		case *ast.UnaryExpr:
			if m.Op == token.ARROW && op == first {
				op = m
			}
		case *ast.CallExpr:
			if callee.IsFunc(callee.Of(ls.c.pass.TypesInfo, m), "time", "Sleep") && op == first {
				op = m
			}
		}
		return op == first
	})
	switch op := op.(type) {
	case *ast.SendStmt:
		return shorten(types.ExprString(op.Chan) + " <- " + types.ExprString(op.Value)), op.Pos()
	case ast.Expr:
		return shorten(types.ExprString(op)), op.Pos()
	}
	return "a channel", first.Pos()
}

// commString renders a select case's communication: "<-in", "out <- v".
func commString(comm ast.Stmt) string {
	switch comm := comm.(type) {
	case *ast.SendStmt:
		return shorten(types.ExprString(comm.Chan) + " <- " + types.ExprString(comm.Value))
	case *ast.ExprStmt:
		return shorten(types.ExprString(comm.X))
	case *ast.AssignStmt:
		if len(comm.Rhs) == 1 {
			return shorten(types.ExprString(comm.Rhs[0]))
		}
	}
	return "?"
}

// shorten cuts long expressions for messages.
func shorten(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// hasDefault reports whether sel has a default case.
func hasDefault(sel *ast.SelectStmt) bool {
	for _, s := range sel.Body.List {
		if s.(*ast.CommClause).Comm == nil {
			return true
		}
	}
	return false
}

// tied reports whether some way out of the loop can be taken after
// something that a context or a stop signal decides, within the same
// iteration: a case receiving from ctx.Done() or a done channel, a
// comma-ok receive (closing the channel ends the loop, as for a range
// over it), a condition on ctx.Err(), a call that is given a context and
// whose result is used, a check of a flag named for stopping.
func (ls *loops) tied(head *cfg.Block, in map[*cfg.Block]bool, edges []edge) bool {
	if len(edges) == 0 {
		return false
	}
	// after holds the blocks of the loop that run after a cover in the
	// same iteration (going round again starts afresh at head).
	var covered []*cfg.Block
	for b := range in {
		if ls.coverEntry(b) || ls.coverNode(b) {
			covered = append(covered, b)
		}
	}
	after := make(map[*cfg.Block]bool)
	flow.Walk(covered, func(x *cfg.Block) flow.Step {
		if !in[x] {
			return flow.Prune
		}
		after[x] = true
		return flow.Next
	}, func(_, to *cfg.Block) bool { return to == head })
	for _, e := range edges {
		if after[e.From] || ls.coversOnEntry(e.To) {
			return true
		}
	}
	return false
}

// coversOnEntry reports whether b, outside the loop, is the body of a
// stop case (see coverEntry), or leads to one through the CFG's
// dispatch between the cases of a select (SelectAfterCase blocks, which
// run nothing).
func (ls *loops) coversOnEntry(b *cfg.Block) bool {
	return flow.Walk([]*cfg.Block{b}, func(x *cfg.Block) flow.Step {
		switch {
		case ls.coverEntry(x):
			return flow.Found
		case x.Kind == cfg.KindSelectAfterCase:
			return flow.Next
		}
		return flow.Prune
	}, nil) != nil
}

// coverEntry reports whether block b is the body of a select case that
// receives a stop signal or detects a closed channel (v, ok := <-ch).
func (ls *loops) coverEntry(b *cfg.Block) bool {
	if b.Kind != cfg.KindSelectCaseBody {
		return false
	}
	clause := b.Stmt.(*ast.CommClause)
	if isCommaOkRecv(clause.Comm) {
		return true
	}
	ch := chans.Received(clause.Comm)
	return ch != nil && ls.isStop(ch)
}

// coverNode reports whether a node of b covers (see cover).
func (ls *loops) coverNode(b *cfg.Block) bool {
	for _, n := range b.Nodes {
		if ls.cover(n) {
			return true
		}
	}
	return false
}

// cover reports whether a way out of the loop taken after node n may
// be the context's (or a stop signal's) doing.
func (ls *loops) cover(n ast.Node) bool {
	if c, ok := ls.covers[n]; ok {
		return c
	}
	c := ls.cover1(n)
	ls.covers[n] = c
	return c
}

// cover1 computes cover(n).
func (ls *loops) cover1(n ast.Node) bool {
	if _, ok := ls.comms[n]; ok {
		return false // judged by the case body (coverEntry)
	}
	info := ls.c.pass.TypesInfo
	discarded := false
	switch n := n.(type) {
	case *ast.GoStmt, *ast.DeferStmt:
		return false // runs later or elsewhere: can't end this iteration
	case *ast.ExprStmt:
		// A call whose result is dropped can't end the loop, even if it
		// is given ctx: only a receive of a stop signal in it counts.
		_, discarded = ast.Unparen(n.X).(*ast.CallExpr)
	case *ast.AssignStmt:
		if isCommaOkRecv(n) {
			return true
		}
	case *ast.DeclStmt:
		if gd, ok := n.Decl.(*ast.GenDecl); ok {
			for _, spec := range gd.Specs {
				if vs, ok := spec.(*ast.ValueSpec); ok && len(vs.Names) == 2 && len(vs.Values) == 1 && isRecv(vs.Values[0]) {
					return true
				}
			}
		}
	}
	_, isCond := n.(ast.Expr)
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if found {
			return false
		}
		switch m := m.(type) {
		case *ast.FuncLit:
			return false
		case *ast.UnaryExpr:
			if m.Op == token.ARROW && ls.isStop(m.X) {
				found = true
			}
		case *ast.CallExpr:
			if !discarded && ls.givenContext(m) {
				found = true
			}
		case *ast.Ident, *ast.SelectorExpr:
			e := m.(ast.Expr)
			if !discarded && isContext(info.TypeOf(e)) && ls.c.ctxs.cancellable(e) {
				found = true // ctx.Err(), a derived context, ...
			}
			if isCond && ls.c.stops.IsStop(e) {
				found = true // a flag or method named for stopping: if s.closed { return }
			}
		}
		return !found
	})
	return found
}

// givenContext reports whether call passes a context holder, as a
// receiver or an argument: a value whose struct type has a context
// field, or a local variable made by a call that was given a context
// (it := client.List(ctx, req); it.Next()). The callee may consult the
// context.
func (ls *loops) givenContext(call *ast.CallExpr) bool {
	info := ls.c.pass.TypesInfo
	holder := func(e ast.Expr) bool {
		return holdsContext(info.TypeOf(e)) || ls.c.ctxs.madeWithContext(e)
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal && holder(sel.X) {
			return true
		}
	}
	for _, arg := range call.Args {
		if holder(arg) {
			return true
		}
	}
	return false
}

// holdsContext reports whether t is, or points to, a struct with a
// context field.
func holdsContext(t types.Type) bool {
	if t == nil {
		return false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := 0; i < st.NumFields(); i++ {
		if isContext(st.Field(i).Type()) {
			return true
		}
	}
	return false
}

// isStop reports whether receiving from ch means "stop". A Done
// channel of a context that is never cancelled (context.Background(),
// context.WithoutCancel(ctx)) is nil and never ready: not a stop.
func (ls *loops) isStop(ch ast.Expr) bool {
	if call, ok := ast.Unparen(ch).(*ast.CallExpr); ok {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && isContext(ls.c.pass.TypesInfo.TypeOf(sel.X)) {
			return sel.Sel.Name == "Done" && ls.c.ctxs.cancellable(sel.X)
		}
	}
	return ls.c.stops.IsStop(ch)
}

// isCommaOkRecv reports whether s is v, ok := <-ch (or =).
func isCommaOkRecv(s ast.Stmt) bool {
	a, ok := s.(*ast.AssignStmt)
	return ok && len(a.Lhs) == 2 && len(a.Rhs) == 1 && isRecv(a.Rhs[0])
}

// isRecv reports whether e is a receive, <-ch.
func isRecv(e ast.Expr) bool {
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	return ok && u.Op == token.ARROW
}

// neverClosed reports whether ch, ranged over in gr, is a channel the
// time package creates and never closes (chans.NeverClosed).
func (c *checker) neverClosed(gr *routine, ch ast.Expr) bool {
	return chans.NeverClosed(c.pass.TypesInfo, gr.body, ch)
}
