package passes_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/leaklint/leaklint/passes"
)

// BenchmarkSuite measures the cost of the passes on real code: net/http
// and everything it imports from the standard library (about 100
// packages, analysed for facts as the binary does). Loading and type
// checking happen once, outside the timer; each iteration runs the
// analyzers, and the shared ones they require, from scratch.
//
//	go test -run='^$' -bench=Suite -benchtime=3x -benchmem ./passes
//
// "all" is the suite as the binary runs it; the others are one pass each
// with what it requires.
func BenchmarkSuite(b *testing.B) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Tests: false}
	pkgs, err := packages.Load(cfg, "net/http")
	if err != nil {
		b.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		b.Fatalf("%d errors loading net/http", n)
	}
	run := func(b *testing.B, analyzers []*analysis.Analyzer) {
		b.ReportAllocs()
		findings := 0
		for b.Loop() {
			g, err := checker.Analyze(analyzers, pkgs, nil)
			if err != nil {
				b.Fatal(err)
			}
			findings = 0
			for act := range g.All() {
				if act.Err != nil {
					b.Fatalf("%s on %s: %v", act.Analyzer, act.Package, act.Err)
				}
				if act.IsRoot {
					findings += len(act.Diagnostics)
				}
			}
		}
		b.ReportMetric(float64(findings), "findings")
	}
	b.Run("all", func(b *testing.B) { run(b, passes.Analyzers()) })
	for _, p := range passes.All() {
		b.Run(p.Name, func(b *testing.B) { run(b, []*analysis.Analyzer{p.Default}) })
	}
}
