// want package:"orderEdges"

// Package use takes (*Entry).Mu then (*Registry).mu through a call: with
// lib's edge, a cycle across two packages.
package use

import "lockorder/lib"

func Describe(e *lib.Entry, r *lib.Registry) int { // want Describe:`acquires`
	e.Mu.Lock()
	defer e.Mu.Unlock()
	return r.Len() // want `lock order cycle \(\*Entry\).Mu → \(\*Registry\).mu → \(\*Entry\).Mu: Describe acquires \(\*Registry\).mu while holding \(\*Entry\).Mu`
}
