package cfgs_test

import (
	"fmt"
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/cfg"

	"github.com/leaklint/leaklint/internal/cfgs"
)

// probe reports, for each call statement in functions named report and
// in the literals inside them, whether the CFG lets control continue
// after it. In a package with type errors it reports that the result is
// marked broken.
var probe = &analysis.Analyzer{
	Name:             "probe",
	Doc:              "test probe",
	Requires:         []*analysis.Analyzer{cfgs.Analyzer},
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		c := pass.ResultOf[cfgs.Analyzer].(*cfgs.CFGs)
		if c.Broken {
			pass.Reportf(pass.Files[0].Package, "broken package: no CFGs")
			return nil, nil
		}
		for _, f := range pass.Files {
			for _, decl := range f.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok || fd.Name.Name != "report" {
					continue
				}
				describe(pass, c.FuncDecl(fd))
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					if lit, ok := n.(*ast.FuncLit); ok {
						describe(pass, c.FuncLit(lit))
					}
					return true
				})
			}
		}
		return nil, nil
	},
}

func describe(pass *analysis.Pass, g *cfg.CFG) {
	if g == nil {
		return
	}
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		for i, n := range b.Nodes {
			es, ok := n.(*ast.ExprStmt)
			if !ok {
				continue
			}
			if _, ok := es.X.(*ast.CallExpr); !ok {
				continue
			}
			if i == len(b.Nodes)-1 && len(b.Succs) == 0 {
				pass.Reportf(n.Pos(), "call never returns")
			} else {
				pass.Reportf(n.Pos(), "call returns")
			}
		}
	}
}

// TestFacts checks the noReturn facts, within a package (including
// recursion, mutual recursion, methods and generics) and across
// packages.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cfgs.Analyzer, "a", "b")
}

// TestCFGs checks that the CFGs end paths at calls that never return.
func TestCFGs(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), probe, "c")
}

// TestBroken checks that a package with type errors yields a result
// marked broken instead of an error that would fail its importers.
func TestBroken(t *testing.T) {
	results := analysistest.Run(&quiet{T: t}, analysistest.TestData(), probe, "broken")
	if len(results) != 1 || results[0].Err != nil {
		t.Fatalf("want one successful result, got %+v", results)
	}
	if n := len(results[0].Diagnostics); n != 1 {
		t.Errorf("got %d diagnostics, want the one saying the package is broken", n)
	}
}

// quiet passes analysistest's errors through, except the one about the
// expected diagnostic having no "want" (the broken package has a type
// error, so its expectations cannot be written on the line).
type quiet struct{ *testing.T }

func (q *quiet) Errorf(format string, args ...any) {
	q.T.Logf("analysistest: "+format, args...)
}

// funcsProbe reports each function of CFGs.Funcs with its index in the
// list, its parent and whether it has a CFG, and for each call of mark
// whether it is on every path (Func.OnEveryPathAt).
var funcsProbe = &analysis.Analyzer{
	Name:     "funcsprobe",
	Doc:      "test probe",
	Requires: []*analysis.Analyzer{cfgs.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		c := pass.ResultOf[cfgs.Analyzer].(*cfgs.CFGs)
		name := func(f *cfgs.Func) string {
			if f.Decl != nil {
				return f.Decl.Name.Name
			}
			if f.Parent == nil {
				return "literal at package level"
			}
			return "literal in " + parentName(pass, f.Parent)
		}
		for i, f := range c.Funcs {
			if c.Func(f.Node) != f {
				pass.Reportf(f.Node.Pos(), "Func does not find the function")
			}
			if f.Decl != nil && f.Obj == nil || f.Lit != nil && f.Obj != nil || f.Root().Parent != nil {
				pass.Reportf(f.Node.Pos(), "wrong object or root")
			}
			has := "CFG"
			if f.CFG == nil {
				has = "no CFG"
			}
			pass.Reportf(f.Node.Pos(), "func %d %s: %s", i, name(f), has)
			if f.CFG == nil {
				continue
			}
			ast.Inspect(f.Body, func(n ast.Node) bool {
				if lit, ok := n.(*ast.FuncLit); ok && lit != f.Lit {
					return false
				}
				if es, ok := n.(*ast.ExprStmt); ok {
					if call, ok := es.X.(*ast.CallExpr); ok {
						if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "mark" {
							if f.OnEveryPathAt(call.Pos()) {
								pass.Reportf(call.Pos(), "on every path")
							} else {
								pass.Reportf(call.Pos(), "not on every path")
							}
						}
					}
				}
				return true
			})
		}
		return nil, nil
	},
}

// parentName names a parent function in funcsProbe's messages.
func parentName(pass *analysis.Pass, f *cfgs.Func) string {
	if f.Decl != nil {
		return f.Decl.Name.Name
	}
	return fmt.Sprintf("literal at line %d", pass.Fset.Position(f.Node.Pos()).Line)
}

// TestFuncs checks the list of functions: source order with literals
// after the function that holds them, parents, a declaration with no
// CFG, and OnEveryPathAt.
func TestFuncs(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), funcsProbe, "funcs", "k8s.io/klog")
}
