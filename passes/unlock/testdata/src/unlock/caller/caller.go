// Package caller uses the helpers of another package: their facts make
// its lock operations visible.
package caller

import "unlock/helpers"

func deferHelper(s *helpers.Store) {
	s.Lock() // ok: released by the helper, known by its fact
	defer s.Unlock()
}

func helperEarlyReturn(s *helpers.Store, fail bool) error {
	s.Lock() // want `s.Lock\(\) \(which locks s.mu\) is not released on every path out of helperEarlyReturn`
	if fail {
		return nil
	}
	s.Unlock()
	return nil
}

func selfDeadlock(s *helpers.Store) int {
	s.Lock()
	defer s.Unlock()
	return s.Len() // want `Len locks s.mu, which is already held here`
}

func readReentry(s *helpers.Store) int {
	s.Lock()
	defer s.Unlock()
	return s.RLen() // ok: a different lock (s.rw)
}

func conditionalTake(s *helpers.Store) {
	s.Lock()
	defer s.Unlock()
	s.Maybe("x") // ok: Maybe locks only on some paths; we can't tell which one this call takes
}

func global() {
	helpers.LockRegistry() // ok: released below
	defer helpers.UnlockRegistry()
}

func globalTwice() {
	helpers.LockRegistry()
	helpers.Registry.Lock() // want `Registry is locked again while still held`
	helpers.Registry.Unlock()
	helpers.UnlockRegistry()
}

func argument(s *helpers.Store) {
	helpers.LockStore(s) // want `helpers.LockStore\(\) \(which locks s.mu\) is never released in argument`
}

// serve calls a function that hands its lock to a release callback: it
// does not return holding the lock (traefik's fake DNS server).
func serve(srv *helpers.Server) error {
	return srv.ListenAndServe() // ok
}
