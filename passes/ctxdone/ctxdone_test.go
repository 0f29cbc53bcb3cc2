package ctxdone_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/passes/ctxdone"
)

// module is the testdata module of the pass, in the pass's
// testdata folder: src/ctxdone.
var module, _ = filepath.Abs(filepath.Join("testdata", "src", "ctxdone"))

// TestReported runs the reported and the silent shapes of one package.
func TestReported(t *testing.T) {
	analysistest.Run(t, module, ctxdone.Analyzer, "./a")
}

// TestFacts checks the facts about functions that loop forever and their
// use at go statements and calls of another package.
func TestFacts(t *testing.T) {
	analysistest.Run(t, module, ctxdone.Analyzer, "./worker", "./caller")
}

// TestDerived checks contexts derived with WithCancel, WithTimeout,
// WithDeadline, WithValue and WithoutCancel.
func TestDerived(t *testing.T) {
	analysistest.Run(t, module, ctxdone.Analyzer, "./derived")
}

// TestGenerics checks goroutines in generic functions and methods of
// generic types.
func TestGenerics(t *testing.T) {
	analysistest.Run(t, module, ctxdone.Analyzer, "./generics")
}

// TestMainPackage checks that main.main is silent and the rest of a main
// package is not.
func TestMainPackage(t *testing.T) {
	analysistest.Run(t, module, ctxdone.Analyzer, "./mainpkg")
}

// TestFix checks the suggested "Add a ctx.Done case" rewrite, and the
// shapes that get none.
func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, module, ctxdone.Analyzer, "./fix")
}

// TestRegressions runs the cases found in the evaluation on real code.
func TestRegressions(t *testing.T) {
	analysistest.Run(t, module, ctxdone.Analyzer, "./regress")
}

// TestUntied checks -ctxdone.untied: loops whose ways out do not depend
// on the context are reported, those with a way out tied to it are not.
func TestUntied(t *testing.T) {
	a := ctxdone.New(ctxdone.Config{})
	if err := a.Flags.Set("untied", "true"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, module, a, "./untied")
}

// TestInstancesAreIndependent checks that flags set on one instance do
// not leak into another: configuration lives on the instance.
func TestInstancesAreIndependent(t *testing.T) {
	a := ctxdone.New(ctxdone.Config{Untied: true})
	b := ctxdone.New(ctxdone.Config{})
	if got := a.Flags.Lookup("untied").Value.String(); got != "true" {
		t.Errorf("a: untied = %s, want true", got)
	}
	if got := b.Flags.Lookup("untied").Value.String(); got != "false" {
		t.Errorf("b: untied = %s, want false", got)
	}
	if got := ctxdone.Analyzer.Flags.Lookup("untied").Value.String(); got != "false" {
		t.Errorf("default Analyzer: untied = %s, want false", got)
	}
}

// TestOwned checks goroutines that wait on a context only a stored
// cancel ends: the cancel nobody calls before the wait ends, and the
// result thrown away, in the package and across packages (the
// discardLeaks fact).
func TestOwned(t *testing.T) {
	analysistest.Run(t, module, ctxdone.Analyzer, "./owned", "./ownedlib", "./owneduse")
}
