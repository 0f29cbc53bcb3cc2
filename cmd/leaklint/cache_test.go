package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// analysedCount returns N of the "packages: N analysed, M from the
// cache" line that -debug=t prints.
func analysedCount(t *testing.T, stderr string) (analysed, cached string) {
	t.Helper()
	m := regexp.MustCompile(`packages: (\d+) analysed, (\d+) from the cache`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no cache line in -debug=t output:\n%s", stderr)
	}
	return m[1], m[2]
}

// TestCacheInvalidation edits a callee in one package so that it newly
// returns holding a lock: its importer's finding, which rests on the
// callee's fact, must appear on the next run, which analyses the two
// edited packages' closure again and nothing else.
func TestCacheInvalidation(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(t.TempDir(), "cache")
	write := func(name, src string) {
		t.Helper()
		name = filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(src), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/inv\n\ngo 1.22\n")
	lib := `package lib

import "sync"

type Store struct {
	mu sync.Mutex
	n  int
}

func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// LockedBegin starts a batch.
func (s *Store) LockedBegin() { BEGIN }
`
	write("lib/lib.go", strings.Replace(lib, "BEGIN", "s.n++", 1))
	write("use/use.go", `package use

import "example.com/inv/lib"

func Read(s *lib.Store) int {
	s.LockedBegin()
	return s.Len()
}
`)
	const finding = "use/use.go:7:9: Len locks s.mu, which is already held here"

	out, stderr, code := leaklint(t, dir, "-cache="+cache, "-debug=t", "./...")
	if code != 0 || out != "" {
		t.Fatalf("first run: exit %d, want 0 and no findings; output:\n%s%s", code, out, stderr)
	}
	if analysed, cached := analysedCount(t, stderr); analysed == "0" || cached != "0" {
		t.Errorf("first run: %s analysed, %s from the cache; want all analysed", analysed, cached)
	}

	out, stderr, code = leaklint(t, dir, "-cache="+cache, "-debug=t", "./...")
	if code != 0 || out != "" {
		t.Fatalf("unchanged re-run: exit %d, output:\n%s%s", code, out, stderr)
	}
	if analysed, _ := analysedCount(t, stderr); analysed != "0" {
		t.Errorf("unchanged re-run analysed %s packages, want 0", analysed)
	}

	// LockedBegin now returns holding s.mu: a change of lib's facts only.
	write("lib/lib.go", strings.Replace(lib, "BEGIN", "s.mu.Lock(); s.n++", 1))
	out, stderr, code = leaklint(t, dir, "-cache="+cache, "-debug=t", "./...")
	if code != 3 || !strings.Contains(out, finding) {
		t.Fatalf("after the edit: exit %d, want 3 and %q; output:\n%s%s", code, finding, out, stderr)
	}
	if analysed, _ := analysedCount(t, stderr); analysed != "2" {
		t.Errorf("after the edit, %s packages analysed; want 2 (lib and use)", analysed)
	}

	// The cached run, a run without the cache and the checker agree.
	for _, args := range [][]string{{"-cache=" + cache}, {"-cache=off"}, {"-checker"}} {
		got, _, code := leaklint(t, dir, append(args, "./...")...)
		if got != out || code != 3 {
			t.Errorf("leaklint %v: exit %d, output\n%s\nwant exit 3 and\n%s", args, code, got, out)
		}
	}
}

// TestRunnerMatchesChecker runs the e2e module in every output format
// with x/tools' checker, with the runner and no cache, and with the
// runner twice on one cache (cold, then warm): all outputs must be the
// same, byte for byte.
func TestRunnerMatchesChecker(t *testing.T) {
	dir := e2eModule(t)
	cache := filepath.Join(t.TempDir(), "cache")
	for _, format := range []string{"text", "json", "sarif", "github"} {
		want, wantErr, wantCode := leaklint(t, dir, "-checker", "-format="+format, "./...")
		if want == "" || wantCode != 1 && wantCode != 3 {
			t.Fatalf("-checker -format=%s: exit %d, output %q: the e2e module has findings", format, wantCode, want)
		}
		for _, args := range [][]string{{"-cache=off"}, {"-cache=" + cache}, {"-cache=" + cache}} {
			args = append(args, "-format="+format, "./...")
			got, gotErr, code := leaklint(t, dir, args...)
			if got != want {
				t.Errorf("leaklint %v: stdout differs from -checker's:\n%s\nwant:\n%s", args, got, want)
			}
			if gotErr != wantErr {
				t.Errorf("leaklint %v: stderr differs from -checker's:\n%s\nwant:\n%s", args, gotErr, wantErr)
			}
			if code != wantCode {
				t.Errorf("leaklint %v: exit %d, -checker's %d", args, code, wantCode)
			}
		}
	}
}
