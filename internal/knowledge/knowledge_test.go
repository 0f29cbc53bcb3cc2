package knowledge

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"testing"

	"github.com/leaklint/leaklint/internal/callee"
)

// stdImporter imports the standard library from export data, once per
// package for the whole test binary.
var stdImporter = importer.Default()

// method returns the method name of the named type pkgPath.typeName as
// a call through a *T (or the interface) resolves it: promoted methods
// included.
func method(t *testing.T, pkgPath, typeName, name string) *types.Func {
	t.Helper()
	pkg, err := stdImporter.Import(pkgPath)
	if err != nil {
		t.Fatal(err)
	}
	tn, ok := pkg.Scope().Lookup(typeName).(*types.TypeName)
	if !ok {
		t.Fatalf("%s.%s: no such type", pkgPath, typeName)
	}
	var recv types.Type = types.NewPointer(tn.Type())
	if types.IsInterface(tn.Type()) {
		recv = tn.Type()
	}
	obj, _, _ := types.LookupFieldOrMethod(recv, true, pkg, name)
	fn, ok := obj.(*types.Func)
	if !ok {
		t.Fatalf("(%s.%s).%s: no such method", pkgPath, typeName, name)
	}
	return fn
}

func function(t *testing.T, pkgPath, name string) *types.Func {
	t.Helper()
	pkg, err := stdImporter.Import(pkgPath)
	if err != nil {
		t.Fatal(err)
	}
	fn, ok := pkg.Scope().Lookup(name).(*types.Func)
	if !ok {
		t.Fatalf("%s.%s: no such function", pkgPath, name)
	}
	return fn
}

// neverMatch are rows whose method is promoted from an unexported
// embedded type (net.TCPConn's Read is (*net.conn).Read): Lookup never
// finds them, since a call resolves to the embedded type's method. They
// are kept as lockblock had them; matching the promoted method instead
// would change lockblock's findings.
var neverMatch = []string{
	"(net.TCPConn).Read", "(net.TCPConn).Write",
	"(net.UDPConn).Read", "(net.UDPConn).Write",
	"(net.UnixConn).Read", "(net.UnixConn).Write",
}

// TestRowsExist checks that every row names a function or method of the
// standard library, and that Lookup finds the row from it: a misspelt
// row would silently never match.
func TestRowsExist(t *testing.T) {
	for _, a := range APIs {
		var fn *types.Func
		if a.Spec.Recv == "" {
			fn = function(t, a.Spec.Pkg, a.Spec.Name)
		} else {
			fn = method(t, a.Spec.Pkg, a.Spec.Recv, a.Spec.Name)
		}
		got, ok := Lookup(fn)
		if slices.Contains(neverMatch, a.Spec.String()) {
			if ok {
				t.Errorf("Lookup(%s) = %s, want no row (the method is promoted)", fn.FullName(), got.Spec)
			}
			continue
		}
		if !ok || got.Spec != a.Spec {
			t.Errorf("Lookup(%s) = %v, %v; want the row %s", fn.FullName(), got.Spec, ok, a.Spec)
		}
	}
}

// TestRows checks the table's invariants: one row per API, the fields
// each Timeout needs, the wait of each row that lockblock counts.
func TestRows(t *testing.T) {
	seen := make(map[callee.Spec]bool)
	for _, a := range APIs {
		if seen[a.Spec] {
			t.Errorf("%s: two rows", a.Spec)
		}
		seen[a.Spec] = true
		if a.Wait != NoWait && a.Wait.String() == "" {
			t.Errorf("%s: wait %d has no words", a.Spec, a.Wait)
		}
		switch a.Timeout {
		case ContextVariant:
			if !token.IsIdentifier(a.Safer) {
				t.Errorf("%s: ContextVariant without the variant's name", a.Spec)
			}
		case ReceiverTimeout:
			if !slices.ContainsFunc(Types, func(ty Type) bool { return ty.Pkg == a.Spec.Pkg && ty.Name == a.Spec.Recv }) {
				t.Errorf("%s: ReceiverTimeout on a type not in Types", a.Spec)
			}
		}
		if a.Args != "" && a.Timeout != ContextVariant {
			t.Errorf("%s: Args without ContextVariant", a.Spec)
		}
	}
}

// TestTypes checks that the timeout fields of Types exist.
func TestTypes(t *testing.T) {
	for _, ty := range Types {
		pkg, err := stdImporter.Import(ty.Pkg)
		if err != nil {
			t.Fatal(err)
		}
		st, ok := pkg.Scope().Lookup(ty.Name).Type().Underlying().(*types.Struct)
		if !ok {
			t.Fatalf("%s.%s is not a struct", ty.Pkg, ty.Name)
		}
		for _, f := range ty.Timeouts {
			if !slices.ContainsFunc(slices.Collect(st.Fields()), func(v *types.Var) bool { return v.Name() == f }) {
				t.Errorf("%s.%s has no field %s", ty.Pkg, ty.Name, f)
			}
		}
	}
}

func TestLookupStd(t *testing.T) {
	for _, tc := range []struct {
		fn      *types.Func
		wait    Wait
		timeout Timeout
		safer   string
	}{
		{function(t, "net/http", "Get"), HTTPRequest, DefaultClient, ""},
		{method(t, "net/http", "Client", "Do"), HTTPRequest, ReceiverTimeout, ""},
		{method(t, "net/http", "Server", "ListenAndServe"), NoWait, ReceiverTimeout, ""},
		{function(t, "net", "Dial"), Dial, NoTimeout, "net.DialTimeout or a net.Dialer with Timeout"},
		{method(t, "database/sql", "DB", "Begin"), Database, ContextVariant, "BeginTx"},
		{method(t, "database/sql", "Tx", "Stmt"), NoWait, ContextVariant, "StmtContext"},
		{method(t, "sync", "WaitGroup", "Wait"), WaitGroup, Unchecked, ""},
		{method(t, "crypto/tls", "Conn", "Handshake"), TLSHandshake, Unchecked, ""},
	} {
		a, ok := Lookup(tc.fn)
		if !ok || a.Wait != tc.wait || a.Timeout != tc.timeout || a.Safer != tc.safer {
			t.Errorf("Lookup(%s) = %+v, %v; want wait %v, timeout %d, safer %q", tc.fn.FullName(), a, ok, tc.wait, tc.timeout, tc.safer)
		}
	}
	for _, fn := range []*types.Func{
		method(t, "sync", "WaitGroup", "Add"),
		method(t, "net/http", "Client", "CloseIdleConnections"),
		function(t, "net/http", "NewRequest"),
		method(t, "database/sql", "DB", "Close"),
	} {
		if a, ok := Lookup(fn); ok {
			t.Errorf("Lookup(%s) = %s, want none", fn.FullName(), a.Spec)
		}
	}
	if a, _ := Lookup(function(t, "database/sql", "Open")); a.Spec != (callee.Spec{}) {
		t.Errorf("Lookup(sql.Open) = %s, want none", a.Spec)
	}
	if _, ok := Lookup(nil); ok {
		t.Error("Lookup(nil) found a row")
	}
}

func TestWaitWords(t *testing.T) {
	if got := WaitGroup.String(); got != "waits for a WaitGroup" {
		t.Errorf("WaitGroup = %q", got)
	}
	for w, on := range map[Wait]bool{ConnRead: true, Database: true, TLSHandshake: true, HTTPRequest: false, Dial: false, Sleep: false} {
		if w.OnReceiver() != on {
			t.Errorf("%v.OnReceiver() = %v, want %v", w, !on, on)
		}
	}
}

func TestWaits(t *testing.T) {
	for _, tc := range []struct {
		pkg, name string
		want      []string
	}{
		{"net/http", "Client", []string{"Do", "Get", "Head", "Post", "PostForm"}},
		{"net/http", "Server", []string{"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"}},
		{"net", "Dialer", []string{"Dial"}},
		{"net", "Conn", nil},
	} {
		if got := Waits(tc.pkg, tc.name); !slices.Equal(got, tc.want) {
			t.Errorf("Waits(%s.%s) = %v, want %v", tc.pkg, tc.name, got, tc.want)
		}
	}
}

const libSrc = `package lib

type Box[T any] struct{ v T }

func (b *Box[T]) Get() T { return b.v }
func (b Box[T]) Put(T)   {}

func Map[T any](x T) T { return x }

func Plain() {}

type Getter interface{ Get() int }
`

const useSrc = `package use

import "example.com/lib"

func f(b *lib.Box[int], s lib.Box[string], g lib.Getter) {
	_ = b.Get()
	s.Put("x")
	_ = lib.Map(1)
	_ = lib.Map[string]("x")
	lib.Plain()
	_ = g.Get()
}
`

// TestTableGeneric checks lookups of instantiated generic functions and
// methods of generic types, which match their origin's row, and the
// first-row-wins rule.
func TestTableGeneric(t *testing.T) {
	fset := token.NewFileSet()
	parseFile := func(src string) *ast.File {
		f, err := parser.ParseFile(fset, "x.go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	lib, err := (&types.Config{}).Check("example.com/lib", fset, []*ast.File{parseFile(libSrc)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: make(map[*ast.Ident]types.Object)}
	imp := importerFunc(func(path string) (*types.Package, error) { return lib, nil })
	use := parseFile(useSrc)
	if _, err := (&types.Config{Importer: imp}).Check("example.com/use", fset, []*ast.File{use}, info); err != nil {
		t.Fatal(err)
	}
	table := NewTable(parse([]row{
		{spec: "(*example.com/lib.Box).Get", wait: Sleep},
		{spec: "(example.com/lib.Box).Put", wait: Dial},
		{spec: "example.com/lib.Map", timeout: NoTimeout, safer: "first"},
		{spec: "example.com/lib.Map", timeout: NoTimeout, safer: "second"},
	}))
	var got []string
	ast.Inspect(use, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		// The object the call names, instantiated for a method of a
		// generic type (Lookup must go to its origin itself); for a
		// generic function, go/types records the generic object.
		fun := ast.Unparen(call.Fun)
		if ix, ok := fun.(*ast.IndexExpr); ok {
			fun = ix.X
		}
		fn, _ := info.Uses[fun.(*ast.SelectorExpr).Sel].(*types.Func)
		if fn == nil {
			t.Fatalf("no function for %s", types.ExprString(call.Fun))
		}
		if a, ok := table.Lookup(fn); ok {
			got = append(got, a.Spec.String()+" "+a.Wait.String()+a.Safer)
		} else {
			got = append(got, "none")
		}
		return true
	})
	want := []string{
		"(example.com/lib.Box).Get sleeps",
		"(example.com/lib.Box).Put dials the network",
		"example.com/lib.Map first",
		"example.com/lib.Map first",
		"none", // lib.Plain: no row
		"none", // Getter.Get: another type's Get
	}
	if !slices.Equal(got, want) {
		t.Errorf("lookups:\n got %q\nwant %q", got, want)
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
