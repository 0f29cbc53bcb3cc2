// Package callee matches calls against functions and methods named by
// package path, receiver type and name.
//
// Matching works on *types.Func objects, so it sees through import
// renames, dot imports, method values, embedding (s.Lock() on a struct
// that embeds sync.Mutex resolves to (*sync.Mutex).Lock) and generic
// instantiation (an instantiated function matches its origin).
package callee

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// Of returns the function or method called by call, or nil for calls of
// function values, conversions and builtins. For generic functions and
// methods of generic types it returns the origin (uninstantiated) object.
func Of(info *types.Info, call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// IsFunc reports whether fn is a package-level function of the package
// with path pkgPath, named one of names.
func IsFunc(fn *types.Func, pkgPath string, names ...string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != pkgPath {
		return false
	}
	if sig, ok := fn.Type().(*types.Signature); !ok || sig.Recv() != nil {
		return false
	}
	return contains(names, fn.Name())
}

// IsMethod reports whether fn is a method named one of names whose
// receiver is the named type pkgPath.typeName or a pointer to it. This
// includes methods declared by a named interface type (sync.Locker.Lock),
// so calls through a value of that interface match too.
func IsMethod(fn *types.Func, pkgPath, typeName string, names ...string) bool {
	if fn == nil || !contains(names, fn.Name()) {
		return false
	}
	return RecvNamed(fn, pkgPath, typeName)
}

// RecvNamed reports whether fn is a method whose receiver is the named
// type pkgPath.typeName or a pointer to it.
func RecvNamed(fn *types.Func, pkgPath, typeName string) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	return IsNamed(sig.Recv().Type(), pkgPath, typeName)
}

// IsNamed reports whether t, or the type t points to, is the named
// (or alias-resolved) type pkgPath.name.
func IsNamed(t types.Type, pkgPath, name string) bool {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Name() == name && obj.Pkg() != nil && obj.Pkg().Path() == pkgPath
}

// A Spec names a function or method in the notation of go/types:
//
//	net/http.Get                  a package-level function
//	(*net/http.Client).Do         a method with a pointer receiver
//	(database/sql.Tx).Exec        a method with a value receiver (matches both)
//	(sync.Locker).Lock            an interface method
//
// Pointer and value receivers are not told apart when matching: a
// method set question is not what callers ask.
type Spec struct {
	Pkg  string // package path
	Recv string // receiver type name; "" for functions
	Name string // function or method name
}

// ParseSpec parses the notation described at Spec. It panics on a
// malformed spec: specs are constants written in analyzer tables. Use
// ParseSpecErr for specs that come from users.
func ParseSpec(s string) Spec {
	spec, err := ParseSpecErr(s)
	if err != nil {
		panic("callee: " + err.Error())
	}
	return spec
}

// ParseSpecErr parses the notation described at Spec, and reports a
// malformed one as an error.
func ParseSpecErr(s string) (Spec, error) {
	bad := fmt.Errorf("malformed spec %q: write pkg/path.Func or (*pkg/path.Type).Method", s)
	var spec Spec
	if strings.HasPrefix(s, "(") {
		recv, name, ok := strings.Cut(s[1:], ").")
		if !ok {
			return Spec{}, bad
		}
		recv = strings.TrimPrefix(recv, "*")
		dot := strings.LastIndex(recv, ".")
		if dot < 0 || !token.IsIdentifier(recv[dot+1:]) {
			return Spec{}, bad
		}
		spec = Spec{Pkg: recv[:dot], Recv: recv[dot+1:], Name: name}
	} else {
		dot := strings.LastIndex(s, ".")
		if dot < 0 || strings.Contains(s[:dot], "(") {
			return Spec{}, bad
		}
		spec = Spec{Pkg: s[:dot], Name: s[dot+1:]}
	}
	if spec.Pkg == "" || !token.IsIdentifier(spec.Name) || spec.Recv != "" && !token.IsIdentifier(spec.Recv) {
		return Spec{}, bad
	}
	return spec, nil
}

// Match reports whether fn is the function or method named by spec.
func (spec Spec) Match(fn *types.Func) bool {
	if spec.Recv == "" {
		return IsFunc(fn, spec.Pkg, spec.Name)
	}
	return IsMethod(fn, spec.Pkg, spec.Recv, spec.Name)
}

// String returns the spec in the notation ParseSpec reads, with the
// receiver written as a value type.
func (spec Spec) String() string {
	if spec.Recv == "" {
		return spec.Pkg + "." + spec.Name
	}
	return "(" + spec.Pkg + "." + spec.Recv + ")." + spec.Name
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// IsBuiltin reports whether call calls the builtin function name
// (make, close, panic, ...), not a function that shadows it.
func IsBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}
