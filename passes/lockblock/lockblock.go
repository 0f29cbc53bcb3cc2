package lockblock

import (
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/cfgs"
	"github.com/leaklint/leaklint/internal/locks"
	"github.com/leaklint/leaklint/internal/report"
	"github.com/leaklint/leaklint/internal/resolve"
)

//go:embed doc.go
var docText string

// Config holds the pass's settings.
type Config struct {
	// Stall reports every operation that can wait without bound while a
	// lock is held, not only those that can deadlock with the lock's
	// other users.
	Stall bool
}

// New returns a lockblock analyzer with its own copy of cfg. Its flag
// -stall (-lockblock.stall) sets Config.Stall.
func New(cfg Config) *analysis.Analyzer {
	return analysisutil.NewPass(analysisutil.PassSpec[Config]{
		Name:      "lockblock",
		DocText:   docText,
		Requires:  []*analysis.Analyzer{locks.Analyzer, cfgs.Analyzer, inspect.Analyzer, resolve.Analyzer},
		FactTypes: []analysis.Fact{new(mayBlock)},
		Flags: func(fs *flag.FlagSet, c *Config) {
			fs.BoolVar(&c.Stall, "stall", c.Stall, "also report waits that stall the lock's other users without being able to deadlock with them: sleeps, I/O, waits whose partners are unknown or don't need the lock")
		},
		Run: run,
	}, cfg)
}

// Analyzer is the lockblock analyzer with the default configuration.
var Analyzer = New(Config{})

type checker struct {
	pass  *analysis.Pass
	conf  *Config
	r     *report.Reporter
	res   *locks.Result
	ops   map[ast.Node][]*op // by function node
	facts map[*types.Func]*mayBlock
	byObj map[*types.Func]*locks.Func
	// buffered lists the channel variables and fields that every make in
	// the package gives a constant, non-zero capacity.
	buffered map[types.Object]bool
	// tokens lists the channel variables and fields used as token pools:
	// made buffered and filled in a loop, then taken and given back.
	tokens map[types.Object]bool
	// sites counts the acquisition sites of each lock identity (a field,
	// or a variable) in the package.
	sites map[types.Object]int
	// partners maps channels and WaitGroups to the functions that can end
	// a wait on them; built on first use.
	partners    map[partnerKey][]*locks.Func // memo of partnersOf
	direct      map[partnerKey][]*locks.Func // the partners themselves, without their callers
	closers     map[types.Object][]*locks.Func
	pending     []*pendingOp // see findPartners
	funcIndex   map[*locks.Func]int
	callerMap   map[*types.Func][]*locks.Func
	made        map[*types.Var]*ast.CallExpr // see madeLocals
	makes       map[token.Pos]*ast.CallExpr  // the package's make calls, by left parenthesis
	onlyMade    map[types.Object]bool        // see madeHere
	deepWaits   map[*locks.Func]bool         // see waitsDeep
	methodNames map[string]bool
	// inner marks the partners that run only inside another partner: a
	// function of the package that the package calls, or a literal
	// deferred or called where it is written. The others are where a
	// goroutine able to end a wait starts.
	inner map[*locks.Func]bool
	byLit map[*ast.FuncLit]*locks.Func
	// goCalls holds the calls of go statements: the callee runs on a
	// goroutine of its own, not as part of the function that starts it.
	goCalls map[*ast.CallExpr]bool
}

func run(pass *analysis.Pass, conf *Config) (any, error) {
	r := report.New(pass)
	res := pass.ResultOf[locks.Analyzer].(*locks.Result)
	if res.Broken {
		return nil, nil
	}
	c := &checker{
		pass:  pass,
		conf:  conf,
		r:     r,
		res:   res,
		ops:   make(map[ast.Node][]*op),
		facts: make(map[*types.Func]*mayBlock),
		byObj: make(map[*types.Func]*locks.Func),
	}
	c.buffered = findBuffered(pass)
	c.tokens = findTokenPools(pass)
	cf := pass.ResultOf[cfgs.Analyzer].(*cfgs.CFGs)
	var funcs []*cfgs.Func
	for _, f := range cf.Funcs {
		if f.Root().Decl != nil { // literals at package level are not looked at
			funcs = append(funcs, f)
		}
	}
	for _, fn := range res.Funcs {
		if fn.Obj != nil {
			c.byObj[fn.Obj] = fn
		}
	}
	// The package's may-block facts depend on each other through calls:
	// iterate to a fixed point (each round can only add). The runtime and
	// std's internal packages get none: their channels are the
	// scheduler's and the garbage collector's machinery, not waits a
	// caller can see (the blocking entry points above them are listed).
	machinery := runtimeMachinery(pass.Pkg.Path())
	// Round 0 finds every function's operations; later rounds redo only
	// the functions that call one whose fact appeared in the round before.
	callees := make(map[ast.Node][]*types.Func)
	for _, fn := range funcs {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if g := callee.Of(pass.TypesInfo, call); g != nil && g.Pkg() == pass.Pkg {
					callees[fn.Node] = append(callees[fn.Node], g)
				}
			}
			return true
		})
	}
	added := make(map[*types.Func]bool)
	for changed, round := true, 0; changed; round++ {
		changed = false
		newly := make(map[*types.Func]bool)
		for _, fn := range funcs {
			if round > 0 && !callsAny(callees[fn.Node], added) {
				continue
			}
			ops := c.findOps(fn.Body, fn.Obj)
			c.ops[fn.Node] = ops
			if machinery || fn.Obj == nil || c.facts[fn.Obj] != nil || len(ops) == 0 {
				continue
			}
			if lf := c.byObj[fn.Obj]; lf != nil && len(lf.CallerHeld) > 0 {
				continue // it gives its caller's lock up itself: we can't tell
			}
			// Only a function that blocks on every path gets the fact:
			// one that waits only in some mode (when a child exists,
			// when a flag is set) is not blamed for every call, since
			// the fact can't tell which mode a call takes.
			if fn.CFG == nil {
				continue
			}
			if o := unconditional(fn, ops); o != nil {
				c.facts[fn.Obj] = o.root
				newly[fn.Obj] = true
				changed = true
			}
		}
		added = newly
	}
	for obj, f := range c.facts {
		pass.ExportObjectFact(obj, f)
	}

	c.sites = lockSites(pass, res)
	for _, fn := range res.Funcs {
		if len(fn.Events) == 0 || analysisutil.IsTestCode(pass, fn.Body.Pos()) {
			continue // no locks taken here, or test code (fakes, test helpers)
		}
		c.check(fn)
	}
	if analysisutil.Imports(pass.Pkg, "sync") {
		conds := c.condUses()
		c.checkUnsignalledConds(conds)
		c.checkLostWakeups(conds)
		c.checkStuckCondLoops()
	}
	return nil, nil
}

// check reports the blocking operations of fn reached with a lock held.
func (c *checker) check(fn *locks.Func) {
	ix := fn.Index()
	info := c.pass.TypesInfo
	derived := derivedRoots(info, fn.Body)
	fresh := locks.FreshVars(info, fn.Body)
	for _, o := range c.ops[fn.Node] {
		if o.deepOnly && !c.mayWaitThrough(o.call) {
			continue // a call that cannot lead to a wait: nothing to look at
		}
		b, i := ix.Locate(o.at.Pos())
		if b == nil {
			continue
		}
		held := c.relevant(fn, fn.HeldAt(info, b.Nodes[i]), fresh)
		if o.call != nil && len(held) > 0 && (o.deepOnly || !c.conf.Stall) {
			if c.reportDeep(o, held, fn) || o.deepOnly {
				continue
			}
		}
		if len(held) > 0 {
			held = c.deadlockable(o, held, excluded{fn: true})
		}
		// Operations earlier in the same node don't change the held set
		// in practice (a node is one statement); use the set before it.
		if len(held) == 0 {
			continue
		}
		if cw, ok := o.at.(*ast.CallExpr); ok && c.isCondWait(cw) {
			if !c.condOnOtherLock(fn, cw, held) {
				continue
			}
		}
		if o.io != nil {
			// I/O on the object whose lock is held, or on a value made
			// from it (tx := s.db.Begin(); tx.Exec(...) under s.mu): the
			// lock serializes that object's I/O (crypto/tls's c.out
			// around c.conn.Write, a store's update lock around its
			// transactions). Holding it is the design, not a bug.
			root := derived[o.io]
			if root == nil {
				root = o.io
			}
			var other []locks.Held
			for _, h := range held {
				if h.Path.Root != root && h.Path.Root != o.io {
					other = append(other, h)
				}
			}
			held = other
			if len(held) == 0 {
				continue
			}
		}
		h := held[0]
		if c.r.Suppressed(o.pos) {
			continue
		}
		msg := fmt.Sprintf("%s while %s is held (locked at line %d): every other user of %s waits for it, and a deadlock follows if the other side needs %s; release the lock first",
			o.what, h.Path, c.line(h.By.Pos()), h.Path, h.Path)
		if p := c.partnerTaking(o, h, excluded{fn: true}); p != "" {
			msg = fmt.Sprintf("%s while %s is held (locked at line %d), but %s, which ends this wait, takes %s too: the two goroutines can deadlock; release %s before waiting",
				o.what, h.Path, c.line(h.By.Pos()), p, h.Path, h.Path)
		}
		c.r.Report(analysis.Diagnostic{
			Pos:     o.pos,
			End:     o.end,
			Message: msg,
			Related: []analysis.RelatedInformation{{Pos: h.By.Pos(), Message: fmt.Sprintf("%s is locked here", h.Path)}},
		})
	}
}

// relevant drops from held the locks whose holding cannot stall anyone
// but the holder's own kind:
//
//   - a lock acquired at exactly one site of the package, on an
//     unexported field or a local or unexported variable: it only
//     serializes that one critical section (a pipe's write mutex, a
//     "one Drain at a time" lock), so whoever waits for it wants the same
//     wait anyway;
//   - a lock of an object the function has just made (s := &Server{...}):
//     no other goroutine can hold or want it yet.
func (c *checker) relevant(fn *locks.Func, held []locks.Held, fresh map[*types.Var]bool) []locks.Held {
	var out []locks.Held
	for _, h := range held {
		if fresh[h.Path.Root] {
			continue
		}
		if id := h.Path.Object(); id != nil && !id.Exported() && c.sites[id] == 1 {
			continue
		}
		out = append(out, h)
	}
	return out
}

func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

func (c *checker) shortPos(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
