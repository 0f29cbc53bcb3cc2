package lockorder_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/passes/lockorder"
)

var testdata, _ = filepath.Abs("testdata")

func TestLockorder(t *testing.T) {
	analysistest.Run(t, testdata, lockorder.Analyzer, "lockorder/a", "lockorder/lib", "lockorder/use", "lockorder/gaps", "lockorder/dyn", "lockorder/dynopen")
}
