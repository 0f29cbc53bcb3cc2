// Package cfgs defines the analyzer that builds the control-flow graph of
// every function once per package, for all leaklint passes to share,
// and the one list of the package's functions (Func) that the passes
// extend with what they find in each.
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
	"go/token"
	"go/types"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/callee"
	"github.com/leaklint/leaklint/internal/flow"
)

// Analyzer builds the CFGs of a package's functions. Its result is a
// *CFGs.
var Analyzer = &analysis.Analyzer{
	Name:             "leaklintcfg",
	Doc:              "build control-flow graphs for the leaklint passes, knowing which calls never return",
	URL:              "https://pkg.go.dev/github.com/leaklint/leaklint/internal/cfgs",
	Run:              run,
	Requires:         []*analysis.Analyzer{analysisutil.Syntax, inspect.Analyzer},
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

	// Funcs lists the package's function declarations that have a body
	// and all its function literals, in the order of the source: a
	// declaration, then the literals in it, depth first. A literal at
	// package level (var f = func() { ... }) is listed where it is. It
	// is empty when Broken.
	Funcs []*Func

	decls    map[*ast.FuncDecl]*cfg.CFG
	lits     map[*ast.FuncLit]*cfg.CFG
	byNode   map[ast.Node]*Func
	noReturn map[*types.Func]bool
}

// A Func is a function declaration with a body or a function literal,
// with its control-flow graph. A pass that records more about each
// function embeds *Func in a record of its own, or keys a map by it;
// literals are functions of their own, not part of the function whose
// body holds them.
type Func struct {
	Node ast.Node      // *ast.FuncDecl or *ast.FuncLit
	Decl *ast.FuncDecl // nil for a literal
	Lit  *ast.FuncLit  // nil for a declaration
	Obj  *types.Func   // the declared function; nil for a literal
	Type *ast.FuncType
	Body *ast.BlockStmt
	// CFG is nil for a declaration whose graph was not built: one known
	// never to return without a look at its body (os.Exit), or one with
	// no object.
	CFG  *cfg.CFG
	File *ast.File
	// Parent is the function whose body holds a literal; nil for a
	// declaration and for a literal at package level.
	Parent *Func

	// Built on first use, once: the passes that share a package's
	// Funcs run in parallel.
	ixOnce     sync.Once
	ix         *flow.Index
	alwaysOnce sync.Once
	always     *flow.Always
}

// Root returns the outermost function that holds f: the declaration a
// literal is in (f itself for a declaration), or a literal at package
// level.
func (f *Func) Root() *Func {
	for f.Parent != nil {
		f = f.Parent
	}
	return f
}

// Index returns the position index of f's CFG (which must not be nil),
// built on first use.
func (f *Func) Index() *flow.Index {
	f.ixOnce.Do(func() { f.ix = flow.NewIndex(f.CFG) })
	return f.ix
}

// OnEveryPath reports whether every path from f's entry to a return
// passes n, a node of f's CFG (which must not be nil); see flow.Always.
func (f *Func) OnEveryPath(n ast.Node) bool {
	f.alwaysOnce.Do(func() { f.always = flow.NewAlways(f.CFG) })
	return f.always.Node(n)
}

// OnEveryPathAt is OnEveryPath for the node of f's CFG that contains
// pos; it is false when none does (pos is in dead code, or in a control
// statement's own syntax).
func (f *Func) OnEveryPathAt(pos token.Pos) bool {
	b, i := f.Index().Locate(pos)
	return b != nil && f.OnEveryPath(b.Nodes[i])
}

// FuncDecl returns the CFG of a function declaration, or nil if it has
// no body or was not built.
func (c *CFGs) FuncDecl(decl *ast.FuncDecl) *cfg.CFG { return c.decls[decl] }

// FuncLit returns the CFG of a function literal, or nil.
func (c *CFGs) FuncLit(lit *ast.FuncLit) *cfg.CFG { return c.lits[lit] }

// Func returns the Func of a function declaration with a body or of a
// function literal, or nil.
func (c *CFGs) Func(n ast.Node) *Func { return c.byNode[n] }

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
		byNode:   make(map[ast.Node]*Func),
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
	// One pass over the files' functions, in source order: the file
	// comes before its functions, and an enclosing function before
	// those it holds.
	var (
		file  *ast.File
		stack []*Func // the functions whose bodies hold the node
	)
	funcTypes := []ast.Node{(*ast.File)(nil), (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)}
	analysisutil.Inspector(pass).Preorder(funcTypes, func(n ast.Node) {
		if f, ok := n.(*ast.File); ok {
			file, stack = f, stack[:0]
			return
		}
		for len(stack) > 0 && n.Pos() >= stack[len(stack)-1].Node.End() {
			stack = stack[:len(stack)-1]
		}
		var fn *Func
		switch n := n.(type) {
		case *ast.FuncDecl:
			obj, ok := pass.TypesInfo.Defs[n.Name].(*types.Func)
			if ok {
				b.decls[obj] = n
				order = append(order, obj)
			}
			if n.Body != nil {
				fn = &Func{Node: n, Decl: n, Obj: obj, Type: n.Type, Body: n.Body}
			}
		case *ast.FuncLit:
			lits = append(lits, n)
			fn = &Func{Node: n, Lit: n, Type: n.Type, Body: n.Body}
		}
		if fn != nil {
			fn.File = file
			if len(stack) > 0 {
				fn.Parent = stack[len(stack)-1]
			}
			stack = append(stack, fn)
			c.Funcs = append(c.Funcs, fn)
			c.byNode[fn.Node] = fn
		}
	})
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
	for _, fn := range c.Funcs {
		if fn.Decl != nil {
			fn.CFG = c.decls[fn.Decl]
		} else {
			fn.CFG = c.lits[fn.Lit]
		}
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
