package runner_test

import (
	"testing"

	"github.com/leaklint/leaklint/cmd/leaklint/internal/runner"
	"github.com/leaklint/leaklint/passes"
)

// The runner's cost on net/http, its tests and its dependencies (the
// packages metric), every pass: cold (no cache), and warm (every record
// in the cache). Unlike passes.BenchmarkSuite (the analyzers alone, on
// syntax loaded outside the timer), each iteration is a whole run: go
// list, parsing, type-checking, the analyzers, the cache. Whole
// repositories and peak memory are measured with /usr/bin/time in
// docs/architecture.md, not here.
//
//	go test ./cmd/leaklint/internal/runner -run '^$' -bench . -benchmem
func BenchmarkRunCold(b *testing.B) {
	for b.Loop() {
		benchRun(b, runner.Options{})
	}
}

func BenchmarkRunWarm(b *testing.B) {
	cache, err := runner.OpenCache(b.TempDir(), 0)
	if err != nil {
		b.Fatal(err)
	}
	opts := runner.Options{Cache: cache}
	benchRun(b, opts) // fill the cache
	b.ResetTimer()
	for b.Loop() {
		if res := benchRun(b, opts); res.Analysed != 0 {
			b.Fatalf("warm run analysed %d packages, want 0", res.Analysed)
		}
	}
}

func benchRun(b *testing.B, opts runner.Options) *runner.Result {
	b.Helper()
	opts.Tests = true
	res, err := runner.Run(passes.Analyzers(), []string{"net/http"}, opts)
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Initial) == 0 || res.Analysed+res.Cached != len(res.Order) {
		b.Fatalf("run covered %d of %d packages", res.Analysed+res.Cached, len(res.Order))
	}
	b.ReportMetric(float64(len(res.Order)), "packages")
	return res
}
