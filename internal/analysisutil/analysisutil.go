// Package analysisutil holds the small helpers every leaklint pass uses:
// the quick exit on imports, the Go version of a file, generated-file
// detection and the panic guard around a pass's run function.
package analysisutil

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"reflect"
	"runtime/debug"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Imports reports whether pkg imports any of the packages with the given
// paths directly. A pass that looks only for calls into those packages
// can return at once when it doesn't: nothing it reports can occur.
func Imports(pkg *types.Package, paths ...string) bool {
	for _, imp := range pkg.Imports() {
		for _, path := range paths {
			if imp.Path() == path {
				return true
			}
		}
	}
	return false
}

// FileVersion returns the Go version that applies to file: the one the
// type checker recorded for it (a //go:build constraint can lower or
// raise it), else the package's (the go line of its module), else ""
// when neither is known (GOPATH mode, or a driver that doesn't say).
func FileVersion(info *types.Info, pkg *types.Package, file *ast.File) string {
	if info != nil && file != nil {
		if v := info.FileVersions[file]; v != "" {
			return v
		}
	}
	if pkg != nil {
		return pkg.GoVersion()
	}
	return ""
}

// Before reports whether the Go version v is known and older than cutoff
// (both in the "go1.N" form). An unknown version is not before anything:
// callers err on the side of silence.
func Before(v, cutoff string) bool {
	return version.IsValid(v) && version.Compare(v, cutoff) < 0
}

// AtLeast reports whether the Go version v is known and not older than
// cutoff.
func AtLeast(v, cutoff string) bool {
	return version.IsValid(v) && version.Compare(v, cutoff) >= 0
}

// File returns the syntax tree of pass's file that contains pos, or nil.
func File(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// IsTestFile reports whether the file containing pos is a _test.go file.
func IsTestFile(pass *analysis.Pass, pos token.Pos) bool {
	return strings.HasSuffix(pass.Fset.Position(pos).Filename, "_test.go")
}

// IsTestCode reports whether pos is in test code: a _test.go file, a file
// that imports "testing" (test helpers and fakes outside _test.go files
// run only under go test), or a package with a testutil or testutils
// element in its import path.
func IsTestCode(pass *analysis.Pass, pos token.Pos) bool {
	if IsTestFile(pass, pos) {
		return true
	}
	for _, elem := range strings.Split(pass.Pkg.Path(), "/") {
		if elem == "testutil" || elem == "testutils" {
			return true
		}
	}
	f := File(pass, pos)
	if f == nil {
		return false
	}
	for _, imp := range f.Imports {
		if imp.Path.Value == `"testing"` {
			return true
		}
	}
	return false
}

// IsGenerated reports whether f carries the standard "Code generated
// ... DO NOT EDIT." comment. leaklint reports nothing in generated files:
// the fix belongs in the generator.
func IsGenerated(f *ast.File) bool {
	return ast.IsGenerated(f)
}

// InternalError is the Category of the diagnostic Install's guard reports when a
// pass panics. The leaklint driver counts such diagnostics as errors.
const InternalError = "internal-error"

// Install sets a's Run to run, guarded so that leaklint never fails
// the analysis of other packages because of one package:
//
//   - a.RunDespiteErrors is set, and on a package with type errors run
//     is not called at all (the driver reports the errors; a pass that
//     failed there instead would fail every package that imports it);
//   - a panic in run becomes one diagnostic on the package, with the
//     InternalError category, instead of a crash of the whole process.
//
// In both cases the result is the zero value of a.ResultType, and the
// pass exports no facts for the package (or only some, after a panic).
func Install(a *analysis.Analyzer, run func(*analysis.Pass) (any, error)) {
	a.RunDespiteErrors = true
	a.Run = guard(a, run)
}

func guard(a *analysis.Analyzer, run func(*analysis.Pass) (any, error)) func(*analysis.Pass) (any, error) {
	zero := func() any {
		if a.ResultType == nil {
			return nil
		}
		return reflect.Zero(a.ResultType).Interface()
	}
	return func(pass *analysis.Pass) (result any, err error) {
		if len(pass.TypeErrors) > 0 {
			return zero(), nil
		}
		defer func() {
			if r := recover(); r != nil {
				var pos token.Pos
				if len(pass.Files) > 0 {
					pos = pass.Files[0].Package
				}
				pass.Report(analysis.Diagnostic{
					Pos:      pos,
					Category: InternalError,
					Message: fmt.Sprintf("internal error: the %s pass panicked on package %s and its results for it are incomplete; please report this with the code that triggers it: %v\n%s",
						a.Name, pass.Pkg.Path(), r, firstFrames(debug.Stack(), 12)),
				})
				result, err = zero(), nil
			}
		}()
		return run(pass)
	}
}

// firstFrames returns the first n lines of a stack trace after the
// goroutine header and the frames of the panic machinery itself.
func firstFrames(stack []byte, n int) string {
	lines := strings.Split(string(stack), "\n")
	// Skip up to and including the frame of runtime/panic.go's gopanic.
	for i, l := range lines {
		if strings.Contains(l, "runtime/panic.go") {
			lines = lines[i+1:]
			break
		}
	}
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
