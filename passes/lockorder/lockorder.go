package lockorder

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/doc"
	"github.com/leaklint/leaklint/internal/locks"
	"github.com/leaklint/leaklint/internal/report"
)

//go:embed doc.go
var docText string

// Config holds the pass's settings. It has none yet.
type Config struct{}

// New returns a lockorder analyzer.
func New(cfg Config) *analysis.Analyzer {
	a := &analysis.Analyzer{
		Name:      "lockorder",
		Doc:       doc.MustExtract(docText, "lockorder"),
		URL:       "https://pkg.go.dev/github.com/leaklint/leaklint/passes/lockorder",
		Requires:  []*analysis.Analyzer{locks.Analyzer},
		FactTypes: []analysis.Fact{new(acquires), new(orderEdges)},
	}
	analysisutil.Install(a, run)
	return a
}

// Analyzer is the lockorder analyzer with the default configuration.
var Analyzer = New(Config{})

// acquires is the fact that a function acquires locks of these classes,
// itself or through the functions it calls, and that it gives up locks of
// the Retakes classes, which its caller holds, and takes them back.
type acquires struct {
	Classes []string
	Retakes []string
}

func (*acquires) AFact() {}
func (f *acquires) String() string {
	s := "acquires(" + strings.Join(f.Classes, ", ") + ")"
	if len(f.Retakes) > 0 {
		s += " retakes(" + strings.Join(f.Retakes, ", ") + ")"
	}
	return s
}

// An edge of the lock-order graph: To is acquired while From is held.
type edge struct {
	From, To string // lock classes
	Func     string // the function where it happens
	At       string // base name and line of the acquisition of To
	Held     string // base name and line where From was taken
	Via      string // the call that acquires To, "" if direct
	Retake   bool   // Via gives To up (its caller held it) and takes it back
}

// orderEdges is the package fact listing the package's own lock-order
// edges, one witness per pair of classes.
type orderEdges struct {
	Edges []edge
}

func (*orderEdges) AFact() {}
func (f *orderEdges) String() string {
	var s []string
	for _, e := range f.Edges {
		s = append(s, e.From+"->"+e.To)
	}
	return "orderEdges(" + strings.Join(s, ", ") + ")"
}

// ownEdge is an edge of this package, with its positions.
type ownEdge struct {
	edge
	pos, heldPos token.Pos
	end          token.Pos
}

type checker struct {
	pass    *analysis.Pass
	r       *report.Reporter
	res     *locks.Result
	classes map[*types.Func][]string // this package's functions' acquired classes
	retakes map[*types.Func][]string // classes they release and take back
	ctors   map[*types.Func]bool     // memo of freshCtor
}

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	res := pass.ResultOf[locks.Analyzer].(*locks.Result)
	if res.Broken {
		return nil, nil
	}
	c := &checker{pass: pass, r: r, res: res, classes: make(map[*types.Func][]string), retakes: make(map[*types.Func][]string), ctors: make(map[*types.Func]bool)}
	c.summarise()

	var own []*ownEdge
	seen := make(map[[2]string]bool)
	for _, fn := range res.Funcs {
		if len(fn.Events) == 0 && len(c.callsWithClasses(fn)) == 0 {
			continue
		}
		if analysisutil.IsTestFile(pass, fn.Body.Pos()) {
			continue // tests take locks in odd orders on purpose
		}
		own = append(own, c.edges(fn)...)
	}
	// One witness per pair of classes: the first in source order, so that
	// the facts and the reports do not depend on map order.
	sort.SliceStable(own, func(i, j int) bool { return own[i].pos < own[j].pos })
	dedup := own[:0]
	for _, e := range own {
		k := [2]string{e.From, e.To}
		if seen[k] {
			continue
		}
		seen[k] = true
		dedup = append(dedup, e)
	}
	own = dedup
	if len(own) > 0 {
		fact := &orderEdges{}
		for _, e := range own {
			fact.Edges = append(fact.Edges, e.edge)
		}
		pass.ExportPackageFact(fact)
	}
	c.reportCycles(own)
	return nil, nil
}

// ---- classes ----

// classOf returns the lock class of a path: "pkg/path.mu" for a package
// variable, "(*pkg/path.T).mu" for a field of a named type, or "" when
// the lock has no class (a local or parameter mutex, an anonymous
// struct).
func classOf(p locks.Path) string {
	if p.Root == nil {
		return ""
	}
	if p.Fields == "" {
		if p.IsGlobal() {
			return p.Root.Pkg().Path() + "." + p.Root.Name()
		}
		return ""
	}
	t := p.Root.Type()
	var owner *types.Named
	names := strings.Split(p.Fields[1:], ".")
	for _, name := range names {
		st, named := structOf(t)
		if st == nil {
			return ""
		}
		var f *types.Var
		for i := 0; i < st.NumFields(); i++ {
			if st.Field(i).Name() == name {
				f = st.Field(i)
				break
			}
		}
		if f == nil {
			return ""
		}
		owner = named
		t = f.Type()
	}
	if owner == nil || owner.Obj().Pkg() == nil {
		return ""
	}
	return "(*" + owner.Obj().Pkg().Path() + "." + owner.Obj().Name() + ")." + names[len(names)-1]
}

// structOf returns the struct type t is or points to, and its named type
// (nil for an anonymous struct).
func structOf(t types.Type) (*types.Struct, *types.Named) {
	t = types.Unalias(t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	named, _ := t.(*types.Named)
	if named != nil {
		named = named.Origin()
	}
	st, _ := t.Underlying().(*types.Struct)
	return st, named
}

// short renders a class for messages: (*Store).mu, pkg.mu.
func short(class string) string {
	if strings.HasPrefix(class, "(*") {
		inner := class[2:strings.Index(class, ")")]
		rest := class[strings.Index(class, ")"):]
		return "(*" + inner[strings.LastIndex(inner, ".")+1:] + rest
	}
	slash := strings.LastIndex(class, "/")
	return class[slash+1:]
}

// ---- acquisitions through calls ----

// summarise computes, for each function of the package, the classes it
// acquires itself or through calls, to a fixed point, and exports them.
func (c *checker) summarise() {
	direct := make(map[*types.Func]map[string]bool)
	type call struct {
		expr *ast.CallExpr
		g    *types.Func
	}
	calls := make(map[*types.Func][]call)
	funcs := make(map[*types.Func]*locks.Func)
	retakes := make(map[*types.Func]map[string]bool)
	for _, fn := range c.res.Funcs {
		if fn.Obj == nil {
			continue
		}
		funcs[fn.Obj] = fn
		// Only acquisitions on every path through the function count: a
		// function that locks only in some mode is not blamed for every
		// call, since the fact can't tell which mode a call takes. Nor
		// do re-acquisitions of a lock its caller holds.
		set, back := make(map[string]bool), make(map[string]bool)
		for node, evs := range fn.Events {
			for _, e := range evs {
				if !e.Op.Acquire() || e.Via != nil || e.Deferred {
					continue
				}
				cl := classOf(e.Path)
				if cl == "" || !fn.OnEveryPath(node) {
					continue
				}
				if fn.CallerHeld[e.Path] || fn.Reacquired[e] {
					// The caller's lock, given up for a while and taken
					// back (mu.Unlock(); wait(); mu.Lock()): not a lock
					// the function takes, but an acquisition made while
					// the caller's other locks are held.
					if fn.CallerHeld[e.Path] && fn.Reacquired[e] {
						back[cl] = true
					}
					continue
				}
				set[cl] = true
			}
		}
		direct[fn.Obj] = set
		retakes[fn.Obj] = back
		for _, ce := range c.staticCalls(fn.Body) {
			if g := callee.Of(c.pass.TypesInfo, ce); g != nil {
				calls[fn.Obj] = append(calls[fn.Obj], call{ce, g})
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for f, set := range direct {
			fn := funcs[f]
			for _, cl := range calls[f] {
				classes := c.acquiredBy(cl.g, direct)
				back := c.retakenBy(cl.g, retakes)
				if len(classes)+len(back) == 0 || !c.onEveryPathPos(fn, cl.expr.Pos()) {
					continue
				}
				for _, class := range classes {
					if !set[class] {
						set[class] = true
						changed = true
					}
				}
				// A callee's retake is the caller's too, unless the
				// caller took that lock itself: then its callers
				// don't hold it, and the caller's own acquisition
				// already orders it after theirs.
				for _, class := range back {
					if !set[class] && !retakes[f][class] {
						retakes[f][class] = true
						changed = true
					}
				}
			}
		}
	}
	for f, set := range direct {
		if len(set) == 0 && len(retakes[f]) == 0 {
			continue
		}
		list, back := sortedKeys(set), sortedKeys(retakes[f])
		c.classes[f] = list
		c.retakes[f] = back
		c.pass.ExportObjectFact(f, &acquires{Classes: list, Retakes: back})
	}
}

func sortedKeys(set map[string]bool) []string {
	var list []string
	for k := range set {
		list = append(list, k)
	}
	sort.Strings(list)
	return list
}

// onEveryPathPos is onEveryPath for the node that contains pos.
func (c *checker) onEveryPathPos(fn *locks.Func, pos token.Pos) bool {
	b, i := fn.Index().Locate(pos)
	return b != nil && fn.OnEveryPath(b.Nodes[i])
}

// acquiredBy returns the classes function g acquires: this package's
// computed set, or the imported fact.
func (c *checker) acquiredBy(g *types.Func, local map[*types.Func]map[string]bool) []string {
	return c.factList(g, local, c.classes, func(f *acquires) []string { return f.Classes })
}

// retakenBy returns the classes function g gives up and takes back: this
// package's computed set, or the imported fact.
func (c *checker) retakenBy(g *types.Func, local map[*types.Func]map[string]bool) []string {
	return c.factList(g, local, c.retakes, func(f *acquires) []string { return f.Retakes })
}

// factList returns a list of g's acquires fact: from local while the
// package's sets are being computed, from done once they are, or from
// the fact imported for a function of another package.
func (c *checker) factList(g *types.Func, local map[*types.Func]map[string]bool, done map[*types.Func][]string, field func(*acquires) []string) []string {
	if g.Pkg() == c.pass.Pkg {
		if local != nil {
			return sortedKeys(local[g])
		}
		return done[g]
	}
	f := new(acquires)
	if c.pass.ImportObjectFact(g, f) {
		return field(f)
	}
	return nil
}

// staticCalls returns the calls in body that run in its goroutine: not
// those in function literals or started with go.
func (c *checker) staticCalls(body *ast.BlockStmt) []*ast.CallExpr {
	var out []*ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.GoStmt:
			for _, a := range n.Call.Args {
				ast.Inspect(a, func(m ast.Node) bool {
					if call, ok := m.(*ast.CallExpr); ok {
						out = append(out, call)
					}
					return true
				})
			}
			return false
		case *ast.CallExpr:
			out = append(out, n)
		}
		return true
	})
	return out
}

// callsWithClasses returns the calls of fn to functions that acquire
// classed locks.
func (c *checker) callsWithClasses(fn *locks.Func) []*ast.CallExpr {
	var out []*ast.CallExpr
	for _, call := range c.staticCalls(fn.Body) {
		if g := callee.Of(c.pass.TypesInfo, call); g != nil && len(c.acquiredBy(g, nil))+len(c.retakenBy(g, nil)) > 0 {
			out = append(out, call)
		}
	}
	return out
}

// ---- edges ----

// edges returns the lock-order edges of fn, and reports same-class
// nesting on two instances.
func (c *checker) edges(fn *locks.Func) []*ownEdge {
	info := c.pass.TypesInfo
	ix := fn.Index()
	var out []*ownEdge
	name := fn.Name()
	fresh := c.freshVars(fn.Body)
	add := func(from locks.Held, toClass string, pos, end token.Pos, via string, retake bool) {
		fromClass := classOf(from.Path)
		if fromClass == "" || toClass == "" || fromClass == toClass {
			return
		}
		if fresh[from.Path.Root] {
			// The held lock belongs to an object this function has just
			// made (c := &client{...}): no other goroutine can hold it
			// yet, so the nesting orders nothing.
			return
		}
		out = append(out, &ownEdge{
			edge: edge{
				From: fromClass, To: toClass, Func: name,
				At: c.shortPos(pos), Held: c.shortPos(from.By.Pos()), Via: via, Retake: retake,
			},
			pos: pos, end: end, heldPos: from.By.Pos(),
		})
	}
	// Direct acquisitions (and those of lock helpers, mapped to paths).
	for node, evs := range fn.Events {
		b, i := ix.Locate(node.Pos())
		if b == nil {
			continue
		}
		held := fn.HeldAt(info, b.Nodes[i])
		for _, e := range evs {
			if !e.Op.Acquire() || e.Deferred || e.Takes || fn.Try[e.Path] {
				continue
			}
			to := classOf(e.Path)
			if fresh[e.Path.Root] {
				continue // a lock of an object just made: nobody else can hold it, so taking it cannot wait
			}
			for _, h := range held {
				if h.Path == e.Path {
					continue // a re-lock: the unlock pass's finding
				}
				if classOf(h.Path) == to && to != "" {
					if !fresh[h.Path.Root] {
						c.sameClass(fn, h, e)
					}
					continue
				}
				via := ""
				if e.Via != nil {
					via = e.Via.Name()
				}
				add(h, to, e.Call.Pos(), e.Call.End(), via, false)
			}
		}
	}
	// Calls of functions that acquire classed locks.
	for _, call := range c.callsWithClasses(fn) {
		b, i := ix.Locate(call.Pos())
		if b == nil {
			continue
		}
		held := fn.HeldAt(info, b.Nodes[i])
		if len(held) == 0 {
			continue
		}
		g := callee.Of(info, call)
		for _, cl := range c.acquiredBy(g, nil) {
			for _, h := range held {
				add(h, cl, call.Pos(), call.End(), g.Name(), false)
			}
		}
		// A callee that gives up a lock of this function and takes it
		// back acquires it while the other held locks stay held. Only
		// when this function holds a lock of that class here: then the
		// callee's release is of that lock.
		for _, cl := range c.retakenBy(g, nil) {
			holds := false
			for _, h := range held {
				holds = holds || classOf(h.Path) == cl
			}
			if !holds {
				continue
			}
			for _, h := range held {
				add(h, cl, call.Pos(), call.End(), g.Name(), true)
			}
		}
	}
	return out
}

// freshVars returns the variables of body that hold an object no other
// goroutine can reach yet: made in place (locks.FreshVars), or returned
// by a constructor of this package that makes it and hands it to nobody
// else (s, err := newSet(cfg)).
func (c *checker) freshVars(body *ast.BlockStmt) map[*types.Var]bool {
	info := c.pass.TypesInfo
	out := locks.FreshVars(info, body)
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 {
			return true
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok {
			return true
		}
		id, ok := as.Lhs[0].(*ast.Ident)
		if !ok {
			return true
		}
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok {
			return true
		}
		if g := callee.Of(info, call); g != nil && c.freshCtor(g) {
			out[v] = true
		}
		return true
	})
	return out
}

// freshCtor reports whether g, a function of this package, returns as its
// first result a new object that nothing else refers to: on every return
// nil, &T{...}, new(T), or a local variable made so whose other uses
// only read or set its fields (memoised).
func (c *checker) freshCtor(g *types.Func) bool {
	if v, ok := c.ctors[g]; ok {
		return v
	}
	c.ctors[g] = false
	if g.Pkg() != c.pass.Pkg {
		return false
	}
	sig, ok := g.Type().(*types.Signature)
	if !ok || sig.Recv() != nil || sig.Results().Len() == 0 {
		return false
	}
	var body *ast.BlockStmt
	for _, fn := range c.res.Funcs {
		if fn.Obj == g {
			body = fn.Body
		}
	}
	if body == nil {
		return false
	}
	info := c.pass.TypesInfo
	made := locks.FreshVars(info, body)
	ok = true
	returned := make(map[*types.Var]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) == 0 {
				ok = false
				return false
			}
			switch r := ast.Unparen(n.Results[0]).(type) {
			case *ast.Ident:
				v, _ := info.ObjectOf(r).(*types.Var)
				switch {
				case r.Name == "nil" && v == nil:
				case v != nil && made[v]:
					returned[v] = true
				default:
					ok = false
				}
			case *ast.UnaryExpr:
				if _, lit := ast.Unparen(r.X).(*ast.CompositeLit); !lit || r.Op != token.AND {
					ok = false
				}
			case *ast.CallExpr:
				if fid, isID := r.Fun.(*ast.Ident); !isID || fid.Name != "new" {
					ok = false
				}
			default:
				ok = false
			}
		}
		return ok
	})
	if !ok {
		return false
	}
	// The returned variables are used only through their fields, and
	// by the return statements.
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if id, isID := n.(*ast.Ident); isID {
			if v, _ := info.Uses[id].(*types.Var); v != nil && returned[v] {
				parent := stack[len(stack)-1]
				switch p := parent.(type) {
				case *ast.ReturnStmt:
				case *ast.SelectorExpr:
					if sel := info.Selections[p]; p.X != id || sel == nil || sel.Kind() != types.FieldVal {
						ok = false
					}
				default:
					ok = false
				}
			}
		}
		stack = append(stack, n)
		return ok
	})
	c.ctors[g] = ok
	return ok
}

// sameClass reports the acquisition e of a lock of the same class as the
// held h, on another instance, unless the function orders the two
// instances or one is reached from the other.
func (c *checker) sameClass(fn *locks.Func, h locks.Held, e *locks.Event) {
	info := c.pass.TypesInfo
	a, b := h.Path.Root, e.Path.Root
	if a == nil || b == nil || c.r.Suppressed(e.Pos()) {
		return
	}
	if a == b || reachedFrom(info, fn.Body, a, b) || reachedFrom(info, fn.Body, b, a) || h.Path.IsGlobal() {
		return // hand-over-hand down a structure, or the same variable
	}
	if ordered(info, fn.Body, a, b) {
		return // if a.id < b.id { ... }: an ordering rule
	}
	class := short(classOf(e.Path))
	c.r.Report(analysis.Diagnostic{
		Pos: e.Call.Pos(),
		End: e.Call.End(),
		Message: fmt.Sprintf("%s is locked while %s, another %s, is held (line %d): two calls with the instances swapped deadlock; take the two locks in a fixed order (compare IDs or addresses first)",
			e.Path, h.Path, class, c.line(h.By.Pos())),
		Related: []analysis.RelatedInformation{{Pos: h.By.Pos(), Message: fmt.Sprintf("%s is locked here", h.Path)}},
	})
}

// reachedFrom reports whether variable b is assigned, in body, from an
// expression that starts at variable a (child := n.children[k], or a
// range over n.children): b is reached from a through the data
// structure.
func reachedFrom(info *types.Info, body *ast.BlockStmt, a, b *types.Var) bool {
	found := false
	is := func(e ast.Expr, v *types.Var) bool {
		id, ok := e.(*ast.Ident)
		return ok && info.ObjectOf(id) == v
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if !is(lhs, b) {
					continue
				}
				rhs := n.Rhs[0]
				if len(n.Rhs) == len(n.Lhs) {
					rhs = n.Rhs[i]
				}
				if mentions(info, rhs, a) {
					found = true
				}
			}
		case *ast.RangeStmt:
			if (n.Key != nil && is(n.Key, b) || n.Value != nil && is(n.Value, b)) && mentions(info, n.X, a) {
				found = true
			}
		}
		return true
	})
	return found
}

// aliases returns v and the variables v is assigned from (first, second
// := from, to), transitively.
func aliases(info *types.Info, body *ast.BlockStmt, v *types.Var) map[*types.Var]bool {
	out := map[*types.Var]bool{v: true}
	for changed := true; changed; {
		changed = false
		ast.Inspect(body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, lhs := range as.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok {
					continue
				}
				lv, ok := info.ObjectOf(id).(*types.Var)
				if !ok || !out[lv] {
					continue
				}
				if rid, ok := ast.Unparen(as.Rhs[i]).(*ast.Ident); ok {
					if rv, ok := info.Uses[rid].(*types.Var); ok && !out[rv] {
						out[rv] = true
						changed = true
					}
				}
			}
			return true
		})
	}
	return out
}

// ordered reports whether body compares an expression of a with one of
// b, or of the variables they were assigned from (a.id < b.id, a == b):
// the function orders the two instances before locking them.
func ordered(info *types.Info, body *ast.BlockStmt, a, b *types.Var) bool {
	as, bs := aliases(info, body, a), aliases(info, body, b)
	mentionsAny := func(e ast.Expr, set map[*types.Var]bool) bool {
		for v := range set {
			if mentions(info, e, v) {
				return true
			}
		}
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		be, ok := n.(*ast.BinaryExpr)
		if !ok || found {
			return !found
		}
		switch be.Op {
		case token.LSS, token.GTR, token.LEQ, token.GEQ, token.EQL, token.NEQ:
			if mentionsAny(be.X, as) && mentionsAny(be.Y, bs) || mentionsAny(be.X, bs) && mentionsAny(be.Y, as) {
				found = true
			}
		}
		return true
	})
	return found
}

func mentions(info *types.Info, e ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// ---- cycles ----

// reportCycles finds the cycles of the lock-order graph (this package's
// edges and those of every package it depends on) that go through an edge
// of this package, and reports each once.
func (c *checker) reportCycles(own []*ownEdge) {
	if len(own) == 0 {
		return
	}
	graph := make(map[string][]edge)
	for _, pf := range c.pass.AllPackageFacts() {
		f, ok := pf.Fact.(*orderEdges)
		if !ok || pf.Package == c.pass.Pkg {
			continue
		}
		for _, e := range f.Edges {
			graph[e.From] = append(graph[e.From], e)
		}
	}
	for _, e := range own {
		graph[e.From] = append(graph[e.From], e.edge)
	}
	for _, edges := range graph {
		sort.Slice(edges, func(i, j int) bool { return edges[i].To < edges[j].To })
	}
	reported := make(map[string]bool)
	for _, e := range own {
		path := shortestPath(graph, e.To, e.From)
		if path == nil {
			continue
		}
		cycle := append([]edge{e.edge}, path...)
		key := cycleKey(cycle)
		if reported[key] || c.r.Suppressed(e.pos) {
			continue
		}
		reported[key] = true
		var names []string
		for _, x := range cycle {
			names = append(names, short(x.From))
		}
		names = append(names, short(e.From))
		d := analysis.Diagnostic{
			Pos: e.pos,
			End: e.end,
			Message: fmt.Sprintf("lock order cycle %s: %s acquires %s while holding %s, and elsewhere they are taken the other way round; goroutines taking both deadlock, so pick one order",
				strings.Join(names, " → "), e.Func, short(e.To), short(e.From)),
		}
		for _, x := range cycle {
			msg := fmt.Sprintf("%s → %s: %s takes %s at %s while holding %s (taken at %s)", short(x.From), short(x.To), x.Func, short(x.To), x.At, short(x.From), x.Held)
			if x.Via != "" {
				msg += ", through the call of " + x.Via
				if x.Retake {
					msg += ", which releases " + short(x.To) + " and locks it again"
				}
			}
			pos := e.pos
			if x == e.edge {
				pos = e.pos
			} else if p := c.ownPos(own, x); p.IsValid() {
				pos = p
			}
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: pos, Message: msg})
		}
		c.r.Report(d)
	}
}

// ownPos returns the position of an edge of this package, or NoPos.
func (c *checker) ownPos(own []*ownEdge, x edge) token.Pos {
	for _, e := range own {
		if e.edge == x {
			return e.pos
		}
	}
	return token.NoPos
}

// shortestPath returns the edges of a shortest path from class src to
// class dst, or nil.
func shortestPath(graph map[string][]edge, src, dst string) []edge {
	type step struct {
		prev string
		e    edge
	}
	from := map[string]step{src: {}}
	queue := []string{src}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n == dst {
			var path []edge
			for n != src {
				s := from[n]
				path = append([]edge{s.e}, path...)
				n = s.prev
			}
			return path
		}
		for _, e := range graph[n] {
			if _, ok := from[e.To]; !ok {
				from[e.To] = step{n, e}
				queue = append(queue, e.To)
			}
		}
	}
	return nil
}

// cycleKey names a cycle independently of where it starts.
func cycleKey(cycle []edge) string {
	var parts []string
	for _, e := range cycle {
		parts = append(parts, e.From+"->"+e.To)
	}
	sort.Strings(parts)
	return strings.Join(parts, ";")
}

func (c *checker) line(pos token.Pos) int { return c.pass.Fset.Position(pos).Line }

func (c *checker) shortPos(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
