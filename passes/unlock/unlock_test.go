package unlock_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/passes/unlock"
)

var testdata, _ = filepath.Abs("testdata")

func TestUnlock(t *testing.T) {
	analysistest.Run(t, testdata, unlock.Analyzer,
		"unlock/a", "unlock/helpers", "unlock/caller", "unlock/generics")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata, unlock.Analyzer, "unlock/fix")
}

func TestStrictDefer(t *testing.T) {
	a := unlock.New(unlock.Config{})
	if err := a.Flags.Set("defer", "true"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata, a, "unlock/strict")
}

// TestStrictOffByDefault checks that the strict rule is opt-in: the same
// package has no findings in the default mode.
func TestStrictOffByDefault(t *testing.T) {
	results := analysistest.Run(&collect{T: t}, testdata, unlock.Analyzer, "unlock/strict")
	for _, r := range results {
		if len(r.Diagnostics) != 0 {
			t.Errorf("default mode reported %d findings in unlock/strict, want 0", len(r.Diagnostics))
		}
	}
}

// collect discards analysistest's complaints about unmatched "want"
// comments, written for strict mode.
type collect struct{ *testing.T }

func (c *collect) Errorf(format string, args ...any) {}
