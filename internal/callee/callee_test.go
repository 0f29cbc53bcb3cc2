package callee

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

const libSrc = `package lib

type Mutex struct{}

func (m *Mutex) Lock()   {}
func (m *Mutex) Unlock() {}

type Locker interface{ Lock(); Unlock() }

type Client struct{}

func (Client) Do() {}

func Get() {}

func Map[T any](x T) T { return x }

type Box[T any] struct{ v T }

func (b *Box[T]) Get() T { return b.v }
`

const useSrc = `package use

import (
	l "example.com/lib"
)

type S struct {
	l.Mutex // embedded
}

func f(s *S, lk l.Locker, c l.Client, b *l.Box[int]) {
	s.Lock()          // call 0: (*lib.Mutex).Lock through embedding
	lk.Lock()         // call 1: (lib.Locker).Lock
	c.Do()            // call 2: (lib.Client).Do
	l.Get()           // call 3: lib.Get
	_ = l.Map(1)      // call 4: lib.Map, instantiated
	_ = b.Get()       // call 5: (*lib.Box).Get, instantiated
	get := l.Get
	get()             // call 6: a function value: no callee
	_ = len("x")      // call 7: builtin: no callee
	m := s.Unlock
	m()               // call 8: method value: no static callee
}
`

type mapImporter map[string]*types.Package

func (m mapImporter) Import(path string) (*types.Package, error) {
	if p, ok := m[path]; ok {
		return p, nil
	}
	return importer.Default().Import(path)
}

func check(t *testing.T) (*types.Info, []*ast.CallExpr) {
	t.Helper()
	fset := token.NewFileSet()
	parse := func(src string) *ast.File {
		f, err := parser.ParseFile(fset, "x.go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	lib, err := (&types.Config{}).Check("example.com/lib", fset, []*ast.File{parse(libSrc)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Uses:       map[*ast.Ident]types.Object{},
		Defs:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Instances:  map[*ast.Ident]types.Instance{},
	}
	file := parse(useSrc)
	conf := &types.Config{Importer: mapImporter{"example.com/lib": lib}}
	if _, err := conf.Check("example.com/use", fset, []*ast.File{file}, info); err != nil {
		t.Fatal(err)
	}
	var calls []*ast.CallExpr
	ast.Inspect(file, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			calls = append(calls, c)
		}
		return true
	})
	return info, calls
}

func TestMatch(t *testing.T) {
	info, calls := check(t)
	if len(calls) != 9 {
		t.Fatalf("found %d calls, want 9", len(calls))
	}
	for i, tc := range []struct {
		spec string // "" means: no static callee
	}{
		{"(*example.com/lib.Mutex).Lock"},
		{"(example.com/lib.Locker).Lock"},
		{"(example.com/lib.Client).Do"},
		{"example.com/lib.Get"},
		{"example.com/lib.Map"},
		{"(*example.com/lib.Box).Get"},
		{""},
		{""},
		{""},
	} {
		fn := Of(info, calls[i])
		if tc.spec == "" {
			if fn != nil {
				t.Errorf("call %d: callee = %v, want none", i, fn)
			}
			continue
		}
		if fn == nil {
			t.Errorf("call %d: no callee, want %s", i, tc.spec)
			continue
		}
		if !ParseSpec(tc.spec).Match(fn) {
			t.Errorf("call %d: %v does not match %s", i, fn, tc.spec)
		}
	}
}

func TestNoFalseMatches(t *testing.T) {
	info, calls := check(t)
	lock := Of(info, calls[0])
	get := Of(info, calls[3])
	for _, tc := range []struct {
		fn   *types.Func
		spec string
	}{
		{lock, "(example.com/lib.Mutex).Unlock"}, // other name
		{lock, "(example.com/lib.Locker).Lock"},  // other type, same method name
		{lock, "(example.com/other.Mutex).Lock"}, // other package
		{lock, "example.com/lib.Lock"},           // a method is not a function
		{get, "(example.com/lib.Client).Get"},    // a function is not a method
		{get, "example.com/lib2.Get"},            // other package
	} {
		if ParseSpec(tc.spec).Match(tc.fn) {
			t.Errorf("%v matches %s", tc.fn, tc.spec)
		}
	}
	if IsFunc(nil, "x", "y") || IsMethod(nil, "x", "y", "z") {
		t.Error("nil func matched")
	}
}

func TestSpecRoundTrip(t *testing.T) {
	for _, s := range []string{"net/http.Get", "(net/http.Client).Do", "(sync.Locker).Lock"} {
		if got := ParseSpec(s).String(); got != s {
			t.Errorf("ParseSpec(%q).String() = %q", s, got)
		}
	}
	if got := ParseSpec("(*net/http.Client).Do"); got != (Spec{"net/http", "Client", "Do"}) {
		t.Errorf("pointer receiver parsed as %+v", got)
	}
	for _, bad := range []string{"Get", "(net/http.Client.Do", "(Client).Do", "net/http.", ".Get", "(net/http.).Do"} {
		if _, err := ParseSpecErr(bad); err == nil {
			t.Errorf("ParseSpecErr(%q) accepted it", bad)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("ParseSpec(%q) did not panic", bad)
				}
			}()
			ParseSpec(bad)
		}()
	}
}
