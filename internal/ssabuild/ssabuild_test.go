package ssabuild_test

import (
	"go/ast"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/leaklint/leaklint/internal/ssabuild"
)

// probe reports each function Funcs lists at its position, and for each
// call statement in them whether the SSA form continues after it. In a
// package with type errors it reports that no SSA form was given.
var probe = &analysis.Analyzer{
	Name:             "probe",
	Doc:              "test probe",
	Requires:         []*analysis.Analyzer{ssabuild.Analyzer},
	RunDespiteErrors: true,
	Run: func(pass *analysis.Pass) (any, error) {
		s := ssabuild.Of(pass)
		if s == nil {
			pass.Reportf(pass.Files[0].Package, "no SSA: the package has type errors")
			return nil, nil
		}
		if s.Package().Pkg != pass.Pkg {
			pass.Reportf(pass.Files[0].Package, "SSA package is not the package analysed")
		}
		for _, fn := range s.Funcs() {
			pos := fn.Pos()
			if decl, ok := fn.Syntax().(*ast.FuncDecl); ok {
				pos = decl.Name.Pos()
			}
			pass.Reportf(pos, "ssa: %s", fn.Name())
			if s.Func(fn.Syntax()) != fn {
				pass.Reportf(pos, "Func(syntax) does not give the function back")
			}
			for _, b := range fn.Blocks {
				for i, instr := range b.Instrs {
					call, ok := instr.(*ssa.Call)
					if !ok || call.Call.StaticCallee() == nil || !isStatement(pass, call) {
						continue
					}
					// The builder follows a call that never returns with
					// panic(any("...")): a conversion, then the panic.
					next := b.Instrs[i+1:]
					if len(next) > 0 {
						if _, ok := next[0].(*ssa.MakeInterface); ok {
							next = next[1:]
						}
					}
					if len(next) > 0 {
						if _, ok := next[0].(*ssa.Panic); ok {
							pass.Reportf(call.Pos(), "call never returns")
							continue
						}
					}
					pass.Reportf(call.Pos(), "call returns")
				}
			}
		}
		return nil, nil
	},
}

// isStatement reports whether call is written as an expression
// statement (its position is the call's left parenthesis).
func isStatement(pass *analysis.Pass, call *ssa.Call) bool {
	for _, f := range pass.Files {
		found := false
		ast.Inspect(f, func(n ast.Node) bool {
			if es, ok := n.(*ast.ExprStmt); ok {
				if c, ok := es.X.(*ast.CallExpr); ok && c.Lparen == call.Pos() {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// TestFuncs checks the functions listed (declarations, literals nested
// in order, methods, generic functions once, each init), the lookup by
// syntax, and that calls which never return (log.Fatal, os.Exit, a local
// helper that always ends in one) end their blocks.
func TestFuncs(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), probe, "a")
}

// TestBroken checks that a package with type errors gets no SSA form,
// and no error.
func TestBroken(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), probe, "broken")
	for _, r := range results {
		if r.Err != nil && !strings.Contains(r.Err.Error(), "type") {
			t.Errorf("unexpected error: %v", r.Err)
		}
	}
}

// TestFacts checks the noReturn facts passed on from the CFG analyzer.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), ssabuild.Analyzer, "example.com/lib")
}

// TestImported checks that calls of another package's functions that
// never return (known through the facts) end their blocks.
func TestImported(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), probe, "use")
}
