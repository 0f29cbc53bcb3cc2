package chans_test

import (
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/internal/chans"
)

// probe reports each select case's receive as a stop signal or not.
var probe = &analysis.Analyzer{
	Name: "probe",
	Doc:  "test probe",
	Run: func(pass *analysis.Pass) (any, error) {
		s := chans.NewSignals(pass)
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if cc, ok := n.(*ast.CommClause); ok && cc.Comm != nil {
					if ch := chans.Received(cc.Comm); ch == nil {
						pass.Reportf(cc.Pos(), "send")
					} else if s.IsStop(ch) {
						pass.Reportf(cc.Pos(), "stop")
					} else {
						pass.Reportf(cc.Pos(), "other")
					}
				}
				return true
			})
		}
		return nil, nil
	},
}

func TestSignals(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), probe, "a")
}
