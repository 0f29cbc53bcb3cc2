// Package locks defines the analyzer that finds the lock operations of
// every function, once per package, for the passes that reason about held
// locks (unlock, lockblock, lockorder) to share.
//
// # Lock identity
//
// A lock is a Path: a variable (local, parameter, receiver or package
// global) followed by field selections, so that mu, s.mu, s.inner.mu,
// p.mu through a pointer and an embedded mutex (s.Lock() is s.Mutex)
// each name one lock, and two receivers of the same type name two locks.
// A local variable assigned once from &x.mu is an alias of x.mu. An
// element of a map, slice or array (l.m[url], s.locks[i]) is one Path
// for every key or index: its operations are kept apart (Func.Elems) and
// serve lock classes only, since two equal such Paths may be two locks.
// Locks reached through a call or any other expression are not tracked:
// their operations are ignored. The L of a Cond field made on
// one lock of the same value everywhere in the package (s.cond =
// sync.NewCond(&s.mu), or of s.mu.RLocker()) is that lock (see CondLock).
//
// A Path carries its fields, resolved once per package (Vars), and is the
// lock identity every lock pass uses: Field and Object name "this field
// of every value of the type" (lockblock's partners and single sites),
// Class the lock class of lockorder's graph ("(*pkg.T).mu", "pkg.mu").
//
// # Operations
//
// Lock, RLock, Unlock, RUnlock, TryLock and TryRLock of sync.Mutex and
// sync.RWMutex, Lock and Unlock of a sync.Locker value, each attributed to
// the CFG node (statement) that performs it, deferred ones marked so. A
// call of a function whose Summary says it acquires, releases or takes a
// lock of its receiver, an argument or a global is an operation too, on
// the caller's lock that the argument names.
//
// # Summaries
//
// Each function with operations on locks it can name from outside (its
// receiver, parameters, package globals) gets a Summary fact: the locks it
// returns holding, the locks it releases for its caller, and the locks it
// takes (and releases) itself. Facts travel across packages.
package locks

import (
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/cfgs"
)

// Analyzer finds the lock operations of a package's functions. Its
// result is a *Result.
var Analyzer = &analysis.Analyzer{
	Name:       "leaklintlocks",
	Doc:        "find lock operations and summarise them across functions for the leaklint lock passes",
	URL:        "https://pkg.go.dev/github.com/leaklint/leaklint/internal/locks",
	Requires:   []*analysis.Analyzer{cfgs.Analyzer},
	ResultType: reflect.TypeFor[*Result](),
	FactTypes:  []analysis.Fact{new(Summary), new(hasSummaries)},
}

// hasSummaries is the package fact that the package exports at least one
// Summary: a package that imports neither sync nor such a package has no
// lock operations to find.
type hasSummaries struct{}

func (*hasSummaries) AFact()         {}
func (*hasSummaries) String() string { return "hasSummaries" }

func init() { analysisutil.Install(Analyzer, run) }

// Result holds the lock operations of a package's functions.
type Result struct {
	// Broken reports a package with type errors: nothing was analysed.
	Broken bool
	Funcs  []*Func
	byNode map[ast.Node]*Func
	conds  map[types.Object]CondLock // see Cond
}

// Func returns the analysis of a function declaration or literal, or nil.
func (r *Result) Func(n ast.Node) *Func { return r.byNode[n] }

func run(pass *analysis.Pass) (any, error) {
	c := pass.ResultOf[cfgs.Analyzer].(*cfgs.CFGs)
	res := &Result{byNode: make(map[ast.Node]*Func)}
	if c.Broken {
		res.Broken = true
		return res, nil
	}
	// Quick exit: no lock can be operated on without importing sync,
	// directly or through a helper from a package whose summaries we
	// would import; a package that imports neither sync nor anything
	// with summaries has nothing to find.
	if !analysisutil.Imports(pass.Pkg, "sync") && !analysisutil.ImportsFact(pass, new(hasSummaries)) {
		return res, nil
	}
	b := &builder{pass: pass, res: res, summaries: make(map[*types.Func]*Summary), relevant: make(map[*types.Func]bool)}
	b.conds = b.findConds(pass.Files)
	res.conds = b.conds
	for _, f := range c.Funcs {
		if f.CFG == nil || f.Root().Decl == nil {
			continue // no CFG, or a literal at package level
		}
		b.add(f)
	}
	// Summaries of the package's functions depend on each other through
	// calls: iterate to a fixed point (bounded, to be safe with deep
	// mutual recursion; each round can only add).
	for _, fn := range res.Funcs {
		b.collect(fn)
	}
	// Round 0 scans every function; later rounds only those that call a
	// function whose summary changed in the round before.
	var changed map[*types.Func]bool
	for round := 0; round < 8; round++ {
		var dirty []*Func
		// Backwards: a literal comes after the function holding it, and
		// a closure variable's calls take the literal's events.
		for i := len(res.Funcs) - 1; i >= 0; i-- {
			fn := res.Funcs[i]
			if round == 0 || fn.callsAny(changed) {
				b.scan(fn)
				dirty = append(dirty, fn)
			}
		}
		changed = make(map[*types.Func]bool)
		for _, fn := range dirty {
			if fn.Obj == nil {
				continue
			}
			fn.relAlways = nil // the events may have changed
			s := b.summarise(fn)
			if old := b.summaries[fn.Obj]; old == nil && !s.empty() || old != nil && !old.equal(s) {
				b.summaries[fn.Obj] = s
				changed[fn.Obj] = true
			}
		}
		if len(changed) == 0 {
			break
		}
	}
	for _, fn := range res.Funcs {
		if len(fn.Events) > 0 {
			fn.Reacquired = b.reacquired(fn)
			fn.CallerHeld = callerHeld(fn)
			fn.splitElems()
		}
	}
	exported := false
	for _, fn := range res.Funcs {
		if s := b.summaries[fn.Obj]; fn.Obj != nil && s != nil && !s.empty() {
			pass.ExportObjectFact(fn.Obj, s)
			exported = true
		}
	}
	if exported {
		pass.ExportPackageFact(new(hasSummaries))
	}
	return res, nil
}
