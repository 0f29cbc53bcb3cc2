package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), stdout)
	}
	for i, pattern := range want {
		if !regexp.MustCompile(pattern).MatchString(lines[i]) {
			t.Errorf("line %d = %q, want match for %s", i+1, lines[i], pattern)
		}
	}
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
	src := robustModule(t)
	dir := t.TempDir()
	for _, name := range []string{"go.mod", "cgo/cgo.go"} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
