package locks_test

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"

	"github.com/leaklint/leaklint/internal/locks"
)

const summarySrc = `package p

import "sync"

var global sync.RWMutex

type S struct {
	mu sync.Mutex
	rw sync.RWMutex
	in struct{ mu sync.Mutex }
	n  int
}

func (s *S) Acquire() { s.mu.Lock() }

func (s *S) Release() { s.mu.Unlock() }

func (s *S) ReleaseBranches(ok bool) {
	if ok {
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
}

func (s *S) Take() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
}

func (s *S) Maybe(ok bool) {
	if !ok {
		return
	}
	s.rw.RLock()
	s.rw.RUnlock()
}

func (s *S) Anonymous() {
	s.in.mu.Lock()
	s.in.mu.Unlock()
}

func Second(a int, s *S) { s.mu.Lock() }

func RGlobal() { global.RLock() }

func ByValue(mu sync.Mutex) {
	mu.Lock()
	mu.Unlock()
}

func Local() {
	var mu sync.Mutex
	mu.Lock()
	mu.Unlock()
}

// Through calls: Twice takes s.mu through Take.
func (s *S) Twice() { s.Take() }

func (s *S) waitLocked() {
	s.mu.Unlock()
	s.n++
	s.mu.Lock()
}

func (s *S) Reacquire() {
	s.mu.Unlock()
	s.n++
	s.mu.Lock()
}

func (s *S) CallerHeldOnly() {
	s.mu.Unlock()
}
`

// TestSummaryFacts checks the Summary fact of each function: the locks
// it returns holding, releases for its caller, and takes itself.
func TestSummaryFacts(t *testing.T) {
	f := analyse(t, map[string]string{"p/p.go": summarySrc})
	want := map[string]string{
		"S.Acquire":         "locks acquires($0.mu)",
		"S.Release":         "locks releases($0.mu)",
		"S.ReleaseBranches": "locks releases($0.mu)",
		"S.Take":            "locks takes($0.mu)",
		"S.Maybe":           "locks takes($0.rw(R))",
		"S.Anonymous":       "locks takes($0.in.mu)",
		"Second":            "locks acquires($1.mu)", // a function's parameters count from 0
		"RGlobal":           "locks acquires(m/p.global(R))",
		"S.Twice":           "locks takes($0.mu)",
		"S.CallerHeldOnly":  "locks releases($0.mu)",
		// Reacquire and waitLocked release the caller's lock and take it
		// back: neither acquired, released nor taken for the caller.
		// ByValue (a copy) and Local (a local mutex) have none.
	}
	if got := f.facts("m/p"); !reflect.DeepEqual(got, want) {
		t.Errorf("facts\n%v\nwant\n%v", got, want)
	}
}

// TestReacquiredCallerHeld checks the acquisitions that follow a release
// of the same lock, and the locks a function's caller holds on entry.
func TestReacquiredCallerHeld(t *testing.T) {
	f := analyse(t, map[string]string{"p/p.go": summarySrc})
	for _, tc := range []struct {
		fn         string
		reacquired int // the line of the re-acquisition, 0 for none
		callerHeld []string
	}{
		{"S.Reacquire", lineOf(t, summarySrc, "func (s *S) Reacquire") + 3, []string{"s.mu"}},
		{"S.waitLocked", lineOf(t, summarySrc, "func (s *S) waitLocked") + 3, []string{"s.mu"}},
		{"S.CallerHeldOnly", 0, []string{"s.mu"}},
		{"S.Take", 0, nil},
		{"S.Acquire", 0, nil},
	} {
		fn := f.fn("m/p", tc.fn)
		var lines []int
		for e, ok := range fn.Reacquired {
			if ok {
				lines = append(lines, f.line(e.Pos()))
			}
		}
		if tc.reacquired == 0 && len(lines) > 0 || tc.reacquired != 0 && !reflect.DeepEqual(lines, []int{tc.reacquired}) {
			t.Errorf("%s: Reacquired on lines %v, want %d", tc.fn, lines, tc.reacquired)
		}
		var held []string
		for p, ok := range fn.CallerHeld {
			if ok {
				held = append(held, p.String())
			}
		}
		if !reflect.DeepEqual(held, tc.callerHeld) {
			t.Errorf("%s: CallerHeld = %v, want %v", tc.fn, held, tc.callerHeld)
		}
	}
}

// TestSummaryGob checks that a Summary survives the gob encoding go vet
// uses between processes: only Refs (strings and ints) are encoded.
func TestSummaryGob(t *testing.T) {
	in := &locks.Summary{
		Acquires: []locks.Ref{{Param: 0, Fields: ".mu"}},
		Releases: []locks.Ref{{Param: -1, Global: "m/p.global", Read: true}},
		Takes:    []locks.Ref{{Param: 2, Fields: ".in.mu", Always: true}},
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(in); err != nil {
		t.Fatal(err)
	}
	out := new(locks.Summary)
	if err := gob.NewDecoder(&buf).Decode(out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) || out.String() != "locks acquires($0.mu) releases(m/p.global(R)) takes($2.in.mu)" {
		t.Errorf("decoded %v (%#v)", out, out)
	}
}
