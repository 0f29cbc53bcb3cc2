// Package lib declares helpers whose facts other packages need.
package lib

import (
	"sync"
	"time"
)

// Recv abandons its timer when a value arrives first (a timeafter fact).
func Recv(ch <-chan int) (int, bool) {
	select {
	case v := <-ch:
		return v, true
	case <-time.After(time.Second):
		return 0, false
	}
}

type Store struct {
	mu sync.Mutex
	n  int
}

// Len takes s.mu itself (a lock summary fact).
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// Lock and Unlock are lock helpers.
func (s *Store) Lock()   { s.mu.Lock() }
func (s *Store) Unlock() { s.mu.Unlock() }
