// want package:"orderEdges"

// Package lib takes (*Registry).mu then (*Entry).mu.
package lib

import (
	"sync"
	"time"
)

type Registry struct {
	mu      sync.Mutex
	entries map[string]*Entry
}

type Entry struct {
	Mu   sync.Mutex
	Name string
}

func (r *Registry) Rename(e *Entry, name string) { // want Rename:`acquires`
	r.mu.Lock()
	defer r.mu.Unlock()
	e.Mu.Lock()
	e.Name = name
	e.Mu.Unlock()
}

func (r *Registry) Len() int { // want Len:`acquires`
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.entries)
}

// Pause lets other users of e in for a moment: its caller holds e.Mu.
func (e *Entry) Pause() { // want Pause:`acquires\(\) retakes\(\(\*lockorder/lib.Entry\).Mu\)`
	e.Mu.Unlock()
	time.Sleep(time.Millisecond)
	e.Mu.Lock()
}
