package lockblock_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/passes/lockblock"
)

var testdata, _ = filepath.Abs("testdata")

// TestDeadlock checks the default mode: waits that can deadlock with the
// goroutine that would end them.
func TestDeadlock(t *testing.T) {
	analysistest.Run(t, testdata, lockblock.Analyzer, "lockblock/deadlock", "lockblock/nowaker", "lockblock/dynamic", "lockblock/wakeup")
}

// TestStall checks -lockblock.stall: every unbounded wait under a lock,
// directly and one or two calls deep, across packages.
func TestStall(t *testing.T) {
	a := lockblock.New(lockblock.Config{})
	if err := a.Flags.Set("stall", "true"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata, a, "lockblock/a", "lockblock/lib", "lockblock/use", "lockblock/fake")
}
