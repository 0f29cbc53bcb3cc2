// want package:"hasSummaries"

package use

import "lib"

// The summaries travel across packages and compose.
func lockBoth(s *lib.Store) { // want lockBoth:`locks acquires\(\$0.mu\)`
	s.Lock()
}

func unlockVia(s *lib.Store) { // want unlockVia:`locks releases\(\$0.mu\)`
	s.Unlock()
}

func global() { // want global:`locks acquires\(lib.Registry\)`
	lib.LockRegistry()
}

func local() {
	var s lib.Store // a local: callers can't name it, no summary
	s.Lock()
	s.Unlock()
}
