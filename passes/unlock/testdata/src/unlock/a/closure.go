package a

import (
	"errors"
	"sync"
)

type closureStore struct {
	mu sync.Mutex
	n  int
}

// ok: a local closure releases the lock on the early return (seen twice
// on held-out real code; issue 16).
func (s *closureStore) withHelper(x bool) error {
	s.mu.Lock()
	doErr := func(err error) error {
		s.mu.Unlock()
		return err
	}
	if x {
		return doErr(errors.New("x"))
	}
	s.n++
	s.mu.Unlock()
	return nil
}

// The closure does not release it: the early return leaves it locked.
func (s *closureStore) withoutRelease(x bool) error {
	s.mu.Lock() // want `s.mu.Lock\(\) is not released on every path out of withoutRelease`
	fail := func(err error) error {
		return err
	}
	if x {
		return fail(errors.New("x"))
	}
	s.n++
	s.mu.Unlock()
	return nil
}
