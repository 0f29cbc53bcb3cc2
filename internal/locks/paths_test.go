package locks_test

import (
	"reflect"
	"strconv"
	"testing"
)

const pathsLib = `package p

import "sync"

var Mu sync.Mutex

func LockMu()   { Mu.Lock() }
func UnlockMu() { Mu.Unlock() }

type Inner struct{ mu sync.Mutex }

func (in *Inner) Lock()   { in.mu.Lock() }
func (in *Inner) Unlock() { in.mu.Unlock() }

func LockArg(mu *sync.Mutex) { mu.Lock() }

type Outer struct {
	Inner
	Sub *Inner
}
`

const pathsSrc = `package q

import (
	"sync"

	"m/p"
)

type S struct {
	mu sync.Mutex
	in p.Inner
}

func (s *S) Alias() {
	mu := &s.mu
	mu.Lock()
	mu.Unlock()
}

func (s *S) Reassigned(t *S) {
	mu := &s.mu
	mu = &t.mu
	mu.Lock()
}

func (s *S) Copy() {
	mu := s.mu
	mu.Lock()
}

func Deref(s *S) {
	(*s).mu.Lock()
	(&s.mu).Unlock()
}

func Global() {
	p.LockMu()
	p.Mu.Unlock()
	p.UnlockMu()
}

func Args(s *S) {
	p.LockArg(&s.mu)
	s.in.Lock()
	s.in.Unlock()
}

func Promoted(o *p.Outer) {
	o.Lock()
	o.Unlock()
	o.Sub.Lock()
}
`

// TestPaths checks the lock each expression names: aliases, pointers,
// promoted methods, globals and the arguments of helpers from another
// package, known by their Summary facts.
func TestPaths(t *testing.T) {
	f := analyse(t, map[string]string{"p/p.go": pathsLib, "q/q.go": pathsSrc})
	at := func(marker string, offset int) string { return strconv.Itoa(lineOf(t, pathsSrc, marker) + offset) }
	for _, tc := range []struct {
		fn   string
		want []string
	}{
		// mu := &s.mu, assigned once: mu names s.mu.
		{"S.Alias", []string{at("func (s *S) Alias", 2) + " Lock s.mu", at("func (s *S) Alias", 3) + " Unlock s.mu"}},
		// Assigned twice: mu is a lock of its own.
		{"S.Reassigned", []string{at("func (s *S) Reassigned", 3) + " Lock mu"}},
		// A copy of a mutex is a different mutex.
		{"S.Copy", []string{at("func (s *S) Copy", 2) + " Lock mu"}},
		{"Deref", []string{at("func Deref", 1) + " Lock s.mu", at("func Deref", 2) + " Unlock s.mu"}},
		{"Global", []string{at("func Global", 1) + " Lock Mu via LockMu", at("func Global", 2) + " Unlock Mu", at("func Global", 3) + " Unlock Mu via UnlockMu"}},
		{"Args", []string{at("func Args", 1) + " Lock s.mu via LockArg", at("func Args", 2) + " Lock s.in.mu via Lock", at("func Args", 3) + " Unlock s.in.mu via Unlock"}},
		// o.Lock() is o.Inner.Lock(), o.Sub a pointer field.
		{"Promoted", []string{at("func Promoted", 1) + " Lock o.Inner.mu via Lock", at("func Promoted", 2) + " Unlock o.Inner.mu via Unlock", at("func Promoted", 3) + " Lock o.Sub.mu via Lock"}},
	} {
		if got := f.events(f.fn("m/q", tc.fn)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: events\n%q\nwant\n%q", tc.fn, got, tc.want)
		}
	}

	// The global of another package, named through its helper's fact
	// and directly, is one lock, of the class of p's variable.
	fn := f.fn("m/q", "Global")
	via := f.event(fn, lineOf(t, pathsSrc, "func Global")+1).Path
	direct := f.event(fn, lineOf(t, pathsSrc, "func Global")+2).Path
	if via != direct || via.Class() != "m/p.Mu" || !via.IsGlobal() || via.Root != f.pkgs["m/p"].Types.Scope().Lookup("Mu") {
		t.Errorf("p.Mu through LockMu (%v, class %q) and directly (%v): want one global lock of class m/p.Mu", via, via.Class(), direct)
	}
	// Fields appended from a fact resolve like those written out.
	prom := f.event(f.fn("m/q", "Promoted"), lineOf(t, pathsSrc, "func Promoted")+1).Path
	if prom.Class() != "(*m/p.Inner).mu" || len(prom.Vars()) != 2 || prom.Vars()[0].Name() != "Inner" {
		t.Errorf("o.Inner.mu from Inner.Lock's fact: class %q, vars %v", prom.Class(), prom.Vars())
	}
	arg := f.event(f.fn("m/q", "Args"), lineOf(t, pathsSrc, "func Args")+2).Path
	if arg.Class() != "(*m/p.Inner).mu" || arg.Field() != prom.Field() {
		t.Errorf("s.in.mu: class %q, field %v; want p.Inner's mu, as o.Inner.mu", arg.Class(), arg.Field())
	}
}
