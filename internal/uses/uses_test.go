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

func check(t *testing.T) (*analysis.Pass, *types.Package) {
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
	pass, _ := check(t)
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
