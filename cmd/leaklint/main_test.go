package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/leaklint/leaklint/passes"
)

// These end-to-end tests build the leaklint binary and run it, as users
// do, over the testdata module testdata/src/e2e (go 1.22).

var binary string // path of the built leaklint

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "leaklint-e2e")
	if err != nil {
		panic(err)
	}
	// Each test binary gets a cache of its own, so that a test sees
	// what its own runs cached and nothing of the user's.
	os.Setenv("LEAKLINT_CACHE", filepath.Join(dir, "cache"))
	binary = filepath.Join(dir, "leaklint")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	if out, err := build.CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic("building leaklint: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func e2eModule(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "src", "e2e"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// leaklint runs the binary in dir and returns its stdout, stderr and
// exit code.
func leaklint(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	default:
		t.Fatalf("running leaklint %v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

func TestExitCodes(t *testing.T) {
	dir := e2eModule(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"clean", []string{"./clean"}, 0},
		{"findings", []string{"./bad"}, 3},
		{"findings in json", []string{"-json", "./bad"}, 3},
		{"pass disabled", []string{"-timeafter=false", "./bad"}, 0},
		{"every pass disabled", append(allDisabled(), "./bad"), 2},
		{"broken package", []string{"./broken"}, 1},
		{"broken and findings", []string{"./..."}, 1},
		{"bad flag", []string{"-nosuchflag", "./bad"}, 2},
		{"bad format", []string{"-format=xml", "./bad"}, 2},
		{"no packages", []string{"./nosuchdir/..."}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := leaklint(t, dir, tc.args...)
			if code != tc.code {
				t.Errorf("leaklint %v: exit code %d, want %d; stderr:\n%s", tc.args, code, tc.code, stderr)
			}
		})
	}
}

// allDisabled returns -NAME=false for every registered pass.
func allDisabled() []string {
	var args []string
	for _, p := range passes.All() {
		args = append(args, "-"+p.Name+"=false")
	}
	return args
}

func TestTextOutput(t *testing.T) {
	stdout, stderr, code := leaklint(t, e2eModule(t), "./...")
	if code != 1 {
		t.Errorf("exit code %d, want 1 (a broken package)", code)
	}
	// The broken package is named in a clear error...
	if !strings.Contains(stderr, "leaklint: package example.com/e2e/broken: broken/broken.go:9:21: undefined: undefinedDuration") {
		t.Errorf("stderr does not name the broken package:\n%s", stderr)
	}
	// So is a package that type-checks but that go build rejects (an
	// embed pattern matching no file), which is analysed all the same.
	if !strings.Contains(stderr, "leaklint: package example.com/e2e/embedmissing: embedmissing/embedmissing.go:11:12: pattern missing.json: no matching files found") {
		t.Errorf("stderr does not name the package with a missing embedded file:\n%s", stderr)
	}
	// ...and the rest, its importer included, is analysed.
	want := []string{
		`^bad/bad.go:9:10: time.After\(time.Minute\) in a select inside a loop .* \(timeafter\)$`,
		`^bad/bad.go:16:12: time.Tick in Tick, which returns, .* \(timeafter\)$`,
		`^embedmissing/embedmissing.go:21:10: time.After\(time.Minute\) .* \(timeafter\)$`,
		`^facts/use/use.go:9:12: Recv abandons a time.After timer \(lib.go:14\) .* \(timeafter\)$`,
		`^facts/use/use.go:20:9: Len locks s.mu, which is already held here \(locked at line 18\).* \(unlock\)$`,
		`^\tfacts/use/use.go:18:2: s.mu is acquired here$`,
		`^fixme/fixme.go:9:10: time.After\(time.Minute\) .* \(timeafter\)$`,
		`^importsbroken/importsbroken.go:16:10: time.After\(time.Minute\) .* \(timeafter\)$`,
	}
	matchLines(t, stdout, want) // the suppressed finding must not appear
}

// matchLines checks that output has exactly one line per pattern of
// want, each matching it.
func matchLines(t *testing.T, output string, want []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(output), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), output)
	}
	for i, pattern := range want {
		if !regexp.MustCompile(pattern).MatchString(lines[i]) {
			t.Errorf("line %d = %q, want match for %s", i+1, lines[i], pattern)
		}
	}
}

func TestJSONOutput(t *testing.T) {
	stdout, _, code := leaklint(t, e2eModule(t), "-json", "./bad")
	if code != 3 {
		t.Errorf("exit code %d, want 3", code)
	}
	// The shape of x/tools' -json output: package ID -> analyzer ->
	// diagnostics (or an error).
	var tree map[string]map[string][]struct {
		Posn           string `json:"posn"`
		End            string `json:"end"`
		Message        string `json:"message"`
		SuggestedFixes []struct {
			Message string `json:"message"`
			Edits   []struct {
				Filename string `json:"filename"`
				Start    int    `json:"start"`
				End      int    `json:"end"`
				New      string `json:"new"`
			} `json:"edits"`
		} `json:"suggested_fixes"`
	}
	if err := json.Unmarshal([]byte(stdout), &tree); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, stdout)
	}
	diags := tree["example.com/e2e/bad"]["timeafter"]
	if len(diags) != 2 {
		t.Fatalf("got %d timeafter diagnostics for example.com/e2e/bad, want 2:\n%s", len(diags), stdout)
	}
	d := diags[0]
	if !strings.HasSuffix(d.Posn, "bad/bad.go:9:10") || !strings.HasSuffix(d.End, "bad/bad.go:9:33") {
		t.Errorf("range %s-%s, want bad.go:9:10-9:33", d.Posn, d.End)
	}
	if len(d.SuggestedFixes) != 1 || len(d.SuggestedFixes[0].Edits) != 3 {
		t.Errorf("want one fix with three edits, got %+v", d.SuggestedFixes)
	}
}

func TestFix(t *testing.T) {
	// Work on a copy: -fix rewrites files.
	dir := copyFiles(t, e2eModule(t), "go.mod", "fixme/fixme.go", "fixme/fixme.go.golden")
	stdout, stderr, code := leaklint(t, dir, "-fix", "-diff", "./fixme")
	if code != 0 || !strings.Contains(stdout, "+\ttimer := time.NewTimer(time.Minute)") {
		t.Errorf("-fix -diff: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if _, stderr, code := leaklint(t, dir, "-fix", "./fixme"); code != 0 {
		t.Errorf("-fix: exit %d, stderr:\n%s", code, stderr)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "fixme", "fixme.go"))
	want, _ := os.ReadFile(filepath.Join(dir, "fixme", "fixme.go.golden"))
	if !bytes.Equal(got, want) {
		t.Errorf("after -fix:\n%s\nwant:\n%s", got, want)
	}
	// The fixed code is clean.
	if _, _, code := leaklint(t, dir, "./fixme"); code != 0 {
		t.Errorf("after -fix, leaklint exits %d, want 0", code)
	}
}

// copyFiles copies the named files of the module in src to a temporary
// directory, for tests whose -fix rewrites them, and returns it.
func copyFiles(t *testing.T, src string, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range names {
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
	return dir
}

func TestPassSelection(t *testing.T) {
	dir := e2eModule(t)
	// -timeafter selects the pass explicitly.
	if _, _, code := leaklint(t, dir, "-timeafter", "./bad"); code != 3 {
		t.Errorf("-timeafter: exit %d, want 3", code)
	}
	// Flags of a pass are reachable as -PASS.FLAG.
	if _, stderr, code := leaklint(t, dir, "-timeafter.all=true", "./clean"); code != 0 {
		t.Errorf("-timeafter.all: exit %d, stderr:\n%s", code, stderr)
	}
}

func TestVersionAndHelp(t *testing.T) {
	dir := e2eModule(t)
	out, _, code := leaklint(t, dir, "-V=full")
	if code != 0 || !regexp.MustCompile(`^leaklint version devel v\d+\.\d+\.\d+\S* buildID=[0-9a-f]{64}\n$`).MatchString(out) {
		t.Errorf("-V=full: exit %d, %q", code, out)
	}
	out, _, code = leaklint(t, dir, "--version")
	if code != 0 || !regexp.MustCompile(`^leaklint v\d+\.\d+\.\d+\S* \(.*go1\.\d+.*\)\n$`).MatchString(out) {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	out, _, code = leaklint(t, dir, "help")
	if code != 0 || !strings.Contains(out, "timeafter    report timers and tickers that leak before Go 1.23") {
		t.Errorf("help: exit %d:\n%s", code, out)
	}
	out, _, code = leaklint(t, dir, "help", "timeafter")
	if code != 0 || !strings.Contains(out, "// WRONG") || !strings.Contains(out, "-timeafter.all") {
		t.Errorf("help timeafter: exit %d:\n%s", code, out)
	}
	if _, _, code = leaklint(t, dir, "help", "nosuchpass"); code != 2 {
		t.Errorf("help nosuchpass: exit %d, want 2", code)
	}
}

// TestGoVet runs the binary as go vet's -vettool, which goes through the
// unitchecker protocol (-V=full, -flags, then one .cfg per package).
func TestGoVet(t *testing.T) {
	dir := e2eModule(t)
	vet := func(args ...string) (string, int) {
		cmd := exec.Command("go", append([]string{"vet", "-vettool=" + binary}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		code := 0
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			code = exitErr.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	out, code := vet("./bad")
	if code == 0 || !strings.Contains(out, "bad/bad.go:9:10: time.After(time.Minute) in a select inside a loop") {
		t.Errorf("go vet ./bad: exit %d:\n%s", code, out)
	}
	if strings.Contains(out, "bad.go:30") {
		t.Errorf("go vet reported the suppressed finding:\n%s", out)
	}
	if out, code := vet("./clean"); code != 0 {
		t.Errorf("go vet ./clean: exit %d:\n%s", code, out)
	}
	if out, code := vet("-timeafter=false", "./bad"); code != 0 {
		t.Errorf("go vet -timeafter=false ./bad: exit %d:\n%s", code, out)
	}
	// Facts cross packages through the vet protocol: unitchecker runs
	// one process per package and passes the facts of lib, gob-encoded,
	// to the run on use.
	out, code = vet("./facts/...")
	for _, want := range []string{
		"facts/use/use.go:9:12: Recv abandons a time.After timer (lib.go:14)",
		"facts/use/use.go:20:9: Len locks s.mu, which is already held here (locked at line 18)",
	} {
		if code == 0 || !strings.Contains(out, want) {
			t.Errorf("go vet ./facts/...: exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
	// The same through `leaklint vet`, the shell-free spelling.
	stdout, stderr, code := leaklint(t, dir, "vet", "./facts/...")
	if code == 0 || !strings.Contains(stdout+stderr, "Recv abandons a time.After timer") {
		t.Errorf("leaklint vet ./facts/...: exit %d:\n%s%s", code, stdout, stderr)
	}
}

// TestSARIF validates -format=sarif against the SARIF 2.1.0 schema and
// checks its content: a rule per pass, exact regions, related locations
// and fixes, and exit code 3.
func TestSARIF(t *testing.T) {
	stdout, stderr, code := leaklint(t, e2eModule(t), "-format=sarif", "./bad", "./fixme")
	if code != 3 {
		t.Errorf("exit code %d, want 3; stderr:\n%s", code, stderr)
	}
	schemaPath, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "sarif", "sarif-schema-2.1.0.json"))
	sf, err := os.Open(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(sf)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(stdout))
	if err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("the SARIF output does not validate against the 2.1.0 schema: %v", err)
	}

	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID               string `json:"id"`
						ShortDescription struct {
							Text string `json:"text"`
						} `json:"shortDescription"`
						HelpURI string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine, StartColumn, EndLine, EndColumn int
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				Fixes []struct {
					Description struct {
						Text string `json:"text"`
					} `json:"description"`
				} `json:"fixes"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	// One rule per pass, and one for malformed directives.
	rules := run.Tool.Driver.Rules
	if run.Tool.Driver.Name != "leaklint" || len(rules) != len(passes.All())+1 {
		t.Fatalf("driver %q with %d rules, want leaklint with one rule per pass and directive", run.Tool.Driver.Name, len(rules))
	}
	for i, r := range rules[:len(rules)-1] {
		if r.ID != passes.All()[i].Name || r.ShortDescription.Text == "" || !strings.HasSuffix(r.HelpURI, "/passes/"+r.ID) {
			t.Errorf("rule %d: %+v", i, r)
		}
	}
	if r := rules[len(rules)-1]; r.ID != "directive" || r.ShortDescription.Text != "report malformed //leaklint:ignore directives" || !strings.HasSuffix(r.HelpURI, "/internal/directive") {
		t.Errorf("last rule: %+v", r)
	}
	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3", len(run.Results))
	}
	first := run.Results[0]
	loc := first.Locations[0].PhysicalLocation
	if first.RuleID != "timeafter" || run.Tool.Driver.Rules[first.RuleIndex].ID != "timeafter" ||
		loc.ArtifactLocation.URI != "bad/bad.go" ||
		loc.Region.StartLine != 9 || loc.Region.StartColumn != 10 || loc.Region.EndLine != 9 || loc.Region.EndColumn != 33 {
		t.Errorf("first result: %+v", first)
	}
	if len(first.Fixes) != 1 || !strings.HasPrefix(first.Fixes[0].Description.Text, "Replace time.After") {
		t.Errorf("first result's fixes: %+v", first.Fixes)
	}
}

// TestGitHubFormat checks the GitHub Actions annotations.
func TestGitHubFormat(t *testing.T) {
	stdout, _, code := leaklint(t, e2eModule(t), "-format=github", "./bad")
	if code != 3 {
		t.Errorf("exit code %d, want 3", code)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	want := regexp.MustCompile(`^::error file=bad/bad\.go,line=9,col=10,endLine=9,endColumn=33,title=leaklint timeafter::time\.After\(time\.Minute\) in a select inside a loop`)
	if len(lines) != 2 || !want.MatchString(lines[0]) {
		t.Errorf("annotations:\n%s", stdout)
	}
}
