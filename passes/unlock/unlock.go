package unlock

import (
	"cmp"
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/doc"
	"github.com/leaklint/leaklint/internal/flow"
	"github.com/leaklint/leaklint/internal/locks"
	"github.com/leaklint/leaklint/internal/report"
)

//go:embed doc.go
var docText string

// Config holds the pass's settings.
type Config struct {
	// Defer turns on the strict rule: a Lock whose release is not
	// deferred is reported when the critical section may panic.
	Defer bool
}

// New returns an unlock analyzer with its own copy of cfg. Its flag
// -defer (-unlock.defer on the command line) sets Config.Defer.
func New(cfg Config) *analysis.Analyzer {
	c := new(Config)
	*c = cfg
	a := &analysis.Analyzer{
		Name:     "unlock",
		Doc:      doc.MustExtract(docText, "unlock"),
		URL:      "https://pkg.go.dev/github.com/leaklint/leaklint/passes/unlock",
		Requires: []*analysis.Analyzer{locks.Analyzer},
	}
	a.Flags.BoolVar(&c.Defer, "defer", c.Defer, "strict mode: report every Lock whose Unlock is not deferred when the critical section calls something that may panic")
	analysisutil.Install(a, func(pass *analysis.Pass) (any, error) {
		return run(pass, c)
	})
	return a
}

// Analyzer is the unlock analyzer with the default configuration.
var Analyzer = New(Config{})

func run(pass *analysis.Pass, cfg *Config) (any, error) {
	r := report.New(pass)
	res := pass.ResultOf[locks.Analyzer].(*locks.Result)
	if res.Broken {
		return nil, nil
	}
	c := &checker{pass: pass, r: r, cfg: cfg, funcs: res.Funcs, syntax: make(map[*locks.Func]*funcSyntax)}
	for _, fn := range res.Funcs {
		if len(fn.Events) == 0 {
			continue // quick exit: no lock operations
		}
		if r.Generated(fn.Body.Pos()) {
			continue // nothing is reported in generated files
		}
		if analysisutil.IsTestCode(pass, fn.Body.Pos()) {
			// Tests and their helpers (files that import testing,
			// testutil packages) lock in odd ways on purpose: deadlock
			// tests, a global lock held from Setup to Cleanup.
			continue
		}
		c.checkFunc(fn)
	}
	return nil, nil
}

type checker struct {
	pass  *analysis.Pass
	r     *report.Reporter
	cfg   *Config
	funcs []*locks.Func
	// syntax memoises syntaxOf per function.
	syntax map[*locks.Func]*funcSyntax
}

// site is one lock event and where it is in the CFG.
type site struct {
	ev    *locks.Event
	node  ast.Node
	block *cfg.Block
	index int
}

func (c *checker) checkFunc(fn *locks.Func) {
	ix := fn.Index()
	var acquires []site
	var all []site
	for node, evs := range fn.Events {
		b, i := ix.Locate(node.Pos())
		if b == nil {
			continue
		}
		for _, e := range evs {
			s := site{e, node, b, i}
			all = append(all, s)
			if e.Op.Acquire() && !e.Takes && !e.Deferred {
				acquires = append(acquires, s)
			}
		}
	}
	sortSites(acquires)
	sortSites(all)
	reported := make(map[locks.Path]bool) // one leak finding per lock and function
	for _, a := range acquires {
		p := a.ev.Path
		if fn.Handed[p] || fn.Try[p] {
			continue // released where we can't see, or held only if TryLock said so
		}
		if !reported[p] {
			reported[p] = c.checkReleased(fn, a)
		}
		c.checkRelock(fn, a)
		c.checkMismatch(fn, a)
		if c.cfg.Defer {
			c.checkDeferred(fn, a)
		}
	}
	c.checkDeferLock(fn)
	c.checkDoubleUnlock(fn, all)
}

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

// ---- taken again while held ----

// firstOn returns the first event on p in node n after position after
// (token.NoPos for all), ignoring deferred events, which happen at exit.
func firstOn(fn *locks.Func, n ast.Node, p locks.Path, after token.Pos) *locks.Event {
	for _, e := range fn.Events[n] {
		if e.Path == p && !e.Deferred && e.Pos() > after {
			return e
		}
	}
	return nil
}

// checkRelock reports a path from acquisition a to another acquisition of
// the same lock with no release in between (a deferred release does not
// count: it happens at exit).
func (c *checker) checkRelock(fn *locks.Func, a site) {
	p := a.ev.Path
	var found *locks.Event
	// The rest of a's own node first.
	if e := firstOn(fn, a.node, p, a.ev.Pos()); e != nil {
		if e.Op.Release() {
			return
		}
		found = e
	} else {
		hit := flow.Search{
			Target: func(n ast.Node) bool {
				e := firstOn(fn, n, p, token.NoPos)
				if e != nil && (e.Op.Acquire() || e.Op == locks.TryLock || e.Op == locks.TryRLock) {
					found = e
					return true
				}
				return false
			},
			Covers: func(n ast.Node) bool {
				e := firstOn(fn, n, p, token.NoPos)
				return e != nil && e.Op.Release() || fn.Redefines(c.pass.TypesInfo, n, p)
			},
			Skip:     func(b *cfg.Block) bool { return fn.RedefinedEntering(c.pass.TypesInfo, b, p) },
			SkipEdge: c.guardedEdges(fn, a),
			Exit:     func(*cfg.Block) bool { return false },
		}.From(a.block, a.index)
		if hit == nil {
			return
		}
	}
	if found == nil || found.Op == locks.TryLock || found.Op == locks.TryRLock || c.r.Suppressed(found.Pos()) {
		return // a TryLock while held just fails: no deadlock
	}
	if found.Takes && !found.Always {
		// The callee locks only on some paths (often under a flag such
		// as a "locked bool" parameter): we can't tell whether this call
		// takes one of them.
		return
	}
	both := a.ev.Op.Read() && found.Op.Read()
	var msg string
	switch {
	case found == a.ev && both:
		msg = fmt.Sprintf("%s is read-locked again on the next iteration while the read lock is still held: a writer waiting in between blocks both, a deadlock", p)
	case found == a.ev:
		msg = fmt.Sprintf("%s is locked again on the next iteration while still held (no release on the way round): the goroutine deadlocks on itself", p)
	case found.Via != nil && both:
		msg = fmt.Sprintf("%s read-locks %s while this function holds a read lock on it (line %d): a writer waiting in between blocks both, a deadlock",
			found.Via.Name(), p, c.line(a.ev.Pos()))
	case found.Via != nil:
		msg = fmt.Sprintf("%s locks %s, which is already held here (locked at line %d): the goroutine deadlocks on itself; call a variant that expects the lock held",
			found.Via.Name(), p, c.line(a.ev.Pos()))
	case both:
		msg = fmt.Sprintf("%s is read-locked again while a read lock from line %d is still held: a writer waiting in between blocks both, a deadlock",
			p, c.line(a.ev.Pos()))
	default:
		msg = fmt.Sprintf("%s is locked again while still held (locked at line %d): the goroutine deadlocks on itself", p, c.line(a.ev.Pos()))
	}
	d := analysis.Diagnostic{
		Pos:     found.Call.Pos(),
		End:     found.Call.End(),
		Message: msg,
	}
	if found != a.ev {
		d.Related = []analysis.RelatedInformation{{Pos: a.ev.Call.Pos(), Message: fmt.Sprintf("%s is acquired here", p)}}
	}
	c.r.Report(d)
}

// ---- released the wrong way ----

// checkMismatch reports the first release of a's lock on some path when
// it is of the other kind (Lock ... RUnlock, RLock ... Unlock).
func (c *checker) checkMismatch(fn *locks.Func, a site) {
	p := a.ev.Path
	var bad *locks.Event
	hit := flow.Search{
		Target: func(n ast.Node) bool {
			for _, e := range fn.Events[n] {
				if n == a.node && e.Pos() <= a.ev.Pos() {
					continue
				}
				if e.Path == p && e.Op.Release() && e.Op.Read() != a.ev.Op.Read() {
					bad = e
					return true
				}
			}
			return false
		},
		Covers:   func(n ast.Node) bool { return releasesAfter(fn, n, a, p) || c.redefines(fn, n, a, p) },
		Skip:     func(b *cfg.Block) bool { return fn.RedefinedEntering(c.pass.TypesInfo, b, p) },
		SkipEdge: c.guardedEdges(fn, a),
		Exit:     func(*cfg.Block) bool { return false },
	}.From(a.block, a.index-1)
	if hit == nil || bad == nil || c.r.Suppressed(bad.Pos()) {
		return
	}
	want := "Unlock"
	if a.ev.Op.Read() {
		want = "RUnlock"
	}
	c.r.Report(analysis.Diagnostic{
		Pos: bad.Call.Pos(),
		End: bad.Call.End(),
		Message: fmt.Sprintf("%s was acquired with %s (line %d) but is released with %s: use %s",
			p, a.ev.Op, c.line(a.ev.Pos()), bad.Op, want),
		Related: []analysis.RelatedInformation{{Pos: a.ev.Call.Pos(), Message: fmt.Sprintf("%s acquired here", p)}},
	})
}

// checkDeferLock reports defer mu.Lock() (or RLock) right after mu.Lock():
// the deferred call meant to release the lock takes it again at exit.
func (c *checker) checkDeferLock(fn *locks.Func) {
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		block, ok := n.(*ast.BlockStmt)
		if !ok {
			return true
		}
		for i := 1; i < len(block.List); i++ {
			d, ok := block.List[i].(*ast.DeferStmt)
			if !ok {
				continue
			}
			de := eventOf(fn, d, func(e *locks.Event) bool { return e.Op.Acquire() && e.Deferred && e.Via == nil })
			if de == nil {
				continue
			}
			prev := eventOf(fn, block.List[i-1], func(e *locks.Event) bool {
				return e.Op.Acquire() && !e.Deferred && e.Path == de.Path
			})
			if prev == nil || c.r.Suppressed(de.Pos()) {
				continue
			}
			sel := ast.Unparen(de.Call.Fun).(*ast.SelectorExpr)
			want := "Unlock"
			if prev.Op.Read() {
				want = "RUnlock"
			}
			c.r.Report(analysis.Diagnostic{
				Pos:     de.Call.Pos(),
				End:     de.Call.End(),
				Message: fmt.Sprintf("defer %s() right after locking takes %s again when the function returns: did you mean defer %s.%s()?", types.ExprString(de.Call.Fun), de.Path, types.ExprString(sel.X), want),
				SuggestedFixes: []analysis.SuggestedFix{{
					Message:   fmt.Sprintf("Replace with defer %s.%s()", types.ExprString(sel.X), want),
					TextEdits: []analysis.TextEdit{{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte(want)}},
				}},
			})
		}
		return true
	})
}

// eventOf returns the first event of the CFG node stmt that satisfies ok.
func eventOf(fn *locks.Func, stmt ast.Node, ok func(*locks.Event) bool) *locks.Event {
	for _, e := range fn.Events[stmt] {
		if ok(e) {
			return e
		}
	}
	return nil
}

// ---- double unlock ----

// state is what is certainly known of a lock at a point: how many times
// it is held (1 after Lock, 2 after a second Lock, which deadlocks but is
// reported as such), released (0) after its last release, or unknown.
type state int

const (
	unknown  state = -1 // the caller may hold it, or paths disagree
	released state = 0  // released on every path here, after an acquisition
)

// checkDoubleUnlock reports releases of a lock that is certainly released
// already on every path reaching them: unlocking an unlocked mutex is a
// fatal error at run time.
func (c *checker) checkDoubleUnlock(fn *locks.Func, all []site) {
	seen := make(map[locks.Path]bool)
	for _, s := range all {
		p := s.ev.Path
		if seen[p] || !s.ev.Op.Release() || s.ev.Deferred || fn.Handed[p] || fn.Try[p] {
			continue
		}
		seen[p] = true
		c.doubleUnlock(fn, p)
	}
}

// doubleUnlock runs a forward must-analysis of lock p over fn's CFG.
func (c *checker) doubleUnlock(fn *locks.Func, p locks.Path) {
	g := fn.CFG
	preds := make(map[*cfg.Block][]*cfg.Block)
	for _, b := range g.Blocks {
		for _, s := range b.Succs {
			preds[s] = append(preds[s], b)
		}
	}
	type fact struct {
		st  state
		rel token.Pos // the release that made it released
	}
	// step applies node n's events to f, calling onRelease for each
	// release with the state before it.
	step := func(n ast.Node, f fact, onRelease func(*locks.Event, fact)) fact {
		for _, e := range fn.Events[n] {
			if e.Path != p || e.Deferred || e.Takes {
				continue
			}
			switch {
			case e.Op.Acquire() && f.st <= released:
				f = fact{1, token.NoPos}
			case e.Op.Acquire():
				f = fact{f.st + 1, token.NoPos}
			case e.Op.Release():
				if onRelease != nil {
					onRelease(e, f)
				}
				switch {
				case f.st == unknown:
				case f.st > 1:
					f = fact{f.st - 1, token.NoPos}
				default:
					f = fact{released, e.Pos()}
				}
			}
		}
		return f
	}
	in := make(map[*cfg.Block]fact)
	out := make(map[*cfg.Block]fact)
	done := make(map[*cfg.Block]bool) // out computed
	entry := g.Blocks[0]
	for changed := true; changed; {
		changed = false
		for _, b := range g.Blocks {
			if !b.Live {
				continue
			}
			f, any := fact{unknown, token.NoPos}, b == entry
			if b != entry {
				for _, pr := range preds[b] {
					if !done[pr] {
						continue // not reached yet: optimistic
					}
					if !any {
						f, any = out[pr], true
					} else if out[pr].st != f.st {
						f = fact{unknown, token.NoPos}
					}
				}
			}
			if !any {
				continue
			}
			in[b] = f
			for _, n := range b.Nodes {
				f = step(n, f, nil)
			}
			if !done[b] || out[b] != f {
				out[b], done[b] = f, true
				changed = true
			}
		}
	}
	for _, b := range g.Blocks {
		if !b.Live || !done[b] {
			continue
		}
		f := in[b]
		for _, n := range b.Nodes {
			f = step(n, f, func(e *locks.Event, before fact) {
				if before.st != released || c.r.Suppressed(e.Pos()) {
					return
				}
				c.r.Report(analysis.Diagnostic{
					Pos:     e.Call.Pos(),
					End:     e.Call.End(),
					Message: fmt.Sprintf("%s is already unlocked here on every path (released at line %d): unlocking an unlocked mutex is a fatal error", p, c.line(before.rel)),
				})
			})
		}
	}
}

// ---- strict mode ----

// checkDeferred reports, in strict mode, an acquisition released without
// defer while the critical section calls something that may panic.
func (c *checker) checkDeferred(fn *locks.Func, a site) {
	p := a.ev.Path
	// Released by a deferred call on every path? Then it's fine.
	deferred := flow.Search{
		Covers: func(n ast.Node) bool {
			for _, e := range fn.Events[n] {
				if e.Op.Release() && e.Path == p && e.Deferred {
					return true
				}
			}
			return false
		},
		Exit: exitOrPanic(c.pass.TypesInfo),
	}.From(a.block, a.index)
	if deferred == nil {
		return
	}
	// The first call in the critical section that may panic.
	var risky *ast.CallExpr
	flow.Search{
		Target: func(n ast.Node) bool {
			if n == a.node {
				return false
			}
			risky = c.mayPanic(fn, n, p)
			return risky != nil
		},
		Covers: func(n ast.Node) bool { return releasesAfter(fn, n, a, p) },
		Exit:   func(*cfg.Block) bool { return false },
	}.From(a.block, a.index)
	if risky == nil || c.r.Suppressed(a.ev.Pos()) {
		return
	}
	c.r.Report(analysis.Diagnostic{
		Pos: a.ev.Call.Pos(),
		End: a.ev.Call.End(),
		Message: fmt.Sprintf("%s is not released with defer, and the critical section calls %s, which may panic: if the panic is recovered %s stays locked; use defer %s()",
			p, types.ExprString(risky.Fun), p, unlockExpr(a.ev)),
		Related: []analysis.RelatedInformation{{Pos: risky.Pos(), Message: "this call may panic"}},
	})
}

// mayPanic returns the first call in node n that may panic: any call but
// a lock operation on p, a conversion, or a builtin that cannot panic.
func (c *checker) mayPanic(fn *locks.Func, n ast.Node, p locks.Path) *ast.CallExpr {
	info := c.pass.TypesInfo
	var found *ast.CallExpr
	ast.Inspect(n, func(m ast.Node) bool {
		if found != nil {
			return false
		}
		if _, ok := m.(*ast.FuncLit); ok {
			return false
		}
		call, ok := m.(*ast.CallExpr)
		if !ok {
			return true
		}
		if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
			return true // a conversion
		}
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
			if b, ok := info.Uses[id].(*types.Builtin); ok {
				switch b.Name() {
				case "len", "cap", "append", "copy", "delete", "min", "max", "new", "clear", "print", "println":
					return true
				}
			}
		}
		for _, e := range fn.Events[n] {
			if e.Call == call {
				return true // the lock operations themselves
			}
		}
		found = call
		return false
	})
	return found
}

// ---- rendering ----

// lockExpr renders the acquiring call: "s.mu.Lock()", or "s.lock()
// (which locks s.mu)".
func lockExpr(e *locks.Event) string {
	if e.Via != nil {
		return fmt.Sprintf("%s() (which locks %s)", types.ExprString(e.Call.Fun), e.Path)
	}
	return types.ExprString(e.Call.Fun) + "()"
}

// unlockExpr renders the matching release call for messages: s.mu.Unlock.
func unlockExpr(e *locks.Event) string {
	name := "Unlock"
	if e.Op.Read() {
		name = "RUnlock"
	}
	if e.Via == nil {
		if sel, ok := ast.Unparen(e.Call.Fun).(*ast.SelectorExpr); ok {
			return types.ExprString(sel.X) + "." + name
		}
	}
	return e.Path.String() + "." + name
}

func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

func sortSites(s []site) {
	// Stable: the events of one node keep their source order.
	slices.SortStableFunc(s, func(a, b site) int { return cmp.Compare(a.ev.Pos(), b.ev.Pos()) })
}
