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
// A local variable assigned once from &x.mu is an alias of x.mu. Locks
// reached through an index, a map, a call or any other expression are not
// tracked: their operations are ignored.
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
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/cfgs"
	"github.com/leaklint/leaklint/internal/flow"
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

// A Path names a lock: a variable and a chain of field names.
type Path struct {
	Root   *types.Var
	Fields string // ".mu", ".inner.mu"; "" for the variable itself
}

// String renders the path as the user wrote it: s.mu.
func (p Path) String() string {
	if p.Root == nil {
		return "?" + p.Fields
	}
	return p.Root.Name() + p.Fields
}

// IsGlobal reports whether the path starts at a package-level variable.
func (p Path) IsGlobal() bool {
	return p.Root != nil && p.Root.Parent() != nil && p.Root.Pkg() != nil && p.Root.Parent() == p.Root.Pkg().Scope()
}

// Op is a kind of lock operation.
type Op int

const (
	Lock Op = iota
	RLock
	Unlock
	RUnlock
	TryLock
	TryRLock
)

var opNames = [...]string{"Lock", "RLock", "Unlock", "RUnlock", "TryLock", "TryRLock"}

func (op Op) String() string { return opNames[op] }

// Acquire reports whether op takes the lock (Lock or RLock).
func (op Op) Acquire() bool { return op == Lock || op == RLock }

// Release reports whether op gives the lock back.
func (op Op) Release() bool { return op == Unlock || op == RUnlock }

// Read reports whether op is a read-lock operation.
func (op Op) Read() bool { return op == RLock || op == RUnlock || op == TryRLock }

// An Event is one lock operation in a function.
type Event struct {
	Op       Op
	Path     Path
	Call     *ast.CallExpr // the call performing it (the helper's call for Via events)
	Deferred bool          // in a defer statement (directly or in a deferred literal)
	// Via is the called function when the operation happens inside it
	// (known by its Summary); nil for a direct Lock/Unlock call.
	Via *types.Func
	// Takes marks an operation inside Via that acquires and releases the
	// lock again before returning: it matters only to a caller that holds
	// the lock already. Always reports whether Via takes it on every path.
	Takes  bool
	Always bool
}

// Pos returns the position of the event's call.
func (e *Event) Pos() token.Pos { return e.Call.Pos() }

// Result holds the lock operations of a package's functions.
type Result struct {
	// Broken reports a package with type errors: nothing was analysed.
	Broken bool
	Funcs  []*Func
	byNode map[ast.Node]*Func
}

// Func returns the analysis of a function declaration or literal, or nil.
func (r *Result) Func(n ast.Node) *Func { return r.byNode[n] }

// A Func is one function and its lock operations.
type Func struct {
	Node ast.Node    // *ast.FuncDecl or *ast.FuncLit
	Obj  *types.Func // nil for literals
	Body *ast.BlockStmt
	CFG  *cfg.CFG
	ix   *flow.Index

	// Events lists the operations of each CFG node, in source order.
	Events map[ast.Node][]*Event
	// Handed lists the locks released by code this function hands on: a
	// function literal started with go, stored, passed or returned that
	// releases the lock, or an Unlock method value that escapes. Whoever
	// runs that code releases the lock; passes stay silent about it.
	Handed map[Path]bool
	// Try lists the locks this function acquires with TryLock/TryRLock.
	Try map[Path]bool

	// Reacquired marks the acquisitions that a release of the same lock
	// in the function can reach: it gave the lock up and takes it back.
	Reacquired map[*Event]bool
	// CallerHeld lists the locks the function releases on some path
	// before acquiring them: its caller holds them on entry.
	CallerHeld map[Path]bool

	calls     map[ast.Node][]callRef
	escapes   []*ast.SelectorExpr
	lockers   []ast.Expr // mutexes whose address is returned or passed on as an interface (a sync.Locker)
	aliases   map[*types.Var]Path
	always    *flow.Always         // which nodes are on every path, built on first use
	relAlways map[Path]bool        // memo of releasedOnEveryPath
	callees   []*types.Func        // this package's functions it calls
	held      map[ast.Node]heldSet // memo of HeldAt
}

// callsAny reports whether fn calls one of the functions in set.
func (f *Func) callsAny(set map[*types.Func]bool) bool {
	if len(set) == 0 {
		return false
	}
	for _, c := range f.callees {
		if set[c] {
			return true
		}
	}
	return false
}

// OnEveryPath reports whether every path from f's entry to a return
// passes CFG node n.
func (f *Func) OnEveryPath(n ast.Node) bool {
	if f.always == nil {
		f.always = flow.NewAlways(f.CFG)
	}
	return f.always.Node(n)
}

// Index returns the position index of f's CFG.
func (f *Func) Index() *flow.Index {
	if f.ix == nil {
		f.ix = flow.NewIndex(f.CFG)
	}
	return f.ix
}

// Name returns the function's name for messages.
func (f *Func) Name() string {
	if d, ok := f.Node.(*ast.FuncDecl); ok {
		return d.Name.Name
	}
	return "the function literal"
}

// Paths returns the locks the function operates on, sorted by name.
func (f *Func) Paths() []Path {
	seen := make(map[Path]bool)
	var out []Path
	for _, evs := range f.Events {
		for _, e := range evs {
			if !seen[e.Path] {
				seen[e.Path] = true
				out = append(out, e.Path)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// A Ref names a lock in a Summary, relative to the function: a parameter
// (0 is the receiver of a method, then the parameters in order) or a
// package-level variable, followed by field names.
type Ref struct {
	Param  int    // -1 for a global
	Global string // "pkg/path.name" when Param is -1
	Fields string
	Read   bool // the read side of an RWMutex
	Always bool // on every path through the function (Takes only)
}

func (r Ref) String() string {
	root := r.Global
	if r.Param >= 0 {
		root = fmt.Sprintf("$%d", r.Param)
	}
	s := root + r.Fields
	if r.Read {
		s += "(R)"
	}
	return s
}

// Summary is the fact that a function operates on locks its callers can
// name.
type Summary struct {
	Acquires []Ref // returns holding these, on every path
	Releases []Ref // releases these, held by its caller, on every path
	Takes    []Ref // acquires and releases these itself
}

func (*Summary) AFact() {}

func (s *Summary) String() string {
	var parts []string
	add := func(name string, refs []Ref) {
		if len(refs) == 0 {
			return
		}
		var rs []string
		for _, r := range refs {
			rs = append(rs, r.String())
		}
		parts = append(parts, name+"("+strings.Join(rs, ",")+")")
	}
	add("acquires", s.Acquires)
	add("releases", s.Releases)
	add("takes", s.Takes)
	return "locks " + strings.Join(parts, " ")
}

func (s *Summary) empty() bool {
	return len(s.Acquires) == 0 && len(s.Releases) == 0 && len(s.Takes) == 0
}

func (s *Summary) equal(t *Summary) bool {
	return reflect.DeepEqual(s, t)
}

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
	if !analysisutil.Imports(pass.Pkg, "sync") && !importsSummaries(pass) {
		return res, nil
	}
	b := &builder{pass: pass, res: res, summaries: make(map[*types.Func]*Summary), relevant: make(map[*types.Func]bool)}
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			b.add(fd, obj, fd.Body, c.FuncDecl(fd))
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if lit, ok := n.(*ast.FuncLit); ok {
					b.add(lit, nil, lit.Body, c.FuncLit(lit))
				}
				return true
			})
		}
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
		for _, fn := range res.Funcs {
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

// importsSummaries reports whether a direct import of the package
// exports lock summaries.
func importsSummaries(pass *analysis.Pass) bool {
	for _, imp := range pass.Pkg.Imports() {
		if pass.ImportPackageFact(imp, new(hasSummaries)) {
			return true
		}
	}
	return false
}

type builder struct {
	pass      *analysis.Pass
	res       *Result
	summaries map[*types.Func]*Summary // this package's, as computed so far
	relevant  map[*types.Func]bool     // memo: may a call of this function operate on locks?
	// releasers maps a named type of the package to the lock classes its
	// methods release without taking them (bbolt's Tx releases the
	// (*DB).rwlock that DB.beginRWTx took); built on first use.
	releasers map[*types.TypeName]map[string]bool
}

func (b *builder) add(n ast.Node, obj *types.Func, body *ast.BlockStmt, g *cfg.CFG) {
	if g == nil {
		return
	}
	fn := &Func{Node: n, Obj: obj, Body: body, CFG: g}
	b.res.Funcs = append(b.res.Funcs, fn)
	b.res.byNode[n] = fn
}

// A callRef is a call in a CFG node that may operate on a lock, found
// once per function; each round of the summary fixed point turns the
// calls into events with the summaries known by then.
type callRef struct {
	call *ast.CallExpr
	kind refKind
	// lock is the operation of a direct lock method call, computed once;
	// nil for a call of a function that may have a summary.
	lock *Event
	fn   *types.Func
}

type refKind int

const (
	direct    refKind = iota // executed by the node
	deferred                 // the call of a defer statement, or in a deferred literal
	handedLit                // inside another function literal: runs elsewhere
)

// collect finds, once, the calls of fn's nodes that may operate on
// locks: lock methods, and static calls of functions that have or may
// get a Summary. It also records escaping Unlock method values.
func (b *builder) collect(fn *Func) {
	info := b.pass.TypesInfo
	fn.calls = make(map[ast.Node][]callRef)
	fn.escapes = nil
	fn.lockers = b.returnedMutexes(fn)
	fn.aliases = b.aliases(fn)
	relevant := func(call *ast.CallExpr) bool {
		f := callee.Of(info, call)
		if f == nil {
			return false
		}
		r, ok := b.relevant[f]
		if !ok {
			_, isLock := lockMethod(f)
			// A function of this package may get a summary in a later
			// round; one of another package has its fact already.
			r = isLock || f.Pkg() == b.pass.Pkg || b.summary(f) != nil
			b.relevant[f] = r
		}
		return r
	}
	for _, blk := range fn.CFG.Blocks {
		if !blk.Live {
			continue
		}
		for _, n := range blk.Nodes {
			var refs []callRef
			add := func(call *ast.CallExpr, kind refKind) {
				if !relevant(call) {
					return
				}
				r := callRef{call: call, kind: kind, fn: callee.Of(info, call)}
				if _, isLock := lockMethod(r.fn); isLock {
					evs := b.callEvents(call, fn.aliases)
					if len(evs) == 0 {
						return // a lock we can't name
					}
					r.lock = evs[0]
				}
				refs = append(refs, r)
			}
			if d, ok := n.(*ast.DeferStmt); ok {
				if lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok {
					// defer func() { mu.Unlock() }(): the literal's
					// operations happen at exit, like a deferred Unlock.
					ast.Inspect(lit.Body, func(m ast.Node) bool {
						if _, ok := m.(*ast.FuncLit); ok {
							return false
						}
						if call, ok := m.(*ast.CallExpr); ok {
							add(call, deferred)
						}
						return true
					})
					fn.calls[n] = refs
					for _, r := range refs {
						if f := callee.Of(info, r.call); f != nil && f.Pkg() == b.pass.Pkg {
							fn.callees = append(fn.callees, f)
						}
					}
					continue
				}
			}
			var stack []ast.Node
			ast.Inspect(n, func(m ast.Node) bool {
				if m == nil {
					stack = stack[:len(stack)-1]
					return true
				}
				switch m := m.(type) {
				case *ast.FuncLit:
					// Code in a literal runs when the literal is called,
					// not here: a release in it hands the lock to
					// whoever calls it (a goroutine, a callback).
					var inner []ast.Node
					ast.Inspect(m.Body, func(k ast.Node) bool {
						if k == nil {
							inner = inner[:len(inner)-1]
							return true
						}
						switch k := k.(type) {
						case *ast.CallExpr:
							add(k, handedLit)
						case *ast.SelectorExpr:
							if len(inner) > 0 {
								if call, ok := inner[len(inner)-1].(*ast.CallExpr); ok && call.Fun == k {
									break
								}
							}
							b.noteEscape(fn, k)
						}
						inner = append(inner, k)
						return true
					})
					return false
				case *ast.SelectorExpr:
					// An Unlock method value that is not called here
					// escapes: return mu.Unlock.
					if len(stack) > 0 {
						if call, ok := stack[len(stack)-1].(*ast.CallExpr); ok && call.Fun == m {
							break
						}
					}
					b.noteEscape(fn, m)
				case *ast.CallExpr:
					fn.lockers = append(fn.lockers, b.lockerArgs(m)...)
					if g, ok := n.(*ast.GoStmt); ok && g.Call == m {
						// go f(x): f runs in another goroutine; its
						// operations are not this function's, but a
						// release there hands the lock to it
						// (go c.resetAndUnlock()).
						add(m, handedLit)
						break
					}
					kind := direct
					if isDeferCall(n, m) {
						kind = deferred
					}
					add(m, kind)
				}
				stack = append(stack, m)
				return true
			})
			if len(refs) > 0 {
				fn.calls[n] = refs
				for _, r := range refs {
					if f := callee.Of(info, r.call); f != nil && f.Pkg() == b.pass.Pkg {
						fn.callees = append(fn.callees, f)
					}
				}
			}
		}
	}
}

// returnedMutexes returns the mutexes whose address fn returns, directly
// or through a result variable (lock = &c.rlock): the caller gets the
// lock to release.
func (b *builder) returnedMutexes(fn *Func) []ast.Expr {
	info := b.pass.TypesInfo
	var sig *types.Signature
	switch n := fn.Node.(type) {
	case *ast.FuncDecl:
		if fn.Obj != nil {
			sig, _ = fn.Obj.Type().(*types.Signature)
		}
	case *ast.FuncLit:
		sig, _ = info.TypeOf(n).(*types.Signature)
	}
	if sig == nil || sig.Results().Len() == 0 {
		return nil
	}
	results := make(map[types.Object]bool)
	for i := 0; i < sig.Results().Len(); i++ {
		results[sig.Results().At(i)] = true
	}
	mutexAddr := func(e ast.Expr) ast.Expr {
		u, ok := ast.Unparen(e).(*ast.UnaryExpr)
		if !ok || u.Op != token.AND {
			return nil
		}
		if t := info.TypeOf(u.X); t != nil && (callee.IsNamed(t, "sync", "Mutex") || callee.IsNamed(t, "sync", "RWMutex")) {
			return u.X
		}
		return nil
	}
	var out []ast.Expr
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				if x := mutexAddr(r); x != nil {
					out = append(out, x)
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				break
			}
			for i, lhs := range n.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok || !results[info.ObjectOf(id)] {
					continue
				}
				if x := mutexAddr(n.Rhs[i]); x != nil {
					out = append(out, x)
				}
			}
		}
		return true
	})
	return out
}

// lockClass names the class of the mutex that call locks or unlocks
// (x.f.mu.Lock()): the named type that owns the field and the field's
// name, or "" when the mutex is not such a field.
func lockClass(info *types.Info, call *ast.CallExpr) string {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	field, ok := ast.Unparen(sel.X).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	if s := info.Selections[field]; s == nil || s.Kind() != types.FieldVal {
		return ""
	}
	t := info.TypeOf(field.X)
	if t == nil {
		return ""
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return ""
	}
	return n.Obj().Id() + "." + field.Sel.Name
}

// handedToResult reports whether fn returns a value of a named type of
// this package whose methods release, without taking it, a lock of the
// class that call acquires: the lock goes with the value (bbolt's
// beginRWTx returns a Tx whose Commit or Rollback releases db.rwlock).
func (b *builder) handedToResult(fn *Func, call *ast.CallExpr) bool {
	if fn.Obj == nil {
		return false
	}
	cls := lockClass(b.pass.TypesInfo, call)
	if cls == "" {
		return false
	}
	sig, ok := fn.Obj.Type().(*types.Signature)
	if !ok {
		return false
	}
	for i := 0; i < sig.Results().Len(); i++ {
		t := sig.Results().At(i).Type()
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		n, ok := types.Unalias(t).(*types.Named)
		if !ok || n.Obj().Pkg() != b.pass.Pkg {
			continue
		}
		if b.releasedBy(n.Origin().Obj())[cls] {
			return true
		}
	}
	return false
}

// releasedBy returns the lock classes the methods of type tn release
// without locking them (memoised for the package).
func (b *builder) releasedBy(tn *types.TypeName) map[string]bool {
	if b.releasers == nil {
		b.releasers = make(map[*types.TypeName]map[string]bool)
		info := b.pass.TypesInfo
		for _, f := range b.pass.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Recv == nil || fd.Body == nil || len(fd.Recv.List) != 1 {
					continue
				}
				rt := info.TypeOf(fd.Recv.List[0].Type)
				if p, ok := rt.(*types.Pointer); ok {
					rt = p.Elem()
				}
				n, ok := types.Unalias(rt).(*types.Named)
				if !ok {
					continue
				}
				released, locked := make(map[string]bool), make(map[string]bool)
				ast.Inspect(fd.Body, func(x ast.Node) bool {
					call, ok := x.(*ast.CallExpr)
					if !ok {
						return true
					}
					fnObj := callee.Of(info, call)
					op, isLock := lockMethod(fnObj)
					if !isLock {
						return true
					}
					if cls := lockClass(info, call); cls != "" {
						if op.Release() {
							released[cls] = true
						} else {
							locked[cls] = true
						}
					}
					return true
				})
				set := b.releasers[n.Origin().Obj()]
				if set == nil {
					set = make(map[string]bool)
					b.releasers[n.Origin().Obj()] = set
				}
				for cls := range released {
					if !locked[cls] {
						set[cls] = true
					}
				}
			}
		}
	}
	return b.releasers[tn]
}

// lockerArgs returns the mutexes whose address call passes where an
// interface is expected: f(&mu) with a sync.Locker parameter, or the
// conversion sync.Locker(&mu).
func (b *builder) lockerArgs(call *ast.CallExpr) []ast.Expr {
	info := b.pass.TypesInfo
	var out []ast.Expr
	isAddr := func(e ast.Expr) (ast.Expr, bool) {
		u, ok := ast.Unparen(e).(*ast.UnaryExpr)
		if !ok || u.Op != token.AND {
			return nil, false
		}
		t := info.TypeOf(u.X)
		return u.X, t != nil && (callee.IsNamed(t, "sync", "Mutex") || callee.IsNamed(t, "sync", "RWMutex"))
	}
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		if types.IsInterface(tv.Type) && len(call.Args) == 1 {
			if x, ok := isAddr(call.Args[0]); ok {
				out = append(out, x)
			}
		}
		return out
	}
	sig, ok := info.TypeOf(call.Fun).(*types.Signature)
	if !ok {
		return nil
	}
	for i, a := range call.Args {
		x, ok := isAddr(a)
		if !ok {
			continue
		}
		var pt types.Type
		switch {
		case sig.Variadic() && i >= sig.Params().Len()-1:
			if sl, ok := sig.Params().At(sig.Params().Len() - 1).Type().(*types.Slice); ok {
				pt = sl.Elem()
			}
		case i < sig.Params().Len():
			pt = sig.Params().At(i).Type()
		}
		if pt != nil && types.IsInterface(pt) {
			out = append(out, x)
		}
	}
	return out
}

// noteEscape records sel if it is a method value (not called) of a lock
// release or of a function that may release a lock for its caller.
func (b *builder) noteEscape(fn *Func, sel *ast.SelectorExpr) {
	f, ok := b.pass.TypesInfo.Uses[sel.Sel].(*types.Func)
	if !ok {
		return
	}
	selection := b.pass.TypesInfo.Selections[sel]
	if isRelease(f) || selection != nil && selection.Kind() == types.MethodVal && (f.Pkg() == b.pass.Pkg || b.summary(f.Origin()) != nil) {
		fn.escapes = append(fn.escapes, sel)
		if f.Pkg() == b.pass.Pkg {
			// Its summary may change in a later round: rescan then.
			fn.callees = append(fn.callees, f.Origin())
		}
	}
}

// scan turns fn's calls into lock events with the summaries known now.
func (b *builder) scan(fn *Func) {
	fn.Events = make(map[ast.Node][]*Event)
	fn.Handed = make(map[Path]bool)
	fn.Try = make(map[Path]bool)
	for _, x := range fn.lockers {
		// unlock := unlockOnce(&srv.lock): whoever holds the Locker may
		// release it (miekg/dns Server.ListenAndServe); likewise a
		// mutex whose address the function returns (kafka-go's
		// waitResponse yields its read lock to the caller).
		if p, ok := b.pathOf(x, fn.aliases); ok {
			fn.Handed[p] = true
		}
	}
	for _, sel := range fn.escapes {
		p, ok := b.recvPath(sel, fn.aliases)
		if !ok {
			continue
		}
		f, _ := b.pass.TypesInfo.Uses[sel.Sel].(*types.Func)
		if isRelease(f) {
			fn.Handed[p] = true
			continue
		}
		// A method value of a release helper: return c.releaseConn.
		if sum := b.summary(f.Origin()); sum != nil {
			for _, r := range sum.Releases {
				if r.Param == 0 {
					fn.Handed[Path{Root: p.Root, Fields: p.Fields + r.Fields}] = true
				}
			}
		}
	}
	for n, refs := range fn.calls {
		var evs []*Event
		for _, r := range refs {
			got := []*Event{r.lock}
			if r.lock == nil {
				got = b.summaryEvents(r.call, r.fn, fn.aliases)
			} else {
				cp := *r.lock // events are modified below (Deferred)
				got[0] = &cp
			}
			for _, e := range got {
				switch r.kind {
				case handedLit:
					if e.Op.Release() {
						fn.Handed[e.Path] = true
					}
					continue
				case deferred:
					if _, isLit := n.(*ast.DeferStmt); isLit && !isDeferCall(n, r.call) && !e.Op.Release() {
						continue // only the releases of a deferred literal matter
					}
					e.Deferred = true
				}
				if e.Op == TryLock || e.Op == TryRLock {
					fn.Try[e.Path] = true
				}
				evs = append(evs, e)
			}
		}
		if len(evs) > 0 {
			sort.SliceStable(evs, func(i, j int) bool { return evs[i].Pos() < evs[j].Pos() })
			fn.Events[n] = evs
		}
	}
	for _, evs := range fn.Events {
		for _, e := range evs {
			if e.Op.Acquire() && !e.Deferred && e.Via == nil && !fn.Handed[e.Path] && b.handedToResult(fn, e.Call) {
				fn.Handed[e.Path] = true
			}
		}
	}
}

// isDeferCall reports whether call is the call of defer statement n
// (and not one of its arguments, which are evaluated at once).
func isDeferCall(n ast.Node, call *ast.CallExpr) bool {
	d, ok := n.(*ast.DeferStmt)
	return ok && d.Call == call
}

// lockMethod returns the operation a call of fn performs, if fn is a
// lock method of sync.Mutex, sync.RWMutex or sync.Locker.
func lockMethod(fn *types.Func) (Op, bool) {
	if fn == nil {
		return 0, false
	}
	if !callee.RecvNamed(fn, "sync", "Mutex") && !callee.RecvNamed(fn, "sync", "RWMutex") && !callee.RecvNamed(fn, "sync", "Locker") {
		return 0, false
	}
	for op, name := range opNames {
		if fn.Name() == name {
			return Op(op), true
		}
	}
	return 0, false
}

func isRelease(fn *types.Func) bool {
	op, ok := lockMethod(fn)
	return ok && op.Release()
}

// callEvents returns the lock operations of one call: a lock method, or a
// function with a Summary.
func (b *builder) callEvents(call *ast.CallExpr, aliases map[*types.Var]Path) []*Event {
	info := b.pass.TypesInfo
	fn := callee.Of(info, call)
	if fn == nil {
		return nil
	}
	if op, ok := lockMethod(fn); ok {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		p, ok := b.recvPath(sel, aliases)
		if !ok {
			return nil
		}
		return []*Event{{Op: op, Path: p, Call: call}}
	}
	return b.summaryEvents(call, fn, aliases)
}

// summaryEvents returns the lock operations of a call of fn, a function
// with a Summary (none if it has none).
func (b *builder) summaryEvents(call *ast.CallExpr, fn *types.Func, aliases map[*types.Var]Path) []*Event {
	if fn == nil {
		return nil
	}
	s := b.summary(fn)
	if s == nil {
		return nil
	}
	var out []*Event
	mapRef := func(r Ref) (Path, bool) { return b.mapRef(call, fn, r, aliases) }
	for _, r := range s.Acquires {
		if p, ok := mapRef(r); ok {
			out = append(out, &Event{Op: acquireOp(r.Read), Path: p, Call: call, Via: fn})
		}
	}
	for _, r := range s.Releases {
		if p, ok := mapRef(r); ok {
			out = append(out, &Event{Op: releaseOp(r.Read), Path: p, Call: call, Via: fn})
		}
	}
	for _, r := range s.Takes {
		if p, ok := mapRef(r); ok {
			out = append(out, &Event{Op: acquireOp(r.Read), Path: p, Call: call, Via: fn, Takes: true, Always: r.Always})
		}
	}
	return out
}

func acquireOp(read bool) Op {
	if read {
		return RLock
	}
	return Lock
}

func releaseOp(read bool) Op {
	if read {
		return RUnlock
	}
	return Unlock
}

// summary returns the Summary of fn: this package's current one, or the
// imported fact.
func (b *builder) summary(fn *types.Func) *Summary {
	if fn.Pkg() == b.pass.Pkg {
		return b.summaries[fn]
	}
	s := new(Summary)
	if b.pass.ImportObjectFact(fn, s) {
		return s
	}
	return nil
}

// mapRef translates a callee's Ref into the lock the caller names at the
// call: the receiver or argument expression, or the global.
func (b *builder) mapRef(call *ast.CallExpr, fn *types.Func, r Ref, aliases map[*types.Var]Path) (Path, bool) {
	if r.Param < 0 {
		v := b.lookupGlobal(r.Global)
		if v == nil {
			return Path{}, false
		}
		return Path{Root: v, Fields: r.Fields}, true
	}
	var arg ast.Expr
	sig := fn.Signature()
	idx := r.Param
	if sig.Recv() != nil {
		if idx == 0 {
			sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
			if !ok {
				return Path{}, false
			}
			selection := b.pass.TypesInfo.Selections[sel]
			if selection == nil || selection.Kind() != types.MethodVal {
				return Path{}, false // a method expression T.m(x): rare
			}
			base, ok := b.pathOf(sel.X, aliases)
			if !ok {
				return Path{}, false
			}
			// A promoted method: the receiver is an embedded field.
			base.Fields += b.embeddedFields(b.pass.TypesInfo.TypeOf(sel.X), selection.Index())
			return Path{Root: base.Root, Fields: base.Fields + r.Fields}, true
		}
		idx--
	}
	if sig.Variadic() && idx >= sig.Params().Len()-1 {
		return Path{}, false
	}
	if idx >= len(call.Args) {
		return Path{}, false
	}
	arg = call.Args[idx]
	base, ok := b.pathOf(arg, aliases)
	if !ok {
		return Path{}, false
	}
	return Path{Root: base.Root, Fields: base.Fields + r.Fields}, true
}

// lookupGlobal finds the package-level variable "pkg/path.name" in the
// package or its imports.
func (b *builder) lookupGlobal(qualified string) *types.Var {
	dot := strings.LastIndex(qualified, ".")
	if dot < 0 {
		return nil
	}
	path, name := qualified[:dot], qualified[dot+1:]
	var scope *types.Scope
	if path == b.pass.Pkg.Path() {
		scope = b.pass.Pkg.Scope()
	} else {
		for _, imp := range b.pass.Pkg.Imports() {
			if imp.Path() == path {
				scope = imp.Scope()
			}
		}
	}
	if scope == nil {
		return nil
	}
	v, _ := scope.Lookup(name).(*types.Var)
	return v
}

// recvPath returns the lock that a lock method selection operates on:
// the receiver expression, plus the embedded fields a promoted method
// goes through (s.Lock() on a struct embedding sync.Mutex locks s.Mutex).
func (b *builder) recvPath(sel *ast.SelectorExpr, aliases map[*types.Var]Path) (Path, bool) {
	p, ok := b.pathOf(sel.X, aliases)
	if !ok {
		return Path{}, false
	}
	if selection := b.pass.TypesInfo.Selections[sel]; selection != nil && selection.Kind() == types.MethodVal {
		p.Fields += b.embeddedFields(b.pass.TypesInfo.TypeOf(sel.X), selection.Index())
	}
	return p, true
}

// embeddedFields returns the field names (".Mutex") that a selection's
// index path goes through before the method itself.
func (b *builder) embeddedFields(t types.Type, index []int) string {
	var s strings.Builder
	for _, i := range index[:len(index)-1] {
		st, ok := deref(t).Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return s.String()
		}
		f := st.Field(i)
		s.WriteString("." + f.Name())
		t = f.Type()
	}
	return s.String()
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// pathOf returns the lock path an expression denotes: a variable
// followed by field selections, through pointers and address-of.
func (b *builder) pathOf(e ast.Expr, aliases map[*types.Var]Path) (Path, bool) {
	info := b.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if !ok {
			return Path{}, false
		}
		if p, ok := aliases[v]; ok {
			return p, true
		}
		return Path{Root: v}, true
	case *ast.SelectorExpr:
		selection := info.Selections[e]
		if selection == nil {
			// pkg.Var
			if v, ok := info.Uses[e.Sel].(*types.Var); ok {
				return Path{Root: v}, true
			}
			return Path{}, false
		}
		if selection.Kind() != types.FieldVal {
			return Path{}, false
		}
		base, ok := b.pathOf(e.X, aliases)
		if !ok {
			return Path{}, false
		}
		// Implicit embedded fields along the way, then the field.
		t := info.TypeOf(e.X)
		var s strings.Builder
		for _, i := range selection.Index() {
			st, ok := deref(t).Underlying().(*types.Struct)
			if !ok || i >= st.NumFields() {
				return Path{}, false
			}
			f := st.Field(i)
			s.WriteString("." + f.Name())
			t = f.Type()
		}
		return Path{Root: base.Root, Fields: base.Fields + s.String()}, true
	case *ast.StarExpr:
		return b.pathOf(e.X, aliases)
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return b.pathOf(e.X, aliases)
		}
	}
	return Path{}, false
}

// aliases finds the local variables of fn that are assigned exactly once,
// from the address of (or a pointer to) a trackable lock path:
// mu := &s.mu. Uses of such a variable name that path.
func (b *builder) aliases(fn *Func) map[*types.Var]Path {
	info := b.pass.TypesInfo
	assigned := make(map[*types.Var]int)
	from := make(map[*types.Var]ast.Expr)
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok {
					continue
				}
				v, ok := info.ObjectOf(id).(*types.Var)
				if !ok {
					continue
				}
				assigned[v]++
				if len(n.Lhs) == len(n.Rhs) {
					from[v] = n.Rhs[i]
				}
			}
		case *ast.UnaryExpr:
			// &v lets v change behind our back.
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
				if v, ok := info.Uses[id].(*types.Var); ok {
					assigned[v] += 2
				}
			}
		}
		return true
	})
	out := make(map[*types.Var]Path)
	for v, n := range assigned {
		if n != 1 || from[v] == nil {
			continue
		}
		if _, isPtr := types.Unalias(v.Type()).Underlying().(*types.Pointer); !isPtr {
			continue // a copy of a mutex is a different mutex
		}
		rhs := ast.Unparen(from[v])
		if u, ok := rhs.(*ast.UnaryExpr); !ok || u.Op != token.AND {
			if _, ok := rhs.(*ast.SelectorExpr); !ok {
				continue
			}
		}
		if p, ok := b.pathOf(rhs, nil); ok {
			out[v] = p
		}
	}
	return out
}

// ---- summaries ----

// summarise computes fn's Summary from its events.
func (b *builder) summarise(fn *Func) *Summary {
	s := new(Summary)
	ix := fn.Index()
	seenTake := make(map[Ref]bool)
	// A function named fooLocked is called with the lock held, by
	// convention: what it acquires is a re-acquisition after releasing
	// the caller's lock, never a lock it takes on its own.
	lockedName := false
	if fn.Obj != nil {
		lockedName = strings.HasSuffix(strings.ToLower(fn.Obj.Name()), "locked")
	}
	reacquired := b.reacquired(fn)
	for node, evs := range fn.Events {
		for _, e := range evs {
			r, ok := b.ref(fn, e.Path)
			if !ok {
				continue
			}
			r.Read = e.Op.Read()
			blk, i := ix.Locate(node.Pos())
			if blk == nil {
				continue
			}
			always := fn.OnEveryPath(node)
			switch {
			case e.Op.Acquire() && !e.Takes:
				// Returns holding it, if no path after it releases it
				// and the acquisition is on every path.
				releasedLater := flow.UncoveredExit(blk, i, func(n ast.Node) bool {
					return releases(fn.Events[n], e.Path)
				}) == nil
				if always && !releasedLater && !fn.Handed[e.Path] && !hasRelease(fn, e.Path) {
					add(&s.Acquires, r)
				} else if lockedName || reacquired[e] {
					// Released and taken back: the caller held it.
				} else {
					rt := r
					rt.Always = always && (e.Via == nil || e.Always)
					if !seenTake[rt] {
						seenTake[rt] = true
						add(&s.Takes, rt)
					}
				}
			case e.Op.Acquire() && e.Takes:
				if lockedName || reacquired[e] {
					break
				}
				rt := r
				rt.Always = always && e.Always
				if !seenTake[rt] {
					seenTake[rt] = true
					add(&s.Takes, rt)
				}
			case e.Op.Release():
				// Releases the caller's lock: no acquisition of it in fn,
				// and every path out of fn releases it (in one place or
				// in several branches: the "...AndUnlock" helpers).
				if b.releasedOnEveryPath(fn, e.Path) {
					add(&s.Releases, r)
				}
			}
		}
	}
	sortRefs(s.Acquires)
	sortRefs(s.Releases)
	sortRefs(s.Takes)
	// A lock that is both taken with Always and without is listed twice;
	// keep the stronger entry only.
	s.Takes = dedupeTakes(s.Takes)
	return s
}

// reacquired returns the acquisitions of fn that a release of the same
// lock in fn can reach: the function gives its caller's lock up for a
// while and takes it back (mu.Unlock(); slow(); mu.Lock()).
//
// One search per lock, from all its releases at once, keeps this linear
// in the size of the function: a search per release would cost the rest
// of the function each time.
func (b *builder) reacquired(fn *Func) map[*Event]bool {
	out := make(map[*Event]bool)
	ix := fn.Index()
	// The blocks, and the index within them, just after which each lock
	// is released.
	type point struct {
		blk *cfg.Block
		i   int
	}
	starts := make(map[Path][]point)
	var order []Path // for a deterministic walk
	for node, evs := range fn.Events {
		for _, rel := range evs {
			if !rel.Op.Release() || rel.Deferred {
				continue
			}
			blk, i := ix.Locate(node.Pos())
			if blk == nil {
				continue
			}
			if _, ok := starts[rel.Path]; !ok {
				order = append(order, rel.Path)
			}
			starts[rel.Path] = append(starts[rel.Path], point{blk, i})
		}
	}
	for _, p := range order {
		mark := func(n ast.Node) {
			for _, e := range fn.Events[n] {
				if e.Path == p && e.Op.Acquire() {
					out[e] = true
				}
			}
		}
		// The rest of each release's own block from its first release,
		// then the successors.
		first := make(map[*cfg.Block]int)
		var blocks []*cfg.Block
		for _, pt := range starts[p] {
			if i, ok := first[pt.blk]; !ok || pt.i < i {
				if !ok {
					blocks = append(blocks, pt.blk)
				}
				first[pt.blk] = pt.i
			}
		}
		seen := make(map[*cfg.Block]bool)
		var stack []*cfg.Block
		for _, blk := range blocks {
			for _, n := range blk.Nodes[first[blk]+1:] {
				mark(n)
			}
			stack = append(stack, blk.Succs...)
		}
		for len(stack) > 0 {
			blk := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[blk] {
				continue
			}
			seen[blk] = true
			for _, n := range blk.Nodes {
				mark(n)
			}
			stack = append(stack, blk.Succs...)
		}
	}
	return out
}

// releasedOnEveryPath reports whether every path from fn's entry to a
// return releases p before acquiring it: fn releases its caller's lock,
// in one place or in several branches (the "...AndUnlock" helpers), and
// may take it again later (memoised per function and lock).
func (b *builder) releasedOnEveryPath(fn *Func, p Path) bool {
	if v, ok := fn.relAlways[p]; ok {
		return v
	}
	// No path reaches a return, or an acquisition, before a release.
	first := func(n ast.Node) *Event {
		for _, e := range fn.Events[n] {
			if e.Path == p && !e.Deferred {
				return e
			}
		}
		return nil
	}
	// defer mu.Unlock() before any acquisition releases the caller's lock
	// on every way out after it (pebble's tryGrantLockedAndUnlock).
	deferredRelease := func(n ast.Node) bool {
		d, ok := n.(*ast.DeferStmt)
		if !ok {
			return false
		}
		for _, e := range fn.Events[n] {
			// The deferred call itself (defer mu.Unlock(), defer
			// s.unlock()), not a release inside a deferred literal,
			// which may pair with its own Lock.
			if e.Path == p && e.Deferred && e.Op.Release() && e.Call == d.Call {
				return true
			}
		}
		return false
	}
	v := flow.Search{
		Covers: func(n ast.Node) bool {
			e := first(n)
			return e != nil && e.Op.Release() || deferredRelease(n)
		},
		Target: func(n ast.Node) bool {
			e := first(n)
			return e != nil && (e.Op.Acquire() && !e.Takes || e.Op == TryLock || e.Op == TryRLock)
		},
	}.From(fn.CFG.Blocks[0], -1) == nil
	if v {
		// Taking it back and returning with it (doTLSHandshake: unlock,
		// handshake, lock again for the caller) is no release at all.
		ix := fn.Index()
		for n, evs := range fn.Events {
			for _, e := range evs {
				if e.Path == p && e.Op.Acquire() && e.Deferred {
					// mu.Unlock(); defer mu.Lock(): taken back on the
					// way out (pebble's disableFileDeletions).
					v = false
				}
				if e.Path != p || !e.Op.Acquire() || e.Takes || e.Deferred {
					continue
				}
				blk, i := ix.Locate(n.Pos())
				if blk == nil {
					continue
				}
				target := n
				if (flow.Search{Covers: deferredRelease, Target: func(m ast.Node) bool { return m == target }}).From(fn.CFG.Blocks[0], -1) == nil {
					continue // a deferred release registered before it ends every path
				}
				if flow.UncoveredExit(blk, i, func(m ast.Node) bool { return releases(fn.Events[m], p) }) != nil {
					v = false
				}
			}
		}
	}
	if fn.relAlways == nil {
		fn.relAlways = make(map[Path]bool)
	}
	fn.relAlways[p] = v
	return v
}

func add(list *[]Ref, r Ref) {
	for _, x := range *list {
		if x == r {
			return
		}
	}
	*list = append(*list, r)
}

func sortRefs(rs []Ref) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].String() < rs[j].String() })
}

func dedupeTakes(rs []Ref) []Ref {
	always := make(map[Ref]bool)
	for _, r := range rs {
		if r.Always {
			k := r
			k.Always = false
			always[k] = true
		}
	}
	var out []Ref
	for _, r := range rs {
		if !r.Always && always[r] {
			continue
		}
		out = append(out, r)
	}
	return out
}

// ref expresses a lock path of fn relative to its parameters or as a
// global, if its callers can name it.
func (b *builder) ref(fn *Func, p Path) (Ref, bool) {
	if p.Root == nil {
		return Ref{}, false
	}
	if p.IsGlobal() {
		return Ref{Param: -1, Global: p.Root.Pkg().Path() + "." + p.Root.Name(), Fields: p.Fields}, true
	}
	if fn.Obj == nil {
		return Ref{}, false
	}
	sig := fn.Obj.Signature()
	i := 0
	if sig.Recv() != nil {
		if sig.Recv() == p.Root {
			return Ref{Param: 0, Fields: p.Fields}, true
		}
		i = 1
	}
	for j := 0; j < sig.Params().Len(); j++ {
		if sig.Params().At(j) == p.Root {
			// A parameter passed by value is a copy: its mutex is not
			// the caller's, unless it is a pointer.
			if _, isPtr := types.Unalias(p.Root.Type()).Underlying().(*types.Pointer); !isPtr && p.Fields == "" {
				if !isLockerInterface(p.Root.Type()) {
					return Ref{}, false
				}
			}
			return Ref{Param: i + j, Fields: p.Fields}, true
		}
	}
	return Ref{}, false
}

func isLockerInterface(t types.Type) bool {
	_, ok := t.Underlying().(*types.Interface)
	return ok
}

// releases reports whether evs release p (now or deferred).
func releases(evs []*Event, p Path) bool {
	for _, e := range evs {
		if e.Op.Release() && e.Path == p {
			return true
		}
	}
	return false
}

func hasRelease(fn *Func, p Path) bool {
	for _, evs := range fn.Events {
		if releases(evs, p) {
			return true
		}
	}
	return false
}

func hasAcquire(fn *Func, p Path) bool {
	for _, evs := range fn.Events {
		for _, e := range evs {
			if (e.Op.Acquire() && !e.Takes || e.Op == TryLock || e.Op == TryRLock) && e.Path == p {
				return true
			}
		}
	}
	return false
}

// callerHeld returns the locks fn releases, on some path from its entry,
// before acquiring them.
func callerHeld(fn *Func) map[Path]bool {
	out := make(map[Path]bool)
	seen := make(map[Path]bool)
	for _, evs := range fn.Events {
		for _, e := range evs {
			if !e.Op.Release() || e.Deferred || seen[e.Path] {
				continue
			}
			p := e.Path
			seen[p] = true
			hit := flow.Search{
				Target: func(n ast.Node) bool {
					for _, x := range fn.Events[n] {
						if x.Path == p && !x.Deferred {
							return x.Op.Release()
						}
					}
					return false
				},
				Covers: func(n ast.Node) bool {
					for _, x := range fn.Events[n] {
						if x.Path == p && !x.Deferred {
							return x.Op.Acquire() || x.Op == TryLock || x.Op == TryRLock
						}
					}
					return false
				},
				Exit: func(*cfg.Block) bool { return false },
			}.From(fn.CFG.Blocks[0], -1)
			if hit != nil {
				out[p] = true
			}
		}
	}
	return out
}

// StaticCallee returns the function a call statically calls, if any.
func StaticCallee(info *types.Info, call *ast.CallExpr) *types.Func {
	fn := typeutil.StaticCallee(info, call)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// Redefines reports whether CFG node n assigns the variable at the root
// of p: after it, the path names another lock (p = p.parent in a loop).
func (f *Func) Redefines(info *types.Info, n ast.Node, p Path) bool {
	if p.Root == nil || p.IsGlobal() {
		return false
	}
	found := false
	check := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok && info.ObjectOf(id) == p.Root {
			found = true
		}
	}
	ast.Inspect(n, func(m ast.Node) bool {
		switch m := m.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for _, lhs := range m.Lhs {
				check(lhs)
			}
		case *ast.ValueSpec:
			for _, name := range m.Names {
				check(name)
			}
		}
		return !found
	})
	return found
}

// RedefinedEntering reports whether entering block b assigns the root of
// p: the head of a range loop whose key or value is that variable.
func (f *Func) RedefinedEntering(info *types.Info, b *cfg.Block, p Path) bool {
	if b.Kind != cfg.KindRangeLoop || p.Root == nil {
		return false
	}
	rs, ok := b.Stmt.(*ast.RangeStmt)
	if !ok {
		return false
	}
	for _, e := range []ast.Expr{rs.Key, rs.Value} {
		if id, ok := e.(*ast.Ident); ok && info.ObjectOf(id) == p.Root {
			return true
		}
	}
	return false
}

// A Held is a lock held at a point, and the operation that took it.
type Held struct {
	Path Path
	By   *Event
}

// HeldAt returns the locks held on every path that reaches CFG node n,
// before n's own operations, sorted by path. Locks the function hands on,
// acquires with TryLock, or that its caller holds are not tracked: only
// the function's own acquisitions count. A deferred release leaves the
// lock held until the function returns. Reassigning the variable a lock
// is reached through ends the hold of that path.
func (f *Func) HeldAt(info *types.Info, n ast.Node) []Held {
	if f.held == nil {
		f.held = f.mustHeld(info)
	}
	m := f.held[n]
	out := make([]Held, 0, len(m))
	for p, e := range m {
		out = append(out, Held{p, e})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path.String() < out[j].Path.String() })
	return out
}

type heldSet map[Path]*Event

func (h heldSet) clone() heldSet {
	c := make(heldSet, len(h))
	for k, v := range h {
		c[k] = v
	}
	return c
}

// step applies node n's operations to h.
func (f *Func) step(info *types.Info, n ast.Node, h heldSet) {
	for _, e := range f.Events[n] {
		if e.Deferred || f.Handed[e.Path] || f.Try[e.Path] || f.CallerHeld[e.Path] {
			continue
		}
		switch {
		case e.Op.Acquire() && !e.Takes:
			if _, ok := h[e.Path]; !ok {
				h[e.Path] = e
			}
		case e.Op.Release():
			delete(h, e.Path)
		}
	}
	for p := range h {
		if f.Redefines(info, n, p) {
			delete(h, p)
		}
	}
}

// mustHeld runs the forward must-analysis of held locks over f's CFG and
// returns the set held before each node.
func (f *Func) mustHeld(info *types.Info) map[ast.Node]heldSet {
	g := f.CFG
	preds := make(map[*cfg.Block][]*cfg.Block)
	for _, b := range g.Blocks {
		for _, s := range b.Succs {
			preds[s] = append(preds[s], b)
		}
	}
	out := make(map[*cfg.Block]heldSet)
	entry := g.Blocks[0]
	meet := func(b *cfg.Block) (heldSet, bool) {
		if b == entry {
			return heldSet{}, true
		}
		var h heldSet
		for _, p := range preds[b] {
			o, ok := out[p]
			if !ok {
				continue // not reached yet: optimistic
			}
			if h == nil {
				h = o.clone()
				continue
			}
			for k := range h {
				if _, ok := o[k]; !ok {
					delete(h, k)
				}
			}
		}
		return h, h != nil
	}
	// Entering a range loop over a variable redefines it.
	enter := func(b *cfg.Block, h heldSet) {
		for p := range h {
			if f.RedefinedEntering(info, b, p) {
				delete(h, p)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, b := range g.Blocks {
			if !b.Live {
				continue
			}
			h, ok := meet(b)
			if !ok {
				continue
			}
			enter(b, h)
			for _, n := range b.Nodes {
				f.step(info, n, h)
			}
			if o, ok := out[b]; !ok || !sameKeys(o, h) {
				out[b] = h
				changed = true
			}
		}
	}
	res := make(map[ast.Node]heldSet)
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		h, ok := meet(b)
		if !ok {
			continue
		}
		enter(b, h)
		for _, n := range b.Nodes {
			res[n] = h.clone()
			f.step(info, n, h)
		}
	}
	return res
}

func sameKeys(a, b heldSet) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

// FreshVars returns the local variables of body assigned a newly made
// object: &T{...}, new(T), or T{...}.
func FreshVars(info *types.Info, body *ast.BlockStmt) map[*types.Var]bool {
	out := make(map[*types.Var]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, rhs := range as.Rhs {
			id, ok := as.Lhs[i].(*ast.Ident)
			if !ok {
				continue
			}
			v, ok := info.ObjectOf(id).(*types.Var)
			if !ok {
				continue
			}
			switch r := ast.Unparen(rhs).(type) {
			case *ast.UnaryExpr:
				if _, ok := ast.Unparen(r.X).(*ast.CompositeLit); ok && r.Op == token.AND {
					out[v] = true
				}
			case *ast.CompositeLit:
				out[v] = true
			case *ast.CallExpr:
				if fid, ok := r.Fun.(*ast.Ident); ok && fid.Name == "new" {
					out[v] = true
				}
			}
		}
		return true
	})
	return out
}
