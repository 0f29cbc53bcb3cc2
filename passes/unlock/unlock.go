package unlock

import (
	"cmp"
	_ "embed"
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/locks"
	"github.com/leaklint/leaklint/internal/report"
	"github.com/leaklint/leaklint/internal/resolve"
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
	return analysisutil.NewPass(analysisutil.PassSpec[Config]{
		Name:     "unlock",
		DocText:  docText,
		Requires: []*analysis.Analyzer{locks.Analyzer, resolve.Analyzer},
		Flags: func(fs *flag.FlagSet, c *Config) {
			fs.BoolVar(&c.Defer, "defer", c.Defer, "strict mode: report every Lock whose Unlock is not deferred when the critical section calls something that may panic")
		},
		Run: run,
	}, cfg)
}

// Analyzer is the unlock analyzer with the default configuration.
var Analyzer = New(Config{})

func run(pass *analysis.Pass, cfg *Config) (any, error) {
	r := report.New(pass)
	res := pass.ResultOf[locks.Analyzer].(*locks.Result)
	if res.Broken {
		return nil, nil
	}
	c := &checker{pass: pass, r: r, cfg: cfg, res: res, funcs: res.Funcs, syntax: make(map[*locks.Func]*funcSyntax)}
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
	res   *locks.Result
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
	c.checkBound(fn)
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
