package waitgroup

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/flow"
)

// An eventKind is what a node of a function does to one WaitGroup.
type eventKind int

const (
	// evDone: wg.Done(), or a call of a function (or an immediately
	// called literal) that calls Done once on every path.
	evDone eventKind = iota
	// evDeferDone: defer wg.Done(), or a deferred call of such a
	// function or literal. It runs on every way out of the function
	// after this node: return, runtime.Goexit, a panic.
	evDeferDone
	// evAdd: wg.Add(n), or a call of a function that adds.
	evAdd
	// evWait: wg.Wait(), or a call of a function that waits on it on
	// every path.
	evWait
	// evGo: a go statement that starts a goroutine using the WaitGroup;
	// worth says how many Done calls it makes.
	evGo
	// evWgGo: wg.Go(f).
	evWgGo
	// evEscape: the WaitGroup, or a struct holding it, is handed to code
	// we can't see (an unknown function, a field, a closure stored for
	// later, a helper that calls Done on some paths only...). Paths
	// through it are treated as settled, and counts are not compared.
	evEscape
)

// An event is one thing a CFG node does to one WaitGroup.
type event struct {
	kind  eventKind
	key   key
	node  ast.Node // the CFG node
	block *cfg.Block
	index int      // of node in block.Nodes
	at    ast.Node // the call or expression, for messages and positions

	arg      ast.Expr    // evAdd: the argument of an explicit Add
	helper   *types.Func // the function called, when the event comes from its summary
	entry    *Entry      // and its summary for this WaitGroup
	lit      *function   // evGo, evWgGo: the function literal started
	worth    int         // evGo: Done calls the goroutine makes (0, 1), or -1 if unknown
	deferred bool        // evWait: defer wg.Wait()
	exact    bool        // evEscape: the WaitGroup itself escapes, not a struct holding it
}

// explicit reports whether e is a direct call of a WaitGroup method, as
// opposed to one made through a helper or a literal.
func (e *event) explicit() bool { return e.helper == nil && e.lit == nil }

// A rootUse is a use of a variable that holds, or leads to, a WaitGroup
// that no rule classified: a candidate escape for every WaitGroup it
// leads to.
type rootUse struct {
	chain key
	node  ast.Node
	block *cfg.Block
	index int
	at    ast.Node
}

// A litRole says how a function literal is run.
type litRole int

const (
	roleOther litRole = iota // stored, passed on, called later: unknown
	roleGo                   // go func() { ... }()
	roleDefer                // defer func() { ... }()
	roleCall                 // func() { ... }(): called in place
	roleWgGo                 // wg.Go(func() { ... })
)

// A function is a function declaration or literal with a body.
type function struct {
	decl  *ast.FuncDecl // nil for a literal
	lit   *ast.FuncLit  // nil for a declaration
	obj   *types.Func   // nil for a literal
	ftype *ast.FuncType
	body  *ast.BlockStmt
	g     *cfg.CFG
	ix    *flow.Index

	// For literals: the function whose body holds the literal, how it
	// is run, and the call that runs it (go, defer, wg.Go or in place).
	parent *function
	role   litRole
	launch *ast.CallExpr
	goStmt *ast.GoStmt // roleGo: the go statement
	wgKey  key         // roleWgGo: the WaitGroup whose Go runs it, in parent's terms

	state  int // 0 not scanned, 1 scanning, 2 scanned
	events []*event
	byKey  map[key][]*event
	keys   []key // tracked keys, in order of first event
	uses   []*rootUse
	sums   map[key]*summary
	dead   map[ast.Node]bool // see deadCalls
}

// name returns the function's name for messages.
func (fn *function) name() string {
	if fn.decl != nil {
		return fn.decl.Name.Name
	}
	if fn.role == roleGo {
		return "the goroutine"
	}
	return "the function literal"
}

// declares reports whether v is declared inside fn (a parameter, a
// result or a local), as opposed to captured from outside.
func (fn *function) declares(v *types.Var) bool {
	return v.Pos() >= fn.ftype.Pos() && v.Pos() < fn.body.End()
}

// paramIndex returns the index of v among fn's parameters, -1 for the
// receiver, or ok=false.
func (fn *function) paramIndex(v *types.Var) (int, bool) {
	if fn.decl != nil && fn.decl.Recv != nil {
		for _, f := range fn.decl.Recv.List {
			for _, n := range f.Names {
				if n.Pos() == v.Pos() {
					return -1, true
				}
			}
		}
	}
	i := 0
	for _, f := range fn.ftype.Params.List {
		if len(f.Names) == 0 {
			i++
			continue
		}
		for _, n := range f.Names {
			if n.Pos() == v.Pos() {
				return i, true
			}
			i++
		}
	}
	return 0, false
}

func (fn *function) index() *flow.Index {
	if fn.ix == nil {
		fn.ix = flow.NewIndex(fn.g)
	}
	return fn.ix
}

// scan computes fn's events, once. Scanning a function needs the
// summaries of the functions it calls and of the literals it holds;
// recursion is cut where it meets a function being scanned (its calls
// are then unknown, which only makes the pass quieter).
func (c *checker) scan(fn *function) {
	if fn.state != 0 {
		return
	}
	fn.state = 1
	fn.byKey = make(map[key][]*event)
	fn.sums = make(map[key]*summary)
	if fn.g != nil {
		for _, b := range fn.g.Blocks {
			if !b.Live {
				continue
			}
			for i, n := range b.Nodes {
				c.scanNode(fn, b, i, n)
			}
		}
	}
	c.materialize(fn)
	fn.state = 2
}

// track records e as an event of fn.
func (fn *function) track(e *event) {
	if _, ok := fn.byKey[e.key]; !ok {
		fn.keys = append(fn.keys, e.key)
	}
	fn.byKey[e.key] = append(fn.byKey[e.key], e)
	fn.events = append(fn.events, e)
}

// materialize turns the unclassified uses of variables into escape
// events of the WaitGroups they lead to.
func (c *checker) materialize(fn *function) {
	tracked := append([]key(nil), fn.keys...)
	if fn.decl != nil {
		// A declaration's WaitGroup parameters are summarised even
		// when all it does is hand them on.
		for _, k := range c.paramKeys(fn) {
			if _, ok := fn.byKey[k]; !ok {
				tracked = append(tracked, k)
			}
		}
	}
	for _, u := range fn.uses {
		if isWaitGroup(c.typeOfKey(u.chain)) && !contains(tracked, u.chain) {
			tracked = append(tracked, u.chain)
		}
	}
	for _, u := range fn.uses {
		for _, k := range tracked {
			if _, ok := u.chain.prefixOf(k); ok {
				fn.track(&event{kind: evEscape, key: k, node: u.node, block: u.block, index: u.index, at: u.at, exact: u.chain == k})
			}
		}
	}
	for _, k := range tracked {
		if _, ok := fn.byKey[k]; !ok {
			fn.keys = append(fn.keys, k)
			fn.byKey[k] = nil
		}
	}
}

func contains(keys []key, k key) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// paramKeys returns the keys of fn's parameters of type
// *sync.WaitGroup.
func (c *checker) paramKeys(fn *function) []key {
	if fn.obj == nil {
		return nil // a declaration the type checker did not record
	}
	var keys []key
	sig := fn.obj.Signature()
	for i := 0; i < sig.Params().Len(); i++ {
		if p := sig.Params().At(i); isWaitGroupPtr(p.Type()) {
			keys = append(keys, key{root: p})
		}
	}
	return keys
}

// typeOfKey returns the type of the value k names, or nil.
func (c *checker) typeOfKey(k key) types.Type {
	t := k.root.Type()
	if k.path == "" {
		return t
	}
	for _, name := range splitPath(k.path) {
		st, ok := deref(t).Underlying().(*types.Struct)
		if !ok {
			return nil
		}
		var found types.Type
		for i := 0; i < st.NumFields(); i++ {
			if st.Field(i).Name() == name {
				found = st.Field(i).Type()
				break
			}
		}
		if found == nil {
			return nil
		}
		t = found
	}
	return t
}

func splitPath(p string) []string {
	var parts []string
	start := 1
	for i := 1; i <= len(p); i++ {
		if i == len(p) || p[i] == '.' {
			parts = append(parts, p[start:i])
			start = i + 1
		}
	}
	return parts
}

// callMode says how a call is run.
type callMode int

const (
	modePlain callMode = iota
	modeGo
	modeDefer
)

// scanNode records the events of node n (block b, index i) of fn.
func (c *checker) scanNode(fn *function, b *cfg.Block, i int, n ast.Node) {
	info := c.pass.TypesInfo
	// Most nodes have no literal and no classified call: the maps are
	// made on first use.
	handled := new(identSet)
	var litCalls map[*ast.FuncLit]*ast.CallExpr
	var litModes map[*ast.FuncLit]callMode
	var wgGoLits map[*ast.FuncLit]key
	mk := func(kind eventKind, k key, at ast.Node) *event {
		return &event{kind: kind, key: k, node: n, block: b, index: i, at: at}
	}
	var stack []ast.Node
	ast.Inspect(n, func(x ast.Node) bool {
		if x == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		switch x := x.(type) {
		case *ast.FuncLit:
			c.scanLit(fn, b, i, n, x, litCalls[x], litModes[x], wgGoLits, handled)
			return false // its body is a function of its own

		case *ast.CallExpr:
			mode := modePlain
			if len(stack) > 0 {
				switch p := stack[len(stack)-1].(type) {
				case *ast.GoStmt:
					if p.Call == x {
						mode = modeGo
					}
				case *ast.DeferStmt:
					if p.Call == x {
						mode = modeDefer
					}
				}
			}
			if lit, ok := ast.Unparen(x.Fun).(*ast.FuncLit); ok {
				if litCalls == nil {
					litCalls = make(map[*ast.FuncLit]*ast.CallExpr)
					litModes = make(map[*ast.FuncLit]callMode)
				}
				litCalls[lit] = x
				litModes[lit] = mode
				break
			}
			if k, name, recv, named, ok := wgMethod(info, x); ok {
				if !named {
					break // an unnamed receiver: its variables are unknown uses
				}
				handled.add(idents(recv)...)
				c.wgCall(fn, mk, x, k, name, mode, &wgGoLits)
				break
			}
			c.helperCall(fn, mk, x, mode, handled)

		case *ast.Ident:
			if handled.has(x) {
				break
			}
			v, ok := info.Uses[x].(*types.Var)
			if !ok || v.IsField() || !c.mayHoldWaitGroup(v.Type()) {
				break
			}
			chain, at := c.chainAt(x, stack)
			fn.uses = append(fn.uses, &rootUse{chain: chain, node: n, block: b, index: i, at: at})
		}
		stack = append(stack, x)
		return true
	})
}

// chainAt returns the key of the longest chain of field selections
// (and one address-of) that starts with id, given the stack of id's
// ancestors, and the expression of that chain.
func (c *checker) chainAt(id *ast.Ident, stack []ast.Node) (key, ast.Node) {
	info := c.pass.TypesInfo
	var cur ast.Expr = id
	for j := len(stack) - 1; j >= 0; j-- {
		switch p := stack[j].(type) {
		case *ast.SelectorExpr:
			if s := info.Selections[p]; p.X == cur && s != nil && s.Kind() == types.FieldVal {
				cur = p
				continue
			}
		case *ast.ParenExpr:
			cur = p
			continue
		case *ast.StarExpr:
			cur = p
			continue
		case *ast.UnaryExpr:
			if p.Op == token.AND {
				cur = p
			}
		}
		break
	}
	k, ok := keyOf(info, cur)
	if !ok {
		k = key{root: info.Uses[id].(*types.Var)}
	}
	return k, cur
}

// mayHoldWaitGroup reports whether a value of type t is, points to, or
// holds through at most three fields a sync.WaitGroup. Deeper
// WaitGroups are not followed: the type graph behind pointers can be
// the whole program's, and WaitGroups live near the code that waits.
func (c *checker) mayHoldWaitGroup(t types.Type) bool {
	return c.holdsWG(t, 3)
}

type holdKey struct {
	t     types.Type
	depth int
}

func (c *checker) holdsWG(t types.Type, depth int) bool {
	t = deref(types.Unalias(t))
	hk := holdKey{t, depth}
	if r, ok := c.holds[hk]; ok {
		return r
	}
	c.holds[hk] = false // cut cycles
	r := isWaitGroup(t)
	if st, ok := t.Underlying().(*types.Struct); ok && !r && depth > 0 {
		for i := 0; i < st.NumFields() && !r; i++ {
			r = c.holdsWG(st.Field(i).Type(), depth-1)
		}
	}
	c.holds[hk] = r
	return r
}

// An identSet is a set of identifiers, allocated on first use.
type identSet struct{ m map[*ast.Ident]bool }

func (s *identSet) add(ids ...*ast.Ident) {
	if s.m == nil {
		s.m = make(map[*ast.Ident]bool)
	}
	for _, id := range ids {
		s.m[id] = true
	}
}

func (s *identSet) has(id *ast.Ident) bool { return s.m[id] }

// wgCall records the event of a call of a WaitGroup method on k.
func (c *checker) wgCall(fn *function, mk func(eventKind, key, ast.Node) *event, call *ast.CallExpr, k key, name string, mode callMode, wgGoLits *map[*ast.FuncLit]key) {
	switch name {
	case "Add":
		if mode != modePlain {
			fn.track(mk(evEscape, k, call)) // go/defer wg.Add(n): unusual, unknown
			return
		}
		e := mk(evAdd, k, call)
		if len(call.Args) == 1 {
			e.arg = call.Args[0]
		}
		fn.track(e)
	case "Done":
		switch mode {
		case modePlain:
			fn.track(mk(evDone, k, call))
		case modeDefer:
			fn.track(mk(evDeferDone, k, call))
		default:
			fn.track(mk(evEscape, k, call)) // go wg.Done(): settled elsewhere
		}
	case "Wait":
		switch mode {
		case modePlain:
			fn.track(mk(evWait, k, call))
		case modeDefer:
			e := mk(evWait, k, call)
			e.deferred = true
			fn.track(e)
		}
		// go wg.Wait(): another goroutine waits; nothing here.
	case "Go":
		e := mk(evWgGo, k, call)
		if mode != modePlain {
			e.kind = evEscape
		}
		if len(call.Args) == 1 {
			if lit, ok := ast.Unparen(call.Args[0]).(*ast.FuncLit); ok {
				if *wgGoLits == nil {
					*wgGoLits = make(map[*ast.FuncLit]key)
				}
				(*wgGoLits)[lit] = k
			}
		}
		fn.track(e)
	}
}

// helperCall records the events of a call of a function we may have a
// summary of, for the WaitGroups its receiver and arguments lead to.
func (c *checker) helperCall(fn *function, mk func(eventKind, key, ast.Node) *event, call *ast.CallExpr, mode callMode, handled *identSet) {
	info := c.pass.TypesInfo
	f := callee.Of(info, call)
	if f == nil {
		return // a function value, a builtin or a conversion: uses stay unknown
	}
	sig := f.Signature()
	if recv := sig.Recv(); recv != nil && types.IsInterface(recv.Type()) {
		return // a dynamic call: uses stay unknown
	}
	entries, known := c.entriesOf(f)
	if !known {
		return // a function being summarised (recursion): unknown
	}
	// The expressions passed, by parameter index (-1: receiver), and
	// the implicit embedded-field path to the receiver.
	type passed struct {
		param int
		expr  ast.Expr
		extra string
	}
	var args []passed
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sig.Recv() != nil {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			extra := ""
			if len(s.Index()) > 1 {
				extra = fieldPath(s.Recv(), s.Index()[:len(s.Index())-1])
			}
			args = append(args, passed{-1, sel.X, extra})
		}
	}
	for j, a := range call.Args {
		p := j
		if sig.Variadic() && p >= sig.Params().Len()-1 {
			p = sig.Params().Len() - 1
		}
		args = append(args, passed{p, a, ""})
	}
	// Package-level WaitGroups the function uses, whatever the
	// arguments.
	for idx := range entries {
		if e := &entries[idx]; e.Param == -2 {
			if v, ok := f.Pkg().Scope().Lookup(e.Global).(*types.Var); ok {
				c.helperEvent(fn, mk, call, f, e, key{root: v, path: e.Path}, mode)
			}
		}
	}
	for _, a := range args {
		ck, ok := keyOf(info, a.expr)
		if !ok {
			continue // not a chain: its variables are unknown uses
		}
		ck = ck.extend(a.extra)
		isWG := isWaitGroup(info.TypeOf(a.expr))
		var paramType types.Type
		if a.param >= 0 && a.param < sig.Params().Len() {
			paramType = sig.Params().At(a.param).Type()
		}
		if isWG && !isWaitGroupPtr(paramType) && a.param >= 0 {
			continue // a WaitGroup passed as any, or copied: unknown use
		}
		if !isWG && !c.mayHoldWaitGroup(info.TypeOf(a.expr)) {
			continue
		}
		handled.add(idents(a.expr)...)
		matched := false
		for idx := range entries {
			e := &entries[idx]
			if e.Param != a.param || (isWG && e.Path != "") {
				continue
			}
			matched = true
			c.helperEvent(fn, mk, call, f, e, ck.extend(e.Path), mode)
		}
		if isWG && !matched {
			// The WaitGroup itself, to a function that says nothing
			// about it: it is handed on.
			e := mk(evEscape, ck, call)
			e.exact = true
			fn.track(e)
		}
	}
}

// helperEvent records what calling helper f, whose summary for the
// WaitGroup k is e, does to k.
func (c *checker) helperEvent(fn *function, mk func(eventKind, key, ast.Node) *event, call *ast.CallExpr, f *types.Func, e *Entry, k key, mode callMode) {
	add := func(kind eventKind) *event {
		ev := mk(kind, k, call)
		ev.helper, ev.entry = f, e
		fn.track(ev)
		return ev
	}
	switch mode {
	case modeGo:
		ev := add(evGo)
		ev.worth = e.worth()
	case modeDefer:
		switch {
		case e.Done == DoneOnce && !e.Adds:
			add(evDeferDone)
		case e.Done == DoneNever && !e.Adds:
			if e.Waits {
				add(evWait).deferred = true
			}
		default:
			add(evEscape)
		}
	default:
		switch e.Done {
		case DoneOnce:
			add(evDone)
		case DoneNever:
		default:
			add(evEscape)
			return
		}
		if e.Adds {
			add(evAdd)
		}
		if e.Waits && e.Done == DoneNever {
			add(evWait)
		}
	}
}

// worth returns how many Done calls a goroutine running the function
// summarised by e makes on its WaitGroup: 1, 0, or -1 if unknown.
func (e *Entry) worth() int {
	switch {
	case e.Adds:
		return -1
	case e.Done == DoneOnce:
		return 1
	case e.Done == DoneNever:
		return 0
	}
	return -1
}

// scanLit records, in fn, the events of the function literal lit found
// in node n: what running it does to the WaitGroups of fn, given how it
// is run.
func (c *checker) scanLit(fn *function, b *cfg.Block, i int, n ast.Node, lit *ast.FuncLit, call *ast.CallExpr, mode callMode, wgGoLits map[*ast.FuncLit]key, handled *identSet) {
	info := c.pass.TypesInfo
	lf := c.lits[lit]
	if lf == nil {
		return // not collected: no CFG
	}
	lf.parent = fn
	switch {
	case call != nil && mode == modeGo:
		lf.role, lf.launch = roleGo, call
		lf.goStmt, _ = n.(*ast.GoStmt)
	case call != nil && mode == modeDefer:
		lf.role, lf.launch = roleDefer, call
	case call != nil:
		lf.role, lf.launch = roleCall, call
	default:
		if k, ok := wgGoLits[lit]; ok {
			lf.role, lf.wgKey = roleWgGo, k
		}
	}
	c.scan(lf)

	// The parent's key of a key of the literal: the same key for a
	// captured variable, the argument's for a parameter.
	paramArgs := make(map[*types.Var]ast.Expr)
	if call != nil {
		sig, _ := info.TypeOf(lit).(*types.Signature)
		for j, a := range call.Args {
			if sig != nil && j < sig.Params().Len() && !(sig.Variadic() && j >= sig.Params().Len()-1) {
				paramArgs[sig.Params().At(j)] = a
			}
		}
	}
	outer := func(k key) (key, bool) {
		if !lf.declares(k.root) {
			return k, true
		}
		a, ok := paramArgs[k.root]
		if !ok {
			return key{}, false
		}
		ak, ok := keyOf(info, a)
		if !ok {
			return key{}, false
		}
		return ak.extend(k.path), true
	}
	mk := func(kind eventKind, k key) *event {
		return &event{kind: kind, key: k, node: n, block: b, index: i, at: lit, lit: lf}
	}
	escapedParams := make(map[*types.Var]bool)
	for _, u := range lf.uses {
		if lf.declares(u.chain.root) {
			escapedParams[u.chain.root] = true
			continue
		}
		// A use the literal could not classify is a use of the parent's
		// variable too.
		fn.uses = append(fn.uses, &rootUse{chain: u.chain, node: n, block: b, index: i, at: u.at})
	}
	for v, a := range paramArgs {
		if escapedParams[v] {
			continue // leave the argument's variables as unknown uses
		}
		if _, ok := keyOf(info, a); ok {
			handled.add(idents(a)...)
		}
	}
	for _, k := range lf.keys {
		pk, ok := outer(k)
		if !ok {
			continue
		}
		s := c.summarize(lf, k)
		switch lf.role {
		case roleGo:
			e := mk(evGo, pk)
			e.worth = s.worth()
			fn.track(e)
		case roleWgGo:
			if pk == lf.wgKey {
				continue // checked in the literal itself; the count is balanced
			}
			e := mk(evGo, pk)
			e.worth = s.worth()
			fn.track(e)
		case roleDefer:
			switch {
			case s.done == DoneOnce && !s.adds:
				fn.track(mk(evDeferDone, pk))
			case s.done == DoneNever && !s.adds && !s.escapes:
				if s.waits {
					e := mk(evWait, pk)
					e.deferred = true
					fn.track(e)
				}
			default:
				fn.track(mk(evEscape, pk))
			}
		case roleCall:
			switch {
			case s.done == DoneOnce && !s.adds:
				fn.track(mk(evDone, pk))
			case s.done == DoneNever && !s.escapes:
				if s.adds {
					fn.track(mk(evAdd, pk))
				}
				if s.waitsAlways {
					fn.track(mk(evWait, pk))
				}
			default:
				fn.track(mk(evEscape, pk))
			}
		default:
			// Stored or passed on: it may run any number of times, or
			// never.
			e := mk(evEscape, pk)
			e.exact = true
			fn.track(e)
		}
	}
}
