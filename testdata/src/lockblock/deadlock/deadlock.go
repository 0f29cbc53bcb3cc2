// Package deadlock holds the shapes lockblock reports by default: a wait
// under a lock that the goroutine able to end the wait needs too.
package deadlock

import (
	"sync"
	"time"
)

type Status struct {
	mu      sync.Mutex
	updates chan int
	last    int
}

// Set sends while holding s.mu; the loop that receives takes s.mu after
// each receive: when it is waiting for s.mu, Set waits for it forever.
func (s *Status) Set(v int) { // want Set:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = v
	s.updates <- v // want `sends on s.updates while s.mu is held \(locked at line \d+\), but syncLoop, which ends this wait, takes s.mu too: the two goroutines can deadlock; release s.mu before waiting`
}

func (s *Status) syncLoop() { // want syncLoop:`mayBlock`
	for v := range s.updates {
		s.mu.Lock()
		s.last = v
		s.mu.Unlock()
	}
}

type Stopper struct {
	mu      sync.Mutex
	workers sync.WaitGroup
	tasks   int
}

func (s *Stopper) StartTask() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tasks++
}

func (s *Stopper) Run() {
	s.workers.Add(1)
	go func() {
		defer s.workers.Done()
		s.StartTask()
	}()
}

func (s *Stopper) Stop() { // want Stop:`mayBlock`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.workers.Wait() // want `s.workers.Wait\(\) waits for a WaitGroup while s.mu is held .*, but the function literal, which ends this wait, takes s.mu too`
}

// ---- silent by default (reported with -lockblock.stall) ----

type Cache struct {
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func (c *Cache) Nap() { // want Nap:`mayBlock`
	c.mu.Lock()
	defer c.mu.Unlock()
	time.Sleep(time.Millisecond) // ok by default: a stall, not a deadlock
}

func (c *Cache) start() {
	go func() {
		c.n = 0 // never takes c.mu
		close(c.done)
	}()
}

func (c *Cache) Close() { // want Close:`mayBlock`
	c.mu.Lock()
	defer c.mu.Unlock()
	<-c.done // ok: the goroutine that closes done never takes c.mu
}

func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
