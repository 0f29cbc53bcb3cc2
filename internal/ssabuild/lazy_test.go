package ssabuild

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// idle requires the SSA analyzer but never asks for the SSA form.
var idle = &analysis.Analyzer{
	Name:       "idle",
	Doc:        "test probe that does not use SSA",
	Requires:   []*analysis.Analyzer{Analyzer},
	ResultType: reflect.TypeFor[*SSA](),
	Run:        func(pass *analysis.Pass) (any, error) { return Of(pass), nil },
}

// TestLazy checks that nothing is built until a pass asks, and that
// asking builds once.
func TestLazy(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), idle, "lazy")
	if len(results) != 1 {
		t.Fatalf("got %d results, want 1", len(results))
	}
	s := results[0].Result.(*SSA)
	if s.pkg != nil || s.funcs != nil {
		t.Fatal("the SSA form was built before anyone asked")
	}
	funcs := s.Funcs()
	if len(funcs) == 0 || s.Package() == nil {
		t.Fatal("no functions after asking")
	}
	if again := s.Funcs(); &again[0] != &funcs[0] {
		t.Error("the SSA form was built twice")
	}
}

// TestBuilderPanic checks that a failure of the builder is raised in
// every pass that asks, naming the package.
func TestBuilderPanic(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), idle, "lazy")
	s := results[0].Result.(*SSA)
	s.once.Do(func() {}) // as if built
	s.fail = "boom"
	for i := 0; i < 2; i++ {
		func() {
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if !strings.Contains(msg, "building SSA for lazy: boom") {
					t.Errorf("call %d: recovered %v, want the builder's failure", i, r)
				}
			}()
			s.Funcs()
		}()
	}
}
