package locks_test

import (
	"reflect"
	"sort"
	"strconv"
	"testing"

	"github.com/leaklint/leaklint/internal/locks"
)

const heldSrc = `package p

import "sync"

type S struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	next *S
	in   struct {
		sync.Mutex
		n int
	}
	n int
}

type M struct{ m map[string]*S }

func (s *S) lock() { s.mu.Lock() }

func (s *S) Straight() {
	s.mu.Lock()
	s.n++ // @straight-held
	s.mu.Unlock()
	s.n++ // @straight-free
}

func (s *S) Deferred() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++ // @deferred
}

func (s *S) Branch(ok bool) {
	if ok {
		s.mu.Lock()
	}
	s.n++ // @branch-join
	s.rw.RLock()
	if ok {
		s.n++ // @branch-both
	}
	s.rw.RUnlock()
}

func (s *S) Try() {
	if s.mu.TryLock() {
		s.n++ // @try
		s.mu.Unlock()
	}
}

func (s *S) TryThenLock() {
	_ = s.mu.TryLock()
	s.mu.Lock()
	s.n++ // @try-lock
}

func (s *S) Walk() {
	for p := s; p != nil; p = p.next {
		p.mu.Lock()
		p.n++ // @walk-held
		p.mu.Unlock()
	}
	p := s
	p.mu.Lock()
	p = p.next
	p.n++ // @walk-redefined
}

func (s *S) Helper() {
	s.lock()
	s.n++ // @helper
	s.mu.Unlock()
}

func (s *S) Anonymous() {
	s.in.Lock()
	s.in.n++ // @anonymous
	s.in.Unlock()
}

func (s *S) Value(t S) {
	t.mu.Lock()
	s.mu.Lock()
	s.n++ // @value
	s.mu.Unlock()
	t.mu.Unlock()
}

func (m *M) MapElement(k string) {
	m.m[k].mu.Lock()
	m.m[k].n++ // @map-element
	m.m[k].mu.Unlock()
}

func (s *S) CallerHeld() {
	s.mu.Unlock()
	s.mu.Lock()
	s.n++ // @caller-held
}

func (s *S) Goroutine() {
	s.mu.Lock()
	go func() {
		s.n++ // @literal
		s.mu.Unlock()
	}()
	s.n++ // @handed
}

func Fresh(p *S) {
	a := &S{}
	b := new(S)
	c := S{}
	d := p
	var e S
	_, _, _, _, _ = a, b, c, d, e
}
`

// TestHeldAt checks the must-held locks before a statement: what every
// path to it acquired and did not release.
func TestHeldAt(t *testing.T) {
	f := analyse(t, map[string]string{"p/p.go": heldSrc})
	line := func(marker string) int { return lineOf(t, heldSrc, marker) }
	for _, tc := range []struct {
		fn, marker string
		want       string
	}{
		{"S.Straight", "@straight-held", "s.mu@" + strconv.Itoa(line("@straight-held")-1)},
		{"S.Straight", "@straight-free", ""},
		// A deferred release leaves the lock held until the return.
		{"S.Deferred", "@deferred", "s.mu@" + strconv.Itoa(line("@deferred")-2)},
		// Held on one branch only: not held after the join.
		{"S.Branch", "@branch-join", ""},
		{"S.Branch", "@branch-both", "s.rw@" + strconv.Itoa(line("@branch-both")-2)},
		// TryLock is no acquisition, and a lock the function acquires
		// with TryLock is not tracked at all.
		{"S.Try", "@try", ""},
		{"S.TryThenLock", "@try-lock", ""},
		{"S.Walk", "@walk-held", "p.mu@" + strconv.Itoa(line("@walk-held")-1)},
		// p = p.next: p.mu names another lock now.
		{"S.Walk", "@walk-redefined", ""},
		// Acquired through a helper's Summary.
		{"S.Helper", "@helper", "s.mu@" + strconv.Itoa(line("@helper")-1)},
		{"S.Anonymous", "@anonymous", "s.in.Mutex@" + strconv.Itoa(line("@anonymous")-1)},
		// Sorted by path; the receiver's mutex and the value parameter's.
		{"S.Value", "@value", "s.mu@" + strconv.Itoa(line("@value")-1) + ",t.mu@" + strconv.Itoa(line("@value")-2)},
		// A map element's mutex is no lock path.
		{"M.MapElement", "@map-element", ""},
		// Released first: the caller holds it, so it is not tracked.
		{"S.CallerHeld", "@caller-held", ""},
		// Released by the goroutine: handed on, not tracked.
		{"S.Goroutine", "@handed", ""},
	} {
		fn := f.fn("m/p", tc.fn)
		if got := f.heldAt("m/p", fn, line(tc.marker)); got != tc.want {
			t.Errorf("%s %s: held %q, want %q", tc.fn, tc.marker, got, tc.want)
		}
	}

	// A held lock's Path is its event's, one identity.
	fn := f.fn("m/p", "S.Anonymous")
	held := fn.HeldAt(f.info("m/p"), f.node(fn, line("@anonymous")))
	if len(held) != 1 || held[0].Path != held[0].By.Path || held[0].Path.Class() != "(*m/p.S).in" || held[0].Path.Field() == nil {
		t.Errorf("s.in.Mutex held: %v", held)
	}
}

// TestRedefines checks the statements that make a path name another lock.
func TestRedefines(t *testing.T) {
	f := analyse(t, map[string]string{"p/p.go": heldSrc})
	fn := f.fn("m/p", "S.Walk")
	info := f.info("m/p")
	redefine := f.node(fn, lineOf(t, heldSrc, "@walk-redefined")-1) // p = p.next
	loop := f.event(fn, lineOf(t, heldSrc, "@walk-held")-1).Path    // the loop's p.mu
	later := f.event(fn, lineOf(t, heldSrc, "@walk-redefined")-2).Path
	if loop == later || loop.String() != later.String() {
		t.Fatalf("the two p.mu: %v, %v; want two locks of the same name", loop, later)
	}
	if !fn.Redefines(info, redefine, later) {
		t.Errorf("p = p.next does not redefine p.mu")
	}
	if fn.Redefines(info, redefine, loop) {
		t.Errorf("p = p.next redefines the loop variable's p.mu")
	}
	if fn.Redefines(info, f.node(fn, lineOf(t, heldSrc, "@walk-held")), loop) {
		t.Errorf("p.n++ redefines p.mu")
	}
	s := f.event(f.fn("m/p", "S.Straight"), lineOf(t, heldSrc, "@straight-held")-1).Path
	if fn.Redefines(info, redefine, s) {
		t.Errorf("p = p.next redefines s.mu")
	}
}

// TestFreshVars checks the variables assigned a newly made object.
func TestFreshVars(t *testing.T) {
	f := analyse(t, map[string]string{"p/p.go": heldSrc})
	fn := f.fn("m/p", "Fresh")
	var got []string
	for v, ok := range locks.FreshVars(f.info("m/p"), fn.Body) {
		if ok {
			got = append(got, v.Name())
		}
	}
	sort.Strings(got)
	// d is a copy of a parameter; var e S has no assignment.
	if want := []string{"a", "b", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FreshVars = %v, want %v", got, want)
	}
}
