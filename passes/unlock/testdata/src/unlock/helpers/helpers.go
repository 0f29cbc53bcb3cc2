// Package helpers declares lock helpers whose summaries other packages
// use.
package helpers

import "sync"

type Store struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	items map[string]int
}

// Lock locks the store; Unlock releases it.
func (s *Store) Lock() { s.mu.Lock() }

// Unlock releases the store's lock, held by the caller.
func (s *Store) Unlock() { s.mu.Unlock() }

// Len takes the lock itself.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}

// RLen takes the read lock itself.
func (s *Store) RLen() int {
	s.rw.RLock()
	defer s.rw.RUnlock()
	return len(s.items)
}

// Maybe takes the lock on one path only.
func (s *Store) Maybe(k string) {
	if k == "" {
		return
	}
	s.mu.Lock()
	s.items[k]++
	s.mu.Unlock()
}

var Registry sync.Mutex

// LockRegistry locks the global registry.
func LockRegistry() { Registry.Lock() }

// UnlockRegistry unlocks it.
func UnlockRegistry() { Registry.Unlock() }

// LockStore locks a store passed as an argument.
func LockStore(s *Store) { s.mu.Lock() }

// Server is miekg/dns's Server: ListenAndServe hands its lock to a
// release callback that runs once, from a defer or before serving.
type Server struct {
	lock    sync.Mutex
	started bool
}

func unlockOnce(l sync.Locker) func() {
	var once sync.Once
	return func() { once.Do(l.Unlock) }
}

func (srv *Server) ListenAndServe() error {
	unlock := unlockOnce(&srv.lock)
	srv.lock.Lock() // ok: released through unlock, which holds the Locker
	defer unlock()
	if srv.started {
		return nil
	}
	srv.started = true
	unlock()
	select {}
}
