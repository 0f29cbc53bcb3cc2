// Package cfgs defines the analyzer that builds the control-flow graph of
// every function once per package, for all leaklint passes to share.
//
// It plays the part of x/tools' ctrlflow pass, with one difference that
// matters to a linter run over whole repositories: it runs on packages
// with type errors too (and then builds nothing), so that one broken
// package does not fail the analysis of every package that imports it.
// Like ctrlflow, it knows which calls never return (panic, os.Exit,
// log.Fatal, t.FailNow, runtime.Goexit, the Fatal methods of popular
// loggers, and any function whose every path ends in one of those), so
// that paths through them end there; it exports that knowledge as a
// noReturn fact on functions, across packages.
package cfgs

import (
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
)

// Analyzer builds the CFGs of a package's functions. Its result is a
// *CFGs.
var Analyzer = &analysis.Analyzer{
	Name:             "leaklintcfg",
	Doc:              "build control-flow graphs for the leaklint passes, knowing which calls never return",
	URL:              "https://pkg.go.dev/github.com/leaklint/leaklint/internal/cfgs",
	Run:              run,
	Requires:         []*analysis.Analyzer{analysisutil.Syntax},
	RunDespiteErrors: true,
	ResultType:       reflect.TypeFor[*CFGs](),
	FactTypes:        []analysis.Fact{new(noReturn)},
}

// noReturn is the fact that a function never returns normally.
type noReturn struct{}

func (*noReturn) AFact()         {}
func (*noReturn) String() string { return "noReturn" }

// CFGs holds the control-flow graphs of a package's functions.
type CFGs struct {
	// Broken reports that the package has type or syntax errors: no CFG was
	// built, and passes should report nothing for it.
	Broken bool

	decls    map[*ast.FuncDecl]*cfg.CFG
	lits     map[*ast.FuncLit]*cfg.CFG
	noReturn map[*types.Func]bool
}

// FuncDecl returns the CFG of a function declaration, or nil if it has
// no body or was not built.
func (c *CFGs) FuncDecl(decl *ast.FuncDecl) *cfg.CFG { return c.decls[decl] }

// FuncLit returns the CFG of a function literal, or nil.
func (c *CFGs) FuncLit(lit *ast.FuncLit) *cfg.CFG { return c.lits[lit] }

// NoReturn reports whether fn, declared in this package, never returns.
// For functions of other packages, use the noReturn fact (or
// NeverReturns for a call).
func (c *CFGs) NoReturn(fn *types.Func) bool { return c.noReturn[fn] }

// NeverReturns reports whether call, a call in this package, never
// returns: panic, t.Fatal and the like, os.Exit, loggers' Fatal, and
// functions whose every path ends in one (this package's, or another
// package's that this package calls as a statement, through the noReturn
// fact). It answers as the CFGs were built.
func (c *CFGs) NeverReturns(info *types.Info, call *ast.CallExpr) bool {
	fn, never := knownNoReturn(info, call)
	return never || fn != nil && c.noReturn[fn]
}

// knownNoReturn reports whether call is known not to return without
// looking at any body (panic, t.Fatal through testing.TB, os.Exit and
// the loggers of neverReturns), and returns its static callee otherwise
// (nil for a dynamic call).
func knownNoReturn(info *types.Info, call *ast.CallExpr) (*types.Func, bool) {
	if callee.IsBuiltin(info, call, "panic") {
		return nil, true
	}
	// t.Fatal through testing.TB is an interface call with no static
	// callee, yet every implementation ends the goroutine.
	if f, ok := typeutil.Callee(info, call).(*types.Func); ok &&
		callee.IsMethod(f, "testing", "TB", "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow") {
		return nil, true
	}
	fn := typeutil.StaticCallee(info, call)
	if fn == nil {
		return nil, false
	}
	fn = fn.Origin()
	return fn, neverReturns(fn)
}

// builder builds the CFGs of one package.
type builder struct {
	pass     *analysis.Pass
	c        *CFGs
	decls    map[*types.Func]*ast.FuncDecl
	started  map[*types.Func]bool
	noReturn map[*types.Func]bool
}

func run(pass *analysis.Pass) (any, error) {
	c := &CFGs{
		decls:    make(map[*ast.FuncDecl]*cfg.CFG),
		lits:     make(map[*ast.FuncLit]*cfg.CFG),
		noReturn: make(map[*types.Func]bool),
	}
	if analysisutil.Broken(pass) {
		// Type information is incomplete, or the syntax is: build
		// nothing rather than graphs whose calls we can't resolve.
		c.Broken = true
		return c, nil
	}
	b := &builder{
		pass:     pass,
		c:        c,
		decls:    make(map[*types.Func]*ast.FuncDecl),
		started:  make(map[*types.Func]bool),
		noReturn: c.noReturn,
	}
	var order []*types.Func
	var lits []*ast.FuncLit
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if fn, ok := pass.TypesInfo.Defs[n.Name].(*types.Func); ok {
					b.decls[fn] = n
					order = append(order, fn)
				}
			case *ast.FuncLit:
				lits = append(lits, n)
			}
			return true
		})
	}
	// Declarations first, in source order: building one may build its
	// callees first (to learn whether they return), and cycles in the
	// call graph are cut where the recursion meets a function already
	// started.
	for _, fn := range order {
		b.build(fn)
	}
	for _, lit := range lits {
		c.lits[lit] = cfg.New(lit.Body, b.mayReturn)
	}
	return c, nil
}

// build builds the CFG of fn's declaration, once, and records whether fn
// never returns.
func (b *builder) build(fn *types.Func) {
	if b.started[fn] {
		return
	}
	b.started[fn] = true
	decl := b.decls[fn]
	noreturn := neverReturns(fn)
	if decl.Body != nil && !noreturn {
		g := cfg.New(decl.Body, b.mayReturn)
		b.c.decls[decl] = g
		noreturn = g.NoReturn()
	}
	if noreturn {
		b.noReturn[fn] = true
		b.pass.ExportObjectFact(fn, new(noReturn))
	}
}

// mayReturn reports whether a call, written as a statement, may return.
// The CFG builder calls it to cut the edges after calls that don't.
func (b *builder) mayReturn(call *ast.CallExpr) bool {
	fn, never := knownNoReturn(b.pass.TypesInfo, call)
	if never {
		return false
	}
	if fn == nil {
		return true // a dynamic call: assume it returns
	}
	if _, ok := b.decls[fn]; ok {
		b.build(fn)
		return !b.noReturn[fn]
	}
	if b.pass.ImportObjectFact(fn, new(noReturn)) {
		b.noReturn[fn] = true // for NeverReturns
		return false
	}
	return true
}

// neverReturns reports whether fn is known not to return without looking
// at its body: the runtime's and syscall's exits, which the body would
// not show, and loggers whose Fatal goes through a hook or an interface.
func neverReturns(fn *types.Func) bool {
	switch {
	case callee.IsFunc(fn, "runtime", "Goexit"),
		callee.IsFunc(fn, "syscall", "Exit"),
		callee.IsFunc(fn, "os", "Exit"),
		callee.IsMethod(fn, "go.uber.org/zap", "Logger", "Fatal", "Panic"),
		callee.IsMethod(fn, "go.uber.org/zap", "SugaredLogger", "Fatal", "Fatalf", "Fatalw", "Fatalln", "Panic", "Panicf", "Panicw", "Panicln"),
		callee.IsMethod(fn, "github.com/sirupsen/logrus", "Logger", "Fatal", "Fatalf", "Fatalln", "Exit", "Panic", "Panicf", "Panicln"),
		callee.IsMethod(fn, "github.com/sirupsen/logrus", "Entry", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"),
		callee.IsFunc(fn, "github.com/sirupsen/logrus", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln", "Exit"),
		callee.IsFunc(fn, "k8s.io/klog", "Fatal", "Fatalf", "Fatalln", "FatalDepth", "Exit", "Exitf", "Exitln", "ExitDepth"),
		callee.IsFunc(fn, "k8s.io/klog/v2", "Fatal", "Fatalf", "Fatalln", "FatalDepth", "Exit", "Exitf", "Exitln", "ExitDepth"):
		return true
	}
	return false
}
