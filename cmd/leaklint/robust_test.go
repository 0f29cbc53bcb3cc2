package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// These tests run the binary over testdata/src/robust, a module of the
// shapes that used to lose findings or end in an internal error: cgo,
// //line directives, a syntax error, a malformed directive, a generated
// file.

func robustModule(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "src", "robust"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// requireCgo fails the test unless cgo works here: the robust module's
// cgo package is left out of the build without it, which would hide the
// very thing tested.
func requireCgo(t *testing.T) {
	t.Helper()
	out, err := exec.Command("go", "env", "CGO_ENABLED").Output()
	if err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Skipf("cgo is disabled here (go env CGO_ENABLED = %q, %v): install a C compiler to run this test", strings.TrimSpace(string(out)), err)
	}
}

func TestRobustness(t *testing.T) {
	requireCgo(t)
	stdout, stderr, code := leaklint(t, robustModule(t), "./...")
	if code != 1 {
		t.Errorf("exit code %d, want 1 (a package with syntax errors)", code)
	}
	// The syntax error is the only message about its package: no
	// internal error from a pass that met an *ast.BadExpr.
	if strings.Contains(stderr, "internal error") {
		t.Errorf("an internal error was reported:\n%s", stderr)
	}
	for _, want := range []string{
		"leaklint: package example.com/robust/syntax: syntax/syntax.go:6:5: expected boolean expression",
		"leaklint: package example.com/robust/syntax: syntax/syntax.go:8:5: expression in go must not be parenthesized",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	want := []string{
		// cmd/cgo's output says "Code generated", the user's file does not.
		`^cgo/cgo.go:17:2: mu.Lock\(\) is not released on every path out of Add: .* \(unlock\)$`,
		`^\tcgo/cgo.go:19:3: this return leaves mu locked$`,
		`^cgo/cgo.go:32:10: time.After\(time.Minute\) in a select inside a loop .* \(timeafter\)$`,
		// Reported once, under its own name.
		`^directive/directive.go:10:2: leaklint:ignore directive names unknown pass unlok .* \(directive\)$`,
		`^directive/directive.go:11:2: mu.Lock\(\) is not released on every path out of f: .* \(unlock\)$`,
		`^\tdirective/directive.go:13:3: this return leaves mu locked$`,
		// After a //line directive the suppressed finding stays
		// suppressed and the other is reported at the grammar's line.
		`^line/parser.y:100008: mu.Lock\(\) is not released on every path out of reported: .* \(unlock\)$`,
		`^\tline/parser.y:100010: this return leaves mu locked$`,
	}
	matchLines(t, stdout, want)
}

// TestDirectiveWhateverPasses: a malformed directive is reported once,
// labelled (directive), with the pass it concerns disabled or the only
// one selected, in the binary and under go vet.
func TestDirectiveWhateverPasses(t *testing.T) {
	dir := robustModule(t)
	const want = "directive/directive.go:10:2: leaklint:ignore directive names unknown pass unlok"
	for _, args := range [][]string{
		{"./directive"},
		{"-unlock", "./directive"},
		{"-unlock=false", "./directive"},
		{"-timeafter", "./directive"},
	} {
		stdout, stderr, code := leaklint(t, dir, args...)
		if code != 3 || strings.Count(stdout, want) != 1 || !strings.Contains(stdout, want+" (known passes: timeafter, waitgroup, unlock, ctxdone, iotimeout, chanleak, lockblock, lockorder) (directive)\n") {
			t.Errorf("leaklint %v: exit %d, want 3 and the directive reported once:\n%s%s", args, code, stdout, stderr)
		}
	}
	for _, args := range [][]string{
		{"./directive"},
		{"-unlock", "./directive"},
		{"-timeafter", "./directive"},
	} {
		cmd := exec.Command("go", append([]string{"vet", "-vettool=" + binary}, args...)...)
		cmd.Dir = dir
		out, _ := cmd.CombinedOutput()
		if strings.Count(string(out), want) != 1 {
			t.Errorf("go vet %v: want the directive reported once:\n%s", args, out)
		}
	}
}

// TestCgoUnderVet: go vet hands the tool cmd/cgo's output too.
func TestCgoUnderVet(t *testing.T) {
	requireCgo(t)
	cmd := exec.Command("go", "vet", "-vettool="+binary, "./cgo")
	cmd.Dir = robustModule(t)
	out, _ := cmd.CombinedOutput()
	for _, want := range []string{
		"cgo/cgo.go:17:2: mu.Lock() is not released on every path out of Add",
		"cgo/cgo.go:32:10: time.After(time.Minute) in a select inside a loop",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("go vet ./cgo lacks %q:\n%s", want, out)
		}
	}
}

// TestCgoFix: a fix in a cgo file would edit cmd/cgo's copy in the build
// cache; none is offered, and -fix leaves the user's file alone.
func TestCgoFix(t *testing.T) {
	requireCgo(t)
	dir := copyFiles(t, robustModule(t), "go.mod", "cgo/cgo.go")
	stdout, _, code := leaklint(t, dir, "-json", "./cgo")
	var tree map[string]map[string][]struct {
		Posn           string            `json:"posn"`
		SuggestedFixes []json.RawMessage `json:"suggested_fixes"`
	}
	if err := json.Unmarshal([]byte(stdout), &tree); err != nil {
		t.Fatalf("exit %d, invalid JSON: %v\n%s", code, err, stdout)
	}
	diags := tree["example.com/robust/cgo"]["timeafter"]
	if len(diags) != 1 || !strings.HasSuffix(diags[0].Posn, "cgo/cgo.go:32:10") || len(diags[0].SuggestedFixes) != 0 {
		t.Errorf("want one timeafter finding at cgo.go:32:10 with no fix:\n%s", stdout)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "cgo", "cgo.go"))
	if _, stderr, code := leaklint(t, dir, "-fix", "./cgo"); code != 0 {
		t.Errorf("-fix: exit %d:\n%s", code, stderr)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "cgo", "cgo.go"))
	if string(before) != string(after) {
		t.Errorf("-fix changed cgo.go:\n%s", after)
	}
}

// leaklintEnv is leaklint with extra environment variables.
func leaklintEnv(t *testing.T, dir string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("running leaklint %v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

func TestCommandLineEdges(t *testing.T) {
	dir := robustModule(t)

	// No packages: a usage mistake, exit 2, with the usage.
	_, stderr, code := leaklint(t, dir)
	if code != 2 || !strings.Contains(stderr, "no packages to analyse") || !strings.Contains(stderr, "Usage:") {
		t.Errorf("no arguments: exit %d, want 2 and the usage:\n%s", code, stderr)
	}

	// Outside a module: the go command's own message, once.
	outside := t.TempDir()
	_, stderr, code = leaklintEnv(t, outside, []string{"GOFLAGS=", "GO111MODULE=on", "GOWORK=off"}, ".")
	want := "leaklint: go: go.mod file not found in current directory or any parent directory; see 'go help modules'\n"
	if code != 1 || stderr != want {
		t.Errorf("outside a module: exit %d, stderr %q, want 1 and %q", code, stderr, want)
	}

	// GOFLAGS=-modfile, as go list and go vet accept it.
	stdout, stderr, code := leaklintEnv(t, dir, []string{"GOFLAGS=-modfile=go_test.mod"}, "./directive")
	if code != 3 || !strings.Contains(stdout, "directive/directive.go:11:2: mu.Lock()") {
		t.Errorf("GOFLAGS=-modfile=go_test.mod: exit %d, want 3:\n%s%s", code, stdout, stderr)
	}
	// A -modfile that does not exist is the go command's error.
	_, stderr, code = leaklintEnv(t, dir, []string{"GOFLAGS=-modfile=nosuch.mod"}, "./directive")
	if code != 1 || !strings.Contains(stderr, "nosuch.mod") {
		t.Errorf("GOFLAGS=-modfile=nosuch.mod: exit %d, want 1 naming the file:\n%s", code, stderr)
	}

	// -tags selects files by build constraint, in both spellings, and
	// in -fix mode (handed to x/tools' multichecker) too.
	if _, stderr, code := leaklint(t, dir, "./tagged"); code != 1 || !strings.Contains(stderr, "build constraints exclude all Go files") {
		t.Errorf("./tagged without -tags: exit %d, want 1:\n%s", code, stderr)
	}
	for _, args := range [][]string{{"-tags=special", "./tagged"}, {"-tags", "special", "./tagged"}} {
		stdout, stderr, code := leaklint(t, dir, args...)
		if code != 3 || !strings.Contains(stdout, "tagged/tagged.go:11:2: mu.Lock() is not released on every path") {
			t.Errorf("leaklint %v: exit %d, want 3:\n%s%s", args, code, stdout, stderr)
		}
	}
	if stdout, stderr, code := leaklint(t, dir, "-fix", "-diff", "-tags=special", "./tagged"); code != 0 || strings.Contains(stderr, "exclude") {
		t.Errorf("-fix -diff -tags=special: exit %d, want 0 with the package loaded:\n%s%s", code, stdout, stderr)
	}
}
