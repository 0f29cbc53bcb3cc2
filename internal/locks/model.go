package locks

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"sync"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/cfgs"
)

// A Path names a lock: a variable and a chain of fields. It is the one
// lock identity of the lock passes: String for messages, Field and Object
// for "this field of every value of the type", Class for lock ordering.
//
// Paths with fields come from the Analyzer, which resolves each distinct
// (Root, Fields) once per package and shares the result: two Paths of a
// Result are equal (==, map keys) exactly when they name the same
// variable and field names. A Path{Root: v} literal names the variable v.
type Path struct {
	Root   *types.Var
	Fields string // ".mu", ".inner.mu"; "" for the variable itself
	chain  *chain // the fields that Fields names, resolved once; nil when Fields is ""
}

// A chain is the resolution of a Path's field names, shared by the equal
// Paths of a package.
type chain struct {
	vars  []*types.Var // the fields, in order; nil when a name does not resolve
	class string       // "(*pkg/path.T).mu", or "" (see Path.Class)
}

// String renders the path as the user wrote it: s.mu.
func (p Path) String() string {
	if p.Root == nil {
		return "?" + p.Fields
	}
	return p.Root.Name() + p.Fields
}

// Elem reports whether the path goes through an element of a map, slice
// or array (l.m[url], ".m[]"): every key gives the same Path, so two
// such paths that are equal may be two locks. These locks are kept apart from the
// others (see Func.Elems): only lock classes are told about them.
func (p Path) Elem() bool { return strings.Contains(p.Fields, elemMark) }

// IsGlobal reports whether the path starts at a package-level variable.
func (p Path) IsGlobal() bool {
	return p.Root != nil && p.Root.Parent() != nil && p.Root.Pkg() != nil && p.Root.Parent() == p.Root.Pkg().Scope()
}

// Vars returns the fields the path selects after its root, in order,
// implicit embedded fields included (s.Lock() on a struct embedding
// sync.Mutex is s.Mutex), as declared in the root's (instantiated) type.
// It is nil for a variable itself, and when the names do not resolve.
func (p Path) Vars() []*types.Var {
	if p.chain == nil {
		return nil
	}
	return p.chain.vars
}

// Field returns the field the path ends in, as declared in its generic
// type (the origin of an instance's field), or nil for a variable itself.
// Every s.mu with s of type S shares it: it is "S's mu".
func (p Path) Field() *types.Var {
	vars := p.Vars()
	if len(vars) == 0 {
		return nil
	}
	return vars[len(vars)-1].Origin()
}

// Object returns the object that names the lock across the package: its
// Field, or the variable itself when the path has no fields (a global, a
// local or a parameter mutex). It is nil when the fields do not resolve.
func (p Path) Object() types.Object {
	if p.Root == nil {
		return nil
	}
	if p.Fields == "" {
		return p.Root
	}
	if f := p.Field(); f != nil {
		return f
	}
	return nil
}

// Class returns the lock class of the path, a name shared by the locks
// that are the same field of every value of a type: "pkg/path.mu" for a
// package variable, "(*pkg/path.T).mu" for a field of the named type T
// (the struct that declares the last field; the generic type for an
// instance). A field of an anonymous struct is named after the last
// named struct on the way plus the field path: s.mu.Mutex with mu of
// type struct{ sync.Mutex; n int } is "(*pkg/path.S).mu" (the embedded
// mutex's own name is left out), s.mu.inner is "(*pkg/path.S).mu.inner",
// and a package variable of such a type is "pkg/path.state". It is ""
// when the lock has no class: a local or parameter mutex, or one with
// no named owner.
func (p Path) Class() string {
	if p.Root == nil {
		return ""
	}
	if p.Fields == "" {
		if p.IsGlobal() {
			return p.Root.Pkg().Path() + "." + p.Root.Name()
		}
		return ""
	}
	if p.chain == nil {
		return ""
	}
	return p.chain.class
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

// A Func is one function (its node, object, body and CFG, which is not
// nil, come from internal/cfgs) and its lock operations.
type Func struct {
	*cfgs.Func

	// Events lists the operations of each CFG node, in source order.
	Events map[ast.Node][]*Event
	// Elems lists the operations on elements of maps, slices and arrays
	// (l.m[url].Lock(), s.locks[i].Lock(), and calls of functions that
	// lock one), kept out of Events: every key gives one Path, so
	// whether two of them are one lock is unknown. They count for lock classes (lockorder, with HeldAllAt)
	// and nothing else.
	Elems map[ast.Node][]*Event
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

	calls       map[ast.Node][]callRef
	escapes     []*ast.SelectorExpr
	lockers     []ast.Expr // mutexes whose address is returned or passed on as an interface (a sync.Locker)
	aliases     map[*types.Var]Path
	relAlways   map[Path]bool        // memo of releasedOnEveryPath
	callees     []*types.Func        // this package's functions it calls
	held        map[ast.Node]heldSet // memo of HeldAt
	heldAll     map[ast.Node]heldSet // memo of HeldAllAt
	heldOnce    sync.Once
	heldAllOnce sync.Once
}

// splitElems moves the operations on elements (of maps, slices, arrays)
// from Events to Elems.
func (f *Func) splitElems() {
	for n, evs := range f.Events {
		var keep []*Event
		for _, e := range evs {
			if e.Path.Elem() {
				if f.Elems == nil {
					f.Elems = make(map[ast.Node][]*Event)
				}
				f.Elems[n] = append(f.Elems[n], e)
			} else {
				keep = append(keep, e)
			}
		}
		switch {
		case len(keep) == 0:
			delete(f.Events, n)
		case len(keep) < len(evs):
			f.Events[n] = keep
		}
	}
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

// readOf returns the read-side form of a Lock or Unlock: what a
// sync.Locker from RWMutex.RLocker() does.
func readOf(op Op) Op {
	switch op {
	case Lock:
		return RLock
	case Unlock:
		return RUnlock
	}
	return op
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func isLockerInterface(t types.Type) bool {
	_, ok := t.Underlying().(*types.Interface)
	return ok
}
