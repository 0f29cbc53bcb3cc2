// Package line holds //line directives, as yacc, templ and cgo output
// does. The positions shown name parser.y; directives still work.
package line

import "sync"

var mu sync.Mutex

//line parser.y:99999
func suppressed(fail bool) {
	mu.Lock() //leaklint:ignore unlock the caller unlocks, says the grammar
	if fail {
		return
	}
	mu.Unlock()
}

func reported(fail bool) {
	mu.Lock()
	if fail {
		return
	}
	mu.Unlock()
}
