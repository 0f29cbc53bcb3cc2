// want package:"hasAbandoners"

package helper

import "time"

// Recv still gets its fact in a go1.23 module: a caller in an older
// main module would leak through it.
func Recv(ch <-chan int) bool { // want Recv:"abandonsTimer"
	select {
	case <-ch:
		return true
	case <-time.After(time.Second):
		return false
	}
}
