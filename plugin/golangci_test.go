package plugin_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// This test runs leaklint inside a real golangci-lint v2: the module in
// integration/golangci compiles golangci-lint's own command with the
// plugin blank-imported, as `golangci-lint custom` would (which needs to
// clone golangci-lint from the internet). The first build takes minutes;
// the binary is cached under the user cache directory, keyed by a hash of
// every source file that goes into it, so later runs reuse it.

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// golangciBinary returns the path of the custom golangci-lint, building it
// if the cache has none for the current sources.
func golangciBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("SKIPPED: the go command is not on PATH (%v), so the custom golangci-lint cannot be built", err)
	}
	root := repoRoot(t)
	key, err := sourceHash(root)
	if err != nil {
		t.Fatal(err)
	}
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		cacheDir = os.TempDir()
	}
	dir := filepath.Join(cacheDir, "leaklint-test", "golangci-"+key[:16])
	bin := filepath.Join(dir, "golangci-lint")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("building the custom golangci-lint into %s (minutes on a cold cache)", dir)
	tmp := bin + ".tmp"
	cmd := exec.Command(goTool, "build", "-o", tmp, ".")
	cmd.Dir = filepath.Join(root, "integration", "golangci")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the custom golangci-lint: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		t.Fatal(err)
	}
	return bin
}

// sourceHash hashes the files that the custom golangci-lint is built
// from: the integration module and every Go file and module file of
// leaklint outside testdata.
func sourceHash(root string) (string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if name == "testdata" || name == ".git" || strings.HasPrefix(name, ".") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") || name == "go.mod" || name == "go.sum" {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(root, f)
		io.WriteString(h, rel)
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// golangci runs the custom golangci-lint in dir.
func golangci(t *testing.T, bin, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+t.TempDir())
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	default:
		t.Fatalf("running golangci-lint: %v", err)
	}
	return out.String(), errOut.String(), code
}

func TestGolangciLint(t *testing.T) {
	bin := golangciBinary(t)
	project := filepath.Join(repoRoot(t), "testdata", "src", "golangci", "project")

	t.Run("findings", func(t *testing.T) {
		stdout, stderr, code := golangci(t, bin, project, "run", "./...")
		if code != 1 {
			t.Errorf("exit code %d, want 1 (issues found); stderr:\n%s", code, stderr)
		}
		for _, want := range []string{
			"leaks.go:14:2: unlock: c.mu.Lock() is not released on every path out of Get",
			"leaks.go:27:10: timeafter: time.After(time.Minute) in a select inside a loop",
		} {
			if !strings.Contains(stdout, want) {
				t.Errorf("output lacks %q:\n%s", want, stdout)
			}
		}
		// //nolint:leaklint (line 37) and //leaklint:ignore (line 47)
		// both suppress.
		for _, line := range []string{"leaks.go:37:", "leaks.go:47:"} {
			if strings.Contains(stdout, line) {
				t.Errorf("a suppressed finding was reported at %s:\n%s", line, stdout)
			}
		}
	})

	t.Run("settings error", func(t *testing.T) {
		dir := filepath.Join(repoRoot(t), "testdata", "src", "golangci", "badsettings")
		_, stderr, code := golangci(t, bin, dir, "run", "./...")
		if code == 0 || !strings.Contains(stderr, `unknown setting "timeafter.al" (timeafter's settings: all)`) {
			t.Errorf("exit code %d; stderr does not name the unknown key:\n%s", code, stderr)
		}
	})

	t.Run("sarif", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "out.sarif")
		_, stderr, code := golangci(t, bin, project, "run", "--output.sarif.path="+path, "./...")
		if code != 1 {
			t.Errorf("exit code %d, want 1; stderr:\n%s", code, stderr)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var log struct {
			Version string `json:"version"`
			Runs    []struct {
				Results []struct {
					RuleID  string `json:"ruleId"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(data, &log); err != nil {
			t.Fatalf("invalid SARIF JSON: %v", err)
		}
		if log.Version != "2.1.0" || len(log.Runs) != 1 {
			t.Fatalf("unexpected SARIF log: version %q, %d runs", log.Version, len(log.Runs))
		}
		found := false
		for _, r := range log.Runs[0].Results {
			if r.RuleID == "leaklint" && strings.HasPrefix(r.Message.Text, "timeafter: ") {
				found = true
			}
		}
		if !found {
			t.Errorf("no leaklint timeafter result in the SARIF output:\n%s", data)
		}
	})
}
