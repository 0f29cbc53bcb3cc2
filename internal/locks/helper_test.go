package locks_test

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/leaklint/leaklint/internal/locks"
)

// A fixture is a small module analysed by locks.Analyzer: the direct
// tests of each file of the package type-check real sources and look at
// the Result, the facts and the held sets, without a pass on top.
type fixture struct {
	t     *testing.T
	fset  *token.FileSet
	pkgs  map[string]*packages.Package // by package path ("m/p")
	res   map[string]*locks.Result
	roots map[string]*checker.Action
}

// analyse writes files (a path relative to the module root, "p/p.go",
// and its text) as module m, loads it and runs locks.Analyzer, checking
// that its facts survive gob encoding (checker's SanityCheck).
// The fixtures already analysed, by their sources: several tests share one.
var fixtures = make(map[string]*fixture)

func analyse(t *testing.T, files map[string]string) (f *fixture) {
	t.Helper()
	var key []string
	for name, text := range files {
		key = append(key, name+"\x00"+text)
	}
	sort.Strings(key)
	if f, ok := fixtures[strings.Join(key, "\x00")]; ok {
		g := *f
		g.t = t
		return &g
	}
	defer func() {
		if !t.Failed() {
			fixtures[strings.Join(key, "\x00")] = f
		}
	}()
	dir := t.TempDir()
	files["go.mod"] = "module m\n\ngo 1.24\n"
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Env: append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		t.Fatalf("%d errors loading the fixture", n)
	}
	g, err := checker.Analyze([]*analysis.Analyzer{locks.Analyzer}, pkgs, &checker.Options{SanityCheck: true, Sequential: true})
	if err != nil {
		t.Fatal(err)
	}
	f = &fixture{t: t, pkgs: make(map[string]*packages.Package), res: make(map[string]*locks.Result), roots: make(map[string]*checker.Action)}
	for _, act := range g.Roots {
		if act.Err != nil {
			t.Fatalf("%s: %v", act.Package, act.Err)
		}
		f.fset = act.Package.Fset
		f.pkgs[act.Package.PkgPath] = act.Package
		f.res[act.Package.PkgPath] = act.Result.(*locks.Result)
		f.roots[act.Package.PkgPath] = act
	}
	return f
}

// info returns the types.Info of package pkg.
func (f *fixture) info(pkg string) *types.Info { return f.pkgs[pkg].TypesInfo }

// fn returns the record of the function named name in pkg: "F", or
// "T.M" for a method (either receiver form).
func (f *fixture) fn(pkg, name string) *locks.Func {
	f.t.Helper()
	for _, fn := range f.res[pkg].Funcs {
		if fn.Obj != nil && funcName(fn.Obj) == name {
			return fn
		}
	}
	f.t.Fatalf("no function %s in %s", name, pkg)
	return nil
}

func funcName(obj *types.Func) string {
	recv := obj.Signature().Recv()
	if recv == nil {
		return obj.Name()
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name() + "." + obj.Name()
	}
	return obj.Name()
}

func (f *fixture) line(pos token.Pos) int { return f.fset.Position(pos).Line }

// events renders fn's events in source order, one string each:
// "7 Lock s.mu", with " deferred", " via helper", " takes" as they apply.
func (f *fixture) events(fn *locks.Func) []string {
	var evs []*locks.Event
	for _, es := range fn.Events {
		evs = append(evs, es...)
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Pos() < evs[j].Pos() })
	var out []string
	for _, e := range evs {
		s := fmt.Sprintf("%d %s %s", f.line(e.Pos()), e.Op, e.Path)
		if e.Deferred {
			s += " deferred"
		}
		if e.Via != nil {
			s += " via " + e.Via.Name()
		}
		if e.Takes {
			s += " takes"
		}
		out = append(out, s)
	}
	return out
}

// event returns the one event of fn on line.
func (f *fixture) event(fn *locks.Func, line int) *locks.Event {
	f.t.Helper()
	var found []*locks.Event
	for _, es := range fn.Events {
		for _, e := range es {
			if f.line(e.Pos()) == line {
				found = append(found, e)
			}
		}
	}
	if len(found) != 1 {
		f.t.Fatalf("%s: %d events on line %d, want 1 (%v)", fn.Name(), len(found), line, f.events(fn))
	}
	return found[0]
}

// node returns the first CFG node of fn that starts on line.
func (f *fixture) node(fn *locks.Func, line int) ast.Node {
	f.t.Helper()
	var best ast.Node
	for _, b := range fn.CFG.Blocks {
		for _, n := range b.Nodes {
			if f.line(n.Pos()) == line && (best == nil || n.Pos() < best.Pos()) {
				best = n
			}
		}
	}
	if best == nil {
		f.t.Fatalf("%s: no CFG node on line %d", fn.Name(), line)
	}
	return best
}

// heldAt renders the locks held before the node on line: "s.mu@5" for
// s.mu taken on line 5, comma-separated, "" for none.
func (f *fixture) heldAt(pkg string, fn *locks.Func, line int) string {
	f.t.Helper()
	var out []string
	for _, h := range fn.HeldAt(f.info(pkg), f.node(fn, line)) {
		out = append(out, fmt.Sprintf("%s@%d", h.Path, f.line(h.By.Pos())))
	}
	return strings.Join(out, ",")
}

// facts renders the Summary facts of pkg's functions: "T.M: locks ...".
func (f *fixture) facts(pkg string) map[string]string {
	out := make(map[string]string)
	for _, of := range f.roots[pkg].AllObjectFacts() {
		fn, ok := of.Object.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg().Path() != pkg {
			continue
		}
		if s, ok := of.Fact.(*locks.Summary); ok {
			out[funcName(fn)] = s.String()
		}
	}
	return out
}

// lineOf returns the line of the first occurrence of marker in text
// (1-based), so that cases name lines by a comment rather than a number.
func lineOf(t *testing.T, text, marker string) int {
	t.Helper()
	i := strings.Index(text, marker)
	if i < 0 {
		t.Fatalf("no %q in the source", marker)
	}
	return strings.Count(text[:i], "\n") + 1
}
