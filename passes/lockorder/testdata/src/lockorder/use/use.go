// want package:"orderEdges"

// Package use takes (*Entry).Mu then (*Registry).mu through a call: with
// lib's edge, a cycle across two packages.
package use

import (
	"sync"

	"lockorder/lib"
)

func Describe(e *lib.Entry, r *lib.Registry) int { // want Describe:`acquires`
	e.Mu.Lock()
	defer e.Mu.Unlock()
	return r.Len() // want `lock order cycle \(\*Entry\).Mu → \(\*Registry\).mu → \(\*Entry\).Mu: Describe acquires \(\*Registry\).mu while holding \(\*Entry\).Mu`
}

// Flush takes (*Entry).Mu then (*Journal).mu, and lib's Pause, called with
// both held, takes (*Entry).Mu again while (*Journal).mu is held.

type Journal struct{ mu sync.Mutex }

func Flush(e *lib.Entry, j *Journal) { // want Flush:`acquires`
	e.Mu.Lock()
	defer e.Mu.Unlock()
	j.mu.Lock() // want `lock order cycle \(\*Entry\).Mu → \(\*Journal\).mu → \(\*Entry\).Mu: Flush acquires \(\*Journal\).mu while holding \(\*Entry\).Mu`
	defer j.mu.Unlock()
	e.Pause()
}
