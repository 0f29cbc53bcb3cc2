package strict

import (
	"strconv"
	"sync"
)

type S struct {
	mu   sync.Mutex
	n    int
	name string
}

func (s *S) Parse(v string) {
	s.mu.Lock() // want `s.mu is not released with defer, and the critical section calls strconv.Atoi, which may panic`
	n, _ := strconv.Atoi(v)
	s.n = n
	s.mu.Unlock()
}

func (s *S) Deferred(v string) {
	s.mu.Lock() // ok: deferred
	defer s.mu.Unlock()
	n, _ := strconv.Atoi(v)
	s.n = n
}

func (s *S) NoCalls(v int) {
	s.mu.Lock() // ok: nothing in the critical section can panic but builtins
	s.n = max(v, len(s.name))
	s.mu.Unlock()
}

func (s *S) Panics(v int) {
	s.mu.Lock() // want `s.mu.Lock\(\) is not released on every path out of Panics` `s.mu is not released with defer, and the critical section calls panic`
	if v < 0 {
		panic("negative") // recovered upstream, this leaves s.mu locked
	}
	s.n = v
	s.mu.Unlock()
}
