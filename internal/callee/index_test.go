package callee

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

const indexSrc = `package p

func f(n int)       {}
func g[T any](x T)  {}
func h()            {}
func valued()       {}

type T struct{}

func (T) m() {}

var start = h

func user() {
	f(0)
	g[int](1)
	var t T
	t.m()
	go func() { f(2) }()
	k := valued
	_ = k
	_ = t.m
}

var initial = func() int { f(3); return 0 }()
`

// TestIndex checks the call sites, their callers, and the functions
// used as values.
func TestIndex(t *testing.T) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", indexSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}, Types: map[ast.Expr]types.TypeAndValue{}, Instances: map[*ast.Ident]types.Instance{}}
	pkg, err := (&types.Config{}).Check("p", fset, []*ast.File{file}, info)
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(name string) *types.Func { return pkg.Scope().Lookup(name).(*types.Func) }
	f, g, h, valued, user := lookup("f"), lookup("g"), lookup("h"), lookup("valued"), lookup("user")
	m, _, _ := types.LookupFieldOrMethod(pkg.Scope().Lookup("T").Type(), false, pkg, "m")
	c := Index(info, pkg, []*ast.File{file})

	if got := len(c.Sites[f]); got != 3 {
		t.Errorf("f: %d call sites, want 3 (user, the literal in user, the package-level literal)", got)
	}
	if callers := c.Callers[f]; len(callers) != 3 || callers[0] != user || callers[1] != user || callers[2] != nil {
		t.Errorf("f's callers = %v, want user, user (the literal), nil (package level)", callers)
	}
	if len(c.Sites[g]) != 1 || c.Values[g] {
		t.Errorf("g[int](1): sites %d, value %v; want one call and no value", len(c.Sites[g]), c.Values[g])
	}
	for _, fn := range []*types.Func{h, valued, m.(*types.Func)} {
		if !c.Values[fn] {
			t.Errorf("%s is used as a value but not listed", fn.Name())
		}
	}
	if c.Values[f] || c.Values[user] {
		t.Errorf("f or user listed as values: %v", c.Values)
	}
	if len(c.Sites[m.(*types.Func)]) != 1 {
		t.Errorf("t.m(): %d sites, want 1", len(c.Sites[m.(*types.Func)]))
	}
}
