// Package fake is test support: it imports testing.
package fake

import (
	"sync"
	"testing"
	"time"
)

type FS struct {
	mu      sync.Mutex
	latency time.Duration
}

func (f *FS) Create(tb testing.TB) { // want Create:`mayBlock`
	f.mu.Lock()
	defer f.mu.Unlock()
	time.Sleep(f.latency) // ok: test support simulating latency
}

func (f *FS) Remove() { // want Remove:`mayBlock`
	f.mu.Lock()
	defer f.mu.Unlock()
	time.Sleep(f.latency) // ok: likewise (the file imports testing)
}
