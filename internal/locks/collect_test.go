package locks_test

import (
	"reflect"
	"sort"
	"strconv"
	"testing"
)

const collectSrc = `package p

import "sync"

type S struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	items map[string]*S
	list  []S
}

func (s *S) lock()   { s.mu.Lock() }
func (s *S) unlock() { s.mu.Unlock() }
func (s *S) size() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}

func (s *S) Direct() {
	s.mu.Lock()
	s.rw.RLock()
	s.rw.RUnlock()
	s.mu.Unlock()
}

func (s *S) Deferred() {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		s.rw.Lock()
		s.rw.Unlock()
	}()
}

func (s *S) Helpers() {
	s.lock()
	_ = s.size()
	s.unlock()
}

func (s *S) Try() {
	if s.mu.TryLock() {
		s.mu.Unlock()
	}
}

func (s *S) Untracked(k string, f func() *S) {
	s.items[k].mu.Lock()
	s.list[0].mu.Lock()
	f().mu.Lock()
}

func Locker(l sync.Locker) {
	l.Lock()
	l.Unlock()
}

func (s *S) Goroutine() {
	s.mu.Lock()
	go func() {
		s.mu.Unlock()
	}()
}

func (s *S) MethodValue() func() {
	s.mu.Lock()
	return s.mu.Unlock
}

func (s *S) Unlocker() sync.Locker {
	s.mu.Lock()
	return &s.mu
}

type DB struct{ rwlock sync.Mutex }

type Tx struct{ db *DB }

func (tx *Tx) Commit() { tx.db.rwlock.Unlock() }

func (db *DB) Begin() *Tx {
	db.rwlock.Lock()
	return &Tx{db: db}
}
`

// TestEvents checks the operations found in each function: direct calls,
// deferred ones, those of helpers known by their Summary, and the
// receivers that are not a lock path.
func TestEvents(t *testing.T) {
	f := analyse(t, map[string]string{"p/p.go": collectSrc})
	at := func(marker string, offset int) int { return lineOf(t, collectSrc, marker) + offset }
	for _, tc := range []struct {
		fn   string
		want []string
	}{
		{"S.Direct", []string{
			strconv.Itoa(at("func (s *S) Direct", 1)) + " Lock s.mu",
			strconv.Itoa(at("func (s *S) Direct", 2)) + " RLock s.rw",
			strconv.Itoa(at("func (s *S) Direct", 3)) + " RUnlock s.rw",
			strconv.Itoa(at("func (s *S) Direct", 4)) + " Unlock s.mu",
		}},
		// Only the releases of a deferred literal count, as deferred.
		{"S.Deferred", []string{
			strconv.Itoa(at("func (s *S) Deferred", 1)) + " Lock s.mu",
			strconv.Itoa(at("func (s *S) Deferred", 2)) + " Unlock s.mu deferred",
			strconv.Itoa(at("func (s *S) Deferred", 5)) + " Unlock s.rw deferred",
		}},
		{"S.Helpers", []string{
			strconv.Itoa(at("func (s *S) Helpers", 1)) + " Lock s.mu via lock",
			strconv.Itoa(at("func (s *S) Helpers", 2)) + " Lock s.mu via size takes",
			strconv.Itoa(at("func (s *S) Helpers", 3)) + " Unlock s.mu via unlock",
		}},
		{"S.Try", []string{
			strconv.Itoa(at("func (s *S) Try", 1)) + " TryLock s.mu",
			strconv.Itoa(at("func (s *S) Try", 2)) + " Unlock s.mu",
		}},
		// A map element, a slice element, a call's result: not tracked.
		{"S.Untracked", nil},
		{"Locker", []string{
			strconv.Itoa(at("func Locker", 1)) + " Lock l",
			strconv.Itoa(at("func Locker", 2)) + " Unlock l",
		}},
	} {
		if got := f.events(f.fn("m/p", tc.fn)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: events\n%q\nwant\n%q", tc.fn, got, tc.want)
		}
	}
	if got := f.fn("m/p", "S.Try").Try; len(got) != 1 {
		t.Errorf("S.Try: Try = %v, want s.mu", got)
	}
}

// TestHanded checks the locks a function hands on to whoever runs the
// code it passes along or returns.
func TestHanded(t *testing.T) {
	f := analyse(t, map[string]string{"p/p.go": collectSrc})
	for _, tc := range []struct {
		fn   string
		want []string
	}{
		{"S.Goroutine", []string{"s.mu"}},   // released by the goroutine
		{"S.MethodValue", []string{"s.mu"}}, // the Unlock method value escapes
		{"S.Unlocker", []string{"s.mu"}},    // returned as a sync.Locker
		{"DB.Begin", []string{"db.rwlock"}}, // Tx.Commit releases (*DB).rwlock
		{"S.Direct", nil},
		{"S.Deferred", nil},
	} {
		var got []string
		for p := range f.fn("m/p", tc.fn).Handed {
			got = append(got, p.String())
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Handed = %v, want %v", tc.fn, got, tc.want)
		}
	}
}
