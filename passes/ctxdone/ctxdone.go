package ctxdone

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
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/cfgs"
	"github.com/leaklint/leaklint/internal/chans"
	"github.com/leaklint/leaklint/internal/report"
	"github.com/leaklint/leaklint/internal/uses"
)

//go:embed doc.go
var docText string

// Config holds the pass's settings.
type Config struct {
	// Untied also reports loops that have ways out, none of which the
	// context or a stop signal can trigger (case err := <-errc:
	// return). Off by default: such a goroutine has a lifetime of its
	// own, which is often longer than the context's by design.
	Untied bool
}

// New returns a ctxdone analyzer with its own copy of cfg. Its flag
// -untied (-ctxdone.untied on the command line) sets Config.Untied.
func New(cfg Config) *analysis.Analyzer {
	return analysisutil.NewPass(analysisutil.PassSpec[Config]{
		Name:      "ctxdone",
		DocText:   docText,
		Requires:  []*analysis.Analyzer{cfgs.Analyzer, inspect.Analyzer},
		FactTypes: []analysis.Fact{new(loopsForever), new(discardLeaks), new(hasDiscardLeaks)},
		Flags: func(fs *flag.FlagSet, c *Config) {
			fs.BoolVar(&c.Untied, "untied", c.Untied, "also report loops whose ways out do not depend on the context or a stop signal (more findings, less precise)")
		},
		Run: run,
	}, cfg)
}

// Analyzer is the ctxdone analyzer with the default configuration.
var Analyzer = New(Config{})

// loopsForever is the fact that a function, run to its end, loops on a
// blocking operation while a context it holds (a parameter or a field
// of its receiver) can never end the loop. A go statement that starts it
// with a cancellable context, in any package, starts a goroutine that
// outlives the context.
type loopsForever struct {
	// Param is the index of the context parameter, or -1 when the
	// context is a field of the receiver.
	Param int
	Ctx   string // the context's name in the function: "ctx", "w.ctx"
	Op    string // what each iteration blocks on: "<-in", "select (<-in, <-t.C)"
	At    string // base name and line of the loop
}

func (*loopsForever) AFact() {}
func (f *loopsForever) String() string {
	return fmt.Sprintf("loopsForever(%s)", f.Ctx)
}

type checker struct {
	pass  *analysis.Pass
	cfg   *Config
	r     *report.Reporter
	cfgs  *cfgs.CFGs
	stops *chans.Signals
	ctxs  *contexts

	// decls maps the package's functions to their declarations.
	decls map[*types.Func]*ast.FuncDecl
	// summaries memoises summary: nil for a function that has no
	// context or whose loops all end.
	summaries map[*types.Func]*summary
	// reported holds the loops already reported: a function started by
	// several go statements is reported once.
	reported map[ast.Stmt]bool

	calls     *callGraph                      // built on first use (callgraph.go)
	callSites map[*types.Func][]*ast.CallExpr // the static calls of the package's functions, with calls
	cancels   map[*types.Var]*uses.Uses       // the CancelFunc fields' uses, on first use
	discards  bool                            // the package declares a discardLeaks function
}

func run(pass *analysis.Pass, cfg *Config) (any, error) {
	r := report.New(pass)
	g := pass.ResultOf[cfgs.Analyzer].(*cfgs.CFGs)
	if g.Broken {
		return nil, nil // no CFGs: nothing to say about loops
	}
	c := &checker{
		pass:      pass,
		cfg:       cfg,
		r:         r,
		cfgs:      g,
		stops:     chans.NewSignals(pass),
		ctxs:      newContexts(pass),
		decls:     make(map[*types.Func]*ast.FuncDecl),
		summaries: make(map[*types.Func]*summary),
		reported:  make(map[ast.Stmt]bool),
	}
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Body != nil {
				if obj, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					c.decls[obj] = fd
				}
			}
		}
	}
	// Facts first, for every function that holds a context, whether or
	// not this package starts it: other packages may.
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil || analysisutil.IsTestFile(pass, fd.Pos()) {
				continue // no body, or a test's function: nobody imports it
			}
			obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if obj == nil {
				continue
			}
			if s := c.summary(obj); s != nil {
				pass.ExportObjectFact(obj, s.fact)
			}
		}
	}
	// Goroutines that wait on a context only a stored cancel ends.
	if analysisutil.Imports(pass.Pkg, "context") {
		waits := c.ownedWaits()
		c.exportDiscards(waits)
		c.checkOwnedCancels(waits)
	}
	c.checkDiscards()
	for _, f := range pass.Files {
		if analysisutil.IsTestFile(pass, f.Pos()) {
			continue // a test's goroutines end with the test binary
		}
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if fd.Recv == nil && fd.Name.Name == "main" && pass.Pkg.Name() == "main" {
				continue // main.main's goroutines live as long as the process anyway
			}
			c.goStmts(fd)
		}
	}
	return nil, nil
}

// goStmts checks every go statement in fd, function literals included.
func (c *checker) goStmts(fd *ast.FuncDecl) {
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if g, ok := n.(*ast.GoStmt); ok {
			c.goStmt(fd, g)
		}
		return true
	})
}

// goStmt checks the goroutine that g starts.
func (c *checker) goStmt(fd *ast.FuncDecl, g *ast.GoStmt) {
	info := c.pass.TypesInfo
	fun := ast.Unparen(g.Call.Fun)
	// go f() where f is a local variable holding a function literal or
	// a method value, assigned once.
	if id, ok := fun.(*ast.Ident); ok {
		if v, ok := info.Uses[id].(*types.Var); ok {
			if e := singleValue(info, fd, v); e != nil {
				fun = e
			}
		}
	}
	if lit, ok := fun.(*ast.FuncLit); ok {
		c.literal(fd, g, lit, g.Call.Args)
		return
	}
	fn, recvArg := calledFunc(info, g.Call, fun)
	if fn == nil {
		return // a function value or an interface method: nothing known about it
	}
	c.started(g, g.Call, fn, recvArg, false)
}

// calledFunc returns the function that call calls when its function
// expression is fun (the call's own, or the value of the variable it
// names), and whether the receiver is passed as the first argument (a
// method expression such as (*T).Run).
func calledFunc(info *types.Info, call *ast.CallExpr, fun ast.Expr) (*types.Func, bool) {
	switch f := fun.(type) {
	case *ast.Ident:
		fn, _ := info.Uses[f].(*types.Func)
		if fn != nil {
			return fn.Origin(), false
		}
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[f]; ok {
			fn, _ := sel.Obj().(*types.Func)
			if fn == nil {
				return nil, false
			}
			return fn.Origin(), sel.Kind() == types.MethodExpr
		}
		fn, _ := info.Uses[f.Sel].(*types.Func) // a qualified function
		if fn != nil {
			return fn.Origin(), false
		}
	case *ast.IndexExpr, *ast.IndexListExpr:
		// An explicitly instantiated generic function.
		if fn := callee.Of(info, call); fn != nil {
			return fn, false
		}
	}
	return nil, false
}

// singleValue returns the value assigned to the local variable v in fd
// when v is assigned exactly once, from a function literal or a method
// value or function name, and never has its address taken; otherwise
// nil.
func singleValue(info *types.Info, fd *ast.FuncDecl, v *types.Var) ast.Expr {
	if v.Pos() < fd.Pos() || v.Pos() >= fd.End() {
		return nil // not a local of fd
	}
	var value ast.Expr
	n := 0
	ast.Inspect(fd.Body, func(node ast.Node) bool {
		switch node := node.(type) {
		case *ast.AssignStmt:
			for i, lhs := range node.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok || info.ObjectOf(id) != v {
					continue
				}
				n++
				if len(node.Lhs) == len(node.Rhs) {
					value = ast.Unparen(node.Rhs[i])
				} else {
					value = nil
				}
			}
		case *ast.ValueSpec:
			for i, name := range node.Names {
				if info.Defs[name] != v {
					continue
				}
				if len(node.Values) == len(node.Names) {
					n++
					value = ast.Unparen(node.Values[i])
				}
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(node.X).(*ast.Ident); ok && node.Op == token.AND && info.Uses[id] == v {
				n += 2 // its address is taken: anything may be stored in it
			}
		}
		return true
	})
	if n != 1 {
		return nil
	}
	switch value.(type) {
	case *ast.FuncLit, *ast.SelectorExpr, *ast.Ident:
		return value
	}
	return nil
}

// literal checks a goroutine running the function literal lit, started
// by g in fd with the arguments args.
func (c *checker) literal(fd *ast.FuncDecl, g *ast.GoStmt, lit *ast.FuncLit, args []ast.Expr) {
	gr := c.literalRoutine(fd, g, lit, args)
	if gr != nil {
		if l := c.firstLoop(gr); l != nil {
			c.reportLoop(gr, l, nil)
		}
	}
	// Calls in the literal to functions that loop forever with the
	// context they are given: go func() { defer wg.Done(); w.Run(ctx) }().
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // another function: it runs when called, maybe elsewhere
		case *ast.CallExpr:
			fn, recvArg := calledFunc(c.pass.TypesInfo, n, ast.Unparen(n.Fun))
			if fn != nil {
				c.started(g, n, fn, recvArg, true)
			}
		}
		return true
	})
}

// started checks a call of the named function fn made by the go
// statement g, or inside the function literal that g starts (inLit).
func (c *checker) started(g *ast.GoStmt, call *ast.CallExpr, fn *types.Func, recvArg, inLit bool) {
	sum := c.summaryOf(fn)
	if sum == nil {
		return // fn ends, or holds no context
	}
	if sum.fact.Param >= 0 {
		i := sum.fact.Param
		if recvArg {
			i++
		}
		if i >= len(call.Args) || call.Ellipsis.IsValid() && i >= len(call.Args)-1 {
			return // variadic: can't tell which argument it is
		}
		if !c.ctxs.cancellable(call.Args[i]) {
			return // context.Background() and friends: there is nothing to cancel
		}
	}
	if sum.routine != nil {
		// Declared here: report the loop itself, where the fix goes.
		c.reportLoop(sum.routine, sum.loop, g)
		return
	}
	// Declared in another package: report the call.
	name := fn.Name()
	what := "the goroutine"
	if inLit {
		what = "this goroutine"
	}
	c.r.Report(analysis.Diagnostic{
		Pos: call.Fun.Pos(),
		End: call.Fun.End(),
		Message: fmt.Sprintf("%s loops on %s forever and never lets its context %s end the loop (%s), so %s outlives cancellation: make %s return when %s is done",
			name, sum.fact.Op, sum.fact.Ctx, sum.fact.At, what, name, sum.fact.Ctx),
	})
}

// A summary says that a function loops forever with its context unused.
type summary struct {
	fact *loopsForever
	// routine and loop are set for functions declared in this package.
	routine *routine
	loop    *loop
}

// summaryOf returns the summary of fn, from this package or from a fact.
func (c *checker) summaryOf(fn *types.Func) *summary {
	if fn.Pkg() == c.pass.Pkg {
		return c.summary(fn)
	}
	f := new(loopsForever)
	if c.pass.ImportObjectFact(fn, f) {
		return &summary{fact: f}
	}
	return nil
}

// summary computes, once, whether the function fn of this package loops
// forever while holding a context it never lets end the loop.
func (c *checker) summary(fn *types.Func) *summary {
	if s, ok := c.summaries[fn]; ok {
		return s
	}
	c.summaries[fn] = nil
	fd := c.decls[fn]
	if fd == nil {
		return nil
	}
	gr := c.declRoutine(fd)
	if gr == nil {
		return nil
	}
	l := c.firstLoop(gr)
	if l == nil {
		return nil
	}
	param := -1
	if gr.ctx.param >= 0 {
		param = gr.ctx.param
	}
	s := &summary{
		fact: &loopsForever{
			Param: param,
			Ctx:   gr.ctx.name,
			Op:    l.op,
			At:    c.shortPos(l.stmt.Pos()),
		},
		routine: gr,
		loop:    l,
	}
	c.summaries[fn] = s
	return s
}

// A routine is a function run as a goroutine (or that may be), with the
// contexts it can consult.
type routine struct {
	body    *ast.BlockStmt
	g       *cfg.CFG
	ctx     *ctxRef   // the context named in messages and used by the fix
	all     []*ctxRef // every context available
	results bool      // the function has results
}

// declRoutine returns the routine for the declared function fd, or nil
// when it holds no context.
func (c *checker) declRoutine(fd *ast.FuncDecl) *routine {
	g := c.cfgs.FuncDecl(fd)
	if g == nil {
		return nil // no CFG: nothing to say about paths
	}
	all := c.ctxs.ofDecl(fd)
	if len(all) == 0 {
		return nil // no context: nothing to consult
	}
	return &routine{
		body:    fd.Body,
		g:       g,
		ctx:     c.pick(fd.Body, all),
		all:     all,
		results: fd.Type.Results.NumFields() > 0,
	}
}

// literalRoutine returns the routine for the literal lit started by g
// inside fd with args, or nil when no cancellable context is available
// to it.
func (c *checker) literalRoutine(fd *ast.FuncDecl, g *ast.GoStmt, lit *ast.FuncLit, args []ast.Expr) *routine {
	gl := c.cfgs.FuncLit(lit)
	if gl == nil {
		return nil // no CFG: nothing to say about paths
	}
	all := c.ctxs.ofLiteral(fd, g, lit, args)
	if len(all) == 0 {
		return nil // no context in scope: nothing to consult (chanleak's ground)
	}
	return &routine{
		body:    lit.Body,
		g:       gl,
		ctx:     c.pick(lit.Body, all),
		all:     all,
		results: lit.Type.Results.NumFields() > 0,
	}
}

// pick returns the context to name in messages: the first one the body
// refers to, else the first available.
func (c *checker) pick(body *ast.BlockStmt, all []*ctxRef) *ctxRef {
	for _, r := range all {
		if c.ctxs.mentioned(body, r) {
			return r
		}
	}
	return all[0]
}

// reportLoop reports the loop l of gr, once. start is the go statement
// that starts gr when gr is a declared function, for related
// information.
func (c *checker) reportLoop(gr *routine, l *loop, start *ast.GoStmt) {
	if c.reported[l.stmt] {
		return
	}
	c.reported[l.stmt] = true
	name := gr.ctx.name
	consulted := c.ctxs.mentioned(gr.body, gr.ctx)
	fix := fmt.Sprintf("select on %s.Done() and return", name)
	if l.sel != nil {
		fix = fmt.Sprintf("add a case <-%s.Done() that returns", name)
	}
	var msg string
	switch {
	case l.stopCase != nil && !l.exits:
		// The author meant to stop; the case just doesn't leave.
		stop := commString(l.stopCase.Comm)
		msg = fmt.Sprintf("goroutine loops on %s forever: the case %s does not leave the loop (a break there leaves only the select): return there instead", l.op, stop)
	case !l.exits && !consulted:
		msg = fmt.Sprintf("goroutine loops on %s forever; %s is never consulted: %s", l.op, name, fix)
	case !l.exits:
		msg = fmt.Sprintf("goroutine loops on %s forever; nothing in the loop lets %s end it: %s", l.op, name, fix)
	case !consulted:
		msg = fmt.Sprintf("goroutine loops on %s and no way out of the loop depends on %s, which is never consulted: %s", l.op, name, fix)
	default:
		msg = fmt.Sprintf("goroutine loops on %s and no way out of the loop depends on %s: %s", l.op, name, fix)
	}
	d := analysis.Diagnostic{
		Pos:     l.stmt.Pos(),
		End:     l.stmt.Pos() + token.Pos(len("for")),
		Message: msg,
	}
	if l.opPos.IsValid() {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: l.opPos, Message: "each iteration blocks here"})
	}
	if start != nil {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: start.Pos(), Message: "started as a goroutine here"})
	}
	if f, ok := c.doneFix(gr, l); ok && l.stopCase == nil {
		d.SuggestedFixes = []analysis.SuggestedFix{f}
	}
	c.r.Report(d)
}

// shortPos returns "file.go:line" for pos.
func (c *checker) shortPos(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
