package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommit runs the real pre-commit with leaklint's hooks, as a user
// does: a throwaway git repository with a .pre-commit-config.yaml that
// points at this repository, `pre-commit install`, then a good commit
// (accepted) and a bad one (rejected with the finding).
//
// pre-commit builds the hook with `go install ./...` from a git
// repository at a given revision, so the test copies the module's sources
// into a temporary repository and commits them: the hooks are tested as
// they are in the working tree, committed or not.
func TestPreCommit(t *testing.T) {
	precommit, err := exec.LookPath("pre-commit")
	if err != nil {
		if os.Getenv("LEAKLINT_REQUIRE_PRECOMMIT") != "" {
			t.Fatalf("pre-commit is not installed but LEAKLINT_REQUIRE_PRECOMMIT is set (.ci/run installs it): %v", err)
		}
		t.Skipf("SKIPPED: pre-commit is not on PATH (%v); install it (Debian: apt-get install pre-commit) to run this test, as .ci/run does", err)
	}
	gitTool, err := exec.LookPath("git")
	if err != nil {
		t.Fatalf("git is needed with pre-commit: %v", err)
	}
	root, _ := filepath.Abs(filepath.Join("..", ".."))

	// The hook repository: this module's sources, committed.
	hooks := t.TempDir()
	for _, rel := range []string{".pre-commit-hooks.yaml", "go.mod", "go.sum", "cmd", "internal", "passes"} {
		if err := copyTree(filepath.Join(root, rel), filepath.Join(hooks, rel)); err != nil {
			t.Fatal(err)
		}
	}
	git := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command(gitTool, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"GIT_AUTHOR_NAME=leaklint test", "GIT_AUTHOR_EMAIL=test@example.com",
			"GIT_COMMITTER_NAME=leaklint test", "GIT_COMMITTER_EMAIL=test@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git(hooks, "init", "-q")
	git(hooks, "add", "-A")
	git(hooks, "commit", "-q", "-m", "leaklint hooks")
	rev := git(hooks, "rev-parse", "HEAD")

	// The user's project.
	project := t.TempDir()
	git(project, "init", "-q")
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(project, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/precommit\n\ngo 1.22\n")
	write(".pre-commit-config.yaml", "repos:\n  - repo: "+hooks+"\n    rev: "+rev+"\n    hooks:\n      - id: leaklint\n      - id: leaklint-vet\n")
	write("good.go", "package precommit\n\nimport \"time\"\n\nfunc Wait() { <-time.After(time.Second) }\n")

	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+t.TempDir(),
		"GIT_AUTHOR_NAME=leaklint test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=leaklint test", "GIT_COMMITTER_EMAIL=test@example.com")
	// Reuse the module cache: pre-commit gives the hook a GOPATH of its
	// own, which would otherwise download every dependency again.
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		env = append(env, "GOMODCACHE="+strings.TrimSpace(string(out)))
	}
	run := func(name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir = project
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(precommit, "install"); err != nil {
		t.Fatalf("pre-commit install: %v\n%s", err, out)
	}

	// A good commit goes through both hooks.
	git(project, "add", "-A")
	if out, err := run(gitTool, "commit", "-m", "good"); err != nil {
		t.Fatalf("the good commit was rejected: %v\n%s", err, out)
	} else if !strings.Contains(out, "leaklint") || !strings.Contains(out, "Passed") {
		t.Errorf("the hooks did not run on the good commit:\n%s", out)
	}

	// A bad commit is stopped, by each hook, with the finding.
	write("bad.go", "package precommit\n\nimport \"time\"\n\nfunc Idle(in <-chan int) {\n\tfor {\n\t\tselect {\n\t\tcase <-in:\n\t\tcase <-time.After(time.Minute):\n\t\t\treturn\n\t\t}\n\t}\n}\n")
	git(project, "add", "bad.go")
	out, err := run(gitTool, "commit", "-m", "bad")
	if err == nil {
		t.Fatalf("the bad commit was accepted:\n%s", out)
	}
	if n := strings.Count(out, "bad.go:9:10: time.After(time.Minute) in a select inside a loop"); n != 2 {
		t.Errorf("want the finding from both hooks (leaklint and leaklint-vet), found it %d times:\n%s", n, out)
	}
	if strings.Count(out, "Failed") != 2 {
		t.Errorf("want both hooks to fail:\n%s", out)
	}
}

// copyTree copies a file or a directory tree.
func copyTree(src, dst string) error {
	return filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			if info.Name() == "testdata" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
