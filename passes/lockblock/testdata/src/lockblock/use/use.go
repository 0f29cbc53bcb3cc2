// Package use calls the blocking functions of lib while holding a lock.
package use

import (
	"sync"

	"lockblock/lib"
)

type Service struct {
	mu sync.Mutex
	q  *lib.Queue
}

func (s *Service) Add(v int) { // want Add:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.q.Push(v) // want `s.q.Push\(\) may block \(it sends on q.ch at lib.go:\d+\) while s.mu is held`
}

func (s *Service) AddOne(v int) { // want AddOne:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.q.Flush(v) // want `s.q.Flush\(\) may block \(it sends on q.ch at lib.go:\d+\) while s.mu is held`
}

func (s *Service) AddAll(vs []int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.q.PushAll(vs) // ok: PushAll blocks only for some arguments
}

func (s *Service) TryAdd(v int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.q.TryPush(v) // ok: never blocks
}
