package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoTool follows the `go tool` route of the README in a scratch
// module: leaklint as a tool dependency (the tool directive of Go 1.24+,
// what `go get -tool` writes), resolved to this checkout with a replace,
// run with `go tool leaklint ./...`.
func TestGoTool(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	dir := t.TempDir()
	gomod := "module example.com/gotool\n\ngo 1.26.0\n\ntool github.com/leaklint/leaklint/cmd/leaklint\n\n" +
		"require github.com/leaklint/leaklint v0.0.0\n\nreplace github.com/leaklint/leaklint => " + root + "\n"
	files := map[string]string{
		"go.mod": gomod,
		"cache.go": `package gotool

import "sync"

type Cache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *Cache) Get(k string) int {
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		return 0
	}
	c.mu.Unlock()
	return v
}
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (string, int) {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		code := 0
		if exitErr, ok := err.(*exec.ExitError); ok {
			code = exitErr.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	if out, code := run("mod", "tidy"); code != 0 {
		t.Fatalf("go mod tidy: exit %d\n%s", code, out)
	}
	out, code := run("tool", "leaklint", "./...")
	if code == 0 || !strings.Contains(out, "cache.go:11:2: c.mu.Lock() is not released on every path out of Get") {
		t.Errorf("go tool leaklint ./...: exit %d:\n%s", code, out)
	}
}
