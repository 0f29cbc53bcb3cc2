package unlock

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/flow"
	"github.com/leaklint/leaklint/internal/locks"
)

// ---- not released ----

// checkReleased reports an acquisition that some path out of the function
// leaves held, and reports whether it reported.
func (c *checker) checkReleased(fn *locks.Func, a site) bool {
	p := a.ev.Path
	if c.deferredBefore(fn, a) {
		return false // a deferred release registered earlier covers it
	}
	if fn.Reacquired[a.ev] && fn.CallerHeld[p] {
		// The function was called with the lock held, gave it up for a
		// while and takes it back: it returns holding it, as it should.
		return false
	}
	var exit func(*cfg.Block) bool // returns only
	if c.cfg.Defer {
		// Strict mode: an explicit panic leaves the lock held if it is
		// recovered. By default panics end paths, like log.Fatal: most
		// are invariant checks that crash the program.
		exit = exitOrPanic(c.pass.TypesInfo)
	}
	hit := flow.Search{
		Covers:   func(n ast.Node) bool { return releasesAfter(fn, n, a, p) || c.redefines(fn, n, a, p) },
		Skip:     func(b *cfg.Block) bool { return fn.RedefinedEntering(c.pass.TypesInfo, b, p) },
		SkipEdge: c.guardedEdges(fn, a),
		Exit:     exit,
	}.From(a.block, a.index-1)
	// From(b, i-1) starts at the acquiring node itself, so that a release
	// later in the same node counts; the acquisition is not a release.
	if hit == nil || !hit.Exit {
		return false
	}
	if c.r.Suppressed(a.ev.Pos()) {
		return true
	}
	what := lockExpr(a.ev)
	never := !anyRelease(fn, p)
	if c.intentional(fn, never) || never && returnsRoot(c.pass.TypesInfo, fn, p) {
		return true
	}
	if never {
		c.r.Report(analysis.Diagnostic{
			Pos: a.ev.Call.Pos(),
			End: a.ev.Call.End(),
			Message: fmt.Sprintf("%s is never released in %s: every later call blocks forever; add defer %s() after it (or, if %s returns holding the lock on purpose, say so in its name or doc comment)",
				what, fn.Name(), unlockExpr(a.ev), fn.Name()),
		})
		return true
	}
	d := analysis.Diagnostic{
		Pos: a.ev.Call.Pos(),
		End: a.ev.Call.End(),
		Message: fmt.Sprintf("%s is not released on every path out of %s: a path leaves %s locked and every later caller blocks; use defer %s() right after locking",
			what, fn.Name(), p, unlockExpr(a.ev)),
	}
	if pos, msg := c.exitDescription(fn, hit, p); pos.IsValid() {
		d.Related = []analysis.RelatedInformation{{Pos: pos, Message: msg}}
	}
	if fix, ok := c.deferFix(fn, a); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	c.r.Report(d)
	return true
}

// deferredBefore reports whether every path from the function's entry to
// acquisition a registers a deferred release of its lock first: the
// deferred call runs at exit whatever happens after a (the pattern
// mu.Lock(); defer mu.Unlock(); ...; mu.Unlock(); wait(); mu.Lock()).
func (c *checker) deferredBefore(fn *locks.Func, a site) bool {
	p := a.ev.Path
	if first, ok := c.syntaxOf(fn).firstDeferredRelease(fn, p); !ok || first >= a.ev.Pos() {
		// Quick exit, and what keeps long functions linear: no deferred
		// release of p comes before a in the source, so no path can
		// register one first.
		return false
	}
	entry := fn.CFG.Blocks[0]
	hit := flow.Search{
		Target: func(n ast.Node) bool { return n == a.node },
		Covers: func(n ast.Node) bool {
			for _, e := range fn.Events[n] {
				if e.Deferred && e.Op.Release() && e.Path == p && e.Pos() < a.ev.Pos() {
					return true
				}
			}
			return false
		},
		Exit: func(*cfg.Block) bool { return false },
	}.From(entry, -1)
	return hit == nil
}

// funcSyntax is what the checks of one function need to know about its
// syntax, computed once per function rather than once per lock site:
// per site, a walk of the whole body makes long functions quadratic.
type funcSyntax struct {
	// around holds, for each CFG node with a lock event, the if
	// statements around it and the block it is in.
	around map[ast.Node]siteContext
	// flags memoises flagSets per block.
	flags map[*ast.BlockStmt][]flagAssign
	// deferred holds the position of each lock's first deferred
	// release, computed on first use.
	deferred map[locks.Path]token.Pos
}

// siteContext is where a lock operation's CFG node sits in the syntax.
type siteContext struct {
	ifs   []ifBranch     // the enclosing if statements, innermost first
	block *ast.BlockStmt // the block whose statement list holds the node, if any
}

// ifBranch is an if statement around a node and the branch (its Body or
// its Else) the node is in; child is neither for a node in the
// condition or the init statement.
type ifBranch struct {
	ifs   *ast.IfStmt
	child ast.Node
}

// flagAssign is an assignment local = true among a block's statements.
type flagAssign struct {
	pos  token.Pos
	name string
}

// syntaxOf returns fn's funcSyntax, computing it on first use with one
// walk of the body.
func (c *checker) syntaxOf(fn *locks.Func) *funcSyntax {
	if fs, ok := c.syntax[fn]; ok {
		return fs
	}
	fs := &funcSyntax{around: make(map[ast.Node]siteContext), flags: make(map[*ast.BlockStmt][]flagAssign)}
	c.syntax[fn] = fs
	var stack []ast.Node
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if _, ok := fn.Events[n]; ok {
			var ctx siteContext
			for i := len(stack) - 2; i >= 0; i-- {
				if ifs, ok := stack[i].(*ast.IfStmt); ok {
					ctx.ifs = append(ctx.ifs, ifBranch{ifs, stack[i+1]})
				}
			}
			if len(stack) > 0 {
				ctx.block, _ = stack[len(stack)-1].(*ast.BlockStmt)
			}
			fs.around[n] = ctx
			return false
		}
		stack = append(stack, n)
		return true
	})
	return fs
}

// firstDeferredRelease returns the position of the first deferred release
// of p in fn, and whether there is one.
func (fs *funcSyntax) firstDeferredRelease(fn *locks.Func, p locks.Path) (token.Pos, bool) {
	if fs.deferred == nil {
		fs.deferred = make(map[locks.Path]token.Pos)
		for _, evs := range fn.Events {
			for _, e := range evs {
				if !e.Deferred || !e.Op.Release() {
					continue
				}
				if old, ok := fs.deferred[e.Path]; !ok || e.Pos() < old {
					fs.deferred[e.Path] = e.Pos()
				}
			}
		}
	}
	pos, ok := fs.deferred[p]
	return pos, ok
}

// flagSets returns the statements of blk that set a local bool variable
// to true (locked := false ... locked = true). Only local variables count:
// a field such as s.closed is state, not a record of the Lock.
func (fs *funcSyntax) flagSets(info *types.Info, fn *locks.Func, blk *ast.BlockStmt) []flagAssign {
	if list, ok := fs.flags[blk]; ok {
		return list
	}
	var list []flagAssign
	for _, st := range blk.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			continue
		}
		lhs, ok := as.Lhs[0].(*ast.Ident)
		if !ok {
			continue
		}
		v, ok := info.ObjectOf(lhs).(*types.Var)
		if !ok || v.Pos() < fn.Body.Pos() || v.Pos() >= fn.Body.End() {
			continue
		}
		if id, ok := as.Rhs[0].(*ast.Ident); ok && id.Name == "true" {
			list = append(list, flagAssign{st.Pos(), lhs.Name})
		}
	}
	fs.flags[blk] = list
	return list
}

// guardedEdges returns the edges the release search of a must not take
// because they contradict the condition under which a locked:
//
//	if b == 10 {            locked := false
//		mu.Lock()           if need { mu.Lock(); locked = true }
//	}                       ...
//	...                     if locked {
//	if b == 10 {                mu.Unlock()
//		mu.Unlock()         }
//	}
//
// The false branch of an if whose condition is the same expression as
// the if around the Lock, or a bool variable set to true next to the
// Lock, is taken to be infeasible (the variables are assumed unchanged).
func (c *checker) guardedEdges(fn *locks.Func, a site) func(from, to *cfg.Block) bool {
	ctx, ok := c.syntaxOf(fn).around[a.node]
	if !ok {
		return nil
	}
	// guards maps a condition to the branch the Lock was under: true for
	// the then-branch, false for the else-branch.
	guards := make(map[string]bool)
	flags := make(map[string]bool)
	// flag records the bool variables set to true among a block's
	// statements after the Lock: past it, "flag" is true and "!flag"
	// false.
	flag := func(blk *ast.BlockStmt) {
		for _, fa := range c.syntaxOf(fn).flagSets(c.pass.TypesInfo, fn, blk) {
			if fa.pos >= a.ev.Pos() {
				flags[fa.name] = true
			}
		}
	}
	mentionsFlag := func(cond ast.Expr) bool {
		found := false
		ast.Inspect(cond, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && flags[id.Name] {
				found = true
			}
			return !found
		})
		return found
	}
	// Every if around the Lock, innermost first, and the branch it is in.
	for _, br := range ctx.ifs {
		switch br.child {
		case br.ifs.Body:
			flag(br.ifs.Body)
			if !mentionsFlag(br.ifs.Cond) {
				// if !locked { mu.Lock(); locked = true }: the
				// flag, not the condition, holds after the Lock.
				guards[types.ExprString(br.ifs.Cond)] = true
			}
		case br.ifs.Else:
			guards[types.ExprString(br.ifs.Cond)] = false
		}
	}
	// A flag set to true right next to the Lock.
	if ctx.block != nil {
		flag(ctx.block)
	}
	for name := range flags {
		guards[name] = true
		guards["!"+name] = false
	}
	if len(guards) == 0 {
		return nil
	}
	return func(from, to *cfg.Block) bool {
		if len(from.Succs) != 2 || len(from.Nodes) == 0 {
			return false
		}
		cond, ok := from.Nodes[len(from.Nodes)-1].(ast.Expr)
		if !ok {
			return false
		}
		then, guarded := guards[types.ExprString(cond)]
		if !guarded {
			return false
		}
		if then {
			return to == from.Succs[1] // the false branch of a true condition
		}
		return to == from.Succs[0]
	}
}

// releasesAfter reports whether node n releases p, counting in the
// acquiring node only the events after the acquisition.
func releasesAfter(fn *locks.Func, n ast.Node, a site, p locks.Path) bool {
	for _, e := range fn.Events[n] {
		if n == a.node && e.Pos() <= a.ev.Pos() && e != a.ev && !e.Deferred {
			continue
		}
		if e.Op.Release() && e.Path == p {
			return true
		}
	}
	return false
}

// redefines reports whether node n, other than a's own, assigns the
// variable p starts from: past it, p names another lock.
func (c *checker) redefines(fn *locks.Func, n ast.Node, a site, p locks.Path) bool {
	return n != a.node && fn.Redefines(c.pass.TypesInfo, n, p)
}

// anyRelease reports whether fn releases p anywhere.
func anyRelease(fn *locks.Func, p locks.Path) bool {
	for _, evs := range fn.Events {
		for _, e := range evs {
			if e.Op.Release() && e.Path == p {
				return true
			}
		}
	}
	return false
}

// exitOrPanic returns the exit predicate of the release search: a return,
// or an explicit call of the builtin panic, which leaves the lock held if
// the panic is recovered.
func exitOrPanic(info *types.Info) func(*cfg.Block) bool {
	return func(b *cfg.Block) bool {
		if b.Return() != nil {
			return true
		}
		return len(b.Succs) == 0 && len(b.Nodes) > 0 && isPanic(info, b.Nodes[len(b.Nodes)-1])
	}
}

func isPanic(info *types.Info, n ast.Node) bool {
	es, ok := n.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	return ok && callee.IsBuiltin(info, call, "panic")
}

// exitDescription describes the exit a search found.
func (c *checker) exitDescription(fn *locks.Func, hit *flow.Hit, p locks.Path) (token.Pos, string) {
	if ret := hit.Block.Return(); ret != nil {
		if ret.Return == fn.Body.Rbrace {
			return ret.Return, fmt.Sprintf("%s ends here with %s still locked", fn.Name(), p)
		}
		return ret.Pos(), fmt.Sprintf("this return leaves %s locked", p)
	}
	if hit.Node != nil {
		return hit.Node.Pos(), fmt.Sprintf("this panic leaves %s locked if it is recovered", p)
	}
	return token.NoPos, ""
}

// intentional reports whether fn shows that it returns holding a lock on
// purpose. A function that never releases the lock may say so in its name
// (lock, acquire anywhere: lockedGet, getLocked, acquireSlot) or its doc
// comment (unlock, release, held, locked, "caller must"); one that
// releases it on some paths only by a name that starts with lock, rlock
// or trylock, or with acquire and names a lock (acquireForkLock returns
// holding it on success; acquire(ctx) is no lock helper).
func (c *checker) intentional(fn *locks.Func, never bool) bool {
	switch n := fn.Node.(type) {
	case *ast.FuncDecl:
		name := strings.ToLower(n.Name.Name)
		if !never {
			// lockShard, rlockAll, tryLockFor; acquireForkLock. A bare
			// "acquire" is not enough: acquire(ctx) usually gets a
			// connection or a slot, not a lock.
			for _, w := range []string{"lock", "rlock", "trylock"} {
				if strings.HasPrefix(name, w) {
					return true
				}
			}
			return strings.HasPrefix(name, "acquire") && strings.Contains(name, "lock")
		}
		for _, w := range []string{"lock", "acquire"} {
			if strings.Contains(name, w) {
				return true
			}
		}
		if n.Doc != nil {
			text := strings.ToLower(n.Doc.Text())
			for _, w := range []string{"unlock", "release", "held", "locked", "caller must"} {
				if strings.Contains(text, w) {
					return true
				}
			}
		}
		return false
	case *ast.FuncLit:
		// A literal that never releases may be a lock callback handed to
		// someone else; only a goroutine can't hand it back, and even a
		// goroutine may lock for the function that started it, which
		// then unlocks (mutexes are not owned by goroutines).
		return never && (!c.startedAsGoroutine(n) || c.outerReleases(n, fn))
	}
	return false
}

// returnsRoot reports whether a return statement of fn hands out the
// variable that owns lock p (return &txn{s: s}): the lock travels with
// the returned value, to be released through it (txn.End()).
func returnsRoot(info *types.Info, fn *locks.Func, p locks.Path) bool {
	if p.Root == nil || p.IsGlobal() {
		return false
	}
	// Values built from the root: the root itself, and local variables
	// assigned from expressions that mention a value built from it
	// (tw := &txn{s: s}; return wrap(tw)).
	built := map[types.Object]bool{p.Root: true}
	mentions := func(e ast.Node) bool {
		found := false
		ast.Inspect(e, func(m ast.Node) bool {
			if id, ok := m.(*ast.Ident); ok && built[info.Uses[id]] {
				found = true
			}
			return !found
		})
		return found
	}
	for changed := true; changed; {
		changed = false
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if _, ok := n.(*ast.FuncLit); ok {
				return false
			}
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, lhs := range as.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok {
					continue
				}
				if obj := info.ObjectOf(id); obj != nil && !built[obj] && mentions(as.Rhs[i]) {
					built[obj] = true
					changed = true
				}
			}
			return true
		})
	}
	found := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if ret, ok := n.(*ast.ReturnStmt); ok {
			for _, r := range ret.Results {
				if mentions(r) {
					found = true
				}
			}
			return false
		}
		return true
	})
	return found
}

// outerReleases reports whether a function enclosing lit releases a lock
// that lit acquires (the same captured variable).
func (c *checker) outerReleases(lit *ast.FuncLit, fn *locks.Func) bool {
	acquired := make(map[locks.Path]bool)
	for _, evs := range fn.Events {
		for _, e := range evs {
			if e.Op.Acquire() {
				acquired[e.Path] = true
			}
		}
	}
	for _, outer := range c.funcs {
		if outer == fn || outer.Body.Pos() > lit.Pos() || lit.End() > outer.Body.End() {
			continue
		}
		for _, evs := range outer.Events {
			for _, e := range evs {
				if e.Op.Release() && acquired[e.Path] {
					return true
				}
			}
		}
	}
	return false
}

// startedAsGoroutine reports whether lit is the function of a go
// statement.
func (c *checker) startedAsGoroutine(lit *ast.FuncLit) bool {
	found := false
	for _, f := range c.pass.Files {
		if f.FileStart > lit.Pos() || lit.Pos() > f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if g, ok := n.(*ast.GoStmt); ok && ast.Unparen(g.Call.Fun) == lit {
				found = true
			}
			return !found
		})
	}
	return found
}
