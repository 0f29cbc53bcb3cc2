package waitgroup

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/cfgs"
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
	*cfgs.Func

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
	if fn.Decl != nil {
		return fn.Decl.Name.Name
	}
	if fn.role == roleGo {
		return "the goroutine"
	}
	return "the function literal"
}

// declares reports whether v is declared inside fn (a parameter, a
// result or a local), as opposed to captured from outside.
func (fn *function) declares(v *types.Var) bool {
	return v.Pos() >= fn.Type.Pos() && v.Pos() < fn.Body.End()
}

// paramIndex returns the index of v among fn's parameters, -1 for the
// receiver, or ok=false.
func (fn *function) paramIndex(v *types.Var) (int, bool) {
	if fn.Decl != nil && fn.Decl.Recv != nil {
		for _, f := range fn.Decl.Recv.List {
			for _, n := range f.Names {
				if n.Pos() == v.Pos() {
					return -1, true
				}
			}
		}
	}
	i := 0
	for _, f := range fn.Type.Params.List {
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
	if fn.CFG != nil {
		for _, b := range fn.CFG.Blocks {
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
	if fn.Decl != nil {
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
	if fn.Obj == nil {
		return nil // a declaration the type checker did not record
	}
	var keys []key
	sig := fn.Obj.Signature()
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
