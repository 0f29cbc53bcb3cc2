package timeafter_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/passes/timeafter"
)

// testdata is the pass's testdata folder; the timeafter
// cases live under src/timeafter, in modules named after their go line.
var testdata, _ = filepath.Abs("testdata")

func module(name string) string {
	return filepath.Join(testdata, "src", "timeafter", name)
}

// TestGo122 runs the reported and the silent shapes in a module whose go
// line is 1.22, where timers and tickers leak.
func TestGo122(t *testing.T) {
	analysistest.Run(t, module("go1.22"), timeafter.Analyzer,
		"./a", "./helper", "./caller", "./notime", "./generics", "./mainpkg")
}

// TestGo123 checks the other side of the cut-off: the same shapes are
// silent in a go1.23 module, while helper facts are still exported.
func TestGo123(t *testing.T) {
	analysistest.Run(t, module("go1.23"), timeafter.Analyzer, "./silent", "./helper")
}

// TestDrain checks the timer drain that blocks forever, reported in
// every Go version (here a go1.23 module).
func TestDrain(t *testing.T) {
	analysistest.Run(t, module("go1.23"), timeafter.Analyzer, "./drain")
}

// TestAll checks that -timeafter.all reports regardless of the version.
func TestAll(t *testing.T) {
	a := timeafter.New(timeafter.Config{})
	if err := a.Flags.Set("all", "true"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, module("go1.23"), a, "./all")
}

// TestUnknownVersion checks that nothing is reported in GOPATH mode,
// where no version is known.
func TestUnknownVersion(t *testing.T) {
	analysistest.Run(t, testdata, timeafter.Analyzer, "timeafter/unknown")
}

// TestFix checks the suggested rewrite to a reusable timer.
func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, module("go1.22"), timeafter.Analyzer, "./fix")
}

// TestInstancesAreIndependent checks that flags set on one instance do
// not leak into another: configuration lives on the instance.
func TestInstancesAreIndependent(t *testing.T) {
	a := timeafter.New(timeafter.Config{All: true})
	b := timeafter.New(timeafter.Config{})
	if got := a.Flags.Lookup("all").Value.String(); got != "true" {
		t.Errorf("a: all = %s, want true", got)
	}
	if got := b.Flags.Lookup("all").Value.String(); got != "false" {
		t.Errorf("b: all = %s, want false", got)
	}
	if got := timeafter.Analyzer.Flags.Lookup("all").Value.String(); got != "false" {
		t.Errorf("default Analyzer: all = %s, want false", got)
	}
}
