// Package ssabuild defines the analyzer that gives leaklint passes the
// SSA form (golang.org/x/tools/go/ssa) of a package's functions.
//
// It plays the part of x/tools' buildssa pass, with three differences
// that matter to a linter run over whole repositories:
//
//   - It is installed with analysisutil.Install, so it is skipped on a
//     package with type errors (its result is then nil) instead of
//     failing, which x/tools' checker would print as an analysis error
//     for every broken package and every pass that requires it.
//   - It builds lazily: the analyzer's run only records what the builder
//     needs, and the first call of Package or Funcs builds. A pass that
//     finds nothing to look at in a package (no go statement, say) pays
//     nothing for SSA. The build happens at most once per package,
//     whichever pass asks first.
//   - A panic of the SSA builder is not swallowed by this analyzer,
//     whose diagnostics no driver shows: it is raised again in every
//     pass that asks for the result, whose own guard (analysisutil.Install)
//     reports it as an internal error under that pass's name.
//
// Like buildssa, it creates the SSA packages of the direct imports from
// their types only (no bodies), builds the package's own functions, and
// uses the shared CFG analyzer's knowledge of calls that never return
// (panic, os.Exit, log.Fatal, t.FailNow, ginkgo's Fail, helpers that
// always end in one of those, in this package or another) to cut the
// edges after such calls: in the SSA form such a call is followed by a
// panic instruction. The CFG analyzer's facts are its own, so this
// analyzer passes that knowledge on across packages with a noReturn fact
// of its own, exported for every function the CFG analyzer found never
// returns; that costs a walk over the declarations of each dependency,
// not an SSA build.
//
// Use it by listing Analyzer in a pass's Requires and calling Of:
//
//	s := ssabuild.Of(pass) // nil on a package with type errors
//	for _, fn := range s.Funcs() { ... }
package ssabuild

import (
	"fmt"
	"go/ast"
	"go/types"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/leaklint/leaklint/internal/analysisutil"
	"github.com/leaklint/leaklint/internal/cfgs"
)

// Analyzer records what is needed to build a package's SSA form. Its
// result is a *SSA, nil for a package with type errors.
var Analyzer = &analysis.Analyzer{
	Name:       "leaklintssa",
	Doc:        "build the SSA form of a package's functions, on demand, for the leaklint passes",
	URL:        "https://pkg.go.dev/github.com/leaklint/leaklint/internal/ssabuild",
	Requires:   []*analysis.Analyzer{cfgs.Analyzer, inspect.Analyzer},
	ResultType: reflect.TypeFor[*SSA](),
	// The fact does not make the SSA form of a package depend on that of
	// its dependencies: it comes from their CFGs.
	FactTypes: []analysis.Fact{new(noReturn)},
}

// noReturn is the fact that a function never returns normally, as the
// shared CFG analyzer found.
type noReturn struct{}

func (*noReturn) AFact()         {}
func (*noReturn) String() string { return "noReturn" }

func init() { analysisutil.Install(Analyzer, run) }

// Mode is the builder mode. Generic functions are built once, in their
// generic form (with type parameters); passes that follow a call into an
// instantiation use its Origin. InstantiateGenerics is not set: it would
// build a body per instantiation, for no gain to passes that reason
// about one function at a time.
const Mode = ssa.BuilderMode(0)

// SSA gives access to the SSA form of one package. Its methods build it
// on first use; they are safe for concurrent use by several passes.
type SSA struct {
	pass *analysis.Pass
	cfgs *cfgs.CFGs
	// importedNoReturn holds the functions of other packages, called in
	// this one, that never return (read from facts during run: the
	// build comes later).
	importedNoReturn map[*types.Func]bool

	once  sync.Once
	pkg   *ssa.Package
	funcs []*ssa.Function
	bySyn map[ast.Node]*ssa.Function
	fail  any // the builder's panic value, if it panicked
}

// Of returns the SSA form of pass's package, or nil if the package has
// type errors (leaklint passes installed with analysisutil.Install are
// not run on such packages anyway). Analyzer must be among
// pass.Analyzer.Requires.
func Of(pass *analysis.Pass) *SSA {
	s, _ := pass.ResultOf[Analyzer].(*SSA)
	return s
}

func run(pass *analysis.Pass) (any, error) {
	c, _ := pass.ResultOf[cfgs.Analyzer].(*cfgs.CFGs)
	s := &SSA{pass: pass, cfgs: c, importedNoReturn: make(map[*types.Func]bool)}
	calls := []ast.Node{(*ast.FuncDecl)(nil), (*ast.CallExpr)(nil)}
	analysisutil.Inspector(pass).Preorder(calls, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.FuncDecl:
			// Pass the CFG analyzer's finding on to importers.
			if fn, ok := pass.TypesInfo.Defs[n.Name].(*types.Func); ok && c != nil && c.NoReturn(fn) {
				pass.ExportObjectFact(fn, new(noReturn))
			}
		case *ast.CallExpr:
			fn := typeutil.StaticCallee(pass.TypesInfo, n)
			if fn == nil || fn.Pkg() == pass.Pkg {
				return
			}
			fn = fn.Origin()
			if _, done := s.importedNoReturn[fn]; !done {
				s.importedNoReturn[fn] = pass.ImportObjectFact(fn, new(noReturn))
			}
		}
	})
	return s, nil
}

// Package returns the SSA package, built. It panics, with the builder's
// own panic value, if building panicked.
func (s *SSA) Package() *ssa.Package {
	s.build()
	return s.pkg
}

// Funcs returns the functions declared in the package's source, in
// source order, each followed by the function literals inside it (depth
// first, as ssa.Function.AnonFuncs lists them), then the function
// literals in the initializers of package-level variables. Generic
// functions appear in their generic form. Synthetic functions (wrappers,
// bound methods, instantiations, the package initializer itself) are not
// listed, though calls lead to them.
func (s *SSA) Funcs() []*ssa.Function {
	s.build()
	return s.funcs
}

// Func returns the SSA function built from syntax, an *ast.FuncDecl or
// an *ast.FuncLit of the package, or nil.
func (s *SSA) Func(syntax ast.Node) *ssa.Function {
	s.build()
	return s.bySyn[syntax]
}

func (s *SSA) build() {
	s.once.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				s.fail = r
			}
		}()
		s.pkg, s.funcs = buildPackage(s.pass, s.noReturn)
		s.bySyn = make(map[ast.Node]*ssa.Function, len(s.funcs))
		for _, fn := range s.funcs {
			if syn := fn.Syntax(); syn != nil {
				s.bySyn[syn] = fn
			}
		}
	})
	if s.fail != nil {
		// Raise the builder's failure in the pass that asked, whose guard
		// reports it where users see it.
		panic(fmt.Sprintf("building SSA for %s: %v", s.pass.Pkg.Path(), s.fail))
	}
}

// buildPackage builds pass's package the way x/tools' buildssa does and
// returns it with its source functions.
func buildPackage(pass *analysis.Pass, noReturn func(*types.Func) bool) (*ssa.Package, []*ssa.Function) {
	prog := ssa.NewProgram(pass.Fset, Mode)
	prog.SetNoReturn(noReturn)

	// The SSA packages of direct imports, from their types: the builder
	// needs them to refer to imported functions and methods. Packages
	// only reached indirectly are created on demand by go/ssa.
	for _, imp := range pass.Pkg.Imports() {
		prog.CreatePackage(imp, nil, nil, true)
	}
	pkg := prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
	pkg.Build()

	var funcs []*ssa.Function
	var addAnons func(fn *ssa.Function)
	addAnons = func(fn *ssa.Function) {
		funcs = append(funcs, fn)
		for _, anon := range fn.AnonFuncs {
			addAnons(anon)
		}
	}
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			obj, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if !ok {
				continue // no object: nothing was built for it
			}
			// init functions have distinct objects, all named "init",
			// and distinct SSA functions "init#1", "init#2", ...
			if fn := prog.FuncValue(obj); fn != nil {
				addAnons(fn)
			}
		}
	}
	// Function literals in the initializers of package-level variables
	// (var _ = Describe("...", func() { ... }) in test suites) belong
	// to the synthetic package initializer; list them too.
	if init := pkg.Func("init"); init != nil {
		for _, anon := range init.AnonFuncs {
			addAnons(anon)
		}
	}
	return pkg, funcs
}

// noReturn reports whether a call of fn never returns: the shared CFG
// analyzer found that every path through it ends in such a call, in this
// package or (through the fact) in another.
func (s *SSA) noReturn(fn *types.Func) bool {
	if fn == nil {
		return false
	}
	fn = fn.Origin()
	return s.cfgs != nil && s.cfgs.NoReturn(fn) || s.importedNoReturn[fn]
}
