package timeafter

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

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/cfgs"
	"github.com/leaklint/leaklint/internal/chans"
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
	return analysisutil.NewPass(analysisutil.PassSpec[Config]{
		Name:      "timeafter",
		DocText:   docText,
		Requires:  []*analysis.Analyzer{cfgs.Analyzer, inspect.Analyzer},
		FactTypes: []analysis.Fact{new(abandonsTimer), new(hasAbandoners)},
		Flags: func(fs *flag.FlagSet, c *Config) {
			fs.BoolVar(&c.All, "all", c.All, "report regardless of the file's Go version (for main modules whose go line is below 1.23)")
		},
		Run: run,
	}, cfg)
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
	if !analysisutil.Imports(pass.Pkg, "time") && !analysisutil.ImportsFact(pass, new(hasAbandoners)) {
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
	for _, f := range c.cfgs.Funcs {
		if root := f.Root(); root.Decl == nil || root.CFG == nil || f.CFG == nil {
			// Literals at package level are not looked at; nor is a
			// declaration without a CFG (nothing to say about paths),
			// or the literals in it.
			continue
		}
		c.collect(&function{Func: f})
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
	*cfgs.Func

	selects []*selectSite
	calls   []*callSite
	ticks   []*tickSite
	tickers []*tickerSite

	abandons *abandonsTimer // set if the function abandons a timer
}

// name returns the function's name for messages.
func (fn *function) name() string {
	if fn.Decl != nil {
		return fn.Decl.Name.Name
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

// collect records fn and walks its body for what the checks need. The
// function literals inside are functions of their own.
func (c *checker) collect(fn *function) {
	c.funcs = append(c.funcs, fn)
	if fn.Obj != nil {
		c.byObj[fn.Obj] = fn
	}
	info := c.pass.TypesInfo
	var loops []ast.Stmt
	var stack []ast.Node
	ast.Inspect(fn.Body, func(n ast.Node) bool {
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
			return false // a function of its own
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

// ---- time.Tick ----

// exempt reports whether fn is a function where a ticker that is never
// stopped does not matter: init, main.main and the functions only main
// calls, once (runsOnce), run once, and test files end with the test
// binary.
func (c *checker) exempt(fn *function) bool {
	if analysisutil.IsTestFile(c.pass, fn.Body.Pos()) {
		return true
	}
	if fn.Decl != nil && fn.Decl.Recv == nil && fn.Decl.Name.Name == "init" {
		return true
	}
	return fn.Obj != nil && c.once[fn.Obj]
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
