package fix

import (
	"errors"
	"sync"
)

type S struct {
	mu sync.Mutex
	rw sync.RWMutex
	n  int
}

func (s *S) Inc(limit int) error {
	s.mu.Lock() // want `s.mu.Lock\(\) is not released on every path out of Inc`
	if s.n >= limit {
		return errors.New("full")
	}
	s.n++
	s.mu.Unlock()
	return nil
}

func (s *S) Read(k int) {
	s.rw.RLock() // want `s.rw.RLock\(\) is not released on every path out of Read`
	if k < 0 {
		return
	}
	s.n = k
	s.rw.RUnlock()
}

// No fix: the final return calls a method, which would now run with the
// lock held.
func (s *S) Value(k int) int {
	s.mu.Lock() // want `s.mu.Lock\(\) is not released on every path out of Value`
	if k < 0 {
		return 0
	}
	s.mu.Unlock()
	return s.compute()
}

func (s *S) compute() int { return s.n }

func (s *S) DeferLock() {
	s.mu.Lock()
	defer s.mu.Lock() // want `defer s.mu.Lock\(\) right after locking`
	s.n++
}
