// want package:"orderEdges"

// Package gaps holds the shapes of issue 16 (lock-order fact gaps): a
// mutex embedded in an anonymous struct field, acquisitions in loops and
// behind early returns, and mutexes kept in a map; each with the correct
// shapes a naive check would flag.
package gaps

import "sync"

// ---- a mutex embedded in an anonymous struct field ----

// cockroach#3710: the store's mu is an anonymous struct embedding an
// RWMutex; the scan holds it and adds to the queue, whose Add holds the
// queue's lock and asks the store for its status.

type Store struct {
	mu struct {
		sync.RWMutex
		replicas []int
	}
	queue *Queue
}

type Queue struct {
	sync.Mutex
	store *Store
}

func (s *Store) Scan() { // want Scan:`acquires\(\(\*lockorder/gaps.Queue\).Mutex, \(\*lockorder/gaps.Store\).mu\)`
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.queue.Add() // want `lock order cycle \(\*Store\).mu → \(\*Queue\).Mutex → \(\*Store\).mu: Scan acquires \(\*Queue\).Mutex while holding \(\*Store\).mu`
}

func (q *Queue) Add() { // want Add:`acquires`
	q.Lock()
	defer q.Unlock()
	q.store.Status()
}

func (s *Store) Status() int { // want Status:`acquires\(\(\*lockorder/gaps.Store\).mu\)`
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.mu.replicas)
}

// Two stores' anonymous-struct locks: the same class on two instances.
func Merge(a, b *Store) { // want Merge:`acquires`
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock() // want `b.mu.RWMutex is locked while a.mu.RWMutex, another \(\*Store\).mu, is held`
	b.mu.Unlock()
}

// Silent: anonymous-struct locks taken in one order everywhere, and two
// types whose anonymous fields share a name are two classes.

type Registry struct {
	mu struct {
		sync.Mutex
		names []string
	}
}

type Entry struct {
	mu struct {
		sync.Mutex
		refs int
	}
}

func (r *Registry) Add(e *Entry) { // want Add:`acquires`
	r.mu.Lock()
	defer r.mu.Unlock()
	e.mu.Lock() // ok: Registry before Entry everywhere
	e.mu.refs++
	e.mu.Unlock()
}

func (r *Registry) Remove(e *Entry) { // want Remove:`acquires`
	r.mu.Lock()
	defer r.mu.Unlock()
	e.mu.Lock() // ok: the same order
	e.mu.refs--
	e.mu.Unlock()
}

func (e *Entry) Refs() int { // want Refs:`acquires`
	e.mu.Lock() // ok: (*Entry).mu alone, not (*Registry).mu's field of the same name
	defer e.mu.Unlock()
	return e.mu.refs
}
