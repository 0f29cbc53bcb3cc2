package report_test

import (
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/internal/report"
)

// newAnalyzer returns an analyzer called name that reports every call of
// a function named bad through a report.Reporter.
func newAnalyzer(name string) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name: name,
		Doc:  "test analyzer",
		Run: func(pass *analysis.Pass) (any, error) {
			r := report.New(pass)
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					if call, ok := n.(*ast.CallExpr); ok {
						if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "bad" {
							r.Reportf(call, "call of bad")
						}
					}
					return true
				})
			}
			return nil, nil
		},
	}
}

func TestSuppression(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), newAnalyzer("timeafter"), "a")
}

func TestSuppressionOtherPass(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), newAnalyzer("unlock"), "b")
}

// TestLineDirectives: a //line directive that names lines far past the
// end of the file neither breaks suppression nor the pass (it used to
// panic, "invalid line number", and lose the whole package).
func TestLineDirectives(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), newAnalyzer("timeafter"), "c")
}
