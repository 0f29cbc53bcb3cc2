// Package unknown is loaded in GOPATH mode, where no Go version is
// known: the pass reports nothing without -timeafter.all.
package unknown

import "time"

func loopIdle(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Minute): // ok: version unknown
			return
		}
	}
}
