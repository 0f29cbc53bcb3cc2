package a

import (
	"sync"
	"testing"
)

var osContextLock sync.Mutex

type osContext struct{ t *testing.T }

// setupOSContext is moby's netnsutils.SetupTestOSContextEx: a test helper
// (its file imports testing) that holds a global lock until the returned
// context's Cleanup.
func setupOSContext(t *testing.T) *osContext {
	osContextLock.Lock() // ok: test code
	return &osContext{t: t}
}

func (c *osContext) Cleanup() { osContextLock.Unlock() }
