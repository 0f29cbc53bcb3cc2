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

type lessor struct {
	mu sync.RWMutex
	cp func()
	n  int
}

func (le *lessor) checkpoint() {
	le.mu.Lock()
	defer le.mu.Unlock()
	le.n++
}

// A closure variable that releases the lock, called from a deferred
// literal, is a deferred release (etcd10492): the lock is held while the
// method runs, and taking it again deadlocks.
func (le *lessor) renew() {
	le.mu.Lock()
	unlock := func() { le.mu.Unlock() }
	defer func() { unlock() }()
	le.checkpoint() // want `checkpoint locks le.mu, which is already held here \(locked at line 59\)`
}

// The same, deferred directly.
func (le *lessor) renewDirect() {
	le.mu.Lock()
	unlock := func() { le.mu.Unlock() }
	defer unlock()
	le.checkpoint() // want `checkpoint locks le.mu, which is already held here \(locked at line 67\)`
}

// ok: the deferred closure releases the lock on every path out.
func (le *lessor) renewOK(x bool) {
	le.mu.Lock()
	unlock := func() { le.mu.Unlock() }
	defer func() { unlock() }()
	if x {
		return
	}
	le.n++
}

// A closure called on one path only: the other leaves the lock held.
func (le *lessor) renewOnePath(x bool) error {
	le.mu.Lock() // want `le.mu.Lock\(\) is not released on every path out of renewOnePath`
	unlock := func() { le.mu.Unlock() }
	if x {
		unlock()
		return errors.New("x")
	}
	le.n++
	return nil
}

func (le *lessor) renewReassigned(x bool) {
	// Silent twin: the closure variable is reassigned, so a call may run
	// either literal.
	le.mu.Lock()
	unlock := func() { le.mu.Unlock() }
	if x {
		unlock = func() {}
	}
	defer unlock()
	le.checkpoint() // ok: we can't tell which literal the deferred call runs
}

func (le *lessor) renewNoRelease() {
	// Silent twin: the closure does not release the lock.
	le.mu.Lock()
	note := func() { le.n++ }
	defer func() { note() }()
	le.mu.Unlock()
	le.checkpoint() // ok: le.mu was released above
}

// A deferred closure that does not release the lock is no release.
func (le *lessor) renewNoteOnly(x bool) {
	le.mu.Lock() // want `le.mu.Lock\(\) is not released on every path out of renewNoteOnly`
	note := func() { le.n++ }
	defer func() { note() }()
	if x {
		return
	}
	le.mu.Unlock()
}

func (le *lessor) renewHanded() {
	// Silent twin: the closure escapes (handed to another function), so
	// its release happens where we can't see.
	le.mu.Lock()
	unlock := func() { le.mu.Unlock() }
	le.later(unlock)
}

func (le *lessor) later(f func()) { le.cp = f }

func (le *lessor) renewMaybe(x bool) {
	// Silent twin: the closure releases the lock only on some paths, so a
	// call of it is no release; the lock is handed on, as before.
	le.mu.Lock()
	held := true
	unlock := func() {
		if held {
			held = false
			le.mu.Unlock()
		}
	}
	defer unlock()
	if x {
		unlock()
	}
	le.n++
}
