// want package:"hasSummaries"

package lib

import "sync"

type Store struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	inner struct{ mu sync.Mutex }
	items map[string]int
}

func (s *Store) Lock() { s.mu.Lock() } // want Lock:`locks acquires\(\$0.mu\)`

func (s *Store) Unlock() { s.mu.Unlock() } // want Unlock:`locks releases\(\$0.mu\)`

func (s *Store) Len() int { // want Len:`locks takes\(\$0.mu\)`
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}

func (s *Store) RLen() int { // want RLen:`locks takes\(\$0.rw\(R\)\)`
	s.rw.RLock()
	defer s.rw.RUnlock()
	return len(s.items)
}

func (s *Store) Inner() { // want Inner:`locks takes\(\$0.inner.mu\)`
	s.inner.mu.Lock()
	s.inner.mu.Unlock()
}

func (s *Store) Maybe(k string) { // want Maybe:`locks takes\(\$0.mu\)`
	if k == "" {
		return
	}
	s.mu.Lock()
	s.mu.Unlock()
}

// Through calls: Twice takes s.mu through Len.
func (s *Store) Twice() int { // want Twice:`locks takes\(\$0.mu\)`
	return s.Len()
}

var Registry sync.Mutex

func LockRegistry() { Registry.Lock() } // want LockRegistry:`locks acquires\(lib.Registry\)`

func LockArg(s *Store) { s.mu.Lock() } // want LockArg:`locks acquires\(\$0.mu\)`

func ByValue(mu sync.Mutex) { // a copy: no summary
	mu.Lock()
	mu.Unlock()
}

func NoLocks() {}

// UpdateAndUnlock releases the caller's lock on every path, in different
// branches.
func (s *Store) UpdateAndUnlock(k string) error { // want UpdateAndUnlock:`locks releases\(\$0.mu\)`
	if k == "" {
		s.mu.Unlock()
		return nil
	}
	s.items[k]++
	s.mu.Unlock()
	return nil
}

// Handshake gives the caller's lock up while it works and takes it back:
// no summary entry.
func (s *Store) Handshake(work func()) {
	s.mu.Unlock()
	work()
	s.mu.Lock()
}
