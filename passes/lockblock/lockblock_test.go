package lockblock_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/passes/lockblock"
)

var testdata, _ = filepath.Abs(filepath.Join("..", "..", "testdata"))

func TestLockblock(t *testing.T) {
	analysistest.Run(t, testdata, lockblock.Analyzer, "lockblock/a", "lockblock/lib", "lockblock/use", "lockblock/fake")
}
