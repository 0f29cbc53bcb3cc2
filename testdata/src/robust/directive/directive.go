// Package directive holds a malformed //leaklint:ignore directive: it is
// reported once, by the directive analyzer, whatever passes run.
package directive

import "sync"

var mu sync.Mutex

func f(fail bool) {
	//leaklint:ignore unlok typo in the pass name
	mu.Lock()
	if fail {
		return
	}
	mu.Unlock()
}
