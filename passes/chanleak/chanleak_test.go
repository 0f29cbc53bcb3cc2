package chanleak_test

import (
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leaklint/leaklint/passes/chanleak"
)

// testdata is the pass's testdata folder; the chanleak
// cases live in the module under src/chanleak (go 1.25, with a stub of
// golang.org/x/sync/errgroup through a replace directive).
var testdata, _ = filepath.Abs("testdata")

var module = filepath.Join(testdata, "src", "chanleak")

// TestReported runs the shapes the pass reports.
func TestReported(t *testing.T) {
	analysistest.Run(t, module, chanleak.Analyzer, "./a")
}

// TestSilent runs correct shapes a naive check would report.
func TestSilent(t *testing.T) {
	analysistest.Run(t, module, chanleak.Analyzer, "./silent", "./mainpkg")
}

// TestGenerics checks channels of type parameters and generic workers.
func TestGenerics(t *testing.T) {
	analysistest.Run(t, module, chanleak.Analyzer, "./generics")
}

// TestWorkers checks named workers, methods, method values, helpers, and
// workers of another package (silent: no facts cross packages).
func TestWorkers(t *testing.T) {
	analysistest.Run(t, module, chanleak.Analyzer, "./worker")
}

// TestNil checks operations on channels that are certainly nil.
func TestNil(t *testing.T) {
	analysistest.Run(t, module, chanleak.Analyzer, "./nilchan", "./nowaker", "./selfwait")
}

// TestFix checks the suggested buffer sizes against golden files.
func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, module, chanleak.Analyzer, "./fix")
}

// TestRelated checks the related information: the select case taken
// instead of the receive, the way out, and where a named worker is
// started. Each is identified by the text of its source line.
func TestRelated(t *testing.T) {
	results := analysistest.Run(t, module, chanleak.Analyzer, "./a", "./worker")
	want := map[string][]string{
		// diagnostic message prefix -> related: "message @ source line"
		"goroutine can block forever sending on ch: fetch can return": {
			"fetch can take this case instead @ case <-ctx.Done():",
			"fetch returns here @ return nil, ctx.Err()",
		},
		"goroutine can block forever sending on errc: all can return before": {
			"all returns here @ return err",
		},
		"goroutine can block forever sending on results: monitor can return": {
			"monitor can take this case instead @ case <-stop:",
			"monitor returns here @ return",
		},
		"goroutine can block forever sending on errc: several can return": {
			"several can take this case instead @ case <-ctx.Done():",
			"several returns here @ return ctx.Err()",
			"the goroutine can also block sending here @ errc <- do(x)",
		},
		"goroutine can block forever sending on out (errc of named)": {
			"named can take this case instead @ case <-ctx.Done():",
			"named returns here @ return ctx.Err()",
			"the goroutine is started here @ go worker(x, errc)",
		},
	}
	found := make(map[string]bool)
	for _, res := range results {
		fset := res.Action.Package.Fset
		for _, d := range res.Diagnostics {
			for prefix, rel := range want {
				if !strings.HasPrefix(d.Message, prefix) {
					continue
				}
				found[prefix] = true
				var got []string
				for _, r := range d.Related {
					got = append(got, r.Message+" @ "+sourceLine(t, fset.Position(r.Pos)))
				}
				if !slices.Equal(got, rel) {
					t.Errorf("%s: related\n got %q\nwant %q", prefix, got, rel)
				}
			}
		}
	}
	for prefix := range want {
		if !found[prefix] {
			t.Errorf("no diagnostic starting %q", prefix)
		}
	}
}

// sourceLine returns the trimmed text of the line at posn.
func sourceLine(t *testing.T, posn token.Position) string {
	data, err := os.ReadFile(posn.Filename)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	return strings.TrimSpace(lines[posn.Line-1])
}

// TestTestsFlag checks that -chanleak.tests reports in _test.go files
// (exempt by default: see silent/silent_test.go).
func TestTestsFlag(t *testing.T) {
	a := chanleak.New(chanleak.Config{})
	if err := a.Flags.Set("tests", "true"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, module, a, "./testfile")
}

// TestInstancesAreIndependent checks that flags set on one instance do
// not leak into another: configuration lives on the instance.
func TestInstancesAreIndependent(t *testing.T) {
	a := chanleak.New(chanleak.Config{Tests: true})
	b := chanleak.New(chanleak.Config{})
	if got := a.Flags.Lookup("tests").Value.String(); got != "true" {
		t.Errorf("a: tests = %s, want true", got)
	}
	if got := b.Flags.Lookup("tests").Value.String(); got != "false" {
		t.Errorf("b: tests = %s, want false", got)
	}
	if got := chanleak.Analyzer.Flags.Lookup("tests").Value.String(); got != "false" {
		t.Errorf("default Analyzer: tests = %s, want false", got)
	}
}
