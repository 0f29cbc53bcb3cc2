package locks_test

import (
	"go/types"
	"strings"
	"testing"

	"github.com/leaklint/leaklint/internal/locks"
)

const modelSrc = `package p

import "sync"

var global sync.Mutex

type S struct {
	mu sync.Mutex
	rw sync.RWMutex
}

type Inner struct{ mu sync.Mutex }

type Outer struct {
	Inner
	in Inner
}

type E struct{ sync.Mutex }

type A struct {
	mu struct {
		sync.Mutex
		n int
	}
	two struct {
		a, b sync.Mutex
	}
}

var state struct {
	sync.RWMutex
	n int
}

type G[T any] struct {
	mu sync.Mutex
	v  T
}

func Global() {
	global.Lock() // @global
	global.Unlock()
}

func Local() {
	var mu sync.Mutex
	mu.Lock() // @local
	mu.Unlock()
}

func (s *S) Pointer() {
	s.mu.Lock() // @pointer
	s.mu.Unlock()
}

func (s S) Value() {
	s.mu.Lock() // @value
	s.mu.Unlock()
}

func (s *S) Read() {
	s.rw.RLock() // @read
	s.rw.RUnlock()
}

func (o *Outer) Nested() {
	o.in.mu.Lock() // @nested
	o.in.mu.Unlock()
	o.mu.Lock() // @promoted
	o.mu.Unlock()
}

func (e *E) Embedded() {
	e.Lock() // @embedded
	e.Unlock()
}

func (a *A) Anonymous() {
	a.mu.Lock() // @anonymous
	a.mu.Unlock()
	a.two.b.Lock() // @anonfield
	a.two.b.Unlock()
	state.RLock() // @anonglobal
	state.RUnlock()
}

func (g *G[T]) Generic() {
	g.mu.Lock() // @generic
	g.mu.Unlock()
}

func Instance(g *G[int]) {
	g.mu.Lock() // @instance
	g.mu.Unlock()
}
`

// TestPathIdentity checks the one lock identity, Path, on the shapes a
// lock takes: its rendering, class, field and object.
func TestPathIdentity(t *testing.T) {
	f := analyse(t, map[string]string{"p/p.go": modelSrc})
	for _, tc := range []struct {
		fn, marker string
		op         locks.Op
		path       string
		class      string
		field      string // "Owner.name" of Field(), "" for none
		global     bool
		vars       int // len(Vars())
		object     string
	}{
		{"Global", "@global", locks.Lock, "global", "m/p.global", "", true, 0, "var global"},
		{"Local", "@local", locks.Lock, "mu", "", "", false, 0, "var mu"},
		{"S.Pointer", "@pointer", locks.Lock, "s.mu", "(*m/p.S).mu", "S.mu", false, 1, "field mu"},
		{"S.Value", "@value", locks.Lock, "s.mu", "(*m/p.S).mu", "S.mu", false, 1, "field mu"},
		{"S.Read", "@read", locks.RLock, "s.rw", "(*m/p.S).rw", "S.rw", false, 1, "field rw"},
		{"Outer.Nested", "@nested", locks.Lock, "o.in.mu", "(*m/p.Inner).mu", "Inner.mu", false, 2, "field mu"},
		// A promoted field is the embedded struct's: the path says so.
		{"Outer.Nested", "@promoted", locks.Lock, "o.Inner.mu", "(*m/p.Inner).mu", "Inner.mu", false, 2, "field mu"},
		// s.Lock() on a struct embedding sync.Mutex locks s.Mutex.
		{"E.Embedded", "@embedded", locks.Lock, "e.Mutex", "(*m/p.E).Mutex", "E.Mutex", false, 1, "field Mutex"},
		// The mutex embedded in an anonymous struct field is named by
		// that field: every A has its own, as with a named field.
		{"A.Anonymous", "@anonymous", locks.Lock, "a.mu.Mutex", "(*m/p.A).mu", "struct.Mutex", false, 2, "field Mutex"},
		{"A.Anonymous", "@anonfield", locks.Lock, "a.two.b", "(*m/p.A).two.b", "struct.b", false, 2, "field b"},
		// (fieldName names the fields of the package's named types only.)
		{"A.Anonymous", "@anonglobal", locks.RLock, "state.RWMutex", "m/p.state", "?RWMutex", true, 1, "field RWMutex"},
		{"G.Generic", "@generic", locks.Lock, "g.mu", "(*m/p.G).mu", "G.mu", false, 1, "field mu"},
		{"Instance", "@instance", locks.Lock, "g.mu", "(*m/p.G).mu", "G.mu", false, 1, "field mu"},
	} {
		t.Run(tc.marker, func(t *testing.T) {
			e := f.event(f.fn("m/p", tc.fn), lineOf(t, modelSrc, tc.marker))
			p := e.Path
			if e.Op != tc.op || p.String() != tc.path {
				t.Errorf("event %s %s, want %s %s", e.Op, p, tc.op, tc.path)
			}
			if got := p.Class(); got != tc.class {
				t.Errorf("Class() = %q, want %q", got, tc.class)
			}
			if got := p.IsGlobal(); got != tc.global {
				t.Errorf("IsGlobal() = %v, want %v", got, tc.global)
			}
			if got := len(p.Vars()); got != tc.vars {
				t.Errorf("len(Vars()) = %d, want %d", got, tc.vars)
			}
			var names []string
			for _, v := range p.Vars() {
				names = append(names, v.Name())
			}
			if want := strings.ReplaceAll(p.Fields, ".", " "); " "+strings.Join(names, " ") != want && len(names) > 0 {
				t.Errorf("Vars() = %v, want the fields of %q", names, p.Fields)
			}
			if got := fieldName(f, p.Field()); got != tc.field {
				t.Errorf("Field() = %q, want %q", got, tc.field)
			}
			obj := p.Object()
			if obj == nil {
				t.Fatalf("Object() = nil")
			}
			kind := "var "
			if v, ok := obj.(*types.Var); ok && v.IsField() {
				kind = "field "
			}
			if got := kind + obj.Name(); got != tc.object {
				t.Errorf("Object() = %s, want %s", got, tc.object)
			}
		})
	}

	// Every s.mu of type S is one field, whatever the receiver, and the
	// instance G[int]'s field is the generic G's.
	ptr := f.event(f.fn("m/p", "S.Pointer"), lineOf(t, modelSrc, "@pointer")).Path
	val := f.event(f.fn("m/p", "S.Value"), lineOf(t, modelSrc, "@value")).Path
	if ptr.Field() != val.Field() || ptr.Object() != val.Object() {
		t.Errorf("s.mu of *S and of S: different fields %v, %v", ptr.Field(), val.Field())
	}
	if ptr == val {
		t.Errorf("s.mu of two receivers: equal paths, want two locks")
	}
	gen := f.event(f.fn("m/p", "G.Generic"), lineOf(t, modelSrc, "@generic")).Path
	inst := f.event(f.fn("m/p", "Instance"), lineOf(t, modelSrc, "@instance")).Path
	if gen.Field() != inst.Field() {
		t.Errorf("G[T].mu and G[int].mu: different fields")
	}
	decl := f.pkgs["m/p"].Types.Scope().Lookup("G").Type().Underlying().(*types.Struct).Field(0)
	if inst.Field() != decl {
		t.Errorf("G[int].mu: Field() is not the field declared in G")
	}
}

// fieldName renders a field as "Owner.name", the owner being the named
// struct that declares it, or "struct" for an anonymous one.
func fieldName(f *fixture, v *types.Var) string {
	if v == nil {
		return ""
	}
	pkg := f.pkgs["m/p"].Types
	for _, name := range pkg.Scope().Names() {
		tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		if !ok {
			continue
		}
		st, ok := tn.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := 0; i < st.NumFields(); i++ {
			if st.Field(i) == v {
				return tn.Name() + "." + v.Name()
			}
			if in, ok := st.Field(i).Type().(*types.Struct); ok {
				for j := 0; j < in.NumFields(); j++ {
					if in.Field(j) == v {
						return "struct." + v.Name()
					}
				}
			}
		}
	}
	return "?" + v.Name()
}

// TestPathEquality checks that the Paths of one lock in one function are
// equal (map keys) and that a literal Path{Root: v} is the variable's.
func TestPathEquality(t *testing.T) {
	f := analyse(t, map[string]string{"p/p.go": modelSrc})
	fn := f.fn("m/p", "S.Pointer")
	lock := f.event(fn, lineOf(t, modelSrc, "@pointer"))
	unlock := f.event(fn, lineOf(t, modelSrc, "@pointer")+1)
	if lock.Path != unlock.Path {
		t.Errorf("Lock and Unlock of s.mu: paths differ")
	}
	if got := fn.Paths(); len(got) != 1 || got[0] != lock.Path {
		t.Errorf("Paths() = %v, want [s.mu]", got)
	}
	g := f.event(f.fn("m/p", "Global"), lineOf(t, modelSrc, "@global"))
	if g.Path != (locks.Path{Root: g.Path.Root}) {
		t.Errorf("global: the event's path is not Path{Root: global}")
	}
	if got := (locks.Path{}).String(); got != "?" {
		t.Errorf("zero Path renders %q", got)
	}
	if (locks.Path{}).Object() != nil || (locks.Path{}).Class() != "" || (locks.Path{}).Field() != nil {
		t.Errorf("zero Path has an identity")
	}
}

// TestOp checks the classification of the operations.
func TestOp(t *testing.T) {
	for _, tc := range []struct {
		op                     locks.Op
		name                   string
		acquire, release, read bool
	}{
		{locks.Lock, "Lock", true, false, false},
		{locks.RLock, "RLock", true, false, true},
		{locks.Unlock, "Unlock", false, true, false},
		{locks.RUnlock, "RUnlock", false, true, true},
		{locks.TryLock, "TryLock", false, false, false},
		{locks.TryRLock, "TryRLock", false, false, true},
	} {
		if tc.op.String() != tc.name || tc.op.Acquire() != tc.acquire || tc.op.Release() != tc.release || tc.op.Read() != tc.read {
			t.Errorf("%s: Acquire %v Release %v Read %v, want %v %v %v", tc.op, tc.op.Acquire(), tc.op.Release(), tc.op.Read(), tc.acquire, tc.release, tc.read)
		}
	}
}

// TestRef checks how a Summary names a lock.
func TestRef(t *testing.T) {
	for _, tc := range []struct {
		r    locks.Ref
		want string
	}{
		{locks.Ref{Param: 0, Fields: ".mu"}, "$0.mu"},
		{locks.Ref{Param: 2, Fields: ".inner.mu", Read: true}, "$2.inner.mu(R)"},
		{locks.Ref{Param: -1, Global: "m/p.global"}, "m/p.global"},
	} {
		if got := tc.r.String(); got != tc.want {
			t.Errorf("%#v: %q, want %q", tc.r, got, tc.want)
		}
	}
}
