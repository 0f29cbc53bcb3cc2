package locks

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/cfgs"
)

type builder struct {
	pass      *analysis.Pass
	res       *Result
	summaries map[*types.Func]*Summary // this package's, as computed so far
	relevant  map[*types.Func]bool     // memo: may a call of this function operate on locks?
	// releasers maps a named type of the package to the lock classes its
	// methods release without taking them (bbolt's Tx releases the
	// (*DB).rwlock that DB.beginRWTx took); built on first use.
	releasers map[*types.TypeName]map[string]bool
	paths     map[pathKey]*chain // the resolved field chains (see path)
	// conds holds the locks the package's sync.Conds were made on: a
	// Sole one's c.L names its lock (see condLocker).
	conds map[types.Object]CondLock
}

func (b *builder) add(f *cfgs.Func) {
	fn := &Func{Func: f}
	b.res.Funcs = append(b.res.Funcs, fn)
	b.res.byNode[f.Node] = fn
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
	// closure is the literal a local closure variable holds, for a call
	// of that variable (unlock() with unlock := func() { mu.Unlock() }).
	closure *ast.FuncLit
}

type refKind int

const (
	direct     refKind = iota // executed by the node
	deferred                  // the call of a defer statement, or in a deferred literal
	handedLit                 // inside another function literal: runs elsewhere
	closureLit                // inside the literal of a closure variable: runs where it is called
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
	closures := b.closures(fn)
	isClosure := make(map[*ast.FuncLit]bool, len(closures))
	for _, lit := range closures {
		isClosure[lit] = true
	}
	// closureCall returns the literal that call calls through a closure
	// variable, or nil.
	// closureLitOf returns the closure literal being walked (closureLit
	// calls).
	var closureLitOf func(*ast.CallExpr) *ast.FuncLit
	closureCall := func(call *ast.CallExpr) *ast.FuncLit {
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok {
				return closures[v]
			}
		}
		return nil
	}
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
				if lit := closureCall(call); lit != nil && kind != handedLit && kind != closureLit {
					refs = append(refs, callRef{call: call, kind: kind, closure: lit})
					return
				}
				if !relevant(call) {
					return
				}
				r := callRef{call: call, kind: kind, fn: callee.Of(info, call)}
				if kind == closureLit {
					r.closure = closureLitOf(call)
				}
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
					// whoever calls it (a goroutine, a callback), unless
					// the literal is a closure variable's, whose calls
					// we see.
					kind := handedLit
					if isClosure[m] {
						kind = closureLit
						cur := m
						closureLitOf = func(*ast.CallExpr) *ast.FuncLit { return cur }
					}
					var inner []ast.Node
					ast.Inspect(m.Body, func(k ast.Node) bool {
						if k == nil {
							inner = inner[:len(inner)-1]
							return true
						}
						switch k := k.(type) {
						case *ast.CallExpr:
							add(k, kind)
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
//
// It is not Path.Class: releasedBy classifies every release in a type's
// methods, also those whose receiver is no Path (x.conns[i].mu.Unlock()),
// and it names the type written before the field (x.f's), not the struct
// that declares a promoted field; handedToResult matches the two.
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
	fn.relAlways = nil // the events may change
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
					fn.Handed[b.path(p.Root, p.Fields+r.Fields)] = true
				}
			}
		}
	}
	for n, refs := range fn.calls {
		var evs []*Event
		for _, r := range refs {
			got := []*Event{r.lock}
			if r.closure != nil && r.kind != closureLit {
				got = b.closureEvents(r.call, r.closure)
			} else if r.lock == nil {
				got = b.summaryEvents(r.call, r.fn, fn.aliases)
			} else {
				cp := *r.lock // events are modified below (Deferred)
				got[0] = &cp
			}
			for _, e := range got {
				switch r.kind {
				case closureLit:
					// A release that a call of the closure performs
					// happens where it is called (closureEvents); one
					// on some paths of the literal only, or handed on
					// from it, hands the lock on, as any literal's.
					if e.Op.Release() && !b.closureReleases(r.closure, e.Path) {
						fn.Handed[e.Path] = true
					}
					continue
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
		if p, read, ok := b.condLocker(sel.X, aliases); ok {
			// s.cond.L.Lock() with s.cond = sync.NewCond(&s.mu)
			// everywhere: s.mu.Lock(), or s.mu.RLock() for a Cond made
			// on s.mu.RLocker().
			if read {
				op = readOf(op)
			}
			return []*Event{{Op: op, Path: p, Call: call}}
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
		return b.path(v, r.Fields), true
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
			embedded := b.embeddedFields(b.pass.TypesInfo.TypeOf(sel.X), selection.Index())
			return b.path(base.Root, base.Fields+embedded+r.Fields), true
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
	return b.path(base.Root, base.Fields+r.Fields), true
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
	if p, _, ok := b.condLocker(sel.X, aliases); ok {
		return p, true // s.cond.L of a Cond made on &s.mu: s.mu
	}
	p, ok := b.pathOf(sel.X, aliases)
	if !ok {
		return Path{}, false
	}
	if selection := b.pass.TypesInfo.Selections[sel]; selection != nil && selection.Kind() == types.MethodVal {
		p = b.path(p.Root, p.Fields+b.embeddedFields(b.pass.TypesInfo.TypeOf(sel.X), selection.Index()))
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
