package locks_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/internal/locks"
)

// TestSummaries checks the facts, within a package and across two.
func TestSummaries(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), locks.Analyzer, "lib", "use")
}
