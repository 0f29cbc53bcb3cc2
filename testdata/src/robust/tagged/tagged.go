//go:build special

// Package tagged is built only with -tags=special.
package tagged

import "sync"

var mu sync.Mutex

func f(b bool) {
	mu.Lock()
	if b {
		return
	}
	mu.Unlock()
}
