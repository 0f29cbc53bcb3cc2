package main_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// triageModule is testdata/src/triage: a program that leaks on purpose
// (one kind of wait each, and a lock-order deadlock) and writes its
// dumps, with causes leaklint finds in its source.
func triageModule(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "src", "triage"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// runLeaky runs the leaky program with env and returns the directory it
// wrote its dumps to.
func runLeaky(t *testing.T, env ...string) string {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./leaky", "-out", out)
	cmd.Dir = triageModule(t)
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./leaky: %v\n%s", err, b)
	}
	return out
}

type triageJSON struct {
	Format  string `json:"format"`
	Profile string `json:"profile"`
	Total   int    `json:"total"`
	Groups  []struct {
		Reason   string `json:"reason"`
		Leaked   bool   `json:"leaked"`
		Count    int    `json:"count"`
		Blocking struct {
			Func string `json:"func"`
			File string `json:"file"`
			Line int    `json:"line"`
		} `json:"blocking"`
		CreatedBy *struct {
			Line int `json:"line"`
		} `json:"created_by"`
		Findings []struct {
			Pass  string `json:"pass"`
			Posn  string `json:"posn"`
			Where string `json:"where"`
		} `json:"findings"`
		Advice string `json:"advice"`
	} `json:"groups"`
}

func triageRun(t *testing.T, args ...string) (triageJSON, string, int) {
	t.Helper()
	stdout, stderr, code := leaklint(t, triageModule(t), append([]string{"triage", "-json"}, args...)...)
	var r triageJSON
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("leaklint triage %v: exit %d, invalid JSON: %v\n%s%s", args, code, err, stdout, stderr)
	}
	return r, stderr, code
}

// TestTriageLinks reads the dumps of the leaky program in every format
// and checks that each leak is a group linked to the finding at its lines.
func TestTriageLinks(t *testing.T) {
	out := runLeaky(t)
	// reason, blocking line in leaky.go, the pass and line of the finding
	// that explains it, and whether the format shows the reason.
	type link struct {
		reason string
		line   int
		pass   string
		posn   string
	}
	links := []link{
		{"chan send", 26, "chanleak", "leaky/leaky.go:26:4"},
		{"sync.Mutex.Lock", 40, "unlock", "leaky/leaky.go:40:2"},
		{"sync.Mutex.Lock", 61, "lockorder", "leaky/leaky.go:61:2"},
		{"sync.WaitGroup.Wait", 88, "waitgroup", "leaky/leaky.go:83:5"},
		{"select", 94, "iotimeout", "leaky/leaky.go:94:15"},
	}
	for _, file := range []string{"goroutine.txt", "goroutine-debug1.txt", "goroutine.pb.gz"} {
		r, stderr, code := triageRun(t, filepath.Join(out, file))
		if code != 3 {
			t.Errorf("%s: exit %d, want 3 (groups linked to findings):\n%s", file, code, stderr)
		}
		for _, l := range links {
			found := false
			for _, g := range r.Groups {
				if g.Blocking.Line != l.line || !strings.HasSuffix(g.Blocking.File, "leaky.go") {
					continue
				}
				if file != "goroutine-debug1.txt" || !strings.HasPrefix(l.reason, "chan") && l.reason != "select" {
					if g.Reason != l.reason {
						t.Errorf("%s: the group at leaky.go:%d has reason %q, want %q", file, l.line, g.Reason, l.reason)
					}
				}
				if file == "goroutine.txt" && g.CreatedBy == nil {
					t.Errorf("%s: the group at leaky.go:%d has no creation site", file, l.line)
				}
				if len(g.Findings) == 0 || g.Findings[0].Pass != l.pass || g.Findings[0].Posn != l.posn {
					t.Errorf("%s: the group at leaky.go:%d links %+v, want %s at %s first", file, l.line, g.Findings, l.pass, l.posn)
				}
				found = true
			}
			if !found {
				t.Errorf("%s: no group blocked at leaky.go:%d", file, l.line)
			}
		}
	}

	// The text report: the count, the wait, the lines, the finding.
	stdout, _, code := leaklint(t, triageModule(t), "triage", filepath.Join(out, "goroutine.txt"))
	for _, line := range strings.Split(stdout, "\n") {
		if len(line) > 100 {
			t.Errorf("text report: a line of %d characters does not fit a terminal:\n%s", len(line), line)
		}
	}
	for _, want := range []string{
		"1 goroutine [chan send]\n    blocked at  leaky/leaky.go:26  main.firstResult.func1\n    created at  leaky/leaky.go:25  main.firstResult\n    chanleak: leaky/leaky.go:26:4: goroutine can block forever sending on results:",
		"    waitgroup (in the function it waits in): leaky/leaky.go:83:5: the goroutine returns here\n        without calling wg.Done()",
		"    next: ",
	} {
		if code != 3 || !strings.Contains(stdout, want) {
			t.Errorf("text report: exit %d, lacks %q:\n%s", code, want, stdout)
		}
	}

	// The same dump over HTTP, as fetched from /debug/pprof.
	data, err := os.ReadFile(filepath.Join(out, "goroutine.txt"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(data) }))
	defer srv.Close()
	if r, _, code := triageRun(t, "-static=false", srv.URL+"/debug/pprof/goroutine?debug=2"); code != 0 || r.Format != "debug=2" || len(r.Groups) < len(links) {
		t.Errorf("over HTTP: exit %d, %d groups", code, len(r.Groups))
	}
}

// TestTriageLeakProfile reads Go 1.26's goroutine leak profile
// (GOEXPERIMENT=goroutineleakprofile): the goroutines the garbage
// collector proved stuck for good are marked leaked.
func TestTriageLeakProfile(t *testing.T) {
	out := runLeaky(t, "GOEXPERIMENT=goroutineleakprofile")
	for _, file := range []string{"goroutineleak.txt", "goroutineleak.pb.gz"} {
		if _, err := os.Stat(filepath.Join(out, file)); err != nil {
			t.Fatalf("the leaky program wrote no %s with the experiment on: %v", file, err)
		}
		r, stderr, code := triageRun(t, filepath.Join(out, file))
		found := false
		for _, g := range r.Groups {
			if g.Blocking.Line == 26 && g.Reason == "chan send" {
				found = true
				if !g.Leaked || len(g.Findings) == 0 || g.Findings[0].Pass != "chanleak" {
					t.Errorf("%s: the chan send group: leaked %v, findings %+v", file, g.Leaked, g.Findings)
				}
			}
		}
		if !found || code != 3 {
			t.Errorf("%s: exit %d, no chan send group at leaky.go:26:\n%+v\n%s", file, code, r, stderr)
		}
	}
}

func TestTriageErrors(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "index.html")
	if err := os.WriteFile(html, []byte("<html><body>pprof index</body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := leaklint(t, dir, "triage", html); code != 1 || !strings.Contains(stderr, "HTML page, not a goroutine dump") {
		t.Errorf("an HTML page: exit %d, want 1 and a clear error:\n%s", code, stderr)
	}
	if _, stderr, code := leaklint(t, dir, "triage", filepath.Join(dir, "nosuchfile")); code != 1 || !strings.Contains(stderr, "no such file") {
		t.Errorf("a missing file: exit %d, want 1:\n%s", code, stderr)
	}
	if _, stderr, code := leaklint(t, dir, "triage"); code != 2 || !strings.Contains(stderr, "name the dump to read") {
		t.Errorf("no input: exit %d, want 2:\n%s", code, stderr)
	}
}
