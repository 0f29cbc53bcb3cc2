package timeafter

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/cfgs"
	"github.com/leaklint/leaklint/internal/chans"
	"github.com/leaklint/leaklint/internal/doc"
	"github.com/leaklint/leaklint/internal/flow"
	"github.com/leaklint/leaklint/internal/report"
)

//go:embed doc.go
var docText string

// Config holds the pass's settings.
type Config struct {
	// All reports regardless of the Go version of the file: for teams
	// whose main module's go line is below 1.23 while their libraries'
	// are not.
	All bool
}

// New returns a timeafter analyzer with its own copy of cfg. Its flag
// -all (-timeafter.all on the command line) sets Config.All.
func New(cfg Config) *analysis.Analyzer {
	c := new(Config)
	*c = cfg
	a := &analysis.Analyzer{
		Name:      "timeafter",
		Doc:       doc.MustExtract(docText, "timeafter"),
		URL:       "https://pkg.go.dev/github.com/leaklint/leaklint/passes/timeafter",
		Requires:  []*analysis.Analyzer{cfgs.Analyzer},
		FactTypes: []analysis.Fact{new(abandonsTimer), new(hasAbandoners)},
	}
	a.Flags.BoolVar(&c.All, "all", c.All, "report regardless of the file's Go version (for main modules whose go line is below 1.23)")
	analysisutil.Install(a, func(pass *analysis.Pass) (any, error) {
		return run(pass, c)
	})
	return a
}

// Analyzer is the timeafter analyzer with the default configuration.
var Analyzer = New(Config{})

// cutoff is the first Go version whose runtime collects unreferenced
// timers and tickers.
const cutoff = "go1.23"

// abandonsTimer is the fact that a function selects on a time.After
// timer and can return after another case won, leaving the timer live
// until it fires. One call abandons at most one timer; a loop of calls
// abandons one per iteration.
type abandonsTimer struct {
	Func string // the function that selects on the timer, for messages
	At   string // base name and line of the time.After call
}

func (*abandonsTimer) AFact()           {}
func (f *abandonsTimer) String() string { return "abandonsTimer" }

// hasAbandoners is the package fact that the package declares at least
// one function with an abandonsTimer fact. It lets packages that don't
// import time skip the pass unless they import such a package.
type hasAbandoners struct{}

func (*hasAbandoners) AFact()         {}
func (*hasAbandoners) String() string { return "hasAbandoners" }

func run(pass *analysis.Pass, cfg *Config) (any, error) {
	r := report.New(pass)

	// Quick exit: nothing here can create a timer, and nothing imported
	// declares a helper that abandons one.
	if !analysisutil.Imports(pass.Pkg, "time") && !importsAbandoners(pass) {
		return nil, nil
	}

	c := &checker{
		pass:  pass,
		r:     r,
		cfg:   cfg,
		cfgs:  pass.ResultOf[cfgs.Analyzer].(*cfgs.CFGs),
		byObj: make(map[*types.Func]*function),
		stops: chans.NewSignals(pass),
	}
	for _, f := range pass.Files {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Body != nil {
				obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
				c.collect(&function{file: f, decl: fd, obj: obj, body: fd.Body, g: c.cfgs.FuncDecl(fd)})
			}
		}
	}
	for _, fn := range c.funcs {
		c.checkSelects(fn)
	}
	c.checkDrains()
	c.propagate()
	c.once = c.runsOnce()
	for _, fn := range c.funcs {
		c.checkHelperCalls(fn)
		c.checkTicks(fn)
		c.checkTickers(fn)
	}
	return nil, nil
}

// importsAbandoners reports whether a package imported by pass's package
// declares a function that abandons a timer.
func importsAbandoners(pass *analysis.Pass) bool {
	for _, imp := range pass.Pkg.Imports() {
		if pass.ImportPackageFact(imp, new(hasAbandoners)) {
			return true
		}
	}
	return false
}

type checker struct {
	pass  *analysis.Pass
	r     *report.Reporter
	cfg   *Config
	cfgs  *cfgs.CFGs
	funcs []*function
	byObj map[*types.Func]*function
	stops *chans.Signals
	once  map[*types.Func]bool // functions of a main package that run once (runsOnce)
}

// A function is a function declaration or literal with a body, and what
// the pass found in it (not counting nested function literals, which are
// functions of their own).
type function struct {
	file *ast.File
	decl *ast.FuncDecl // nil for a literal
	lit  *ast.FuncLit  // nil for a declaration
	obj  *types.Func   // nil for a literal
	body *ast.BlockStmt
	g    *cfg.CFG
	ix   *flow.Index  // built on first use
	all  *flow.Always // built on first use

	selects []*selectSite
	calls   []*callSite
	ticks   []*tickSite
	tickers []*tickerSite

	abandons *abandonsTimer // set if the function abandons a timer
}

func (fn *function) index() *flow.Index {
	if fn.ix == nil {
		fn.ix = flow.NewIndex(fn.g)
	}
	return fn.ix
}

// name returns the function's name for messages.
func (fn *function) name() string {
	if fn.decl != nil {
		return fn.decl.Name.Name
	}
	return "the function literal"
}

type selectSite struct {
	stmt  *ast.SelectStmt
	loops []ast.Stmt // enclosing loops in the same function, outermost first
}

type callSite struct {
	call  *ast.CallExpr
	fn    *types.Func
	loops []ast.Stmt
}

type tickSite struct {
	call   *ast.CallExpr
	parent ast.Node
	loops  []ast.Stmt
}

type tickerSite struct {
	call *ast.CallExpr
	// lhs is the expression the ticker is assigned to, or nil when the
	// call is used in place (time.NewTicker(d).C, an argument, ...).
	lhs ast.Expr
	// parent is the node directly containing the call, and selParent
	// the one containing parent.
	parent, selParent ast.Node
}

// collect walks fn's body, records what the checks need, and collects
// the function literals inside as functions of their own.
func (c *checker) collect(fn *function) {
	if fn.g == nil {
		return // no CFG: nothing to say about paths
	}
	c.funcs = append(c.funcs, fn)
	if fn.obj != nil {
		c.byObj[fn.obj] = fn
	}
	info := c.pass.TypesInfo
	var loops []ast.Stmt
	var stack []ast.Node
	ast.Inspect(fn.body, func(n ast.Node) bool {
		if n == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch top.(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				loops = loops[:len(loops)-1]
			}
			return true
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			c.collect(&function{file: fn.file, lit: n, body: n.Body, g: c.cfgs.FuncLit(n)})
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			loops = append(loops, n.(ast.Stmt))
		case *ast.SelectStmt:
			fn.selects = append(fn.selects, &selectSite{n, clone(loops)})
		case *ast.CallExpr:
			var parent ast.Node
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			fnObj := callee.Of(info, n)
			switch {
			case callee.IsFunc(fnObj, "time", "Tick"):
				fn.ticks = append(fn.ticks, &tickSite{n, parent, clone(loops)})
			case callee.IsFunc(fnObj, "time", "NewTicker"):
				var grand ast.Node
				if len(stack) > 1 {
					grand = stack[len(stack)-2]
				}
				fn.tickers = append(fn.tickers, &tickerSite{call: n, lhs: assignedTo(parent, n), parent: parent, selParent: grand})
			case fnObj != nil && !startedBy(parent, n):
				fn.calls = append(fn.calls, &callSite{n, fnObj, clone(loops)})
			}
		}
		stack = append(stack, n)
		return true
	})
}

// escapes reports whether parent hands the value of e on: stores it in a
// composite literal, a field, an element or a global, returns it, sends
// it or passes it to a call.
func escapes(parent ast.Node, e ast.Expr) bool {
	switch p := parent.(type) {
	case *ast.CompositeLit, *ast.KeyValueExpr, *ast.ReturnStmt, *ast.SendStmt:
		return true
	case *ast.CallExpr:
		return p.Fun != e
	case *ast.AssignStmt:
		if lhs := assignedTo(p, e); lhs != nil {
			_, local := ast.Unparen(lhs).(*ast.Ident)
			return !local
		}
	}
	return false
}

// startedBy reports whether call is the call of a go or defer statement
// parent: it does not run in the current iteration of a loop.
func startedBy(parent ast.Node, call *ast.CallExpr) bool {
	switch p := parent.(type) {
	case *ast.GoStmt:
		return p.Call == call
	case *ast.DeferStmt:
		return p.Call == call
	}
	return false
}

// assignedTo returns the single expression that call is assigned to by
// parent (x := call, x = call, var x = call), or nil.
func assignedTo(parent ast.Node, call ast.Expr) ast.Expr {
	switch p := parent.(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) == len(p.Rhs) && (p.Tok == token.DEFINE || p.Tok == token.ASSIGN) {
			for i, rhs := range p.Rhs {
				if rhs == call {
					return p.Lhs[i]
				}
			}
		}
	case *ast.ValueSpec:
		if len(p.Names) == len(p.Values) {
			for i, v := range p.Values {
				if v == call {
					return p.Names[i]
				}
			}
		}
	}
	return nil
}

func clone(s []ast.Stmt) []ast.Stmt { return append([]ast.Stmt(nil), s...) }

// reportable reports whether a finding at pos should be reported under
// the version gate, and returns the note on versions for its message.
func (c *checker) reportable(pos token.Pos) (bool, string) {
	v := analysisutil.FileVersion(c.pass.TypesInfo, c.pass.Pkg, analysisutil.File(c.pass, pos))
	if analysisutil.Before(v, cutoff) {
		return true, fmt.Sprintf("a leak before Go 1.23; this file is %s", v)
	}
	return c.cfg.All, "a leak when the main module's go line is below 1.23"
}

// ---- time.After in a select ----

// afterCase describes a select case that receives from a time.After
// timer.
type afterCase struct {
	clause *ast.CommClause
	call   *ast.CallExpr // the time.After call
	// created is the position at which the timer is created: the call
	// itself when it is written in the case, or the assignment of the
	// variable the case receives from.
	created token.Pos
	direct  bool // the call is written in the case
}

// checkSelects reports time.After cases abandoned once per iteration and
// records whether fn abandons a timer at most once per call.
func (c *checker) checkSelects(fn *function) {
	test := analysisutil.IsTestFile(c.pass, fn.body.Pos())
	// Reported sites per loop, for the suggested fix: only loops with
	// exactly one get one.
	type finding struct {
		site *selectSite
		ac   *afterCase
	}
	var findings []finding
	for _, site := range fn.selects {
		cases := c.afterCases(fn, site.stmt)
		if len(cases) == 0 {
			continue
		}
		for _, ac := range cases {
			if len(site.stmt.Body.List) < 2 {
				continue // the timer case is alone: it fires, or the select blocks
			}
			if len(site.loops) == 0 || !c.abandonedRepeatedly(fn, site, ac) {
				// Not repeated: at most one timer per call. (A select
				// repeated only through goto is usually a retry-once
				// path, and is treated the same.)
				if fn.abandons == nil && c.abandonedOnReturn(fn, site, ac) {
					fn.abandons = c.root(fn, ac)
				}
				continue
			}
			if allBounded(c.pass.TypesInfo, site.loops) {
				// At most a constant number of timers per call: treat it
				// like a single abandonment.
				if fn.abandons == nil {
					fn.abandons = c.root(fn, ac)
				}
				continue
			}
			findings = append(findings, finding{site, ac})
		}
	}
	perLoop := make(map[ast.Stmt]int)
	for _, f := range findings {
		if len(f.site.loops) > 0 {
			perLoop[f.site.loops[len(f.site.loops)-1]]++
		}
	}
	for _, f := range findings {
		ok, note := c.reportable(f.ac.call.Pos())
		if !ok || test || c.r.Suppressed(f.ac.call.Pos()) {
			continue
		}
		d := analysis.Diagnostic{
			Pos: f.ac.call.Pos(),
			End: f.ac.call.End(),
			Message: fmt.Sprintf("%s in a select inside a loop leaves a live timer behind each time another case is taken (%s): create one time.NewTimer before the loop and Reset it each iteration",
				render(c.pass.Fset, f.ac.call), note),
		}
		if len(f.site.loops) == 1 && f.ac.direct && perLoop[f.site.loops[0]] == 1 {
			if fix, ok := c.timerFix(fn, f.site, f.ac); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
		c.r.Report(d)
	}
}

// afterCases returns the cases of sel that receive from a time.After
// timer.
func (c *checker) afterCases(fn *function, sel *ast.SelectStmt) []*afterCase {
	var cases []*afterCase
	for _, stmt := range sel.Body.List {
		clause := stmt.(*ast.CommClause)
		u := commRecv(clause.Comm)
		if u == nil || u.Op != token.ARROW {
			continue
		}
		switch ch := ast.Unparen(u.X).(type) {
		case *ast.CallExpr:
			if callee.IsFunc(callee.Of(c.pass.TypesInfo, ch), "time", "After") {
				cases = append(cases, &afterCase{clause: clause, call: ch, created: clause.Comm.Pos(), direct: true})
			}
		case *ast.Ident:
			if call, at := c.timerVar(fn, ch); call != nil {
				cases = append(cases, &afterCase{clause: clause, call: call, created: at})
			}
		}
	}
	return cases
}

// timerVar returns the time.After call that is the only value of the
// local variable id, and the position of its assignment, when every use
// of the variable in fn is a receive in fn's own body. Otherwise the
// timer may be used elsewhere and timerVar returns nil.
func (c *checker) timerVar(fn *function, id *ast.Ident) (*ast.CallExpr, token.Pos) {
	info := c.pass.TypesInfo
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.Pos() < fn.body.Pos() || v.Pos() >= fn.body.End() {
		return nil, token.NoPos // not a local of this function
	}
	var call *ast.CallExpr
	var at token.Pos
	defs, escapes := 0, false
	var stack []ast.Node
	ast.Inspect(fn.body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if _, ok := n.(*ast.FuncLit); ok && len(stack) > 0 {
			// A use inside a literal is a use we can't order.
			ast.Inspect(n, func(m ast.Node) bool {
				if mid, ok := m.(*ast.Ident); ok && info.Uses[mid] == v {
					escapes = true
				}
				return !escapes
			})
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				lid, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok || (info.Defs[lid] != v && info.Uses[lid] != v) {
					continue
				}
				defs++
				if len(n.Lhs) != len(n.Rhs) {
					escapes = true
					continue
				}
				rc, ok := ast.Unparen(n.Rhs[i]).(*ast.CallExpr)
				if !ok || !callee.IsFunc(callee.Of(info, rc), "time", "After") {
					escapes = true
					continue
				}
				call, at = rc, n.Pos()
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if info.Defs[name] != v {
					continue
				}
				if i >= len(n.Values) {
					continue // var t <-chan time.Time: a later assignment counts
				}
				defs++
				rc, ok := ast.Unparen(n.Values[i]).(*ast.CallExpr)
				if !ok || !callee.IsFunc(callee.Of(info, rc), "time", "After") {
					escapes = true
					continue
				}
				call, at = rc, n.Pos()
			}
		case *ast.Ident:
			if info.Uses[n] == v && len(stack) > 0 {
				isRecv := false
				if u, ok := stack[len(stack)-1].(*ast.UnaryExpr); ok && u.Op == token.ARROW {
					isRecv = true
				}
				if a, ok := stack[len(stack)-1].(*ast.AssignStmt); ok {
					for _, lhs := range a.Lhs {
						if lhs == n {
							isRecv = true // an assignment, counted above
						}
					}
				}
				if !isRecv {
					escapes = true
				}
			}
		}
		stack = append(stack, n)
		return !escapes
	})
	if escapes || defs != 1 || call == nil {
		return nil, token.NoPos
	}
	return call, at
}

// abandonedOnReturn reports whether fn can return after another case of
// the select than ac was taken, without going through ac's case: the
// timer is then left behind by the call. The select must also be on every
// path through fn: a helper that selects on a timer only in some mode
// (one opcode of a protocol, one branch of a switch) is not blamed for
// every call, since the facts don't know the arguments.
func (c *checker) abandonedOnReturn(fn *function, site *selectSite, ac *afterCase) bool {
	if !c.onEveryPath(fn, ac.clause.Comm.Pos()) {
		return false
	}
	var timerBody *cfg.Block
	for _, b := range fn.g.Blocks {
		if b.Kind == cfg.KindSelectCaseBody && b.Stmt == ac.clause {
			timerBody = b
		}
	}
	never := func(ast.Node) bool { return false }
	for _, start := range c.otherCases(fn, site, ac) {
		if flow.UncoveredExitFunc(start, -1, never, func(to *cfg.Block) bool { return to == timerBody }) != nil {
			return true
		}
	}
	return false
}

// abandonedRepeatedly reports whether, after another case of the select
// than ac is taken, control can reach the creation of ac's timer again
// in the same call: each such round abandons one live timer.
func (c *checker) abandonedRepeatedly(fn *function, site *selectSite, ac *afterCase) bool {
	ix := fn.index()
	created, _ := ix.Locate(ac.created)
	if created == nil {
		return false // dead code
	}
	return flow.Reaches(c.otherCases(fn, site, ac), created)
}

// otherCases returns the blocks where the cases of the select other than
// ac begin, the default case included. Cases that receive a stop signal
// (ctx.Done(), a quit channel) are left out: a loop ends after one, and
// a call that returns after one abandons a timer once per shutdown, not
// once per request.
func (c *checker) otherCases(fn *function, site *selectSite, ac *afterCase) []*cfg.Block {
	var starts []*cfg.Block
	var lastNonDefault *ast.CommClause
	hasDefault := false
	for _, stmt := range site.stmt.Body.List {
		clause := stmt.(*ast.CommClause)
		if clause.Comm == nil {
			hasDefault = true
		} else {
			lastNonDefault = clause
		}
	}
	for _, b := range fn.g.Blocks {
		clause, ok := b.Stmt.(*ast.CommClause)
		if !ok || !b.Live || !contains(site.stmt.Body.List, clause) {
			continue
		}
		switch {
		case b.Kind == cfg.KindSelectCaseBody && clause != ac.clause:
			if ch := chans.Received(clause.Comm); ch != nil && c.stops.IsStop(ch) {
				continue
			}
			starts = append(starts, b)
		case b.Kind == cfg.KindSelectAfterCase && hasDefault && clause == lastNonDefault:
			// The default body follows the last non-default case's
			// "after" block.
			starts = append(starts, b)
		}
	}
	return starts
}

func contains(list []ast.Stmt, s ast.Stmt) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// allBounded reports whether every loop in loops runs a constant number
// of times at most: for i := a; i < N; i++ with a constant N, range over
// a constant integer, or range over an array.
func allBounded(info *types.Info, loops []ast.Stmt) bool {
	for _, l := range loops {
		if !bounded(info, l) {
			return false
		}
	}
	return true
}

func bounded(info *types.Info, loop ast.Stmt) bool {
	switch l := loop.(type) {
	case *ast.RangeStmt:
		tv, ok := info.Types[l.X]
		if !ok {
			return false
		}
		if tv.Value != nil {
			return true // range over a constant integer
		}
		t := tv.Type.Underlying()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem().Underlying()
		}
		_, isArray := t.(*types.Array)
		return isArray
	case *ast.ForStmt:
		cond, ok := l.Cond.(*ast.BinaryExpr)
		if !ok {
			return false
		}
		inc, ok := l.Post.(*ast.IncDecStmt)
		if !ok {
			return false
		}
		iv, ok := inc.X.(*ast.Ident)
		if !ok {
			return false
		}
		isVar := func(e ast.Expr) bool {
			id, ok := ast.Unparen(e).(*ast.Ident)
			return ok && info.Uses[id] != nil && info.Uses[id] == info.Uses[iv]
		}
		isConst := func(e ast.Expr) bool { return info.Types[e].Value != nil }
		switch cond.Op {
		case token.LSS, token.LEQ:
			return inc.Tok == token.INC && isVar(cond.X) && isConst(cond.Y)
		case token.GTR, token.GEQ:
			return inc.Tok == token.DEC && isVar(cond.X) && isConst(cond.Y)
		}
	}
	return false
}

// ---- helpers that abandon a timer ----

// propagate computes which functions of the package abandon a timer,
// directly or through calls outside loops, and exports the facts.
func (c *checker) propagate() {
	for changed := true; changed; {
		changed = false
		for _, fn := range c.funcs {
			if fn.obj == nil || fn.abandons != nil {
				continue
			}
			for _, cs := range fn.calls {
				at := c.abandonsAt(cs.fn)
				if at == nil || c.repeated(fn, cs) || !c.onEveryPath(fn, cs.call.Pos()) {
					continue
				}
				fn.abandons = at
				changed = true
				break
			}
		}
	}
	exported := false
	for _, fn := range c.funcs {
		if fn.obj != nil && fn.abandons != nil {
			c.pass.ExportObjectFact(fn.obj, fn.abandons)
			exported = true
		}
	}
	if exported {
		c.pass.ExportPackageFact(new(hasAbandoners))
	}
}

// onEveryPath reports whether every path from fn's entry to a return
// passes the node at pos.
func (c *checker) onEveryPath(fn *function, pos token.Pos) bool {
	b, i := fn.index().Locate(pos)
	if b == nil {
		return false
	}
	if fn.all == nil {
		fn.all = flow.NewAlways(fn.g)
	}
	return fn.all.Node(b.Nodes[i])
}

// abandonsAt returns where the function fn abandons a timer, or nil.
func (c *checker) abandonsAt(fn *types.Func) *abandonsTimer {
	if local, ok := c.byObj[fn]; ok {
		return local.abandons
	}
	fact := new(abandonsTimer)
	if fn.Pkg() != c.pass.Pkg && c.pass.ImportObjectFact(fn, fact) {
		return fact
	}
	return nil
}

// root returns the fact for a function that abandons the timer of ac
// itself.
func (c *checker) root(fn *function, ac *afterCase) *abandonsTimer {
	name := "the function literal"
	if fn.obj != nil {
		name = fn.obj.Name()
		if recv := fn.obj.Signature().Recv(); recv != nil {
			t := recv.Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := types.Unalias(t).(*types.Named); ok {
				name = n.Obj().Name() + "." + name
			}
		}
	}
	return &abandonsTimer{Func: name, At: c.shortPos(ac.call.Pos())}
}

// repeated reports whether the call can run again in the same call of
// fn: it is inside a for or range loop, not every enclosing loop has a
// constant bound, and its statement is on a cycle of fn's control-flow
// graph (a loop whose body always returns does not repeat).
func (c *checker) repeated(fn *function, cs *callSite) bool {
	if len(cs.loops) == 0 || allBounded(c.pass.TypesInfo, cs.loops) {
		return false // not in a for or range loop, or in bounded ones only
	}
	b, _ := fn.index().Locate(cs.call.Pos())
	return b != nil && flow.InCycle(b)
}

// checkHelperCalls reports calls, repeated in a loop, of functions that
// abandon a timer.
func (c *checker) checkHelperCalls(fn *function) {
	if analysisutil.IsTestFile(c.pass, fn.body.Pos()) {
		return // a test's timers go with the test binary
	}
	for _, cs := range fn.calls {
		at := c.abandonsAt(cs.fn)
		if at == nil || !c.repeated(fn, cs) || c.retriesUntilSuccess(fn, cs) {
			continue
		}
		ok, note := c.reportable(cs.call.Pos())
		if !ok {
			continue
		}
		name := cs.fn.Name()
		where := at.At
		if at.Func != name && !strings.HasSuffix(at.Func, "."+name) {
			where = "through " + at.Func + ", " + at.At
		}
		c.r.Report(analysis.Diagnostic{
			Pos: cs.call.Fun.Pos(),
			End: cs.call.Fun.End(),
			Message: fmt.Sprintf("%s abandons a time.After timer (%s) when another select case wins, and this loop calls it again and again (%s): make %s use time.NewTimer and Stop it",
				name, where, note, at.Func),
		})
	}
}

// retriesUntilSuccess reports whether the loop around the call leaves as
// soon as the call's error result is nil, as in
//
//	for {
//		if err := recvWithTimeout(); err == nil {
//			break
//		}
//	}
//
// Such a loop repeats only when the timer fired (the helper failed), so
// it abandons at most one timer, on the last call.
func (c *checker) retriesUntilSuccess(fn *function, cs *callSite) bool {
	info := c.pass.TypesInfo
	sig, ok := cs.fn.Type().(*types.Signature)
	if !ok || sig.Results().Len() == 0 {
		return false
	}
	last := sig.Results().At(sig.Results().Len() - 1).Type()
	if !types.Identical(last, types.Universe.Lookup("error").Type()) {
		return false
	}
	// The variable the error result is assigned to.
	var errVar types.Object
	ast.Inspect(fn.body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || ast.Unparen(as.Rhs[0]) != cs.call || len(as.Lhs) != sig.Results().Len() {
			return errVar == nil
		}
		if id, ok := as.Lhs[len(as.Lhs)-1].(*ast.Ident); ok {
			errVar = info.ObjectOf(id)
		}
		return false
	})
	if errVar == nil {
		return false
	}
	callBlock, _ := fn.index().Locate(cs.call.Pos())
	found := false
	ast.Inspect(fn.body, func(n ast.Node) bool {
		ifs, ok := n.(*ast.IfStmt)
		if !ok || found {
			return !found
		}
		cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
		if !ok || cond.Op != token.EQL {
			return true
		}
		isErr := func(e ast.Expr) bool {
			id, ok := ast.Unparen(e).(*ast.Ident)
			return ok && info.Uses[id] == errVar
		}
		isNil := func(e ast.Expr) bool { return info.Types[e].IsNil() }
		if !(isErr(cond.X) && isNil(cond.Y) || isNil(cond.X) && isErr(cond.Y)) {
			return true
		}
		for _, b := range fn.g.Blocks {
			if b.Kind == cfg.KindIfThen && b.Stmt == ifs && b.Live && !flow.Reaches([]*cfg.Block{b}, callBlock) {
				found = true
			}
		}
		return true
	})
	return found
}

// ---- time.Tick ----

// exempt reports whether fn is a function where a ticker that is never
// stopped does not matter: init, main.main and the functions only main
// calls, once (runsOnce), run once, and test files end with the test
// binary.
func (c *checker) exempt(fn *function) bool {
	if analysisutil.IsTestFile(c.pass, fn.body.Pos()) {
		return true
	}
	if fn.decl != nil && fn.decl.Recv == nil && fn.decl.Name.Name == "init" {
		return true
	}
	return fn.obj != nil && c.once[fn.obj]
}

// checkTicks reports time.Tick in functions that return.
func (c *checker) checkTicks(fn *function) {
	if len(fn.ticks) == 0 || c.exempt(fn) || !c.returns(fn) {
		return
	}
	for _, t := range fn.ticks {
		if escapes(t.parent, t.call) {
			continue // the channel is handed on: its owner decides how long it lives
		}
		if c.capturedByLiteral(fn, assignedTo(t.parent, t.call)) {
			continue // tick := time.Tick(d); go func() { ... <-tick ... }(): the literal owns it
		}
		if b, _ := fn.index().Locate(t.call.Pos()); !c.returnsFrom(fn, b) {
			continue // for range time.Tick(d) { ... } after an early return: used for good
		}
		ok, note := c.reportable(t.call.Pos())
		if !ok {
			continue
		}
		msg := fmt.Sprintf("time.Tick in %s, which returns, starts a ticker that can never be stopped (%s): use time.NewTicker and defer ticker.Stop()",
			fn.name(), note)
		if b, _ := fn.index().Locate(t.call.Pos()); len(t.loops) > 0 && b != nil && flow.InCycle(b) {
			msg = fmt.Sprintf("time.Tick in a loop starts a new ticker on every iteration, and none can ever be stopped (%s): create one time.NewTicker before the loop and defer its Stop",
				note)
		}
		c.r.Report(analysis.Diagnostic{Pos: t.call.Pos(), End: t.call.End(), Message: msg})
	}
}

// capturedByLiteral reports whether lhs is a local variable that a
// function literal in fn refers to.
func (c *checker) capturedByLiteral(fn *function, lhs ast.Expr) bool {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		return false
	}
	v, _ := c.pass.TypesInfo.ObjectOf(id).(*types.Var)
	if v == nil {
		return false
	}
	found := false
	ast.Inspect(fn.body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok {
			found = found || uses(c.pass.TypesInfo, lit, v)
			return false
		}
		return !found
	})
	return found
}

// uses reports whether n refers to the variable v.
func uses(info *types.Info, n ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok && info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// ---- time.NewTicker ----

// checkTickers reports tickers created in fn that are not stopped on
// every path out of it.
func (c *checker) checkTickers(fn *function) {
	if len(fn.tickers) == 0 || c.exempt(fn) || !c.returns(fn) {
		return
	}
	for _, t := range fn.tickers {
		c.checkTicker(fn, t)
	}
}

func (c *checker) checkTicker(fn *function, t *tickerSite) {
	info := c.pass.TypesInfo
	if t.lhs == nil {
		// Used in place. Only time.NewTicker(d).C is certain to lose
		// the ticker; as an argument, a result or an element it escapes.
		sel, ok := t.parent.(*ast.SelectorExpr)
		if !ok || sel.X != t.call || sel.Sel.Name != "C" {
			return
		}
		if escapes(t.selParent, sel) {
			return // the channel is handed on: its owner decides how long it lives
		}
		if ok, note := c.reportable(t.call.Pos()); ok {
			c.r.Report(analysis.Diagnostic{
				Pos: t.call.Pos(),
				End: t.call.End(),
				Message: fmt.Sprintf("time.NewTicker(...).C drops the ticker, so it can never be stopped and outlives %s (%s): keep the ticker in a variable and defer its Stop",
					fn.name(), note),
			})
		}
		return
	}
	id, ok := t.lhs.(*ast.Ident)
	if !ok || id.Name == "_" {
		return // stored in a field, an element, ...: it escapes
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok || v.Pos() < fn.body.Pos() || v.Pos() >= fn.body.End() {
		return // not a local of this function
	}
	stops, escapes := c.tickerUses(fn, v, t.call)
	if escapes {
		return
	}
	ix := fn.index()
	b, i := ix.Locate(t.call.Pos())
	if b == nil {
		return // dead code
	}
	exit := flow.UncoveredExitFunc(b, i, func(n ast.Node) bool {
		for _, pos := range stops {
			if n.Pos() <= pos && pos < n.End() {
				return true
			}
		}
		return false
	}, c.infeasible)
	if exit == nil {
		return
	}
	ok, note := c.reportable(t.call.Pos())
	if !ok {
		return
	}
	d := analysis.Diagnostic{
		Pos: id.Pos(),
		End: t.call.End(),
	}
	if len(stops) == 0 {
		d.Message = fmt.Sprintf("ticker %s is never stopped, so it outlives %s (%s): defer %s.Stop() after creating it",
			v.Name(), fn.name(), note, v.Name())
	} else {
		d.Message = fmt.Sprintf("ticker %s is not stopped on every path out of %s (%s): defer %s.Stop() after creating it",
			v.Name(), fn.name(), note, v.Name())
	}
	if exit.Return.Pos().IsValid() {
		msg := fmt.Sprintf("%s returns here without stopping %s", fn.name(), v.Name())
		if isSynthetic(fn, exit.Return) {
			msg = fmt.Sprintf("%s ends here without stopping %s", fn.name(), v.Name())
		}
		d.Related = []analysis.RelatedInformation{{Pos: exit.Return.Pos(), Message: msg}}
	}
	c.r.Report(d)
}

// isSynthetic reports whether ret is the return the CFG adds at the
// closing brace of fn.
func isSynthetic(fn *function, ret *ast.ReturnStmt) bool {
	return ret.Return == fn.body.Rbrace
}

// tickerUses classifies the uses of the ticker variable v in fn: it
// returns the positions of its t.Stop() calls, and whether any use lets
// the ticker escape (anything but t.Stop(), t.Reset(d), t.C and the one
// assignment from create), including any use in a function literal.
func (c *checker) tickerUses(fn *function, v *types.Var, create *ast.CallExpr) (stops []token.Pos, escapes bool) {
	info := c.pass.TypesInfo
	var stack []ast.Node
	ast.Inspect(fn.body, func(n ast.Node) bool {
		if escapes {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if lit, ok := n.(*ast.FuncLit); ok {
			escapes = uses(info, lit, v)
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			// Reassigning the variable replaces the ticker: give up.
			for i, lhs := range n.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok || info.Uses[id] != v {
					continue
				}
				if len(n.Rhs) != len(n.Lhs) || n.Rhs[i] != create {
					escapes = true
				}
			}
		case *ast.Ident:
			if info.Uses[n] != v || len(stack) == 0 {
				break
			}
			parent := stack[len(stack)-1]
			if a, ok := parent.(*ast.AssignStmt); ok && isLhs(a, n) {
				break // an assignment, judged above
			}
			sel, ok := parent.(*ast.SelectorExpr)
			if !ok || sel.X != n {
				escapes = true // passed, returned, stored, compared, ...
				break
			}
			var grand ast.Node
			if len(stack) > 1 {
				grand = stack[len(stack)-2]
			}
			call, isCall := grand.(*ast.CallExpr)
			switch {
			case sel.Sel.Name == "C":
			case sel.Sel.Name == "Stop" && isCall && call.Fun == sel:
				stops = append(stops, call.Pos())
			case sel.Sel.Name == "Reset" && isCall && call.Fun == sel:
			default:
				escapes = true // a method value, or an unknown use
			}
		}
		stack = append(stack, n)
		return true
	})
	return stops, escapes
}

func isLhs(a *ast.AssignStmt, e ast.Expr) bool {
	for _, lhs := range a.Lhs {
		if lhs == e {
			return true
		}
	}
	return false
}

// ---- rendering ----

// render returns the source form of call, shortened for messages.
func render(fset *token.FileSet, call *ast.CallExpr) string {
	s := types.ExprString(call)
	if len(s) > 60 {
		s = types.ExprString(call.Fun) + "(...)"
	}
	return s
}

// shortPos returns "file.go:line" for pos.
func (c *checker) shortPos(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
