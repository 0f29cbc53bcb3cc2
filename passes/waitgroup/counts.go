package waitgroup

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/flow"
)

// checkCounts compares the Adds of fn with the goroutines started for
// them, where both are statically known, in each statement list of fn.
func (c *checker) checkCounts(fn *function) {
	if len(fn.keys) == 0 {
		return
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // a function of its own
		case *ast.BlockStmt:
			c.countList(fn, n.List)
		case *ast.CaseClause:
			c.countList(fn, n.Body)
		case *ast.CommClause:
			c.countList(fn, n.Body)
		}
		return true
	})
}

// countList checks each explicit Add statement of list against the
// statements that follow it.
func (c *checker) countList(fn *function, list []ast.Stmt) {
	// An Add starts a count only if it is the first event of its
	// WaitGroup in the list, or the first after a Wait: a later Add is
	// part of the count already started.
	counting := make(map[key]bool)
	spans := make(map[key][][2]token.Pos) // counted spans whose sums matched
	for i, s := range list {
		for _, k := range fn.keys {
			evs := c.eventsIn(fn, k, s)
			if len(evs) == 0 {
				continue
			}
			if len(evs) == 1 && evs[0].kind == evWait && evs[0].explicit() && !evs[0].deferred {
				counting[k] = false
				continue
			}
			if !counting[k] {
				if es, ok := s.(*ast.ExprStmt); ok && len(evs) == 1 && evs[0].kind == evAdd && evs[0].explicit() && evs[0].node == ast.Node(es) {
					if end := c.countFrom(fn, evs[0], list[i+1:], spans[k]); end.IsValid() {
						spans[k] = append(spans[k], [2]token.Pos{s.Pos(), end})
					}
				}
			}
			counting[k] = true
		}
	}
}

// countFrom follows the statements after the Add event add in its
// statement list: up to a Wait, it sums the constant Adds and the Done
// calls of the goroutines started, and compares them; at a loop, it
// checks the loop against the Add. It returns the end of the Wait when
// the sums were compared and matched. done are the spans of the list
// already counted and matched.
func (c *checker) countFrom(fn *function, add *event, rest []ast.Stmt, done [][2]token.Pos) token.Pos {
	k := add.key
	n, isConst := c.constInt(add.arg)
	// Sums are compared only for a local WaitGroup that nothing else
	// can reach: then every Done is in view. Goroutines started (and
	// Done calls made) before the Add must have been waited for in a
	// span that matched: a goroutine still running may owe a Done for
	// this Add (a handshake: Done when started, Add, Done when
	// finished).
	sums := isConst && k.path == "" && fn.declares(k.root) && !c.params[k.root] && c.aliasFree(k)
	for _, e := range fn.byKey[k] {
		switch e.kind {
		case evEscape:
			sums = false
		case evGo, evDone, evWgGo:
			if e.node.Pos() < add.at.Pos() && !within(e.node.Pos(), done) {
				sums = false
			}
		}
	}
	total, worth := n, int64(0)
	clean := true // no event of k between the Add and here
	for _, s := range rest {
		evs := c.eventsIn(fn, k, s)
		if len(evs) == 0 {
			continue
		}
		if loop := loopOf(s); loop != nil {
			if sums {
				if w, ok := c.loopWorth(fn, loop, evs); ok {
					worth += w
					clean = false
					continue
				}
			}
			if clean {
				c.checkLoop(fn, add, loop, evs)
			}
			return token.NoPos
		}
		clean = false
		if !sums {
			return token.NoPos
		}
		switch s.(type) {
		case *ast.ExprStmt:
			if len(evs) != 1 || !evs[0].explicit() {
				return token.NoPos
			}
			e := evs[0]
			switch e.kind {
			case evAdd:
				m, ok := c.constInt(e.arg)
				if !ok {
					return token.NoPos
				}
				total += m
			case evDone:
				worth++
			case evWait:
				if total != worth {
					c.reportCount(add, e, total, worth)
					return token.NoPos
				}
				return s.End()
			default:
				return token.NoPos
			}
		case *ast.GoStmt:
			for _, e := range evs {
				if e.kind != evGo || e.worth < 0 {
					return token.NoPos
				}
				worth += int64(e.worth)
			}
		default:
			return token.NoPos // a branch or a loop that uses k: not counted
		}
	}
	return token.NoPos
}

// within reports whether pos lies in one of spans.
func within(pos token.Pos, spans [][2]token.Pos) bool {
	for _, s := range spans {
		if s[0] <= pos && pos < s[1] {
			return true
		}
	}
	return false
}

// reportCount reports Adds before a Wait that differ from the Done calls
// made in between.
func (c *checker) reportCount(add, wait *event, total, worth int64) {
	k := add.key
	var msg string
	if worth < total {
		msg = fmt.Sprintf("%s.Add adds %d before %s.Wait() on line %d, but the goroutines started in between make %s, so Wait blocks forever: call %s.Add(1) just before each go statement",
			c.str(k), total, c.str(k), c.line(wait.at.Pos()), plural(worth, "Done call"), c.str(k))
	} else {
		msg = fmt.Sprintf("%s.Add adds %d before %s.Wait() on line %d, but the goroutines started in between make %s: the counter goes negative (panic), or Wait returns before they all finish; call %s.Add(1) just before each go statement",
			c.str(k), total, c.str(k), c.line(wait.at.Pos()), plural(worth, "Done call"), c.str(k))
	}
	c.r.Report(analysis.Diagnostic{Pos: add.at.Pos(), End: add.at.End(), Message: msg})
}

// checkLoop checks the loop that directly follows the Add event add,
// whose events of add's WaitGroup are evs: a constant Add outside a loop
// that starts a goroutine per iteration, and an Add of the iteration
// count where an iteration can skip the go statement.
func (c *checker) checkLoop(fn *function, add *event, loop ast.Stmt, evs []*event) {
	k := add.key
	var gos []*event
	dones := false
	for _, e := range evs {
		switch {
		case e.kind == evGo && e.worth == 1:
			gos = append(gos, e)
		case e.kind == evDone && e.explicit():
			dones = true
		default:
			return // an Add, a Wait or an escape in the loop: not this shape
		}
	}
	if len(gos) == 0 {
		return
	}
	goLine := c.line(gos[0].node.Pos())
	newer := ""
	if c.since125(add.at.Pos()) {
		newer = fmt.Sprintf(", or start it with %s.Go(func() { ... })", c.str(k))
	}
	if n, isConst := c.constInt(add.arg); isConst {
		if dones || n != 1 {
			// Done in the loop, or a count for several goroutines: the
			// loop may well run that many times (wg.Add(5) before a
			// range over five connections).
			return
		}
		if _, bounded := c.tripCount(loop); bounded {
			return // a constant number of iterations: left to the author
		}
		repeated := false
		for _, g := range gos {
			repeated = repeated || flow.InCycle(g.block)
		}
		if !repeated {
			return // the loop starts at most one goroutine
		}
		c.r.Report(analysis.Diagnostic{
			Pos: add.at.Pos(),
			End: add.at.End(),
			Message: fmt.Sprintf("%s is called once before the loop, but the loop starts a goroutine calling %s.Done() on every iteration (line %d): call %s.Add(1) in the loop, just before the go statement%s",
				render(add.at), c.str(k), goLine, c.str(k), newer),
			Related: []analysis.RelatedInformation{{Pos: gos[0].node.Pos(), End: gos[0].node.End(), Message: "the goroutine started on each iteration"}},
		})
		return
	}
	if !c.countsIterations(add.arg, loop) {
		return
	}
	// Can an iteration reach the next one, or leave the loop, without
	// starting the goroutine or calling Done itself?
	body := c.loopBody(fn, loop)
	if body == nil {
		return
	}
	settled := make(map[ast.Node]bool)
	for _, e := range fn.byKey[k] {
		if e.kind == evGo || e.kind == evDone || e.kind == evEscape {
			settled[e.node] = true
		}
	}
	dead := c.deadCalls(fn)
	w := walker{stop: func(n ast.Node) bool { return settled[n] }, dead: func(n ast.Node) bool { return dead[n] || c.isGoexit(endCall(n)) }}
	next := c.nextIteration(loop)
	if _, _, ok := w.find(body, -1, nil, next); !ok {
		return
	}
	c.r.Report(analysis.Diagnostic{
		Pos: add.at.Pos(),
		End: add.at.End(),
		Message: fmt.Sprintf("%s counts every iteration of the loop, but an iteration can skip the go statement on line %d (continue, break or a condition), so %s.Wait() blocks forever: call %s.Add(1) just before the go statement instead%s",
			render(add.at), goLine, c.str(k), c.str(k), newer),
		Related: []analysis.RelatedInformation{{Pos: gos[0].node.Pos(), End: gos[0].node.End(), Message: "the goroutine not started on every iteration"}},
	})
}

// loopWorth returns the Done calls made for a WaitGroup by the
// goroutines that loop starts, when they are known: the loop runs a
// constant number of times, cannot end early (no break, return or
// goto), and starts each of its goroutines, worth one Done, on every
// iteration.
func (c *checker) loopWorth(fn *function, loop ast.Stmt, evs []*event) (int64, bool) {
	trips, bounded := c.tripCount(loop)
	if !bounded {
		return 0, false
	}
	early := false
	ast.Inspect(loop, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			early = true
		case *ast.BranchStmt:
			early = early || n.Tok != token.CONTINUE || n.Label != nil
		}
		return !early
	})
	if early {
		return 0, false
	}
	body := c.loopBody(fn, loop)
	if body == nil {
		return 0, false
	}
	for _, e := range evs {
		if e.kind != evGo || e.worth != 1 {
			return 0, false
		}
		if loops := c.enclosingLoops(fn, e.node); len(loops) == 0 || loops[0] != loop {
			return 0, false // in a nested loop
		}
		w := walker{stop: isNode(e.node)}
		if _, _, skipped := w.find(body, -1, nil, c.nextIteration(loop)); skipped {
			return 0, false // not started on every iteration
		}
	}
	return trips * int64(len(evs)), true
}

// loopBody returns the block where an iteration of loop begins.
func (c *checker) loopBody(fn *function, loop ast.Stmt) *cfg.Block {
	for _, b := range fn.CFG.Blocks {
		if b.Stmt == loop && (b.Kind == cfg.KindRangeBody || b.Kind == cfg.KindForBody) && b.Live {
			return b
		}
	}
	return nil
}

// nextIteration returns the goal of the blocks that end an iteration
// of loop: the next one's test, its post statement, or the loop's end.
func (c *checker) nextIteration(loop ast.Stmt) func(*cfg.Block) bool {
	return func(b *cfg.Block) bool {
		if b.Stmt != loop {
			return false
		}
		switch b.Kind {
		case cfg.KindRangeLoop, cfg.KindRangeDone, cfg.KindForLoop, cfg.KindForPost, cfg.KindForDone:
			return true
		}
		return false
	}
}

// eventsIn returns fn's events of k in the statement s.
func (c *checker) eventsIn(fn *function, k key, s ast.Stmt) []*event {
	var out []*event
	for _, e := range fn.byKey[k] {
		if e.node.Pos() >= s.Pos() && e.node.Pos() < s.End() {
			out = append(out, e)
		}
	}
	return out
}

// loopOf returns the for or range statement s is, possibly labelled.
func loopOf(s ast.Stmt) ast.Stmt {
	for {
		switch l := s.(type) {
		case *ast.LabeledStmt:
			s = l.Stmt
		case *ast.ForStmt, *ast.RangeStmt:
			return l
		default:
			return nil
		}
	}
}

// countsIterations reports whether the Add argument arg is the number of
// iterations of loop: len(xs) for range xs, n for range n, and n for
// for i := 0; i < n; i++.
func (c *checker) countsIterations(arg ast.Expr, loop ast.Stmt) bool {
	info := c.pass.TypesInfo
	arg = ast.Unparen(arg)
	switch l := loop.(type) {
	case *ast.RangeStmt:
		if call, ok := arg.(*ast.CallExpr); ok && len(call.Args) == 1 {
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
				if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "len" {
					return c.sameExpr(call.Args[0], l.X)
				}
			}
		}
		if t, ok := info.TypeOf(l.X).Underlying().(*types.Basic); ok && t.Info()&types.IsInteger != 0 {
			return c.sameExpr(arg, l.X)
		}
	case *ast.ForStmt:
		init, ok := l.Init.(*ast.AssignStmt)
		if !ok || len(init.Lhs) != 1 || len(init.Rhs) != 1 {
			return false
		}
		if v, ok := c.constInt(init.Rhs[0]); !ok || v != 0 {
			return false
		}
		cond, ok := ast.Unparen(l.Cond).(*ast.BinaryExpr)
		if !ok || cond.Op != token.LSS || !c.sameExpr(cond.X, init.Lhs[0]) {
			return false
		}
		post, ok := l.Post.(*ast.IncDecStmt)
		if !ok || post.Tok != token.INC || !c.sameExpr(post.X, init.Lhs[0]) {
			return false
		}
		return c.sameExpr(cond.Y, arg)
	}
	return false
}

// sameExpr reports whether a and b are written alike and their
// identifiers denote the same objects.
func (c *checker) sameExpr(a, b ast.Expr) bool {
	if types.ExprString(ast.Unparen(a)) != types.ExprString(ast.Unparen(b)) {
		return false
	}
	var ia, ib []types.Object
	collect := func(e ast.Expr, out *[]types.Object) {
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				*out = append(*out, c.pass.TypesInfo.ObjectOf(id))
			}
			return true
		})
	}
	collect(a, &ia)
	collect(b, &ib)
	if len(ia) != len(ib) {
		return false
	}
	for i := range ia {
		if ia[i] != ib[i] {
			return false
		}
	}
	return true
}

// tripCount returns the number of iterations of loop when it is a
// constant: range over a constant integer or an array, or for i := a;
// i < b; i++ with constants a and b.
func (c *checker) tripCount(loop ast.Stmt) (int64, bool) {
	info := c.pass.TypesInfo
	switch l := loop.(type) {
	case *ast.RangeStmt:
		if v, ok := c.constInt(l.X); ok {
			return v, true
		}
		t := info.TypeOf(l.X)
		if t == nil {
			return 0, false
		}
		if a, ok := deref(t).Underlying().(*types.Array); ok {
			return a.Len(), true
		}
	case *ast.ForStmt:
		init, ok := l.Init.(*ast.AssignStmt)
		if !ok || len(init.Rhs) != 1 {
			return 0, false
		}
		from, ok := c.constInt(init.Rhs[0])
		if !ok {
			return 0, false
		}
		cond, ok := ast.Unparen(l.Cond).(*ast.BinaryExpr)
		if !ok {
			return 0, false
		}
		to, ok := c.constInt(cond.Y)
		if !ok {
			return 0, false
		}
		if post, ok := l.Post.(*ast.IncDecStmt); !ok || post.Tok != token.INC {
			return 0, false
		}
		switch cond.Op {
		case token.LSS:
			return max(to-from, 0), true
		case token.LEQ:
			return max(to-from+1, 0), true
		}
	}
	return 0, false
}

// checkWaitInLoops reports a Wait inside a loop that starts the
// goroutines it waits for without adding for them in the loop.
func (c *checker) checkWaitInLoops(fn *function) {
	for _, w := range fn.events {
		if w.kind != evWait || w.deferred || !w.explicit() || !flow.InCycle(w.block) {
			continue
		}
		for _, loop := range c.enclosingLoops(fn, w.node) {
			evs := c.eventsIn(fn, w.key, loop)
			starts, adds := false, false
			for _, e := range evs {
				switch e.kind {
				case evGo:
					starts = starts || e.worth == 1
				case evAdd, evEscape:
					adds = true
				}
			}
			if adds {
				break // the loop adds per iteration (or we can't tell)
			}
			if starts {
				c.r.Report(analysis.Diagnostic{
					Pos: w.at.Pos(),
					End: w.at.End(),
					Message: fmt.Sprintf("%s inside the loop that starts the goroutines it waits for, while nothing in the loop adds to %s: the first Wait waits for goroutines not started yet (or the counter goes negative); wait after the loop, or call %s.Add(1) before each go statement",
						render(w.at), c.str(w.key), c.str(w.key)),
				})
				break
			}
		}
	}
}

// enclosingLoops returns the for and range statements of fn that contain
// node n, innermost first.
func (c *checker) enclosingLoops(fn *function, n ast.Node) []ast.Stmt {
	var path, found []ast.Node
	ast.Inspect(fn.Body, func(x ast.Node) bool {
		if x == nil {
			path = path[:len(path)-1]
			return true
		}
		if found != nil {
			return false
		}
		if _, ok := x.(*ast.FuncLit); ok {
			return false // its loops are another function's
		}
		if n.Pos() < x.Pos() || n.Pos() >= x.End() {
			return false
		}
		if x == n {
			found = append([]ast.Node{}, path...)
			return false
		}
		path = append(path, x)
		return true
	})
	var out []ast.Stmt
	for i := len(found) - 1; i >= 0; i-- {
		if s, ok := found[i].(ast.Stmt); ok && loopOf(s) == s {
			out = append(out, s)
		}
	}
	return out
}

// constInt64 returns the value of an integer constant.
func constInt64(v constant.Value) (int64, bool) {
	v = constant.ToInt(v)
	if v.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(v)
}

// plural returns "n thing" or "n things".
func plural(n int64, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
