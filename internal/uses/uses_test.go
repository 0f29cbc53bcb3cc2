package uses

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

const src = `package p

import "sync"

type S struct {
	wg      sync.WaitGroup
	handed  sync.WaitGroup
	Public  sync.WaitGroup
	ch      chan int
	out     chan int
	sync.WaitGroup
}

var pkgWG sync.WaitGroup

func (s *S) use(f func(*sync.WaitGroup)) {
	s.wg.Add(1)
	defer s.wg.Done()
	s.wg.Wait()
	f(&s.handed)
	s.Public.Wait()
	pkgWG.Add(2)
	s.Add(1)
	s.ch = make(chan int)
	<-s.ch
	for range s.ch {
	}
	s.ch <- 1
	close(s.ch)
	_ = len(s.ch)
	s.out = nil
}

func (s *S) get() <-chan int { return s.ch }
`

func check(t *testing.T, src string) (*analysis.Pass, *types.Package) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}, Types: map[ast.Expr]types.TypeAndValue{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	return &analysis.Pass{Fset: fset, Files: []*ast.File{f}, Pkg: pkg, TypesInfo: info}, pkg
}

func summary(u *Uses) string {
	var parts []string
	for name, calls := range u.Calls {
		parts = append(parts, name+"×"+string(rune('0'+len(calls))))
	}
	for name, ops := range u.Ops {
		parts = append(parts, name+"×"+string(rune('0'+len(ops))))
	}
	sort.Strings(parts)
	if u.Escapes {
		parts = append(parts, "escapes")
	}
	if len(u.Getters) > 0 {
		parts = append(parts, "getter "+u.Getters[0].Name())
	}
	return strings.Join(parts, " ")
}

func TestOf(t *testing.T) {
	pass, _ := check(t, src)
	isWG := func(t types.Type) bool { return types.TypeString(t, nil) == "sync.WaitGroup" }
	isChan := func(t types.Type) bool { _, ok := t.Underlying().(*types.Chan); return ok }
	isMake := func(e ast.Expr) bool {
		c, ok := e.(*ast.CallExpr)
		return ok && types.ExprString(c.Fun) == "make"
	}
	got := make(map[string]string)
	for v, u := range Of(pass, isWG, nil) {
		got[v.Name()] = summary(u)
	}
	for v, u := range Of(pass, isChan, isMake) {
		got[v.Name()] = summary(u)
	}
	want := map[string]string{
		"wg":     "Add×1 Done×1 Wait×1",
		"handed": "escapes",        // its address is passed
		"Public": "Wait×1 escapes", // exported
		"pkgWG":  "Add×1",          // unexported package variable
		"ch":     "close×1 range×1 recv×1 send×1 getter get",
		"out":    "escapes", // assigned something other than make
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %q, want %q", name, got[name], w)
		}
	}
	// The embedded WaitGroup's promoted call s.Add(1) is not a use of a
	// field expression: it is not listed at all.
	if s, ok := got["WaitGroup"]; ok {
		t.Errorf("the embedded WaitGroup is listed: %q", s)
	}
}

func TestPositive(t *testing.T) {
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	fset := token.NewFileSet()
	for text, want := range map[string]bool{"1": true, "2": true, "0": false, "-1": false, "n": false} {
		e, err := parser.ParseExprFrom(fset, "", text, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := types.CheckExpr(fset, types.NewPackage("p", "p"), token.NoPos, e, info); err != nil && text != "n" {
			t.Fatal(err)
		}
		if got := Positive(info, e); got != want {
			t.Errorf("Positive(%s) = %v", text, got)
		}
	}
}

const passedSrc = `package p

func keep(c chan int)     { <-c }
func relay(c chan int)    { keep(c) }
func sends(c chan int)    { c <- 1 }
func unused(c chan int)   {}
func many(cs ...chan int) {}
func body(c chan int)

var kept chan int

func f(fn func(chan int)) {
	a := make(chan int)
	relay(a)
	go func(c chan int) { sends(c) }(a)
	b := make(chan int)
	unused(b)
	many(b)
	d := make(chan int)
	fn(d)
	e := make(chan int)
	body(e)
	kept = make(chan int)
}
`

// TestPassed checks that channels passed to the package's functions are
// followed through their parameters, and that other calls still count as
// escapes.
func TestPassed(t *testing.T) {
	pass, _ := check(t, passedSrc)
	isChan := func(t types.Type) bool { _, ok := t.Underlying().(*types.Chan); return ok }
	isMake := func(e ast.Expr) bool {
		c, ok := e.(*ast.CallExpr)
		return ok && types.ExprString(c.Fun) == "make"
	}
	all := Of(pass, isChan, isMake)
	byName := make(map[string]*Uses)
	for v, u := range all {
		if v.Parent() != nil && v.Parent().Parent() == pass.Pkg.Scope() && v.Name() == "c" {
			continue // the parameters named c: looked at through Reach
		}
		byName[v.Name()] = u
	}
	reach := func(name string) string {
		var parts []string
		for _, u := range byName[name].Reach(all) {
			parts = append(parts, summary(u))
		}
		return strings.Join(parts, " | ")
	}
	// a reaches relay's c, keep's c (a receive), the literal's c and
	// sends's c (a send).
	if got := reach("a"); strings.Count(got, "|") != 4 || !strings.Contains(got, "recv×1") || !strings.Contains(got, "send×1") || strings.Contains(got, "escapes") {
		t.Errorf("a reaches %q, want five uses with a receive and a send and no escape", got)
	}
	if got := reach("b"); got != "escapes" {
		t.Errorf("b reaches %q, want only itself, escaping (passed as a variadic argument)", got)
	}
	if got := reach("d"); got != "escapes" {
		t.Errorf("d reaches %q, want an escape (passed to a function value)", got)
	}
	if got := reach("e"); got != "escapes" {
		t.Errorf("e reaches %q, want an escape (passed to a function without a body)", got)
	}
	if u := byName["kept"]; u == nil || len(u.Inits) != 1 {
		t.Errorf("kept: want one initialisation recorded, got %+v", u)
	}
}
