package waitgroup_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/passes/waitgroup"
)

// testdata is the pass's testdata folder; the waitgroup
// cases live under src/waitgroup, in modules named after their go line.
var testdata, _ = filepath.Abs("testdata")

func module(name string) string {
	return filepath.Join(testdata, "src", "waitgroup", name)
}

// TestGo124 runs the reported and the silent shapes in a module whose go
// line is 1.24, before WaitGroup.Go: no message suggests it.
func TestGo124(t *testing.T) {
	analysistest.Run(t, module("go1.24"), waitgroup.Analyzer,
		"./a", "./worker", "./caller", "./notsync", "./counts", "./generics", "./errgroup", "./regress", "./nodone")
}

// TestGo125 checks the other side of the cut-off: the messages suggest
// wg.Go, and functions run by wg.Go are checked.
func TestGo125(t *testing.T) {
	analysistest.Run(t, module("go1.25"), waitgroup.Analyzer, "./modern")
}

// TestInstancesAreIndependent checks that New returns a new analyzer
// each time, sharing nothing with the default one.
func TestInstancesAreIndependent(t *testing.T) {
	a, b := waitgroup.New(waitgroup.Config{}), waitgroup.New(waitgroup.Config{})
	if a == b || a == waitgroup.Analyzer {
		t.Fatal("New returned a shared analyzer")
	}
	if a.Name != "waitgroup" || a.Doc != waitgroup.Analyzer.Doc {
		t.Errorf("New: name %q, doc differs from Analyzer's", a.Name)
	}
}

// TestFix checks the suggested fix that moves an Add before the go
// statement.
func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, module("go1.24"), waitgroup.Analyzer, "./fix")
}
